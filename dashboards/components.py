"""Pieces several pages share: people pickers, reading a page's URL query, and the explorable network.

A picker offers a few choices and searches the rest on the server as one types:
a browser slows to seconds with thousands of options.

The network explorer is a Cytoscape picture (:func:`dashboards.figures.network_graph`), a search box and a
side panel.  Tapping a person shows their ties in the panel (:meth:`graph.views.Views.visible_ties`: what the
viewer's role may see, nothing more) with a link to their page; "add their ties" draws the neighbours the
panel lists; tapping a community opens it in place (its members, laid out where it was, zoomed to).  Pages wire
these functions to their own ids with ``@callback``.
"""

from __future__ import annotations

import re

import pandas as pd
from dash import ClientsideFunction, Input, Output, State, clientside_callback, dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.data import views
from dashboards.figures import (
    MAX_EDGES,
    community_key,
    edge_elements,
    highlight_style,
    network_graph,
    node_element,
    spread,
)
from dashboards.format import TABLE, person_href, words
from graph.access import Role
from graph.analytics.layout import fold_edges, place_around
from graph.analytics.targets import rank_options
from graph.errors import NotFoundError, TiegraphError
from graph.views import IntroAnswer, Views

__all__ = [
    "DUE_COLUMNS",
    "OFFERED",
    "due_rows",
    "due_table",
    "expand",
    "explorer",
    "explorer_io",
    "explorer_zoom",
    "found",
    "offer",
    "person_or_typed",
    "picker",
    "query_ids",
    "query_int",
    "query_text",
    "search_io",
    "search_options",
    "tapped",
]

OFFERED = 30
"""Choices a picker offers before one types, and at most per search."""
DUE_COLUMNS = [
    {"id": "name", "name": "Who"},
    {"id": "why", "name": "Why"},
    {"id": "last", "name": "Last contact"},
    {"id": "due_by", "name": "Due by"},
    {"id": "status", "name": "Status"},
]


def picker(label: str, control: dcc.Dropdown, *, narrow: bool = False) -> html.Div:
    """A labelled control in the row of pickers; ``narrow`` for a short choice (a year, say)."""
    return html.Div(
        [html.Label(label, className="picker-label"), control], className="picker narrow" if narrow else "picker"
    )


def offer(
    options: pd.DataFrame, values: list[str | None], *, first: list[dict] | None = None, limit: int = OFFERED
) -> list[dict[str, str]]:
    """``first``, the options naming ``values`` (as typed when unknown), then up to ``limit`` others."""
    labels = dict(zip(options["value"], options["label"], strict=True))
    out = list(first or [])
    seen = {o["value"] for o in out}
    for x in dict.fromkeys(v for v in values if v):
        if x not in seen:
            out.append({"label": labels.get(x, x), "value": x})
            seen.add(x)
    more = [{"label": lab, "value": val} for val, lab in labels.items() if val not in seen]
    return out + more[:limit]


def search_options(
    search: str | None,
    keep: list[str | None],
    options: list[dict] | None,
    *,
    people_only: bool,
    limit: int = OFFERED,
) -> list[dict]:
    """The chosen options, then up to ``limit`` that fit ``search``, best first (:func:`rank_options`).

    Whole words, exact before begun, the home program's people before alumni and
    outside people; a specialty word ("GI", "cards") offers that specialty only.

    Raises
    ------
    PreventUpdate
        Nothing typed, or the store is down: the picker keeps what it offers.
    """
    if not search or not search.strip():
        raise PreventUpdate
    try:
        with views() as v:
            found = v.target_options()
    except TiegraphError:
        raise PreventUpdate from None
    if people_only:
        found = found[found["kind"] == "person"]
    hits = rank_options(found, search.strip(), limit=limit)
    chosen = [o for o in options or [] if o["value"] in keep]
    # the browser filters what it is offered by label or ``search`` again: say what each option matched
    return [{**o, "search": search} for o in offer(hits, [], first=chosen, limit=limit)]


def person_or_typed(v: Views, query: str | None) -> str | None:
    """A name or e-mail from a hand-written link as the person's id; unknown ones as written."""
    if not query or query in v.names:
        return query
    try:
        return v.person_id(query)
    except NotFoundError:
        return query


def query_text(value: object) -> str | None:
    """One value of a URL query (the first, if repeated); None when empty."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def query_ids(value: object) -> list[str]:
    """A comma-separated URL value (or repeated values) as a list."""
    items = value if isinstance(value, list) else [value] if value else []
    return [x.strip() for item in items for x in str(item).split(",") if x.strip()]


def query_int(value: object) -> int | None:
    """A whole number from a URL query; None when missing or not a number."""
    text = query_text(value)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def due_rows(due: pd.DataFrame) -> list[dict]:
    """A stay-in-touch list (:func:`graph.analytics.stay_in_touch.due_list`) as table rows: days, ``never`` without contact."""

    def day(x: object) -> str:
        return "never" if x is None or pd.isna(x) or not str(x).strip() else str(x)[:10]  # type: ignore[arg-type]

    return [
        {
            "name": r["name"],
            "why": words(r["why"]),
            "last": day(r["last_contact"]),
            "due_by": day(r["due_by"]),
            "status": r["status"],
        }
        for r in due.to_dict("records")
    ]


def due_table(due: pd.DataFrame, id_: str) -> html.P | dash_table.DataTable:
    """A stay-in-touch list, overdue in red; a sentence when nothing is due."""
    if due.empty:
        return html.P("Nothing due: every key tie has been touched recently.", id=id_)
    return dash_table.DataTable(
        id=id_,
        columns=DUE_COLUMNS,
        data=due_rows(due),
        page_size=10,
        style_data_conditional=[
            {"if": {"filter_query": '{status} = "overdue"', "column_id": "status"}, "color": "#b00020"}
        ],
        **TABLE,
    )


# -- the explorable network ---------------------------------------------------------------------------------------
ADDED_COLOUR = "#555555"
TAP_HINT = "Tap a person to see their ties and open their page; tap a community to open it. Scroll to zoom."


def explorer(prefix: str, elements: list[dict], *, height: int = 560) -> html.Div:
    """The picture (id ``prefix``), a search box, the side panel and the focus the browser zooms to."""
    return html.Div(
        [
            html.Div(
                [
                    dcc.Input(
                        id=f"{prefix}-search",
                        type="search",
                        debounce=True,
                        placeholder="Find a name in the picture",
                        className="network-search-box",
                    ),
                    html.Span(id=f"{prefix}-found", className="hint"),
                ],
                className="network-search",
            ),
            html.Div(
                [
                    network_graph(prefix, elements, height=height),
                    html.Aside(
                        [
                            html.Div(html.P(TAP_HINT, className="hint"), id=f"{prefix}-panel"),
                            html.Button(
                                "Add their ties to the picture",
                                id=f"{prefix}-expand",
                                className="button",
                                style={"display": "none"},
                            ),
                            html.P(id=f"{prefix}-added", className="hint"),
                        ],
                        className="network-panel",
                    ),
                ],
                className="network-row",
            ),
            dcc.Store(id=f"{prefix}-focus"),
            dcc.Store(id=f"{prefix}-focused"),
            dcc.Store(id=f"{prefix}-fitted"),
        ],
        className="network-explorer",
    )


def explorer_io(prefix: str) -> list[Output | Input | State]:
    """What an explorer's tap-and-expand callback writes and reads: elements, panel, button, sentence, focus."""
    return [
        Output(prefix, "elements"),
        Output(f"{prefix}-panel", "children"),
        Output(f"{prefix}-expand", "style"),
        Output(f"{prefix}-added", "children"),
        Output(f"{prefix}-focus", "data"),
        Input(prefix, "tapNodeData"),
        Input(f"{prefix}-expand", "n_clicks"),
        State(prefix, "elements"),
    ]


def search_io(prefix: str) -> list[Output | Input | State]:
    """What an explorer's search callback writes and reads: the style, the sentence, the focus; the typed name."""
    return [
        Output(prefix, "stylesheet"),
        Output(f"{prefix}-found", "children"),
        Output(f"{prefix}-focus", "data", allow_duplicate=True),
        Input(f"{prefix}-search", "value"),
        State(prefix, "elements"),
    ]


def explorer_zoom(prefix: str) -> None:
    """Register the browser's part of an explorer: fit the picture once drawn, zoom to each focus sent to it."""
    clientside_callback(
        ClientsideFunction(namespace="tiegraph", function_name="fit"),
        Output(f"{prefix}-fitted", "data"),
        Input(prefix, "id"),
    )
    clientside_callback(
        ClientsideFunction(namespace="tiegraph", function_name="focus"),
        Output(f"{prefix}-focused", "data"),
        Input(f"{prefix}-focus", "data"),
        prevent_initial_call=True,
    )


def _tie_line(r: dict) -> html.Li:
    """A tie in the panel: full for the viewer's own ties and leadership, else the tier and the month."""
    if r["full"]:  # the reasons say how many contacts and how recent
        detail = [
            f"{r['tier']} tie ({float(r['strength']):.2f})",
            f"last contact {r['last_contact']}" if r["last_contact"] else None,
            words(r["reasons"]) if r["reasons"] else None,
        ]
    else:
        detail = [f"{r['tier']} tie", f"last contact {r['last_contact']}" if r["last_contact"] else None]
    return html.Li(
        [html.B(r["name"]), " ", html.Span(" · ".join(d for d in detail if d), className="network-tie-why")],
        className="network-tie",
    )


def _drawn(elements: list[dict]) -> tuple[dict[str, dict], set[str]]:
    nodes = {e["data"]["id"]: e for e in elements if "source" not in e["data"]}
    edges = {e["data"]["id"] for e in elements if "source" in e["data"]}
    return nodes, edges


def tapped(v: Views, node: dict, *, intro: IntroAnswer | None = None) -> tuple[list, dict]:
    """The panel for a tapped node and the style of its "add their ties" button (shown for people).

    A person: their name, a link to their page when the viewer may open it, and
    their ties as the viewer may see them.  A community: how many people it
    holds and its ten most central (it opens in the picture at the same tap).
    """
    if node.get("group"):
        return [
            html.H4(node["name"], id=f"{node.get('prefix', 'network')}-panel-name"),
            html.P(f"{node['size']} people; opened in the picture: tap one of them.", className="hint"),
        ], {"display": "none"}
    pid = node["id"]
    ties = v.visible_ties(pid, intro=intro)
    name = v.names.get(pid, node.get("name", pid))
    page = (
        dcc.Link(f"Open {name}'s page", href=person_href(pid), className="network-person-link")
        if v.may_see_person(pid)
        else html.Span("Their page is theirs and program leadership's to open.", className="hint")
    )
    lines = [_tie_line(r) for r in ties.to_dict("records")]
    seen = "" if v.viewer.is_leadership else " you may see"
    return [
        html.H4(name, className="network-person-name"),
        html.P(page),
        html.P(f"{len(lines)} {'tie' if len(lines) == 1 else 'ties'}{seen}:" if lines else f"No ties{seen}."),
        html.Ul(lines, className="network-ties"),
    ], {"display": "inline-block"} if lines else {"display": "none"}


def expand(
    v: Views, node: dict, elements: list[dict], *, intro: IntroAnswer | None = None
) -> tuple[list[dict], str, list[str]]:
    """The picture with ``node`` opened: a community's members in its place, or a person's visible ties added.

    Returns the new elements, a sentence saying what was added and the ids to zoom to.
    """
    nodes, edges = _drawn(elements)
    anchor = nodes.get(node["id"])
    if anchor is None:
        return elements, "That node is no longer in the picture.", []
    center = (anchor["position"]["x"], anchor["position"]["y"])
    if node.get("group"):  # who is in which community: the program overview's, leadership's
        v.viewer.require(Role.LEADERSHIP, Role.ADMIN, what="the program's communities")
        return _open_community(v, anchor, elements, center)
    ties = v.visible_ties(node["id"], intro=intro)
    new = [o for o in dict.fromkeys(ties["other"]) if o not in nodes]
    lines = pd.DataFrame({"a": node["id"], "b": ties["other"], "strength": ties["strength"].astype(float), "ties": 1})
    # placed by the lines shown only: where they land says nothing about ties the viewer may not see
    pos = place_around(center, new, lines, radius=60 + 12 * len(new) ** 0.5)
    added = [node_element({"id": o, "name": v.names.get(o, o)}, *pos[o], ADDED_COLOUR, 10) for o in new]
    fresh = [
        e
        for e in edge_elements(lines, top=len(lines))
        if e["data"]["id"] not in edges and f"{e['data']['target']}|{e['data']['source']}" not in edges
    ]
    said = (
        f"Added {len(new)} {'person' if len(new) == 1 else 'people'}."
        if new
        else "No one more to add: every tie you may see is drawn."
    )
    return elements + added + fresh, said, [node["id"], *new] if new else []


def _open_community(v: Views, anchor: dict, elements: list[dict], center: tuple[float, float]) -> tuple:
    """A community node replaced by its members, their ties to what is drawn folded as the picture folds them."""
    gid, key = anchor["data"]["id"], anchor["data"]["community"]
    table = v.centrality_table()
    keys = table["community"].map(community_key)
    members = table[keys == key]
    kept = [e for e in elements if gid not in (e["data"]["id"], e["data"].get("source"), e["data"].get("target"))]
    drawn, _ = _drawn(kept)
    ids = [m for m in members["id"] if m not in drawn]
    pos = place_around(center, ids, v.ties, radius=spread(len(ids)) * 0.35)
    top = float(members["pagerank"].max() or 1.0)
    colour = anchor["data"]["colour"]
    rows = members.set_index("id")
    added = [
        node_element(
            {"id": m, "name": rows.at[m, "name"]},
            *pos[m],
            colour,
            6 + 12 * (max(float(rows.at[m, "pagerank"] or 0), 0.0) / top) ** 0.5,
        )
        for m in ids
    ]
    where = pd.Series({p: p for p in [*drawn, *ids] if not drawn.get(p, {}).get("data", {}).get("group")})
    groups = {n["data"]["community"]: i for i, n in drawn.items() if n["data"].get("group")}
    folded = table[~table["id"].isin(where.index)].assign(key=keys)
    folded = folded[folded["key"].isin(groups)]
    where = pd.concat([where, pd.Series(folded["key"].map(groups).to_numpy(), index=folded["id"].to_numpy())])
    lines = fold_edges(v.ties, where)
    lines = lines[lines["a"].isin(ids) | lines["b"].isin(ids)]
    said = f"Opened {anchor['data']['name']}: {len(ids)} people drawn."
    return kept + added + edge_elements(lines, top=MAX_EDGES), said, ids


def found(elements: list[dict], typed: str | None, people: pd.DataFrame | None = None) -> tuple[list, str, list[str]]:
    """The style ringing the people whose name has every typed word as the start of one of its words.

    Someone folded into a community node (``people``: ``id, name, community`` of everyone) lights up that node.
    Returns the style, a sentence and the ids to zoom to.
    """
    words_ = [w for w in re.split(r"\s+", (typed or "").strip().lower()) if w]
    if not words_:
        return highlight_style([]), "", []

    def fits(name: str) -> bool:
        parts = re.split(r"[\s.\-']+", name.lower())
        return all(any(p.startswith(w) for p in parts) for w in words_)

    nodes, _ = _drawn(elements)
    hits = [i for i, n in nodes.items() if not n["data"].get("group") and fits(n["data"]["name"])]
    held: list[str] = []
    if people is not None and not hits:
        groups = {n["data"]["community"]: i for i, n in nodes.items() if n["data"].get("group")}
        who = people[[fits(str(x)) for x in people["name"]]]
        held = list(dict.fromkeys(groups[k] for k in who["community"].map(community_key) if k in groups))
    if hits:
        said = f"{len(hits)} in the picture: " + ", ".join(nodes[i]["data"]["name"] for i in hits[:5])
    elif held:
        said = "In " + ", ".join(nodes[i]["data"]["name"] for i in held) + ": tap it to open it."
    else:
        said = f"No one called '{typed}' in the picture."
    return highlight_style(hits + held), said, hits + held
