"""Person: one person's ties and why, their interactions over time, papers, community and what is due.

State lives in the URL (``/person?id=<person id>``; a name or e-mail works too).
Residents and mentors open their own page (a mentor also their mentees');
program leadership opens anyone's, and each look is written to the audit log
(:mod:`graph.access`).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.components import due_table, offer, person_or_typed, picker, query_text, search_options
from dashboards.data import views
from dashboards.format import TABLE, person_link, unavailable, who, words
from graph.errors import TiegraphError
from graph.model import Channel, IntroState
from graph.views import Views

dash.register_page(__name__, path="/person", name="Person", title="tiegraph: person", order=4)

SNOOZE_DAYS = 30
"""How long "Snooze" hides a person from the due list."""
ROWS = 15
"""People the timeline gives a row each (the most contacted); the others share one."""
CHANNEL_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
NOT_YOURS = "This is someone else's page: only they, their mentors and program leadership see it."
EMPTY = "No people yet: run `tiegraph ingest data/sample`, then `tiegraph analyze`."
TIE_COLUMNS = [
    {"id": "name", "name": "With", "presentation": "markdown"},
    {"id": "strength", "name": "Tie strength", "type": "numeric", "format": {"specifier": ".2f"}},
    {"id": "n_interactions", "name": "Contacts", "type": "numeric"},
    {"id": "last_contact", "name": "Last contact"},
    {"id": "reasons", "name": "Why"},
]
TIMELINE_COLUMNS = [
    {"id": "date", "name": "Date"},
    {"id": "with", "name": "With"},
    {"id": "channel", "name": "How"},
    {"id": "context", "name": "Where"},
    {"id": "note", "name": "Note"},
]
PAPER_COLUMNS = [
    {"id": "year", "name": "Year", "type": "numeric"},
    {"id": "title", "name": "Title"},
    {"id": "journal", "name": "Journal"},
    {"id": "pmid", "name": "PMID"},
]


def layout(**query: object) -> html.Div:
    """The person picker, filled from the URL; the page comes from :func:`show_person`."""
    chosen = query_text(query.get("id"))
    try:
        with views() as v:
            options = v.target_options()
            chosen = person_or_typed(v, chosen) or (None if v.viewer.is_leadership else v.viewer.person)
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc), id="person-message"))
    people = options[options["kind"] == "person"]
    if people.empty:
        return _page(html.P(EMPTY, id="person-message"))
    return _page(
        html.Div(
            [
                dcc.Location(id="person-url", refresh=False),
                html.Div(
                    [
                        picker(
                            "Whose page",
                            dcc.Dropdown(
                                offer(people, [chosen]),
                                chosen,
                                id="person-pick",
                                placeholder="Type a name",
                                search_order="original",
                            ),
                        )
                    ],
                    className="pickers",
                ),
                html.P(id="person-message", className="message"),
                html.Div(id="person-body"),
            ]
        )
    )


@callback(
    Output("person-body", "children"),
    Output("person-message", "children"),
    Output("person-url", "search"),
    Input("person-pick", "value"),
)
def show_person(person: str | None) -> tuple[list, str, str]:
    """Everything about one person; the URL follows the picker."""
    search = "?" + urlencode({"id": person}) if person else ""
    if not person:
        return [], "Pick a person: type part of a name.", search
    try:
        with views() as v:
            profile = v.person_profile(person)
            body = _profile(v, profile)
    except TiegraphError as exc:
        return [], unavailable(exc, refused=NOT_YOURS), search
    return body, "", search


@callback(
    Output("person-pick", "options"),
    Input("person-pick", "search_value"),
    State("person-pick", "value"),
    State("person-pick", "options"),
)
def search_people(search: str | None, value: str | None, options: list[dict] | None) -> list[dict]:
    """People whose name or description contains what was typed."""
    return search_options(search, [value], options, people_only=True)


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div([html.H2("Person"), body], id="person-main")


def _profile(v: Views, profile: dict[str, object]) -> list:
    me: dict[str, object] = profile["person"]  # type: ignore[assignment]
    ties: pd.DataFrame = profile["ties"]  # type: ignore[assignment]
    timeline: pd.DataFrame = profile["timeline"]  # type: ignore[assignment]
    papers: pd.DataFrame = profile["publications"]  # type: ignore[assignment]
    due: pd.DataFrame = profile["due"]  # type: ignore[assignment]
    return [
        html.Section(
            [html.H3(str(me["name"]), id="person-name"), _facts(v, me, ties, timeline, papers)], className="panel"
        ),
        html.Section(
            [html.H3("What is due"), due_table(due, "person-due"), _due_actions(due)],
            className="panel",
            id="person-due-section",
        ),
        html.Section(
            [html.H3("Introductions asked"), _intros(profile.get("intros"))], className="panel", id="person-intros"
        ),
        html.Section(
            [
                html.H3(f"Ties ({len(ties)})"),
                html.P("Strongest first. Open a name for that person's page.", className="hint"),
                _ties(ties),
            ],
            className="panel",
        ),
        html.Section([html.H3(f"Interactions over time ({len(timeline)})"), *_timeline(timeline)], className="panel"),
        html.Section([html.H3(f"Publications ({len(papers)})"), _papers(papers)], className="panel"),
    ]


def _facts(
    v: Views, me: dict[str, object], ties: pd.DataFrame, timeline: pd.DataFrame, papers: pd.DataFrame
) -> html.Dl:
    label = v.target_options().set_index("value")["label"].get(str(me["id"]), str(me["name"]))
    described = label.split(": ", 1)[1] if ": " in label else who(me.get("kind"), me.get("pgy"))
    items = [("Who", described), ("Specialty", me.get("specialty") or "not recorded")]
    items.append(("Community", _community(v, me.get("community"))))
    if me.get("pagerank") is not None:
        items.append(
            (
                "Place in the network",
                f"reach (PageRank) {float(me['pagerank']):.4f}, brokerage (betweenness) "  # type: ignore[arg-type]
                f"{float(me.get('betweenness') or 0):.4f}",  # type: ignore[arg-type]
            )
        )
    items.append(("In the records", f"{len(ties)} ties, {len(timeline)} interactions, {len(papers)} publications"))
    return html.Dl(
        [x for k, val in items for x in (html.Dt(k), html.Dd(str(val)))], className="facts", id="person-facts"
    )


def _community(v: Views, community: object) -> str:
    if community is None or pd.isna(community):  # type: ignore[arg-type]
        return "none yet (run `tiegraph analyze`)"
    table = v.community_table()
    row = table[table["community"] == community]
    if row.empty:
        return f"Community {int(community) + 1}"  # type: ignore[call-overload]
    r = row.iloc[0]
    return f"Community {int(community) + 1}: {int(r['size'])} people; most central: {r['members']}"  # type: ignore[call-overload]


def _ties(ties: pd.DataFrame) -> html.P | dash_table.DataTable:
    if ties.empty:
        return html.P("No ties yet.", id="person-ties")
    rows = ties.assign(
        name=[person_link(n, i) for n, i in zip(ties["name"], ties["other"], strict=True)],
        reasons=ties["reasons"].map(words),
    )
    return dash_table.DataTable(
        id="person-ties",
        columns=TIE_COLUMNS,
        data=rows.astype(object).where(rows.notna(), None).to_dict("records"),
        sort_action="native",
        filter_action="native",
        page_size=10,
        markdown_options={"link_target": "_self"},
        **TABLE,
    )


def _timeline(timeline: pd.DataFrame) -> list:
    if timeline.empty:
        return [html.P("No interactions on record.", id="person-timeline")]
    t = timeline.assign(when=pd.to_datetime(timeline["date"], errors="coerce")).dropna(subset=["when"])
    top = t["with"].value_counts()
    shown = list(top.index[:ROWS])
    others = f"{len(top) - len(shown)} others" if len(top) > len(shown) else None
    t = t.assign(row=[w if w in shown else others for w in t["with"]])
    order = ([others] if others else []) + shown[::-1]  # the most contacted at the top
    channels = list(t["channel"].fillna("other").value_counts().index)
    fig = go.Figure(
        [
            go.Scatter(
                x=g["when"],
                y=g["row"],
                mode="markers",
                name=str(ch).replace("_", " "),
                marker={"size": 10, "color": CHANNEL_COLOURS[i % len(CHANNEL_COLOURS)], "opacity": 0.8},
                customdata=g[["with", "context", "note"]].fillna("").to_numpy(),
                hovertemplate="%{x|%Y-%m-%d} with %{customdata[0]}<br>%{customdata[1]} %{customdata[2]}<extra></extra>",
            )
            for i, ch in enumerate(channels)
            for g in [t[t["channel"].fillna("other") == ch]]
        ]
    )
    fig.update_layout(
        height=110 + 28 * len(order),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
        xaxis={"gridcolor": "#eee", "title": "Date"},
        yaxis={"categoryorder": "array", "categoryarray": order, "automargin": True, "gridcolor": "#f3f3f3"},
        legend={"title": {"text": "How"}},
    )
    table = timeline.assign(channel=timeline["channel"].fillna("").str.replace("_", " "))
    return [
        dcc.Graph(id="person-timeline", figure=fig, config={"displayModeBar": False}),
        dash_table.DataTable(
            id="person-timeline-table",
            columns=TIMELINE_COLUMNS,
            data=table.astype(object).where(table.notna(), None).to_dict("records"),
            sort_action="native",
            page_size=10,
            **TABLE,
        ),
    ]


def _papers(papers: pd.DataFrame) -> html.P | dash_table.DataTable:
    if papers.empty:
        return html.P("No publications on record.", id="person-publications")
    return dash_table.DataTable(
        id="person-publications",
        columns=PAPER_COLUMNS,
        data=papers.astype(object).where(papers.notna(), None).to_dict("records"),
        sort_action="native",
        page_size=10,
        **TABLE,
    )


# -- acting on the due list: log a contact (two clicks), done, snooze ------------------------------------------------


def _due_actions(due: pd.DataFrame) -> html.Div:
    """Per person due: "Log contact" opens a small form (date, channel, note) that "Save" writes; done; snooze."""
    people = list(dict.fromkeys(zip(due["who"], due["name"], strict=True))) if not due.empty else []
    rows = [
        html.Div(
            [
                html.Span(str(name), className="due-who"),
                html.Button("Log contact", id={"type": "person-due-log", "index": pid}, className="due-log"),
                html.Button("Done", id={"type": "person-due-done", "index": pid}, className="due-done"),
                html.Button(
                    f"Snooze {SNOOZE_DAYS} days", id={"type": "person-due-snooze", "index": pid}, className="due-snooze"
                ),
                html.Div(
                    [
                        dcc.Input(
                            id={"type": "person-due-date", "index": pid}, type="date", value=date.today().isoformat()
                        ),
                        dcc.Dropdown(
                            [{"label": c.value.replace("_", " "), "value": c.value} for c in Channel],
                            Channel.IN_PERSON.value,
                            id={"type": "person-due-channel", "index": pid},
                            clearable=False,
                            className="due-channel",
                        ),
                        dcc.Input(id={"type": "person-due-note", "index": pid}, placeholder="Note (optional)"),
                        html.Button("Save", id={"type": "person-due-save", "index": pid}, className="due-save"),
                    ],
                    id={"type": "person-due-form", "index": pid},
                    className="due-form",
                    style={"display": "none"},
                ),
            ],
            className="due-row",
        )
        for pid, name in people
    ]
    return html.Div([*rows, html.P(id="person-due-said", className="message")], id="person-due-actions")


@callback(
    Output({"type": "person-due-form", "index": MATCH}, "style"),
    Input({"type": "person-due-log", "index": MATCH}, "n_clicks"),
    prevent_initial_call=True,
)
def open_log_form(clicks: int | None) -> dict:
    """The first click: show the form."""
    return {"display": "flex"} if clicks else {"display": "none"}


@callback(
    Output("person-due-section", "children"),
    Input({"type": "person-due-save", "index": ALL}, "n_clicks"),
    Input({"type": "person-due-done", "index": ALL}, "n_clicks"),
    Input({"type": "person-due-snooze", "index": ALL}, "n_clicks"),
    State({"type": "person-due-date", "index": ALL}, "value"),
    State({"type": "person-due-channel", "index": ALL}, "value"),
    State({"type": "person-due-note", "index": ALL}, "value"),
    State("person-pick", "value"),
    prevent_initial_call=True,
)
def act_on_due(
    saved: list, done: list, snoozed: list, days: list, channels: list, notes: list, person: str | None
) -> list:
    """The second click: write the contact (or done, or a snooze) through the store; the list is redrawn at once."""
    trigger = ctx.triggered_id
    if not trigger or not person or not ctx.triggered[0]["value"]:
        raise PreventUpdate
    other, action = trigger["index"], trigger["type"].rsplit("-", 1)[1]
    order = [i["id"]["index"] for i in ctx.states_list[0]]
    at = order.index(other) if other in order else None
    try:
        with views() as v:
            pid = v.person_id(person)
            if action == "save" and at is not None:
                said = v.log_contact(pid, other, day=days[at], channel=channels[at], note=notes[at] or "")
            elif action == "done":
                said = v.log_contact(pid, other, day=date.today().isoformat(), note="marked done on the due list")
            else:
                said = v.snooze(pid, other, days=SNOOZE_DAYS)
            due = v.due(pid)
    except TiegraphError as exc:
        return [html.H3("What is due"), html.P(unavailable(exc, refused=NOT_YOURS), id="person-due-said")]
    return [
        html.H3("What is due"),
        due_table(due, "person-due"),
        _due_actions(due),
        html.P(said, id="person-due-done-said", className="message"),
    ]


# -- introduction requests ------------------------------------------------------------------------------------------


def _intros(requests: pd.DataFrame | None) -> html.Div:
    if requests is None or requests.empty:
        return html.Div(html.P("No introductions asked yet: ask from Warm intros."), id="person-intro-list")
    rows = [
        html.Div(
            [
                html.Span(f"{r['target_label']}: asked {r['asked']} ({r['via']})", className="intro-what"),
                html.Span(f" on {r['asked_at'] or 'not yet'}", className="intro-when"),
                html.Span(
                    f" · follow up: no answer since {r['asked_at']}" if r["follow_up_due"] else "",
                    className="intro-follow-up",
                ),
                dcc.Dropdown(
                    [{"label": s.value.replace("_", " "), "value": s.value} for s in IntroState],
                    r["state"],
                    id={"type": "person-intro-state", "index": r["id"]},
                    clearable=False,
                    className="intro-state",
                ),
            ],
            className="intro-row follow-up-due" if r["follow_up_due"] else "intro-row",
        )
        for r in requests.to_dict("records")
    ]
    return html.Div([*rows, html.P(id="person-intro-said", className="message")], id="person-intro-list")


@callback(
    Output("person-intro-said", "children"),
    Input({"type": "person-intro-state", "index": ALL}, "value"),
    prevent_initial_call=True,
)
def log_intro_state(states: list[str]) -> str:
    """A state picked for a request is recorded at once (with who and when, provenance "dashboard")."""
    trigger = ctx.triggered_id
    if not trigger:
        raise PreventUpdate
    order = [i["id"]["index"] for i in ctx.inputs_list[0]]
    state = states[order.index(trigger["index"])]
    try:
        with views() as v:
            old = v.store.get("intro_request", trigger["index"])
            if old.state == state:  # type: ignore[attr-defined]
                raise PreventUpdate
            req = v.log_intro(trigger["index"], state)
            asked = v.names.get(req.first_contact, "")
    except TiegraphError as exc:
        return unavailable(exc, refused=NOT_YOURS)
    return f"Recorded: {req.target_label} via {asked} is now {state.replace('_', ' ')}."
