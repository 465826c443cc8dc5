"""Overview: how big the network is, how fresh its sources, how strong its ties, who brokers."""

from __future__ import annotations

import dash
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import dash_table, dcc, html

from dashboards.auth import current_viewer
from dashboards.data import views
from dashboards.format import TABLE, as_of_text, person_href, person_link, unavailable, when, who
from graph.access import AccessDenied
from graph.analytics.layout import network_layout
from graph.errors import TiegraphError

dash.register_page(__name__, path="/", name="Overview", title="tiegraph: overview", order=0)

MAX_NODES = 300
"""Most nodes the network drawing shows (a spring layout of more is slow and unreadable)."""
MAX_EDGES = 2000
"""Most lines the network drawing shows, the strongest (more is a grey blur and a slow page)."""
BINS = np.linspace(0, 1, 21)
COMMUNITY_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
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
            nodes, edges = network_layout(ties, table, max_nodes=MAX_NODES)
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
                    [
                        html.H3("The network by community"),
                        html.P(
                            "Each dot is a person, coloured by community; named are the top brokers, "
                            f"who link groups that otherwise barely talk. At most {MAX_NODES} people are drawn, "
                            "the most central; the rest are folded into one pale dot per community. Lines: the "
                            f"{MAX_EDGES:,} strongest ties at most. People without a drawn tie sit in a row below.",
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


def _network(nodes: pd.DataFrame, edges: pd.DataFrame) -> html.Div | dcc.Graph:
    if nodes.empty or edges.empty:
        return html.P("No ties scored yet: run `tiegraph analyze`.", id="overview-network")
    pos = nodes.set_index("id")[["x", "y"]].round(3)  # a pixel's worth; halves what the browser downloads
    edges = edges.nlargest(MAX_EDGES, "strength")
    xs = np.column_stack([pos.loc[edges["a"], "x"], pos.loc[edges["b"], "x"], np.full(len(edges), np.nan)]).ravel()
    ys = np.column_stack([pos.loc[edges["a"], "y"], pos.loc[edges["b"], "y"], np.full(len(edges), np.nan)]).ravel()
    traces: list[go.Scatter] = [
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"width": 0.6, "color": f"rgba(120,120,120,{0.6 if len(edges) < 200 else 0.25})"},
            hoverinfo="skip",
            showlegend=False,
        )
    ]
    people = nodes[~nodes["group"].astype(bool)]
    top = float(people["pagerank"].max()) if len(people) else 1.0
    sizes = people.groupby("community").size().sort_values(ascending=False)
    shown = list(sizes.index[: len(COMMUNITY_COLOURS)])
    for colour, c in zip(COMMUNITY_COLOURS, shown, strict=False):
        traces.append(_dots(nodes[nodes["community"] == c], f"{_community(c)} ({sizes[c]})", colour, top))
    rest = nodes[~nodes["community"].isin(shown)]
    if len(rest):
        traces.append(_dots(rest, "Other communities", "#999999", top))
    fig = go.Figure(traces)
    fig.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False, "range": [-1.7, 1.7]},
        yaxis={"visible": False, "scaleanchor": "x", "range": [min(-1.3, float(nodes["y"].min()) - 0.1), 1.3]},
        legend={"title": {"text": "Community (people drawn)"}, "itemsizing": "constant"},
        annotations=_callouts(people[people["label"] != ""]),
    )
    return dcc.Graph(id="overview-network", figure=fig, config={"displayModeBar": False})


def _dots(nodes: pd.DataFrame, name: str, colour: str, top: float) -> go.Scatter:
    """One community's dots, sized by PageRank; a folded dot by how many people it holds."""
    group = nodes["group"].astype(bool)
    reach = np.sqrt(nodes["pagerank"].astype(float).clip(lower=0) / (top or 1.0))
    size = np.where(group, np.minimum(28, 8 + 2 * np.sqrt(nodes["size"].astype(float))), 5 + 12 * reach)
    hover = [
        f"{n}<br>{'folded into one dot' if g else 'Brokerage ' + format(b, '.3f')}"
        for n, g, b in zip(nodes["name"], group, nodes["betweenness"].fillna(0), strict=True)
    ]
    return go.Scatter(
        x=nodes["x"],
        y=nodes["y"],
        mode="markers",
        name=name,
        marker={
            "size": size,
            "color": colour,
            "opacity": np.where(group, 0.45, 0.9),
            "line": {"width": 0.5, "color": "white"},
        },
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
    )


def _callouts(brokers: pd.DataFrame, radius: float = 1.25) -> list[dict]:
    """The top brokers' names around the drawing, each with a line to its dot.

    Brokers sit in the middle, where names would overlap; spread evenly on a
    circle, in the order of their own angle, the lines hardly cross.
    """
    if brokers.empty:
        return []
    own = np.arctan2(brokers["y"].to_numpy(float), brokers["x"].to_numpy(float))
    order = np.argsort(own)
    angles = own[order[0]] + 2 * np.pi * np.arange(len(order)) / len(order)
    out = []
    for i, angle in zip(order, angles, strict=True):
        b = brokers.iloc[i]
        cos = float(np.cos(angle))
        out.append(
            {
                "x": float(b["x"]),
                "y": float(b["y"]),
                "ax": radius * cos,
                "ay": radius * float(np.sin(angle)),
                "axref": "x",
                "ayref": "y",
                "text": str(b["name"]),
                "showarrow": True,
                "arrowhead": 0,
                "arrowwidth": 1,
                "arrowcolor": "#555",
                "xanchor": "left" if cos > 0.35 else "right" if cos < -0.35 else "center",
                "font": {"size": 12, "color": "#222"},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    return out
