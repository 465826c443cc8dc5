"""Overview: how big the network is, how fresh its sources, how strong its ties, who brokers."""

from __future__ import annotations

import dash
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from dashboards.data import views
from dashboards.format import sentence, when, who
from graph.errors import TiegraphError
from graph.layout import network_layout

dash.register_page(__name__, path="/", name="Overview", title="tiegraph: overview", order=0)

MAX_NODES = 300
"""Most nodes the network drawing shows (a spring layout of more is slow and unreadable)."""
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
CARDS = [("person", "People"), ("tie", "Ties"), ("interaction", "Interactions"), ("publication", "Publications")]
COLUMNS = [
    {"id": "name", "name": "Name"},
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
    {"id": "landed", "name": "Rows landed", "type": "numeric"},
    {"id": "quarantined", "name": "Rows quarantined", "type": "numeric"},
]


def layout(**_: object) -> html.Div:
    """Read fresh data on each visit."""
    try:
        with views() as v:
            status = v.status()
            people = v.people
            table = v.centrality_table()
            ties = v.ties
            nodes, edges = network_layout(ties, table, max_nodes=MAX_NODES)
    except TiegraphError as exc:
        return _page(html.P(f"The data store is not available: {sentence(exc)}", id="overview-message"))
    if people.empty:
        return _page(
            html.P("No people yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`.", id="overview-message")
        )
    pgy = people.set_index("id")["pgy"]
    table = table.assign(
        who=[who(k, pgy.get(i)) for k, i in zip(table["kind"], table["id"], strict=True)],
        community_label=[_community(c) for c in table["community"]],
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
                    [
                        html.H3("The network by community"),
                        html.P(
                            "Each dot is a person, coloured by community; named are the top brokers, "
                            f"who link groups that otherwise barely talk. At most {MAX_NODES} people are drawn, "
                            "the most central; the rest are folded into one dot per community.",
                            className="hint",
                        ),
                        _network(nodes, edges),
                    ],
                    className="panel",
                ),
                html.Section(
                    [
                        html.H3("People by centrality"),
                        dash_table.DataTable(
                            id="overview-people",
                            columns=COLUMNS,
                            data=table.to_dict("records"),
                            page_size=15,
                            sort_action="native",
                            filter_action="native",
                            style_cell={"textAlign": "left", "padding": "4px 8px"},
                            style_header={"fontWeight": "600"},
                        ),
                    ],
                    className="panel",
                ),
            ]
        )
    )


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Overview"), body], id="overview-main")


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
        "Never analysed: run `tiegraph analyze`." if not run else f"Last analysis {when(run['computed_at'])}."  # type: ignore[index]
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
                style_cell={"textAlign": "left", "padding": "4px 8px"},
                style_header={"fontWeight": "600"},
                style_data_conditional=[
                    {"if": {"filter_query": "{quarantined} > 0", "column_id": "quarantined"}, "color": "#b00020"}
                ],
            ),
        ]
    )


def _strength(ties: pd.DataFrame) -> html.Div | dcc.Graph:
    if ties.empty:
        return html.P("No ties scored yet: run `tiegraph analyze`.", id="overview-strength")
    fig = go.Figure(
        go.Histogram(
            x=ties["strength"],
            xbins={"start": 0, "end": 1, "size": 0.05},
            marker_color="#1f77b4",
            hovertemplate="strength %{x}<br>%{y} ties<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={"title": "Tie strength (0 = faint, 1 = close)", "range": [0, 1]},
        yaxis={"title": "Ties"},
        bargap=0.05,
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 45},
        plot_bgcolor="white",
    )
    fig.update_yaxes(gridcolor="#eee")
    return dcc.Graph(id="overview-strength", figure=fig, config={"displayModeBar": False})


def _network(nodes: pd.DataFrame, edges: pd.DataFrame) -> html.Div | dcc.Graph:
    if nodes.empty or edges.empty:
        return html.P("No ties scored yet: run `tiegraph analyze`.", id="overview-network")
    pos = nodes.set_index("id")[["x", "y"]]
    xs = np.column_stack([pos.loc[edges["a"], "x"], pos.loc[edges["b"], "x"], np.full(len(edges), np.nan)]).ravel()
    ys = np.column_stack([pos.loc[edges["a"], "y"], pos.loc[edges["b"], "y"], np.full(len(edges), np.nan)]).ravel()
    traces: list[go.Scatter] = [
        go.Scatter(x=xs, y=ys, mode="lines", line={"width": 0.8, "color": "rgba(120,120,120,0.35)"}, hoverinfo="skip")
    ]
    people = nodes[~nodes["group"].astype(bool)]
    sizes = people.groupby("community").size().sort_values(ascending=False)
    shown = [c for c in sizes.index[: len(COMMUNITY_COLOURS)]]
    for colour, c in zip(COMMUNITY_COLOURS, shown, strict=False):
        traces.append(_dots(people[people["community"] == c], f"{_community(c)} ({sizes[c]})", colour))
    rest = nodes[~nodes["id"].isin(people.loc[people["community"].isin(shown), "id"])]
    if len(rest):
        traces.append(_dots(rest, "Other communities", "#999999"))
    labelled = nodes[nodes["label"] != ""]
    traces.append(
        go.Scatter(
            x=labelled["x"],
            y=labelled["y"],
            mode="text",
            text=labelled["label"],
            textposition="top center",
            textfont={"size": 12, "color": "#222"},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig = go.Figure(traces)
    fig.update_layout(
        height=520,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        legend={"title": {"text": "Community (people)"}, "itemsizing": "constant"},
    )
    return dcc.Graph(id="overview-network", figure=fig, config={"displayModeBar": False})


def _dots(nodes: pd.DataFrame, name: str, colour: str) -> go.Scatter:
    pr = nodes["pagerank"].astype(float)
    size = np.where(nodes["group"].astype(bool), 10 + 3 * np.sqrt(nodes["size"]), 7 + 40 * np.sqrt(pr.clip(lower=0)))
    hover = [
        f"{n}<br>{'folded: ' + str(s) + ' people' if g else 'Brokerage ' + format(b, '.3f')}"
        for n, s, g, b in zip(nodes["name"], nodes["size"], nodes["group"], nodes["betweenness"].fillna(0), strict=True)
    ]
    return go.Scatter(
        x=nodes["x"],
        y=nodes["y"],
        mode="markers",
        name=name,
        marker={"size": size, "color": colour, "line": {"width": 0.5, "color": "white"}},
        text=hover,
        hovertemplate="%{text}<extra></extra>",
    )
