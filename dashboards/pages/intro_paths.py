"""Warm intros: who can introduce a resident to a person, program, institution or specialty.

The page's state lives in its URL (``/intro-paths?from=<person id>&to=<target>&exclude=<id>,<id>``),
so a chief resident can send a resident a link to the answer.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import plotly.graph_objects as go
from dash import Input, Output, callback, dcc, html

from dashboards.data import views
from dashboards.format import sentence
from graph.errors import NotFoundError, TiegraphError
from graph.paths import IntroPath
from graph.views import IntroAnswer, Views

dash.register_page(__name__, path="/intro-paths", name="Warm intros", title="tiegraph: warm intros", order=1)

MAX_HOPS = 4
PATHS = 5
EMPTY = "No people yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`."


def layout(**query: object) -> html.Div:
    """The pickers, filled from the URL's query; the answer comes from :func:`show_paths`."""
    source, target, exclude = _text(query.get("from")), _text(query.get("to")), _ids(query.get("exclude"))
    try:
        with views() as v:
            options = v.target_options()
            source = _person(v, source)
            exclude = [_person(v, x) or x for x in exclude]
    except TiegraphError as exc:
        return _page(html.P(f"The data store is not available: {sentence(exc)}", id="intro-paths-message"))
    people = options[options["kind"] == "person"]
    if people.empty:
        return _page(html.P(EMPTY, id="intro-paths-message"))
    person_options = [{"label": r.label, "value": r.value} for r in people.itertuples()]
    target_options = [{"label": r.label, "value": r.value} for r in options.itertuples()]
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
                        _picker("From", dcc.Dropdown(person_options, source, id="intro-paths-from", placeholder="You")),
                        _picker(
                            "To",
                            dcc.Dropdown(
                                target_options,
                                target,
                                id="intro-paths-to",
                                placeholder="e.g. Gastroenterology fellowship",
                            ),
                        ),
                        _picker(
                            "Leave out",
                            dcc.Dropdown(
                                person_options, exclude, id="intro-paths-exclude", multi=True, placeholder="Nobody"
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
            src = v.person_id(source)
            if src not in v.path_index:
                return [], f"{v.names[src]} has no ties yet, so there is no one to ask.", search
            answer = v.intro(src, target, k=PATHS, max_hops=MAX_HOPS, exclude=exclude)
    except NotFoundError as exc:
        return [], sentence(exc), search
    except TiegraphError as exc:
        return [], f"The data store is not available: {sentence(exc)}", search
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
    return [_figure(answer), *(_path(answer, p, i) for i, p in enumerate(answer.paths, 1))], found, search


def search_for(source: str | None, target: str | None, exclude: list[str]) -> str:
    """The URL query that reopens this view."""
    query = {"from": source or "", "to": target or "", "exclude": ",".join(exclude)}
    return "?" + urlencode({k: v for k, v in query.items() if v})


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Warm introductions"), body], id="intro-paths-main")


def _picker(label: str, control: dcc.Dropdown) -> html.Div:
    return html.Div([html.Label(label, className="picker-label"), control], className="picker")


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def _person(v: Views, query: str | None) -> str | None:
    """A name or e-mail from a hand-written link as the person's id; unknown ones as written."""
    if not query or query in v.names:
        return query
    try:
        return v.person_id(query)
    except NotFoundError:
        return query


def _ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [x.strip() for item in items for x in str(item).split(",") if x.strip()]


def _path(answer: IntroAnswer, path: IntroPath, rank: int) -> html.Div:
    n = answer.names
    hops = [
        html.Li(
            [
                html.Span(f"{n[h.source]} → {n[h.target]}", className="hop-who"),
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
            dcc.Textarea(id=draft_id, value=answer.draft(path), readOnly=True, className="draft"),
        ],
        className="intro-paths-path",
    )


def _figure(answer: IntroAnswer) -> dcc.Graph:
    """The paths as one small graph: columns by hop, weakest links red and dashed."""
    n = answer.names
    column: dict[str, int] = {}
    for p in answer.paths:
        for i, who in enumerate(p.people):
            column[who] = min(column.get(who, i), i)
    rows: dict[int, list[str]] = {}
    for who, col in column.items():
        rows.setdefault(col, []).append(who)
    depth = max(len(r) for r in rows.values())
    pos = {who: (col, (depth - 1) / 2 - i) for col, people in rows.items() for i, who in enumerate(people)}
    traces = []
    for p in answer.paths:
        for h in p.hops:
            weak = h is p.weakest
            (x0, y0), (x1, y1) = pos[h.source], pos[h.target]
            traces.append(
                go.Scatter(
                    x=[x0, x1],
                    y=[y0, y1],
                    mode="lines",
                    line={
                        "width": 1.5 + 6 * h.strength,
                        "color": "#d62728" if weak else "#1f77b4",
                        "dash": "dash" if weak else "solid",
                    },
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
    people = list(pos)
    traces.append(
        go.Scatter(
            x=[pos[w][0] for w in people],
            y=[pos[w][1] for w in people],
            mode="markers+text",
            text=[n[w] for w in people],
            textposition="top center",
            marker={"size": 14, "color": ["#2ca02c" if w == answer.source else "#555" for w in people]},
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig = go.Figure(traces)
    fig.update_layout(
        height=90 + 70 * depth,
        margin={"l": 60, "r": 60, "t": 30, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False, "range": [-0.4, max(rows) + 0.4]},
        yaxis={"visible": False, "range": [-(depth - 1) / 2 - 0.5, (depth - 1) / 2 + 0.7]},
    )
    return dcc.Graph(id="intro-paths-graph", figure=fig, config={"displayModeBar": False})
