"""Alumni: who the program's graduates are, where, which fellowships residents reach warmly, and who bridges to them.

State lives in the URL (``/alumni?year_from=2018&year_to=2024&specialty=Cardiology&city=Boston``).
Names are for the roles that may see them (program leadership, :mod:`graph.access`);
everyone else sees where alumni are as counts, counts under 5 written ``<5``.  Two
downloads: the fellowship programs as CSV with counts under 5 written ``<5``, and
the whole report as one self-contained HTML file (:func:`dashboards.report.render_html`)
with the same figures as this page (:mod:`dashboards.figures`).
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboards.components import picker, query_int, query_text
from dashboards.data import views
from dashboards.figures import alumni_by_institution, program_reach
from dashboards.format import TABLE, unavailable, words
from dashboards.report import PROGRAM_HEADERS, program_table, render_html
from graph.analytics.alumni import REACH_LEVEL, AlumniReport
from graph.errors import TiegraphError
from graph.store.export import safe_csv_text
from graph.views import Views

dash.register_page(__name__, path="/alumni", name="Alumni", title="tiegraph: alumni", order=3)

EMPTY = "No alumni yet: ingest an alumni file (`tiegraph ingest data/sample`), then run `tiegraph analyze`."
COUNTS_ONLY = (
    "Alumni names are for program leadership. Here is where our alumni are, as counts; "
    "counts under 5 are shown as <5 so no one is identified."
)
PROGRAM_COLUMNS = [{"id": k, "name": v} for k, v in PROGRAM_HEADERS.items()]
for _c in PROGRAM_COLUMNS:
    if _c["id"] in ("alumni", "members", "residents_reach", "median_reach"):
        _c["type"] = "numeric"
NAME_COLUMNS = [
    {"id": "name", "name": "Alum"},
    {"id": "grad_year", "name": "Class of", "type": "numeric"},
    {"id": "role", "name": "Position"},
    {"id": "specialty", "name": "Specialty"},
    {"id": "institution", "name": "Institution"},
    {"id": "city", "name": "City"},
    {"id": "program", "name": "Fellowship program"},
    {"id": "warmest_resident", "name": "Warmest resident"},
    {"id": "via", "name": "Introduced by"},
    {"id": "probability", "name": "Chance of the introduction", "type": "numeric", "format": {"specifier": ".2f"}},
]
BRIDGE_COLUMNS = [
    {"id": "resident", "name": "Resident"},
    {"id": "alumnus", "name": "Alum"},
    {"id": "strength", "name": "Tie strength", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "last_contact", "name": "Last contact"},
    {"id": "reasons", "name": "Why"},
]
REACH_HINT = (
    f"Residents who reach them warmly: current residents whose best introduction path to one of the program's "
    f"fellows or faculty has at least a {REACH_LEVEL:.0%} chance (the product of the tie strengths along it). "
    "Median chance: the middle resident's best path. Strongest bridges: the people (faculty or residents) "
    "through whom most of those best paths run."
)


def layout(**query: object) -> html.Div:
    """The filters, filled from the URL; the report comes from :func:`show_report`."""
    year_from, year_to = query_int(query.get("year_from")), query_int(query.get("year_to"))
    specialty, city = query_text(query.get("specialty")), query_text(query.get("city"))
    try:
        with views() as v:
            if not v.viewer.is_leadership:
                return _page(counts_view(v))
            every = v.alumni_report(reach=False)  # the filters need who and where only
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc), id="alumni-message"))
    if every.alumni.empty:
        return _page(html.P(EMPTY, id="alumni-message"))
    years = sorted(int(y) for y in every.alumni["grad_year"].dropna().unique())
    specialties = sorted(every.alumni["specialty"].dropna().unique())
    cities = sorted(c for c in every.alumni["city"].dropna().unique() if c)
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
                        picker("City", dcc.Dropdown(cities, city, id="alumni-city", placeholder="Every city")),
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
                        html.H3("Our alumni, by name"),
                        html.P(
                            "Each alum with the resident who reaches them most warmly and who would introduce them.",
                            className="hint",
                        ),
                        dash_table.DataTable(
                            id="alumni-names",
                            columns=NAME_COLUMNS,
                            sort_action="native",
                            filter_action="native",
                            page_size=15,
                            **TABLE,
                        ),
                    ],
                    className="panel",
                ),
                html.Section(
                    [
                        html.H3("Fellowship programs with our alumni"),
                        html.P(REACH_HINT, className="hint"),
                        dash_table.DataTable(
                            id="alumni-programs", columns=PROGRAM_COLUMNS, sort_action="native", page_size=10, **TABLE
                        ),
                        dcc.Graph(id="alumni-reach", config={"displayModeBar": False}),
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


def counts_view(v: Views) -> html.Div:
    """What a resident or mentor sees: where alumni are, as counts with small cells hidden; no names."""
    counts = v.alumni_counts()
    cols = {"program": "Fellowship program", "institution": "Institution", "specialty": "Specialty"}
    cols |= {"alumni": "Our alumni there"}
    return html.Div(
        [
            html.P(COUNTS_ONLY, id="alumni-message", className="hint"),
            html.Section(
                [
                    html.H3("Fellowship programs with our alumni"),
                    dash_table.DataTable(
                        id="alumni-counts",
                        columns=[{"id": k, "name": n} for k, n in cols.items()],
                        data=counts["programs"].to_dict("records"),
                        sort_action="native",
                        page_size=15,
                        **TABLE,
                    ),
                ],
                className="panel",
            ),
        ]
    )


@callback(
    Output("alumni-by-institution", "figure"),
    Output("alumni-names", "data"),
    Output("alumni-programs", "data"),
    Output("alumni-bridges", "data"),
    Output("alumni-message", "children"),
    Output("alumni-url", "search"),
    Output("alumni-reach", "figure"),
    Input("alumni-year-from", "value"),
    Input("alumni-year-to", "value"),
    Input("alumni-specialty", "value"),
    Input("alumni-city", "value"),
)
def show_report(
    year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None
) -> tuple[go.Figure, list[dict], list[dict], list[dict], str, str, go.Figure]:
    """The report for the chosen classes, specialty and city; the URL follows the filters."""
    search = search_for(year_from, year_to, specialty, city)
    try:
        report = _report(year_from, year_to, specialty, city)
    except TiegraphError as exc:
        return go.Figure(), [], [], [], unavailable(exc), search, go.Figure()
    programs = report.programs.assign(
        bridges=[", ".join(f"{n} ({k})" for n, k in b) for b in report.programs["bridges"]]
    )
    return (
        alumni_by_institution(report.alumni),
        _records(report.alumni.drop(columns=["id"])),
        _records(programs[list(PROGRAM_HEADERS)]),
        _records(report.bridges.drop(columns=["resident_id"]).assign(reasons=report.bridges["reasons"].map(words))),
        summary(report, year_from, year_to, specialty, city),
        search,
        program_reach(report.programs, report.level) if not report.programs.empty else go.Figure(),
    )


@callback(
    Output("alumni-csv", "data"),
    Output("alumni-download-message", "children", allow_duplicate=True),
    Input("alumni-csv-button", "n_clicks"),
    State("alumni-year-from", "value"),
    State("alumni-year-to", "value"),
    State("alumni-specialty", "value"),
    State("alumni-city", "value"),
    prevent_initial_call=True,
)
def download_csv(
    _clicks: int | None, year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None
) -> tuple[dict | None, str]:
    """The fellowship programs table as CSV, counts under 5 written ``<5``."""
    try:
        report = _report(year_from, year_to, specialty, city)
    except TiegraphError as exc:
        return None, unavailable(exc)
    name = _filename("alumni-programs", year_from, year_to, specialty, city, "csv")
    return dcc.send_string(safe_csv_text(program_table(report.programs)), name), ""


@callback(
    Output("alumni-html", "data"),
    Output("alumni-download-message", "children", allow_duplicate=True),
    Input("alumni-html-button", "n_clicks"),
    State("alumni-year-from", "value"),
    State("alumni-year-to", "value"),
    State("alumni-specialty", "value"),
    State("alumni-city", "value"),
    prevent_initial_call=True,
)
def download_html(
    _clicks: int | None, year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None
) -> tuple[dict | None, str]:
    """The whole report as one self-contained HTML file (plotly.js inlined, small counts hidden)."""
    try:
        report = _report(year_from, year_to, specialty, city)
    except TiegraphError as exc:
        return None, unavailable(exc)
    title = "Alumni network report" + _scope(year_from, year_to, specialty, city)
    name = _filename("alumni-report", year_from, year_to, specialty, city, "html")
    return dcc.send_string(render_html(report, title=title), name), ""


def search_for(year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None) -> str:
    """The URL query that reopens this view."""
    query = {"year_from": year_from, "year_to": year_to, "specialty": specialty, "city": city}
    kept = {k: v for k, v in query.items() if v not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def summary(
    report: AlumniReport, year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None
) -> str:
    """One sentence: how many alumni, where, and how many residents."""
    n = len(report.alumni)
    if n == 0:
        return f"No alumni{_scope(year_from, year_to, specialty, city)}."
    places = report.alumni["institution"].nunique()
    return (
        f"{n:,} {'alum' if n == 1 else 'alumni'}{_scope(year_from, year_to, specialty, city)} at {places:,} "
        f"{'institution' if places == 1 else 'institutions'}; {report.residents:,} current residents; "
        f"{len(report.programs):,} fellowship programs with our alumni."
    )


def by_institution(alumni: pd.DataFrame) -> go.Figure:
    """Alumni per institution (:func:`dashboards.figures.alumni_by_institution`)."""
    return alumni_by_institution(alumni)


def _report(year_from: int | None, year_to: int | None, specialty: str | None, city: str | None) -> AlumniReport:
    with views() as v:
        return v.alumni_report(year_from=year_from, year_to=year_to, specialty=specialty or None, city=city or None)


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _scope(year_from: int | None, year_to: int | None, specialty: str | None, city: str | None = None) -> str:
    years = (
        f" of the classes {year_from}–{year_to}"
        if year_from is not None and year_to is not None
        else f" of the classes from {year_from}"
        if year_from is not None
        else f" of the classes up to {year_to}"
        if year_to is not None
        else ""
    )
    return years + (f" in {specialty}" if specialty else "") + (f" in {city}" if city else "")


def _filename(
    stem: str, year_from: int | None, year_to: int | None, specialty: str | None, city: str | None, ext: str
) -> str:
    parts = [stem, *(str(x) for x in (year_from, year_to) if x is not None)]
    for text in (specialty, city):
        if text:
            parts.append("".join(c if c.isalnum() else "-" for c in text.lower()))
    return "-".join(parts) + "." + ext


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Alumni network"), body], id="alumni-main")
