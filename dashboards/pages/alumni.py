"""Alumni: where the program's graduates are, which fellowships they reach, and who bridges to them.

State lives in the URL (``/alumni?year_from=2018&year_to=2024&specialty=Cardiology``).
Program leadership only (:mod:`graph.access`).  Two downloads: the fellowship
programs as CSV with counts under 5 written ``<5``, and the whole report as one
self-contained HTML file (:func:`graph.analytics.alumni.render_html`).
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboards.components import picker, query_int, query_text
from dashboards.data import views
from dashboards.format import TABLE, unavailable, words
from graph.analytics.alumni import AlumniReport, render_html, suppress_small
from graph.errors import TiegraphError
from graph.store.export import safe_csv_text

dash.register_page(__name__, path="/alumni", name="Alumni", title="tiegraph: alumni", order=3, audience="leadership")

TOP_INSTITUTIONS = 25
SPECIALTY_COLOURS = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
]
NOT_RECORDED = "not recorded"
EMPTY = "No alumni yet: ingest an alumni file (`tiegraph ingest data/sample`), then run `tiegraph analyze`."
PROGRAM_COLUMNS = [
    {"id": "program", "name": "Fellowship program"},
    {"id": "institution", "name": "Institution"},
    {"id": "specialty", "name": "Specialty"},
    {"id": "alumni", "name": "Our alumni there", "type": "numeric"},
    {"id": "members", "name": "Fellows and faculty", "type": "numeric"},
    {"id": "residents_within_2", "name": "Residents within 2 ties", "type": "numeric"},
]
BRIDGE_COLUMNS = [
    {"id": "resident", "name": "Resident"},
    {"id": "alumnus", "name": "Alum"},
    {"id": "strength", "name": "Tie strength", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "last_contact", "name": "Last contact"},
    {"id": "reasons", "name": "Why"},
]
COUNTS = ["alumni", "members", "residents_within_2"]


def layout(**query: object) -> html.Div:
    """The filters, filled from the URL; the report comes from :func:`show_report`."""
    year_from, year_to = query_int(query.get("year_from")), query_int(query.get("year_to"))
    specialty = query_text(query.get("specialty"))
    try:
        with views() as v:
            every = v.alumni_report()
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc), id="alumni-message"))
    if every.alumni.empty:
        return _page(html.P(EMPTY, id="alumni-message"))
    years = sorted(int(y) for y in every.alumni["grad_year"].dropna().unique())
    specialties = sorted(every.alumni["specialty"].dropna().unique())
    year_options = [{"label": str(y), "value": y} for y in years]
    return _page(
        html.Div(
            [
                dcc.Location(id="alumni-url", refresh=False),
                html.Div(
                    [
                        picker(
                            "Class of, from",
                            dcc.Dropdown(year_options, year_from, id="alumni-year-from", placeholder="The first class"),
                            narrow=True,
                        ),
                        picker(
                            "to",
                            dcc.Dropdown(year_options, year_to, id="alumni-year-to", placeholder="The latest class"),
                            narrow=True,
                        ),
                        picker(
                            "Specialty",
                            dcc.Dropdown(specialties, specialty, id="alumni-specialty", placeholder="Every specialty"),
                        ),
                    ],
                    className="pickers",
                ),
                html.P(id="alumni-message", className="message"),
                html.Div(
                    [
                        html.Button("Programs table (CSV)", id="alumni-csv-button", className="button"),
                        html.Button("Whole report (HTML)", id="alumni-html-button", className="button"),
                        html.Span(
                            "Downloads write counts under 5 as <5, so no one is identified from a count.",
                            className="hint",
                        ),
                    ],
                    className="buttons",
                ),
                html.P(id="alumni-download-message", className="message"),
                dcc.Download(id="alumni-csv"),
                dcc.Download(id="alumni-html"),
                html.Section(
                    [
                        html.H3("Where our alumni are, by institution and specialty"),
                        dcc.Graph(id="alumni-by-institution", config={"displayModeBar": False}),
                    ],
                    className="panel",
                ),
                html.Section(
                    [
                        html.H3("Fellowship programs with our alumni"),
                        html.P(
                            "Residents within 2 ties: current residents who know a fellow or faculty member of the "
                            "program, or know someone who does.",
                            className="hint",
                        ),
                        dash_table.DataTable(
                            id="alumni-programs", columns=PROGRAM_COLUMNS, sort_action="native", page_size=10, **TABLE
                        ),
                    ],
                    className="panel",
                ),
                html.Section(
                    [
                        html.H3("Strongest resident–alumni ties"),
                        html.P("Bridges a resident can use today to reach the alumni network.", className="hint"),
                        dash_table.DataTable(
                            id="alumni-bridges", columns=BRIDGE_COLUMNS, sort_action="native", page_size=10, **TABLE
                        ),
                    ],
                    className="panel",
                ),
            ]
        )
    )


@callback(
    Output("alumni-by-institution", "figure"),
    Output("alumni-programs", "data"),
    Output("alumni-bridges", "data"),
    Output("alumni-message", "children"),
    Output("alumni-url", "search"),
    Input("alumni-year-from", "value"),
    Input("alumni-year-to", "value"),
    Input("alumni-specialty", "value"),
)
def show_report(
    year_from: int | None, year_to: int | None, specialty: str | None
) -> tuple[go.Figure, list[dict], list[dict], str, str]:
    """The report for the chosen classes and specialty; the URL follows the filters."""
    search = search_for(year_from, year_to, specialty)
    try:
        report = _report(year_from, year_to, specialty)
    except TiegraphError as exc:
        return go.Figure(), [], [], unavailable(exc), search
    return (
        by_institution(report.alumni),
        _records(report.programs),
        _records(report.bridges.assign(reasons=report.bridges["reasons"].map(words))),
        summary(report, year_from, year_to, specialty),
        search,
    )


@callback(
    Output("alumni-csv", "data"),
    Output("alumni-download-message", "children", allow_duplicate=True),
    Input("alumni-csv-button", "n_clicks"),
    State("alumni-year-from", "value"),
    State("alumni-year-to", "value"),
    State("alumni-specialty", "value"),
    prevent_initial_call=True,
)
def download_csv(
    _clicks: int | None, year_from: int | None, year_to: int | None, specialty: str | None
) -> tuple[dict | None, str]:
    """The fellowship programs table as CSV, counts under 5 written ``<5``."""
    try:
        report = _report(year_from, year_to, specialty)
    except TiegraphError as exc:
        return None, unavailable(exc)
    programs = report.programs.rename(columns=lambda c: "residents_within_2" if c.startswith("residents_within") else c)
    table = suppress_small(programs, COUNTS).rename(columns={c["id"]: c["name"] for c in PROGRAM_COLUMNS})
    name = _filename("alumni-programs", year_from, year_to, specialty, "csv")
    return dcc.send_string(safe_csv_text(table), name), ""


@callback(
    Output("alumni-html", "data"),
    Output("alumni-download-message", "children", allow_duplicate=True),
    Input("alumni-html-button", "n_clicks"),
    State("alumni-year-from", "value"),
    State("alumni-year-to", "value"),
    State("alumni-specialty", "value"),
    prevent_initial_call=True,
)
def download_html(
    _clicks: int | None, year_from: int | None, year_to: int | None, specialty: str | None
) -> tuple[dict | None, str]:
    """The whole report as one self-contained HTML file (plotly.js inlined, small counts hidden)."""
    try:
        report = _report(year_from, year_to, specialty)
    except TiegraphError as exc:
        return None, unavailable(exc)
    title = "Alumni network report" + _scope(year_from, year_to, specialty)
    name = _filename("alumni-report", year_from, year_to, specialty, "html")
    return dcc.send_string(render_html(report, title=title), name), ""


def search_for(year_from: int | None, year_to: int | None, specialty: str | None) -> str:
    """The URL query that reopens this view."""
    query = {"year_from": year_from, "year_to": year_to, "specialty": specialty}
    kept = {k: v for k, v in query.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def summary(report: AlumniReport, year_from: int | None, year_to: int | None, specialty: str | None) -> str:
    """One sentence: how many alumni, where, and how many residents."""
    n = len(report.alumni)
    if n == 0:
        return f"No alumni{_scope(year_from, year_to, specialty)}."
    places = report.alumni["institution"].nunique()
    return (
        f"{n:,} {'alum' if n == 1 else 'alumni'}{_scope(year_from, year_to, specialty)} at {places:,} "
        f"{'institution' if places == 1 else 'institutions'}; {report.residents:,} current residents; "
        f"{len(report.programs):,} fellowship programs with our alumni."
    )


def by_institution(alumni: pd.DataFrame) -> go.Figure:
    """Alumni per institution (the most first), each bar split by specialty."""
    counts = (
        alumni.assign(
            institution=alumni["institution"].fillna(NOT_RECORDED), specialty=alumni["specialty"].fillna(NOT_RECORDED)
        )
        .groupby(["institution", "specialty"])
        .size()
        .rename("alumni")
        .reset_index()
    )
    totals = counts.groupby("institution")["alumni"].sum().sort_values(ascending=False).head(TOP_INSTITUTIONS)
    counts = counts[counts["institution"].isin(totals.index)]
    order = list(totals.index[::-1])  # the most at the top
    specialties = counts.groupby("specialty")["alumni"].sum().sort_values(ascending=False).index
    fig = go.Figure(
        [
            go.Bar(
                y=counts.loc[counts["specialty"] == s, "institution"],
                x=counts.loc[counts["specialty"] == s, "alumni"],
                name=s,
                orientation="h",
                marker_color=SPECIALTY_COLOURS[i % len(SPECIALTY_COLOURS)] if s != NOT_RECORDED else "#cccccc",
                hovertemplate="%{y}<br>" + s + ": %{x}<extra></extra>",
            )
            for i, s in enumerate(specialties)
        ]
    )
    fig.update_layout(
        barmode="stack",
        height=140 + 26 * len(order),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
        xaxis={"title": "Alumni", "gridcolor": "#eee"},
        yaxis={"categoryorder": "array", "categoryarray": order, "automargin": True},
        legend={"title": {"text": "Specialty"}},
    )
    return fig


def _report(year_from: int | None, year_to: int | None, specialty: str | None) -> AlumniReport:
    with views() as v:
        return v.alumni_report(year_from=year_from, year_to=year_to, specialty=specialty or None)


def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.rename(columns=lambda c: "residents_within_2" if str(c).startswith("residents_within") else c)
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _scope(year_from: int | None, year_to: int | None, specialty: str | None) -> str:
    years = (
        f" of the classes {year_from}–{year_to}"
        if year_from is not None and year_to is not None
        else f" of the classes from {year_from}"
        if year_from is not None
        else f" of the classes up to {year_to}"
        if year_to is not None
        else ""
    )
    return years + (f" in {specialty}" if specialty else "")


def _filename(stem: str, year_from: int | None, year_to: int | None, specialty: str | None, ext: str) -> str:
    parts = [stem, *(str(x) for x in (year_from, year_to) if x is not None)]
    if specialty:
        parts.append("".join(c if c.isalnum() else "-" for c in specialty.lower()))
    return "-".join(parts) + "." + ext


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Alumni network"), body], id="alumni-main")
