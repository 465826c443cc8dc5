"""Fellowship shortlist: which programs of a resident's specialty to aim for, from the network and the papers.

``/shortlist?person=<id>&specialty=Gastroenterology``.  Residents see their own;
program leadership anyone's.  The ranking is
:func:`graph.analytics.shortlist.fellowship_shortlist`; each row shows its
three reasons (warm reach, alumni there, research fit); the table downloads as CSV.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboards.components import picker, query_text
from dashboards.data import views
from dashboards.format import TABLE, unavailable
from graph.analytics.shortlist import ShortlistReason
from graph.errors import TiegraphError
from graph.store.export import safe_csv_text

dash.register_page(__name__, path="/shortlist", name="Shortlist", title="tiegraph: fellowship shortlist", order=6)

NOT_YOURS = "This is someone else's shortlist: only they, their mentors and program leadership see it."
EMPTY = "No residents yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`."
COLUMNS = [
    {"id": "rank", "name": "Rank", "type": "numeric"},
    {"id": "program", "name": "Fellowship program"},
    {"id": "city", "name": "City"},
    {"id": "score", "name": "Overall (of 1)", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "reach", "name": "Warm reach: best introduction path"},
    {"id": "alumni", "name": "Our alumni there"},
    {"id": "research_fit", "name": "Research fit (shared MeSH topics)"},
]
HOW = (
    "Overall: warm reach 50% (the chance of the best introduction path to one of the program's people), "
    "alumni there 25% (three or more count fully), research fit 25% (TF-IDF cosine of your papers' MeSH "
    "headings and the program people's)."
)


def layout(**query: object) -> html.Div:
    """Resident and specialty pickers, filled from the URL; the table comes from :func:`show_shortlist`."""
    person, specialty = query_text(query.get("person")), query_text(query.get("specialty"))
    try:
        with views() as v:
            residents = v.pickable_residents()
            if not v.viewer.is_leadership:
                person = person or v.viewer.person
            specialties = v.fellowship_specialties()
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc, refused=NOT_YOURS), id="shortlist-message"))
    if residents.empty:
        return _page(html.P(EMPTY, id="shortlist-message"))
    options = [{"label": n, "value": i} for i, n in zip(residents["id"], residents["name"], strict=True)]
    return _page(
        html.Div(
            [
                dcc.Location(id="shortlist-url", refresh=False),
                html.Div(
                    [
                        picker(
                            "Resident",
                            dcc.Dropdown(options, person, id="shortlist-person", placeholder="Pick a resident"),
                        ),
                        picker(
                            "Specialty of interest",
                            dcc.Dropdown(
                                specialties, specialty, id="shortlist-specialty", placeholder="The resident's own"
                            ),
                        ),
                    ],
                    className="pickers",
                ),
                html.P(id="shortlist-message", className="message"),
                html.Div(
                    [html.Button("Shortlist (CSV)", id="shortlist-csv-button", className="button")],
                    className="buttons",
                ),
                dcc.Download(id="shortlist-csv"),
                html.Section(
                    [
                        html.P(HOW, className="hint"),
                        dash_table.DataTable(id="shortlist-table", columns=COLUMNS, page_size=15, **TABLE),
                    ],
                    className="panel",
                ),
            ]
        )
    )


@callback(
    Output("shortlist-table", "data"),
    Output("shortlist-message", "children"),
    Output("shortlist-url", "search"),
    Input("shortlist-person", "value"),
    Input("shortlist-specialty", "value"),
)
def show_shortlist(person: str | None, specialty: str | None) -> tuple[list[dict], str, str]:
    """The ranked programs with their three reasons; the URL follows the pickers."""
    query = {k: v for k, v in {"person": person, "specialty": specialty}.items() if v}
    search = "?" + urlencode(query) if query else ""
    if not person:
        return [], "Pick a resident.", search
    try:
        rows = shortlist_rows(person, specialty)
    except TiegraphError as exc:
        return [], unavailable(exc, refused=NOT_YOURS), search
    if not rows:
        return [], "No fellowship programs of that specialty in the data yet.", search
    return rows, f"{len(rows)} fellowship programs, the best first.", search


@callback(
    Output("shortlist-csv", "data"),
    Input("shortlist-csv-button", "n_clicks"),
    State("shortlist-person", "value"),
    State("shortlist-specialty", "value"),
    prevent_initial_call=True,
)
def download_csv(_clicks: int | None, person: str | None, specialty: str | None) -> dict | None:
    """The shortlist as CSV, in the table's words."""
    import pandas as pd

    if not person:
        return None
    try:
        rows = shortlist_rows(person, specialty)
    except TiegraphError:
        return None
    table = pd.DataFrame(rows, columns=[c["id"] for c in COLUMNS]).rename(columns={c["id"]: c["name"] for c in COLUMNS})
    return dcc.send_string(safe_csv_text(table), "fellowship-shortlist.csv")


def shortlist_rows(person: str, specialty: str | None) -> list[dict]:
    """The shortlist as table rows, each reason in words."""
    with views() as v:
        frame = v.shortlist(person, specialty=specialty or None)
    rows = []
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        said = {x.kind: say(x) for x in r.reasons}
        rows.append({"rank": i, "program": r.program, "city": r.city, "score": r.score, **said})
    return rows


def say(reason: ShortlistReason) -> str:
    """One reason in words: the one place the shortlist's reasons are put into sentences."""
    if reason.kind == "reach":
        if reason.value == 0:
            return "no warm path yet"
        return f"{reason.value:.0%} chance" + (f", via {' → '.join(reason.people)}" if reason.people else "")
    if reason.kind == "alumni":
        return f"{reason.value:.0f}" + (f": {', '.join(reason.people)}" if reason.people else "")
    return f"{reason.value:.2f}" + (f": {', '.join(reason.people)}" if reason.people else "; no shared topics")


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Fellowship shortlist"), body], id="shortlist-main")
