"""Overview: how big the network is, how fresh its sources, how strong its ties, who brokers."""

from __future__ import annotations

import dash
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import callback, ctx, dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.auth import current_viewer
from dashboards.components import expand, explorer, explorer_io, explorer_zoom, found, search_io, tapped
from dashboards.data import views
from dashboards.figures import MAX_EDGES, network_elements
from dashboards.format import TABLE, as_of_text, person_href, person_link, unavailable, when, who
from graph.access import AccessDenied, Role
from graph.analytics.layout import AGGREGATE_ABOVE, network_picture
from graph.errors import TiegraphError

dash.register_page(__name__, path="/", name="Overview", title="tiegraph: overview", order=0)

NETWORK = "overview-network"
BINS = np.linspace(0, 1, 21)
CARDS = [("person", "People"), ("tie", "Ties"), ("interaction", "Interactions"), ("publication", "Publications")]
COLUMNS = [
    {"id": "name", "name": "Name", "presentation": "markdown"},
    {"id": "who", "name": "Who"},
    {"id": "role", "name": "Role"},
    {"id": "degree", "name": "Ties"},
    {"id": "pagerank", "name": "Reach (PageRank)", "type": "numeric", "format": {"specifier": ".3f"}},
    {"id": "betweenness", "name": "Brokerage (betweenness)", "type": "numeric", "format": {"specifier": ".3f"}},
    {"id": "community_label", "name": "Community"},
]
SOURCE_COLUMNS = [
    {"id": "file", "name": "Source"},
    {"id": "kind", "name": "Kind"},
    {"id": "last_ingest", "name": "Last ingest"},
    {"id": "landed", "name": "Landed", "type": "numeric"},
    {"id": "quarantined", "name": "Quarantined", "type": "numeric"},
]


def layout(**_: object) -> html.Div:
    """Read fresh data on each visit."""
    try:
        with views() as v:
            status = v.status()
            people = v.people
            table = v.centrality_table()
            ties = v.ties
            nodes, edges, aggregated = network_picture(ties, table, aggregate_above=AGGREGATE_ABOVE)
    except AccessDenied:
        return _page(_yours())
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc), id="overview-message"))
    if people.empty:
        return _page(
            html.P("No people yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`.", id="overview-message")
        )
    pgy = people.set_index("id")["pgy"]
    table = table.assign(
        who=[who(k, pgy.get(i)) for k, i in zip(table["kind"], table["id"], strict=True)],
        community_label=[_community(c) for c in table["community"]],
        name=[person_link(n, i) for n, i in zip(table["name"], table["id"], strict=True)],
    )
    return _page(
        html.Div(
            [
                _cards(status["counts"], int((people["kind"] == "alumnus").sum())),  # type: ignore[arg-type]
                html.Div(
                    [
                        html.Section([html.H3("How strong are the ties?"), _strength(ties)], className="panel"),
                        html.Section(
                            [html.H3("Sources"), _freshness(status)],  # type: ignore[arg-type]
                            className="panel",
                        ),
                    ],
                    className="row",
                ),
                html.Section(
                    [html.H3("The network by community"), _network_hint(aggregated), _network(nodes, edges)],
                    className="panel",
                ),
                html.Section(
                    [
                        html.H3("People by centrality"),
                        dash_table.DataTable(
                            id="overview-people",
                            columns=COLUMNS,
                            data=table[[c["id"] for c in COLUMNS]].round(4).to_dict("records"),
                            page_size=15,
                            sort_action="native",
                            filter_action="native",
                            markdown_options={"link_target": "_self"},
                            **TABLE,
                        ),
                    ],
                    className="panel",
                ),
            ]
        )
    )


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Overview"), body], id="overview-main")


def _yours() -> html.Div:
    """What a resident or mentor sees instead of the program overview: links to their own pages."""
    me = current_viewer().person
    links = (
        [
            dcc.Link("your mentorship network", href=f"/mentorship?person={me}"),
            ", ",
            dcc.Link("your ties, timeline and what is due", href=person_href(me)),
            " and ",
            dcc.Link("warm introductions from you", href=f"/intro-paths?from={me}"),
            ".",
        ]
        if me
        else []
    )
    return html.Div(
        [
            html.P("The program overview is for program leadership.", id="overview-message"),
            html.P(["See ", *links] if links else "Ask your program for an account linked to you.", className="hint"),
        ]
    )


def _community(c: object) -> str:
    return "" if c is None or pd.isna(c) else f"Community {int(c) + 1}"  # type: ignore[call-overload]


def _cards(counts: dict[str, int], alumni: int) -> html.Div:
    items = [(label, counts.get(kind, 0)) for kind, label in CARDS] + [("Alumni", alumni)]
    return html.Div(
        [
            html.Div(
                [html.Div(f"{n:,}", className="card-value"), html.Div(label, className="card-label")], className="card"
            )
            for label, n in items
        ],
        className="cards",
        id="overview-counts",
    )


def _freshness(status: dict[str, object]) -> html.Div:
    ingests = pd.DataFrame(status["ingests"])  # type: ignore[arg-type]
    run = status["last_analysis"]
    analysed = (
        "Never analysed: run `tiegraph analyze`."
        if not isinstance(run, dict)
        else f"Last analysis {when(run['computed_at'])}. {as_of_text(run.get('as_of'))}".strip()
    )
    if ingests.empty:
        return html.Div([html.P("Nothing ingested yet.", id="overview-sources"), html.P(analysed)])
    latest = ingests.sort_values("finished_at", ascending=False).drop_duplicates("file")
    latest = latest.assign(last_ingest=[when(t) for t in latest["finished_at"]])
    return html.Div(
        [
            html.P(analysed, className="hint"),
            dash_table.DataTable(
                id="overview-sources",
                columns=SOURCE_COLUMNS,
                data=latest.to_dict("records"),
                page_size=8,
                **TABLE,
                style_data_conditional=[
                    {"if": {"filter_query": "{quarantined} > 0", "column_id": "quarantined"}, "color": "#b00020"}
                ],
            ),
        ]
    )


def _strength(ties: pd.DataFrame) -> html.Div | dcc.Graph:
    if ties.empty:
        return html.P("No ties scored yet: run `tiegraph analyze`.", id="overview-strength")
    counts, _ = np.histogram(ties["strength"].clip(0, 1), bins=BINS)  # binned here: 20 bars, not every tie
    fig = go.Figure(
        go.Bar(
            x=(BINS[:-1] + BINS[1:]) / 2,
            y=counts,
            width=0.045,
            marker_color="#1f77b4",
            customdata=np.column_stack([BINS[:-1], BINS[1:]]),
            hovertemplate="strength %{customdata[0]:.2f} to %{customdata[1]:.2f}<br>%{y} ties<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": "Tie strength (0 = faint, 1 = close)", "range": [0, 1]},
        yaxis={"title": "Ties"},
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 45},
        plot_bgcolor="white",
    )
    fig.update_yaxes(gridcolor="#eee")
    return dcc.Graph(id="overview-strength", figure=fig, config={"displayModeBar": False})


def _network_hint(aggregated: bool) -> html.P:
    drawn = (
        f"Over {AGGREGATE_ABOVE} people: each box is a community, sized by its members, its lines summing "
        "the ties between them; tap one to open it."
        if aggregated
        else "Each dot is a person, sized by reach and coloured by community; named are the top brokers, "
        "who link groups that otherwise barely talk (zoom in for everyone's name)."
    )
    return html.P(
        f"{drawn} Lines: the {MAX_EDGES:,} strongest at most. People without a drawn tie sit in rows below.",
        className="hint",
    )


def _network(nodes: pd.DataFrame, edges: pd.DataFrame) -> html.Div | html.P:
    if nodes.empty or edges.empty:
        return html.P("No ties scored yet: run `tiegraph analyze`.", id=NETWORK)
    return explorer(NETWORK, network_elements(nodes, edges))


@callback(
    *explorer_io(NETWORK),
    prevent_initial_call=True,
)
def explore(node: dict | None, _: int | None, elements: list[dict]) -> tuple:
    """A tapped person's ties in the panel; a tapped community, or "add their ties", drawn into the picture."""
    if not node:
        raise PreventUpdate
    keep = dash.no_update
    try:
        with views() as v:
            if ctx.triggered_id == f"{NETWORK}-expand":
                new, said, focus = expand(v, node, elements)
                return new, keep, keep, said, {"graph": NETWORK, "ids": focus}
            panel, style = tapped(v, node)
            if not node.get("group"):
                return keep, panel, style, "", keep
            new, said, focus = expand(v, node, elements)
            return new, panel, style, said, {"graph": NETWORK, "ids": focus}
    except TiegraphError as exc:
        return keep, html.P(unavailable(exc)), {"display": "none"}, "", keep


@callback(
    *search_io(NETWORK),
    prevent_initial_call=True,
)
def search(typed: str | None, elements: list[dict]) -> tuple:
    """Ring and zoom to the people whose name fits what was typed (or the community node that holds them)."""
    try:
        with views() as v:
            v.viewer.require(Role.LEADERSHIP, Role.ADMIN, what="the program overview")
            people = v.centrality_table()[["id", "name", "community"]]
    except TiegraphError as exc:
        return dash.no_update, unavailable(exc), dash.no_update
    style, said, ids = found(elements, typed, people)
    return style, said, {"graph": NETWORK, "ids": ids}


explorer_zoom(NETWORK)
