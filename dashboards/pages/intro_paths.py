"""Warm intros: who can introduce a resident to a person, program, institution or specialty.

The page's state lives in its URL (``/intro-paths?from=<person id>&to=<target>&exclude=<id>,<id>``),
so a chief resident can send a resident a link to the answer.  The pickers search on the server as
one types (:mod:`dashboards.components`).  Residents and mentors look for paths from themselves only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import urlencode

import dash
from dash import MATCH, Input, Output, State, callback, ctx, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.components import (
    OFFERED,
    expand,
    explorer,
    explorer_io,
    explorer_zoom,
    found,
    offer,
    person_or_typed,
    picker,
    query_ids,
    query_text,
    search_io,
    search_options,
    tapped,
)
from dashboards.data import views
from dashboards.figures import SOURCE_COLOUR, TARGET_COLOUR, WEAK_COLOUR, path_elements
from dashboards.format import person_href, sentence, unavailable
from graph.analytics.introductions import FOLLOW_UP_DAYS
from graph.analytics.paths import IntroPath
from graph.errors import AmbiguousError, TiegraphError
from graph.views import IntroAnswer

dash.register_page(__name__, path="/intro-paths", name="Warm intros", title="tiegraph: warm intros", order=1)

MAX_HOPS = 4
PATHS = 5
GRAPH = "intro-paths-graph"
EMPTY = "No people yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`."
ONLY_YOURSELF = "You can look for introductions from yourself only; program leadership can look for anyone."


def layout(**query: object) -> html.Div:
    """The pickers, filled from the URL's query; the answer comes from :func:`show_paths`."""
    source, target, exclude = (
        query_text(query.get("from")),
        query_text(query.get("to")),
        query_ids(query.get("exclude")),
    )
    try:
        with views() as v:
            options = v.target_options()
            source = person_or_typed(v, source) or (None if v.viewer.is_leadership else v.viewer.person)
            exclude = [person_or_typed(v, x) or x for x in exclude]
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc), id="intro-paths-message"))
    people = options[options["kind"] == "person"]
    if people.empty:
        return _page(html.P(EMPTY, id="intro-paths-message"))
    # A hand-written link may name someone or something as typed: keep it (a dropdown drops values it
    # does not offer), so that the answer, or the sentence saying what was not found, is about it.
    from_options = offer(people, [source], limit=OFFERED)
    exclude_options = offer(people, exclude, limit=OFFERED)
    target_options = offer(options, [target], limit=OFFERED)
    return _page(
        html.Div(
            [
                dcc.Location(id="intro-paths-url", refresh=False),
                html.P(
                    "Pick yourself and where you want to go: a person, a fellowship program, an institution or a "
                    "specialty. Each path goes through a different first contact; the weakest link of each is marked.",
                    className="hint",
                ),
                html.Div(
                    [
                        picker(
                            "From",
                            dcc.Dropdown(
                                from_options,
                                source,
                                id="intro-paths-from",
                                placeholder="You: type a name",
                                search_order="original",
                            ),
                        ),
                        picker(
                            "To",
                            dcc.Dropdown(
                                target_options,
                                target,
                                id="intro-paths-to",
                                placeholder="Type a program, institution, specialty or name",
                                search_order="original",
                            ),
                        ),
                        picker(
                            "Leave out",
                            dcc.Dropdown(
                                exclude_options,
                                exclude,
                                id="intro-paths-exclude",
                                multi=True,
                                placeholder="Nobody",
                                search_order="original",
                            ),
                        ),
                    ],
                    className="pickers",
                ),
                html.P(id="intro-paths-message", className="message"),
                html.Div(id="intro-paths-results"),
            ]
        )
    )


@callback(
    Output("intro-paths-results", "children"),
    Output("intro-paths-message", "children"),
    Output("intro-paths-url", "search"),
    Input("intro-paths-from", "value"),
    Input("intro-paths-to", "value"),
    Input("intro-paths-exclude", "value"),
)
def show_paths(source: str | None, target: str | None, exclude: list[str] | None) -> tuple[list, str, str]:
    """Ranked warm paths, explained hop by hop, with a draft message each; the URL follows the pickers."""
    exclude = [x for x in exclude or [] if x]
    search = search_for(source, target, exclude)
    if not source or not target:
        return [], "Pick yourself (From) and where you want to go (To).", search
    try:
        with views() as v:
            if v.people.empty:
                return [], EMPTY, search
            try:
                src = v.person_id(source)
            except AmbiguousError as exc:
                return _choices(exc, lambda pid: search_for(pid, target, exclude)), sentence(exc), search
            if src not in v.path_index:
                return [], f"{v.names[src]} has no ties yet, so there is no one to ask.", search
            try:
                answer = v.intro(src, target, k=PATHS, max_hops=MAX_HOPS, exclude=exclude)
            except AmbiguousError as exc:
                return _choices(exc, lambda pid: search_for(src, pid, exclude)), sentence(exc), search
            linked = v.viewer.is_leadership  # may open anyone's person page
    except TiegraphError as exc:
        return [], unavailable(exc, refused=ONLY_YOURSELF), search
    n = answer.names
    if not answer.paths:
        left_out = f" without {', '.join(n.get(x, x) for x in exclude)}" if exclude else ""
        return (
            [],
            f"No warm path from {n[answer.source]} to {answer.target.label} within {MAX_HOPS} hops{left_out}. "
            "Try a wider target (the institution or the specialty), or ask your APD or chief resident.",
            search,
        )
    found = (
        f"{len(answer.paths)} {'way' if len(answer.paths) == 1 else 'ways'} from {n[answer.source]} "
        f"to {answer.target.label} ({len(answer.target.members)} people there count)."
    )
    if answer.through:
        found += (
            f" Every path goes through {n[answer.through]}: if they cannot help, there is no other warm way in "
            "within reach; ask your APD or chief resident."
        )
    paths = [_path(answer, p, i, linked=linked) for i, p in enumerate(answer.paths, 1)]
    return [_figure(answer), *paths], found, search


@callback(
    Output("intro-paths-from", "options"),
    Input("intro-paths-from", "search_value"),
    State("intro-paths-from", "value"),
    State("intro-paths-from", "options"),
)
def search_from(search: str | None, value: str | None, options: list[dict] | None) -> list[dict]:
    """People whose name or description contains what was typed."""
    return search_options(search, [value], options, people_only=True, limit=OFFERED)


@callback(
    Output("intro-paths-to", "options"),
    Input("intro-paths-to", "search_value"),
    State("intro-paths-to", "value"),
    State("intro-paths-to", "options"),
)
def search_to(search: str | None, value: str | None, options: list[dict] | None) -> list[dict]:
    """Programs, institutions, specialties and people whose label contains what was typed."""
    return search_options(search, [value], options, people_only=False, limit=OFFERED)


@callback(
    Output("intro-paths-exclude", "options"),
    Input("intro-paths-exclude", "search_value"),
    State("intro-paths-exclude", "value"),
    State("intro-paths-exclude", "options"),
)
def search_exclude(search: str | None, value: list[str] | None, options: list[dict] | None) -> list[dict]:
    """People to leave out whose name or description contains what was typed; the chosen stay."""
    return search_options(search, value or [], options, people_only=True, limit=OFFERED)


@callback(
    Output({"type": "intro-paths-asked", "index": MATCH}, "children"),
    Input({"type": "intro-paths-ask", "index": MATCH}, "n_clicks"),
    State({"type": "intro-paths-chain", "index": MATCH}, "data"),
    State("intro-paths-to", "value"),
    prevent_initial_call=True,
)
def ask(clicks: int | None, chain: dict | None, target: str | None) -> str:
    """Record the introduction request (who asked whom, for which target, along which path, when)."""
    if not clicks or not chain or not target:
        raise PreventUpdate
    try:
        with views() as v:
            req = v.ask_intro(chain["people"], target, source="dashboard")
            name = v.names.get(req.first_contact, req.first_contact)
    except TiegraphError as exc:
        return unavailable(exc, refused=ONLY_YOURSELF)
    return (
        f" Recorded: you asked {name} on {req.asked_at}. It is on your page; "
        f"if there is no answer by {date.fromisoformat(req.asked_at) + timedelta(days=FOLLOW_UP_DAYS)}, follow up."
    )


def search_for(source: str | None, target: str | None, exclude: list[str]) -> str:
    """The URL query that reopens this view."""
    query = {"from": source or "", "to": target or "", "exclude": ",".join(exclude)}
    return "?" + urlencode({k: v for k, v in query.items() if v})


def _choices(exc: AmbiguousError, query: Callable[[str], str]) -> list[html.Div]:
    """The people an ambiguous name could mean, each a link that picks them."""
    items = [
        html.Li(dcc.Link(what, href="/intro-paths" + query(pid), className="intro-paths-choice"))
        for pid, what in exc.candidates
    ]
    return [html.Div([html.P("Which one did you mean?"), html.Ul(items)], id="intro-paths-choices")]


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Warm introductions"), body], id="intro-paths-main")


def _path(answer: IntroAnswer, path: IntroPath, rank: int, *, linked: bool = False) -> html.Div:
    n = answer.names

    def name(pid: str) -> str | dcc.Link:
        return dcc.Link(n[pid], href=person_href(pid)) if linked else n[pid]

    hops = [
        html.Li(
            [
                html.Span([name(h.source), " → ", name(h.target)], className="hop-who"),
                html.Span(
                    f" strength {h.strength:.2f} · last contact {h.last_contact or 'unknown'} · {h.reasons or 'no detail'}",
                    className="hop-why",
                ),
                html.Span(" weakest link", className="weakest-tag") if h is path.weakest else None,
            ],
            className="intro-paths-hop weakest" if h is path.weakest else "intro-paths-hop",
        )
        for h in path.hops
    ]
    draft_id = f"intro-paths-draft-{rank}"
    return html.Div(
        [
            html.H3(f"{rank}. Ask {n[path.first_contact]}"),
            html.P(
                f"{len(path.hops)} {'hop' if len(path.hops) == 1 else 'hops'}; chance the introduction goes through "
                f"≈ {path.probability:.0%} (the product of the hop strengths).",
                className="hint",
            ),
            html.Ol(hops, className="hops"),
            html.Div(
                [
                    html.Label("Message to send", htmlFor=draft_id, className="picker-label"),
                    dcc.Clipboard(target_id=draft_id, title="Copy the message", className="copy"),
                ],
                className="draft-head",
            ),
            dcc.Textarea(id=draft_id, value=answer.draft(path), className="draft", title="Edit before you copy it"),
            html.Div(
                [
                    html.Button(
                        f"Ask {n[path.first_contact].split()[0]}",
                        id={"type": "intro-paths-ask", "index": rank},
                        className="ask",
                        title="Record that you asked: it is listed on your page, with a follow-up after a week",
                    ),
                    dcc.Store(id={"type": "intro-paths-chain", "index": rank}, data={"people": list(path.people)}),
                    html.Span(id={"type": "intro-paths-asked", "index": rank}, className="asked"),
                ],
                className="ask-row",
            ),
        ],
        className="intro-paths-path",
    )


def _figure(answer: IntroAnswer) -> html.Div:
    """The paths as one small network to explore: columns by hop, weakest links red and dashed."""
    key = html.P(
        [
            html.Span("● you", style={"color": SOURCE_COLOUR}),
            " · ",
            html.Span("● counts as reaching the target", style={"color": TARGET_COLOUR}),
            " · ",
            html.Span("- - weakest link of a path", style={"color": WEAK_COLOUR}),
            " · thicker line, stronger tie · tap a person for their ties",
        ],
        className="hint",
    )
    depth = max(len(p.people) for p in answer.paths)
    return html.Div([explorer(GRAPH, path_elements(answer), height=180 + 40 * depth), key])


@callback(
    *explorer_io(GRAPH),
    State("intro-paths-from", "value"),
    State("intro-paths-to", "value"),
    State("intro-paths-exclude", "value"),
    prevent_initial_call=True,
)
def explore(
    node: dict | None,
    _: int | None,
    elements: list[dict],
    source: str | None,
    target: str | None,
    exclude: list[str] | None,
) -> tuple:
    """A tapped person's ties (as the viewer may see them) in the panel; "add their ties" draws them."""
    if not node or not source or not target:
        raise PreventUpdate
    keep = dash.no_update
    try:
        with views() as v:
            # a resident sees other people's ties only as the hops of their own paths: the same query again
            intro = (
                None if v.viewer.is_leadership else v.intro(source, target, k=PATHS, max_hops=MAX_HOPS, exclude=exclude)
            )
            if ctx.triggered_id == f"{GRAPH}-expand":
                new, said, focus = expand(v, node, elements, intro=intro)
                return new, keep, keep, said, {"graph": GRAPH, "ids": focus}
            panel, style = tapped(v, node, intro=intro)
            return keep, panel, style, "", keep
    except TiegraphError as exc:
        return keep, html.P(unavailable(exc, refused=ONLY_YOURSELF)), {"display": "none"}, "", keep


@callback(
    *search_io(GRAPH),
    prevent_initial_call=True,
)
def search_graph(typed: str | None, elements: list[dict]) -> tuple:
    """Ring and zoom to the people in the picture whose name fits what was typed."""
    style, said, ids = found(elements, typed)
    return style, said, {"graph": GRAPH, "ids": ids}


explorer_zoom(GRAPH)
