"""Mentorship: whose developmental network is thin, why, and whom to ask; or one resident's own view.

``/mentorship?pgy=2`` lists the residents of one PGY year, thinnest network
first; ``/mentorship?person=<id>`` is one resident's own view: their network
drawn around them, their assessment and what is due.  Residents see their own
view, mentors their mentees, program leadership everyone (:mod:`graph.access`).
The data serve development, never evaluation: the page says so at the top.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

import dash
import pandas as pd
import plotly.graph_objects as go
from dash import Input, Output, callback, dash_table, dcc, html

from dashboards.components import due_table, picker, query_int, query_text
from dashboards.data import views
from dashboards.format import TABLE, markdown_text, unavailable
from graph.access import Role
from graph.analytics.mentorship import THIN_BELOW, Reason, StaleTie, Suggestion
from graph.errors import TiegraphError
from graph.views import Views

dash.register_page(__name__, path="/mentorship", name="Mentorship", title="tiegraph: mentorship", order=2)

NOTICE = (
    "Mentorship data are for development, never for evaluation: use them to help a resident find the mentors "
    "they lack, not to grade, rank or promote anyone."
)
EMPTY = "No mentorship assessments yet: run `tiegraph analyze` after ingesting a roster and mentorship file."
NOT_YOURS = "This is someone else's mentorship network: only they, their mentors and program leadership see it."
RELATIONS = {
    "resident": ("Resident", "#1f4e79"),
    "clinical": ("Clinical mentor", "#1f77b4"),
    "research_qi": ("Research/QI mentor", "#2ca02c"),
    "career": ("Career mentor (PD, APD or chief)", "#9467bd"),
    "sponsor": ("Sponsor", "#ff7f0e"),
    "strong tie": ("Strong tie (not a declared mentor)", "#8c8c8c"),
}
"""How the network drawing names and colours each person's relation to the resident."""
ROLES = {
    "clinical": "Clinical mentor",
    "research_qi": "Research/QI mentor",
    "career": "Career mentor (PD, APD or chief)",
    "sponsor": "Sponsor",
}
"""Each mentor role code in the table's words."""
IN_TEXT = {
    "clinical": "clinical mentor",
    "research_qi": "research/QI mentor",
    "career": "career mentor",
    "sponsor": "sponsor",
}
"""Each mentor role code inside a sentence."""
COLUMNS = [
    {"id": "name", "name": "Resident", "presentation": "markdown"},
    {"id": "pgy", "name": "PGY", "type": "numeric"},
    {"id": "score", "name": "Score (of 100)", "type": "numeric", "format": {"specifier": ".0f"}},
    {"id": "network", "name": "Network"},
    {"id": "pgy_median", "name": "PGY median", "type": "numeric", "format": {"specifier": ".0f"}},
    {"id": "vs_pgy", "name": "Compared with the PGY year"},
    {"id": "network_type", "name": "Network type (Higgins & Kram)"},
    {"id": "missing", "name": "Missing", "presentation": "markdown"},
    {"id": "stale", "name": "Not touched in 12 months", "presentation": "markdown"},
    {"id": "single_thread", "name": "Single thread", "presentation": "markdown"},
    {"id": "flags", "name": "Also flagged"},
    {"id": "suggested", "name": "Suggested mentors (best per role)", "presentation": "markdown"},
]
WIDTHS = {
    "name": "130px",
    "pgy": "48px",
    "score": "64px",
    "network": "64px",
    "pgy_median": "64px",
    "network_type": "104px",
    "missing": "160px",
    "suggested": "300px",
}
TYPES = (
    f"Thin: a score below {THIN_BELOW:.0f} of 100 (rows shaded red). Single thread: a research/QI or sponsor role "
    "held by one person who has gone quiet or left. Network type (Higgins & Kram): receptive = few, weak ties from "
    "one circle; traditional = strong ties from one circle; opportunistic = weak ties from several circles; "
    "entrepreneurial = strong ties from several circles."
)


def layout(**query: object) -> html.Div:
    """Everyone's rows (filtered by ``pgy``), or one resident's own view (``person``)."""
    person, pgy = query_text(query.get("person")), query_int(query.get("pgy"))
    try:
        with views() as v:
            if person is None and v.viewer.role == Role.RESIDENT:
                person = v.viewer.person  # a resident's page is their own view
            if person:
                return _page(own_view(v, person))
            table = v.mentorship_table()
    except TiegraphError as exc:
        return _page(html.P(unavailable(exc, refused=NOT_YOURS), id="mentorship-message"))
    if table.empty:
        return _page(html.P(EMPTY, id="mentorship-message"))
    years = sorted(int(y) for y in table["pgy"].dropna().unique())
    return _page(
        html.Div(
            [
                dcc.Location(id="mentorship-url", refresh=False),
                html.Div(
                    [
                        picker(
                            "PGY",
                            dcc.Dropdown(
                                [{"label": f"PGY{y}", "value": y} for y in years],
                                pgy if pgy in years else None,
                                id="mentorship-pgy",
                                placeholder="Every PGY year",
                            ),
                            narrow=True,
                        )
                    ],
                    className="pickers",
                ),
                html.P(id="mentorship-message", className="message"),
                html.Section(
                    [
                        dash_table.DataTable(
                            id="mentorship-table",
                            columns=COLUMNS,
                            data=[],
                            sort_action="native",
                            filter_action="native",
                            page_size=15,
                            markdown_options={"link_target": "_self"},
                            style_cell_conditional=[{"if": {"column_id": c}, "width": w} for c, w in WIDTHS.items()],
                            style_data_conditional=[
                                {"if": {"filter_query": "{thin} = 1"}, "backgroundColor": "#fdecea"},
                            ],
                            **TABLE,
                        ),
                        html.P(TYPES, className="hint"),
                    ],
                    className="panel",
                ),
            ]
        )
    )


@callback(
    Output("mentorship-table", "data"),
    Output("mentorship-message", "children"),
    Output("mentorship-url", "search"),
    Input("mentorship-pgy", "value"),
)
def show_residents(pgy: int | None) -> tuple[list[dict], str, str]:
    """The residents of one PGY year (or all), thinnest network first; the URL follows the filter."""
    search = "?" + urlencode({"pgy": pgy}) if pgy is not None else ""
    try:
        with views() as v:
            table = v.mentorship_table(pgy)
    except TiegraphError as exc:
        return [], unavailable(exc, refused=NOT_YOURS), search
    rows = table_rows(table)
    thin, below = sum(r["thin"] for r in rows), int(table["below_pgy_median"].sum())
    who = ("" if pgy is None else f"PGY{pgy} ") + ("resident" if len(rows) == 1 else "residents")
    return (
        rows,
        f"{len(rows)} {who}; {thin} thin (score below {THIN_BELOW:.0f}); {below} below their PGY median. "
        "Open a name for that resident's own view.",
        search,
    )


def table_rows(table: pd.DataFrame) -> list[dict]:
    """Assessment rows as the table shows them: names link to the resident's own view, items in words."""
    out = table.assign(
        name=[
            f"[{n}](/mentorship?{urlencode({'person': p})})"
            for n, p in zip(table["name"], table["person"], strict=True)
        ],
        network=["thin" if t else "adequate" for t in table["thin"]],
        vs_pgy=[_versus(r) for r in table.to_dict("records")],
        missing=[_bullets(ROLES[m] for m in ms) for ms in table["missing_roles"]],
        stale=[_bullets(say(x) for x in xs) for xs in table["stale"]],
        single_thread=[_bullets(say(x) for x in rs if x.kind == "single_thread") for rs in table["reasons"]],
        flags=["; ".join(say(x) for x in other_flags(rs)) for rs in table["reasons"]],
        suggested=[_bullets(say(x, warmth=False) for x in best_per_role(s)) for s in table["suggestions"]],
        thin=table["thin"].astype(int),
    )
    cols = [c["id"] for c in COLUMNS] + ["person", "thin"]
    out = out[cols]
    return out.astype(object).where(out.notna(), None).to_dict("records")


def say(item: Reason | StaleTie | Suggestion, *, warmth: bool = True) -> str:
    """One item of an assessment as the dashboard says it: the one place its words are made."""
    if isinstance(item, StaleTie):
        when = "never in the records" if item.days is None else f"{item.days // 30} months ago"
        return f"{item.name} ({IN_TEXT.get(item.type, item.type)}, last contact {when})"
    if isinstance(item, Suggestion):
        how = "no warm path yet" if item.warmth == 0 else "direct tie" if item.via is None else f"via {item.via_name}"
        role = IN_TEXT.get(item.role, item.role)
        return f"{item.name} ({role}; {how}" + (f", warmth {item.warmth:.2f})" if warmth else ")")
    role = IN_TEXT.get(item.role, item.role)
    return {
        "missing_role": lambda: f"no {role}",
        "off_specialty": lambda: f"clinical mentor {item.name} is in {item.detail}, not the area of interest",
        "not_career_role": lambda: f"career mentor {item.name} is not the PD, an APD or a chief",
        "stale_ties": lambda: f"{item.number:.0f} mentor tie{'s' if item.number != 1 else ''} not touched in 12 months",
        "narrow_range": lambda: (
            f"developers from {item.number:.0f} circle{'s' if item.number != 1 else ''} only"
            + (f" ({item.detail})" if item.detail else "")
        ),
        "below_pgy_median": lambda: f"below the PGY{item.detail} median ({item.number:.0f} vs {item.median:.0f})",
        "single_thread": lambda: (
            f"only {role}: {item.name}, " + ("who has left" if item.detail == "left" else "not touched in 12 months")
        ),
    }.get(item.kind, lambda: item.detail)()


def other_flags(reasons: list[Reason]) -> list[Reason]:
    """The reasons the other columns do not already show (missing roles, stale ties, single threads, the PGY year)."""
    shown = {"missing_role", "stale_ties", "single_thread", "below_pgy_median"}
    return [r for r in reasons if r.kind not in shown]


def best_per_role(suggested: list[Suggestion]) -> list[Suggestion]:
    """The warmest suggestion of each role (they come warmest first)."""
    seen: set[str] = set()
    return [s for s in suggested if not (s.role in seen or seen.add(s.role))]  # type: ignore[func-returns-value]


def _versus(row: dict) -> str:
    if pd.isna(row["pgy"]) or pd.isna(row["pgy_median"]):
        return ""
    side = "below" if row["below_pgy_median"] else "at or above"
    return f"{side} the PGY{int(row['pgy'])} median"


def _bullets(items: object) -> str:
    return "\n".join(f"- {markdown_text(x)}" for x in items)  # type: ignore[attr-defined]


def own_view(v: Views, person: str) -> html.Div:
    """One resident's network drawn around them, their assessment and their stay-in-touch list."""
    pid = v.person_id(person)
    nodes, edges = v.mentorship_network(pid)
    mine = v.assessment(pid)
    due = v.due(pid)
    name = v.names[pid]
    if mine.empty:
        return html.Div(
            html.P(f"{name} is not a resident, so there is no mentorship assessment.", id="mentorship-message")
        )
    return html.Div(
        [
            html.P(
                [dcc.Link("← every resident", href="/mentorship")] if v.viewer.is_leadership else [],
                className="hint",
            ),
            html.H3(f"{name}'s developmental network", id="mentorship-person"),
            html.Div(
                [
                    html.Section([_network(nodes, edges)], className="panel"),
                    html.Section([_assessment(mine.iloc[0])], className="panel"),
                ],
                className="row",
            ),
            html.Section([html.H3("Stay in touch"), due_table(due, "mentorship-due")], className="panel"),
        ]
    )


def _page(body: html.Div | html.P) -> html.Div:
    return html.Div(
        [html.H2("Mentorship"), html.P(NOTICE, id="mentorship-notice", className="notice"), body], id="mentorship-main"
    )


def _assessment(row: pd.Series) -> html.Div:
    """The resident's row as a short list, in the words of the table's headers."""
    thin = f"thin (below {THIN_BELOW:.0f})" if row["thin"] else f"adequate ({THIN_BELOW:.0f} or more)"
    items = [
        ("Score", f"{row['score']:.0f} of 100: {thin}"),
        ("PGY year", f"PGY{row['pgy']} median {row['pgy_median']:.0f}; {_versus(row.to_dict())}"),
        (
            "Network type",
            f"{row['network_type']} (Higgins & Kram), from {row['network_range']} "
            + ("circle" if row["network_range"] == 1 else "circles"),
        ),
        ("Missing", "; ".join(ROLES[m] for m in row["missing_roles"]) or "nothing: every role is filled"),
        ("Not touched in 12 months", "; ".join(say(x) for x in row["stale"]) or "none"),
        (
            "Single thread",
            "; ".join(say(x) for x in row["reasons"] if x.kind == "single_thread") or "none",
        ),
        ("Also flagged", "; ".join(say(x) for x in other_flags(row["reasons"])) or "nothing"),
    ]
    suggested = [say(x) for x in row["suggestions"]]
    none = "no one in the records fits yet" if row["missing_roles"] else "none needed"
    items.append(("Suggested mentors", html.Ul([html.Li(x) for x in suggested]) if suggested else none))
    return html.Dl(
        [x for label, value in items for x in (html.Dt(label), html.Dd(value))],
        className="facts",
        id="mentorship-person-row",
    )


def _network(nodes: pd.DataFrame, edges: pd.DataFrame) -> html.Div | html.P:
    """The resident in the middle, the others on a circle by relation; lines are ties, thicker when stronger."""
    if len(nodes) < 2:
        return html.P(
            "No declared mentors and no strong ties on record yet: the suggested mentors are a place to start.",
            id="mentorship-network",
        )
    others = nodes.iloc[1:].assign(order=lambda d: d["relation"].map(list(RELATIONS).index)).sort_values("order")
    n = max(len(others), 1)
    pos = {nodes["id"].iloc[0]: (0.0, 0.0)}
    for i, pid in enumerate(others["id"]):
        angle = math.pi / 2 - 2 * math.pi * i / n
        pos[pid] = (math.cos(angle), math.sin(angle))
    traces: list[go.Scatter] = [
        go.Scatter(
            x=[pos[a][0], pos[b][0]],
            y=[pos[a][1], pos[b][1]],
            mode="lines",
            line={"width": 1 + 6 * s, "color": "rgba(90,90,90,0.45)"},
            hoverinfo="skip",
            showlegend=False,
        )
        for a, b, s in edges[["a", "b", "strength"]].itertuples(index=False)
    ]
    for relation, (label, colour) in RELATIONS.items():
        group = nodes[nodes["relation"] == relation]
        if group.empty:
            continue
        xy = [pos[p] for p in group["id"]]
        traces.append(
            go.Scatter(
                x=[x for x, _ in xy],
                y=[y for _, y in xy],
                mode="markers",
                name=label,
                text=group["name"].tolist(),
                marker={
                    "size": 26 if relation == "resident" else 18,
                    "color": colour,
                    "line": {"width": 1, "color": "white"},
                },
                hovertemplate="%{text}<br>" + label + "<extra></extra>",
            )
        )
    names = dict(zip(nodes["id"], nodes["name"], strict=True))
    fig = go.Figure(traces)
    fig.update_layout(
        annotations=[_label(names[pid], x, y, centre=pid == nodes["id"].iloc[0]) for pid, (x, y) in pos.items()],
        height=420,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        plot_bgcolor="white",
        xaxis={"visible": False, "range": [-2.2, 2.2]},
        yaxis={"visible": False, "range": [-1.45, 1.45]},
        legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        font={"size": 13},
    )
    key = html.P("Lines are ties between these people; thicker, stronger.", className="hint")
    return html.Div([dcc.Graph(id="mentorship-network", figure=fig, config={"displayModeBar": False}), key])


def _label(name: str, x: float, y: float, *, centre: bool) -> dict:
    """A name beside its dot, outside the circle, on a white ground so lines behind it do not cross it."""
    side = "below" if centre else "above" if abs(x) < 0.3 and y > 0 else "below" if abs(x) < 0.3 else None
    return {
        "x": x,
        "y": y,
        "text": name,
        "showarrow": False,
        "xanchor": "center" if side else "left" if x > 0 else "right",
        "xshift": 0 if side else 13 if x > 0 else -13,
        "yshift": {"above": 18, "below": -20 if centre else -18, None: 0}[side],
        "bgcolor": "rgba(255,255,255,0.9)",
        "font": {"size": 13, "color": "#222"},
    }
