"""Letters: whom a resident should ask for letters of recommendation, by when, and where each request stands.

``/letters?person=<id>&deadline=2027-07-01``.  Residents see their own page;
mentors their mentees'; program leadership anyone's (:mod:`graph.access`).
Candidates are ranked by :func:`graph.analytics.letters.rank_letter_writers`;
the timeline asks 6-8 weeks before the deadline and reminds after.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import pandas as pd
from dash import Input, Output, State, callback, dash_table, dcc, html

from dashboards.components import picker, query_text
from dashboards.data import views
from dashboards.format import TABLE, unavailable
from graph.analytics.letters import LETTER_STATES
from graph.errors import TiegraphError
from graph.views import LetterPlan

dash.register_page(__name__, path="/letters", name="Letters", title="tiegraph: letters", order=5)

NOT_YOURS = "These are someone else's letters: only they, their mentors and program leadership see them."
EMPTY = "No residents yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`."
CANDIDATE_COLUMNS = [
    {"id": "name", "name": "Who"},
    {"id": "role", "name": "Role"},
    {"id": "score", "name": "Fit as a writer (of 1)", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "strength", "name": "Tie strength", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "clinical_contacts", "name": "Seen clinically (times)", "type": "numeric"},
    {"id": "days_known", "name": "Known for (days)", "type": "numeric"},
    {"id": "shared_contacts", "name": "Shared service (times)", "type": "numeric"},
    {"id": "papers", "name": "Papers together", "type": "numeric"},
]
REQUEST_COLUMNS = [
    {"id": "name", "name": "Writer"},
    {"id": "cycle", "name": "Cycle"},
    {"id": "deadline", "name": "Deadline"},
    {"id": "state", "name": "State"},
    {"id": "asked_on", "name": "Asked on"},
    {"id": "updated_on", "name": "Last change"},
]
HOW = (
    "Fit as a writer: tie strength 30%, seen clinically 20%, known over time 15%, seniority 15%, "
    "shared service 10%, research together 10%. Ask 6-8 weeks before the deadline; remind at 4, 2 and 1 week(s)."
)


def layout(**query: object) -> html.Div:
    """Resident and deadline pickers, filled from the URL; the rest comes from :func:`show_letters`."""
    person, deadline = query_text(query.get("person")), query_text(query.get("deadline"))
    try:
        with views() as v:
            residents = v.pickable_residents()
            if not v.viewer.is_leadership:
                person = person or v.viewer.person
            if person and person not in set(residents["id"]):
                person = v.person_id(person) if person else None
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc, refused=NOT_YOURS), id="letters-message"))
    if residents.empty and not person:
        return _page(html.P(EMPTY, id="letters-message"))
    options = [{"label": n, "value": i} for i, n in zip(residents["id"], residents["name"], strict=True)]
    return _page(
        html.Div(
            [
                dcc.Location(id="letters-url", refresh=False),
                dcc.Store(id="letters-saved", data=0),
                html.Div(
                    [
                        picker(
                            "Resident",
                            dcc.Dropdown(options, person, id="letters-person", placeholder="Pick a resident"),
                        ),
                        html.Div(
                            [
                                html.Label("Application deadline", className="picker-label"),
                                dcc.Input(id="letters-deadline", type="date", value=deadline, debounce=True),
                            ],
                            className="picker narrow",
                        ),
                    ],
                    className="pickers",
                ),
                html.P(id="letters-message", className="message"),
                html.Section(
                    [
                        html.H3("Whom to ask"),
                        html.P(HOW, className="hint"),
                        dash_table.DataTable(id="letters-candidates", columns=CANDIDATE_COLUMNS, page_size=10, **TABLE),
                    ],
                    className="panel",
                ),
                html.Section([html.H3("When"), html.Ol(id="letters-timeline")], className="panel"),
                html.Section(
                    [
                        html.H3("Requests"),
                        dash_table.DataTable(id="letters-requests", columns=REQUEST_COLUMNS, page_size=10, **TABLE),
                        html.Div(
                            [
                                picker("Writer", dcc.Dropdown([], None, id="letters-writer", placeholder="Who")),
                                picker(
                                    "State",
                                    dcc.Dropdown(list(LETTER_STATES), "asked", id="letters-state", clearable=False),
                                    narrow=True,
                                ),
                                html.Button("Save", id="letters-save", className="button"),
                            ],
                            className="pickers",
                        ),
                        html.P(id="letters-save-message", className="message"),
                    ],
                    className="panel",
                ),
            ]
        )
    )


@callback(
    Output("letters-candidates", "data"),
    Output("letters-timeline", "children"),
    Output("letters-requests", "data"),
    Output("letters-writer", "options"),
    Output("letters-message", "children"),
    Output("letters-url", "search"),
    Input("letters-person", "value"),
    Input("letters-deadline", "value"),
    Input("letters-saved", "data"),
)
def show_letters(person: str | None, deadline: str | None, _saved: int | None = None) -> tuple:
    """Candidates, timeline and requests of one resident; the URL follows the pickers."""
    query = {k: v for k, v in {"person": person, "deadline": deadline}.items() if v}
    search = "?" + urlencode(query) if query else ""
    if not person:
        return [], [], [], [], "Pick a resident.", search
    try:
        with views() as v:
            plan = v.letters(person, deadline=deadline or None)
    except TiegraphError as exc:
        return [], [], [], [], unavailable(exc, refused=NOT_YOURS), search
    steps = [html.Li(say_step(s), className=f"step-{s.status}") for s in plan.timeline]
    writers = [
        {"label": n, "value": p} for p, n in zip(plan.candidates["person"], plan.candidates["name"], strict=True)
    ]
    return (
        _records(plan.candidates),
        steps or [html.Li("Give the application deadline for the timeline: ask 6-8 weeks before it.")],
        _records(plan.requests),
        writers,
        summary(plan),
        search,
    )


@callback(
    Output("letters-saved", "data"),
    Output("letters-save-message", "children"),
    Input("letters-save", "n_clicks"),
    State("letters-person", "value"),
    State("letters-writer", "value"),
    State("letters-state", "value"),
    State("letters-deadline", "value"),
    State("letters-saved", "data"),
    prevent_initial_call=True,
)
def save_request(
    _clicks: int | None, person: str | None, writer: str | None, state: str, deadline: str | None, saved: int | None
) -> tuple[int, str]:
    """Record a request's state (asked, agreed, submitted, declined) in the store."""
    if not (person and writer and deadline):
        return saved or 0, "Pick the writer and give the deadline first."
    try:
        with views() as v:
            v.track_letter(person, writer, state, deadline=deadline)
            name = v.names.get(writer, writer)
    except TiegraphError as exc:
        return saved or 0, unavailable(exc, refused=NOT_YOURS)
    return (saved or 0) + 1, f"Saved: {name}, {state}."


def say_step(step: object) -> str:
    """One timeline step in words: ``2027-05-06: ask from today (…) (due)``."""
    return f"{step.on}: {step.what}" + {"past": " (past)", "due": " (now)", "upcoming": ""}[step.status]  # type: ignore[attr-defined]


def summary(plan: LetterPlan) -> str:
    """One sentence about the plan."""
    n = len(plan.candidates)
    states = plan.requests["state"].value_counts().to_dict() if not plan.requests.empty else {}
    done = ", ".join(f"{k} {v}" for k, v in states.items()) or "no requests yet"
    return f"{n} possible letter writers for {plan.name}; requests: {done}."


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Letters of recommendation"), body], id="letters-main")
