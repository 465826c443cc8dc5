"""Data: what was ingested and when, which rows were quarantined and why, who-is-who to review, and who is built from what."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dash_table, dcc, html

from dashboards.auth import current_viewer
from dashboards.components import picker, search_options
from dashboards.data import views
from dashboards.format import TABLE, sentence, unavailable, when
from graph.access import AccessDenied, Role
from graph.config import Settings
from graph.errors import TiegraphError

dash.register_page(__name__, path="/data", name="Data", title="tiegraph: data", order=90, audience="admin")

PAGE_SIZE = 10
NOTHING = "Nothing to review."
FOR_ADMINS = "This page is for the program's tiegraph administrators."
TABLE_STYLE = {**TABLE, "page_size": PAGE_SIZE}
INGEST_COLUMNS = [
    {"id": "file", "name": "Source"},
    {"id": "kind", "name": "Kind"},
    {"id": "when", "name": "Ingested"},
    {"id": "read", "name": "Rows read", "type": "numeric"},
    {"id": "landed", "name": "Landed", "type": "numeric"},
    {"id": "quarantined", "name": "Quarantined", "type": "numeric"},
]
QUARANTINE_COLUMNS = [
    {"id": "file", "name": "Source"},
    {"id": "row", "name": "Row", "type": "numeric"},
    {"id": "field", "name": "Field"},
    {"id": "value", "name": "Value"},
    {"id": "reason", "name": "Why"},
]
REVIEW_COLUMNS = [
    {"id": "written_as", "name": "Written as"},
    {"id": "new_label", "name": "Kept for now as"},
    {"id": "candidate_label", "name": "Possibly the same as"},
    {"id": "score", "name": "Name match (of 100)", "type": "numeric", "format": {"specifier": ".0f"}},
    {"id": "file", "name": "Source"},
]

MENTION_COLUMNS = [
    {"id": "file", "name": "Source"},
    {"id": "row", "name": "First row", "type": "numeric"},
    {"id": "n_rows", "name": "Rows", "type": "numeric"},
    {"id": "name", "name": "Written as"},
    {"id": "keys", "name": "With"},
]
KEY_WORDS = {"email": "e-mail", "program_id": "program id", "orcid": "ORCID", "linkedin_url": "LinkedIn"}
PICK_SOMEONE = "Pick a person to see the rows they were built from."


def layout(**_: object) -> html.Div:
    """Sources, quarantine and the review queue, read fresh on each visit (administrators only)."""
    try:
        _require_admin()
    except AccessDenied:
        return html.Div([html.H2("Data"), html.P(FOR_ADMINS, id="data-message")], id="data-main")
    settings = Settings.from_env()
    queue = review_rows(settings)
    return html.Div(
        [
            html.H2("Data"),
            html.Section([html.H3("Sources"), _sources()], className="panel"),
            html.Section(
                [
                    html.H3("Quarantined rows"),
                    html.P(
                        "Rows that were not loaded, with the reason. Fix them in the source file and ingest it again.",
                        className="hint",
                    ),
                    _quarantine(settings),
                ],
                className="panel",
            ),
            html.Section(
                [
                    html.H3("Same person? Matches to review"),
                    html.P(
                        "Names that look like someone already known but not surely the same. Select a row, then say "
                        "whether they are one person (merged) or two (kept apart); the next ingest follows your decision.",
                        className="hint",
                    ),
                    html.Div(
                        [
                            dash_table.DataTable(
                                id="data-review",
                                columns=REVIEW_COLUMNS,
                                data=queue,
                                row_selectable="single",
                                selected_rows=[],
                                **TABLE_STYLE,
                            ),
                            html.Div(
                                [
                                    html.Button("Same person: merge", id="data-review-same", className="button"),
                                    html.Button(
                                        "Different people: keep apart", id="data-review-different", className="button"
                                    ),
                                ],
                                className="buttons",
                            ),
                        ],
                        id="data-review-box",
                        style=_shown(queue),
                    ),
                    html.P("" if queue else NOTHING, id="data-review-message", className="message"),
                ],
                className="panel",
            ),
            _mentions_panel(),
        ],
        id="data-main",
    )


def _mentions_panel() -> html.Section:
    return html.Section(
        [
            html.H3("Who is built from what"),
            html.P(
                "Every person is built from the rows that name them: each file, its rows and the name as written. "
                "Select the rows that are someone else and split them off; they become a second person with their "
                "own contacts at once, every later ingest keeps them apart, and merging the two again undoes it.",
                className="hint",
            ),
            html.Div(
                [
                    picker(
                        "Person",
                        dcc.Dropdown(
                            [], None, id="data-mentions-pick", placeholder="Type a name", search_order="original"
                        ),
                    )
                ],
                className="pickers",
            ),
            html.P(PICK_SOMEONE, id="data-mentions-message", className="message"),
            html.Div(
                [
                    dash_table.DataTable(
                        id="data-mentions",
                        columns=MENTION_COLUMNS,
                        data=[],
                        row_selectable="multi",
                        selected_rows=[],
                        **TABLE_STYLE,
                    ),
                    html.Div(
                        [html.Button("Someone else: split these off", id="data-mentions-split", className="button")],
                        className="buttons",
                    ),
                ],
                id="data-mentions-box",
                style={"display": "none"},
            ),
        ],
        className="panel",
    )


@callback(
    Output("data-mentions-pick", "options"),
    Input("data-mentions-pick", "search_value"),
    State("data-mentions-pick", "value"),
    State("data-mentions-pick", "options"),
)
def search_mentioned(search: str | None, value: str | None, options: list[dict] | None) -> list[dict]:
    """People whose name or description contains what was typed."""
    return search_options(search, [value], options, people_only=True)


@callback(
    Output("data-mentions", "data"),
    Output("data-mentions", "selected_rows"),
    Output("data-mentions-message", "children"),
    Output("data-mentions-box", "style"),
    Input("data-mentions-pick", "value"),
    Input("data-mentions-split", "n_clicks"),
    State("data-mentions", "selected_rows"),
    State("data-mentions", "data"),
)
def show_mentions(
    person: str | None, _split: int | None, selected: list[int] | None, rows: list[dict] | None
) -> tuple[list[dict], list[int], str, dict[str, str]]:
    """The mentions of the person picked; on the split button, split the selected ones off first."""
    if not person:
        return [], [], PICK_SOMEONE, {"display": "none"}
    said = ""
    try:
        _require_admin()
        with views() as v:
            if ctx.triggered_id == "data-mentions-split":
                chosen = [rows[i]["id"] for i in selected or [] if rows and i < len(rows)]
                if not chosen:
                    return rows or [], [], "Select the rows that are someone else first.", _shown(rows or [])
                new, moved = v.split_person(Settings.from_env().home, person, ids=chosen)
                said = (
                    f"Split: {len(chosen)} of them are now a second person with {moved.get('interaction', 0)} "
                    f"contacts of their own ({new}); merge the two again to undo it. "
                )
            found = v.mentions(person)
            name = v.names.get(person, person)
    except (TiegraphError, AccessDenied, OSError) as exc:
        return rows or [], selected or [], f"Not done: {sentence(exc)}", _shown(rows or [])
    found["keys"] = [
        "; ".join(f"{word} {value}" for key, word in KEY_WORDS.items() if (value := getattr(m, key)))
        for m in found.itertuples(index=False)
    ]
    data = found[["id", "file", "row", "n_rows", "name", "keys"]]
    records = data.astype(object).where(data.notna(), None).to_dict("records")
    n = len(records)
    return records, [], f"{said}{name} is built from {n} mention{'s' if n != 1 else ''}.", _shown(records)


@callback(
    Output("data-review", "data"),
    Output("data-review", "selected_rows"),
    Output("data-review-message", "children"),
    Output("data-review-box", "style"),
    Input("data-review-same", "n_clicks"),
    Input("data-review-different", "n_clicks"),
    State("data-review", "selected_rows"),
    State("data-review", "data"),
    prevent_initial_call=True,
)
def decide_review(
    _same: int | None, _different: int | None, selected: list[int] | None, rows: list[dict] | None
) -> tuple[list[dict], list[int], str, dict[str, str]]:
    """Record the decision on the selected match and show the queue without it."""
    settings = Settings.from_env()
    rows = rows or []
    try:
        _require_admin()
    except AccessDenied:
        return rows, [], FOR_ADMINS, _shown(rows)
    if not selected or selected[0] >= len(rows):
        return rows, [], "Select a row first." if rows else NOTHING, _shown(rows)
    row = rows[selected[0]]
    decision = "same" if ctx.triggered_id == "data-review-same" else "different"
    try:
        with views() as v:
            v.decide_match(settings.home, row["new_id"], row["candidate_id"], decision)
    except (TiegraphError, AccessDenied, OSError) as exc:
        return rows, selected, f"Not saved: {sentence(exc)}", _shown(rows)
    said = (
        "are one person, merged now; tie strengths follow at the next analysis"
        if decision == "same"
        else "are two people; every later ingest keeps them apart"
    )
    queue = review_rows(settings)
    saved = f"Saved: {row['written_as']} and {row['candidate_name']} {said}."
    return queue, [], saved + ("" if queue else " " + NOTHING), _shown(queue)


def review_rows(settings: Settings) -> list[dict]:
    """The review queue as table rows, each person described as the program knows them."""
    try:
        with views() as v:
            queue = v.review_queue(settings.home)
            people = v.target_options() if not queue.empty else None
    except TiegraphError:  # the store is down: the sources panel says so
        return []
    if people is None:
        return []
    labels = dict(zip(people["value"], people["label"], strict=True))
    queue["new_label"] = [labels.get(i, w) for i, w in zip(queue["new_id"], queue["written_as"], strict=True)]
    queue["candidate_label"] = [
        labels.get(i, n) for i, n in zip(queue["candidate_id"], queue["candidate_name"], strict=True)
    ]
    return queue.to_dict("records")


def _require_admin() -> None:
    """Quarantined rows and the review queue hold raw input: administrators only (see :mod:`graph.access`)."""
    current_viewer().require(Role.ADMIN, what="data sources, quarantine and the review queue")


def _shown(rows: list[dict]) -> dict[str, str]:
    return {} if rows else {"display": "none"}


def _sources() -> html.Div | html.P:
    try:
        with views() as v:
            status = v.status()
    except TiegraphError as exc:
        return html.P(unavailable(exc), id="data-sources")
    ingests = pd.DataFrame(status["ingests"])  # type: ignore[arg-type]
    run = status["last_analysis"]
    analysed = "Never analysed: run `tiegraph analyze`." if not run else f"Last analysis {when(run['computed_at'])}."  # type: ignore[index]
    if ingests.empty:
        return html.P(f"Nothing ingested yet: run `tiegraph ingest data/sample`. {analysed}", id="data-sources")
    ingests["when"] = [when(t) for t in ingests["finished_at"]]
    return html.Div(
        [
            html.P(f"{str(status['store']).capitalize()} store. {analysed}", className="hint"),
            dash_table.DataTable(
                id="data-sources", columns=INGEST_COLUMNS, data=ingests.to_dict("records"), **TABLE_STYLE
            ),
        ]
    )


def _quarantine(settings: Settings) -> html.Div | html.P:
    try:
        with views() as v:
            rows = v.quarantined(settings.quarantine_dir)
    except TiegraphError as exc:
        return html.P(unavailable(exc), id="data-quarantine")
    if rows.empty:
        return html.P("No rows quarantined.", id="data-quarantine")
    return dash_table.DataTable(
        id="data-quarantine",
        columns=QUARANTINE_COLUMNS,
        data=rows.astype(object).where(rows.notna(), None).to_dict("records"),
        sort_action="native",
        filter_action="native",
        **TABLE_STYLE,
    )
