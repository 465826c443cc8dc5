"""Overview: people ranked by centrality."""

from __future__ import annotations

import dash
from dash import dash_table, html

from dashboards.data import views
from graph.errors import TiegraphError

dash.register_page(__name__, path="/", name="Overview", title="tiegraph: overview")

COLUMNS = [
    {"id": "name", "name": "Name"},
    {"id": "kind", "name": "Who"},
    {"id": "role", "name": "Role"},
    {"id": "degree", "name": "Ties"},
    {"id": "pagerank", "name": "PageRank", "type": "numeric", "format": {"specifier": ".4f"}},
    {"id": "betweenness", "name": "Brokerage (betweenness)", "type": "numeric", "format": {"specifier": ".4f"}},
]


def layout(**_: object) -> html.Div:
    """Read fresh data on each visit."""
    try:
        with views() as v:
            table = v.centrality_table()
    except TiegraphError as exc:
        return html.Div([html.H2("Overview"), html.P(f"The data store is not available: {exc}", id="overview-error")])
    if table.empty:
        return html.Div(
            [html.H2("Overview"), html.P("No people yet: run `tiegraph ingest data/sample`.", id="overview-empty")]
        )
    return html.Div(
        [
            html.H2("People by centrality"),
            dash_table.DataTable(
                id="overview-people",
                columns=COLUMNS,
                data=table.to_dict("records"),
                page_size=25,
                sort_action="native",
                filter_action="native",
            ),
        ]
    )
