"""Pieces several pages share: people pickers that search on the server, and reading a page's URL query.

A picker offers a few choices and searches the rest on the server as one types:
a browser slows to seconds with thousands of options.
"""

from __future__ import annotations

import pandas as pd
from dash import dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboards.data import views
from dashboards.format import TABLE, words
from graph.analytics.targets import rank_options
from graph.errors import NotFoundError, TiegraphError
from graph.views import Views

__all__ = [
    "DUE_COLUMNS",
    "OFFERED",
    "due_rows",
    "due_table",
    "offer",
    "person_or_typed",
    "picker",
    "query_ids",
    "query_int",
    "query_text",
    "search_options",
]

OFFERED = 30
"""Choices a picker offers before one types, and at most per search."""
DUE_COLUMNS = [
    {"id": "name", "name": "Who"},
    {"id": "why", "name": "Why"},
    {"id": "last", "name": "Last contact"},
    {"id": "due_by", "name": "Due by"},
    {"id": "status", "name": "Status"},
]


def picker(label: str, control: dcc.Dropdown, *, narrow: bool = False) -> html.Div:
    """A labelled control in the row of pickers; ``narrow`` for a short choice (a year, say)."""
    return html.Div(
        [html.Label(label, className="picker-label"), control], className="picker narrow" if narrow else "picker"
    )


def offer(
    options: pd.DataFrame, values: list[str | None], *, first: list[dict] | None = None, limit: int = OFFERED
) -> list[dict[str, str]]:
    """``first``, the options naming ``values`` (as typed when unknown), then up to ``limit`` others."""
    labels = dict(zip(options["value"], options["label"], strict=True))
    out = list(first or [])
    seen = {o["value"] for o in out}
    for x in dict.fromkeys(v for v in values if v):
        if x not in seen:
            out.append({"label": labels.get(x, x), "value": x})
            seen.add(x)
    more = [{"label": lab, "value": val} for val, lab in labels.items() if val not in seen]
    return out + more[:limit]


def search_options(
    search: str | None,
    keep: list[str | None],
    options: list[dict] | None,
    *,
    people_only: bool,
    limit: int = OFFERED,
) -> list[dict]:
    """The chosen options, then up to ``limit`` that fit ``search``, best first (:func:`rank_options`).

    Whole words, exact before begun, the home program's people before alumni and
    outside people; a specialty word ("GI", "cards") offers that specialty only.

    Raises
    ------
    PreventUpdate
        Nothing typed, or the store is down: the picker keeps what it offers.
    """
    if not search or not search.strip():
        raise PreventUpdate
    try:
        with views() as v:
            found = v.target_options()
    except TiegraphError:
        raise PreventUpdate from None
    if people_only:
        found = found[found["kind"] == "person"]
    hits = rank_options(found, search.strip(), limit=limit)
    chosen = [o for o in options or [] if o["value"] in keep]
    # the browser filters what it is offered by label or ``search`` again: say what each option matched
    return [{**o, "search": search} for o in offer(hits, [], first=chosen, limit=limit)]


def person_or_typed(v: Views, query: str | None) -> str | None:
    """A name or e-mail from a hand-written link as the person's id; unknown ones as written."""
    if not query or query in v.names:
        return query
    try:
        return v.person_id(query)
    except NotFoundError:
        return query


def query_text(value: object) -> str | None:
    """One value of a URL query (the first, if repeated); None when empty."""
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def query_ids(value: object) -> list[str]:
    """A comma-separated URL value (or repeated values) as a list."""
    items = value if isinstance(value, list) else [value] if value else []
    return [x.strip() for item in items for x in str(item).split(",") if x.strip()]


def query_int(value: object) -> int | None:
    """A whole number from a URL query; None when missing or not a number."""
    text = query_text(value)
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def due_rows(due: pd.DataFrame) -> list[dict]:
    """A stay-in-touch list (:func:`graph.analytics.stay_in_touch.due_list`) as table rows: days, ``never`` without contact."""

    def day(x: object) -> str:
        return "never" if x is None or pd.isna(x) or not str(x).strip() else str(x)[:10]  # type: ignore[arg-type]

    return [
        {
            "name": r["name"],
            "why": words(r["why"]),
            "last": day(r["last_contact"]),
            "due_by": day(r["due_by"]),
            "status": r["status"],
        }
        for r in due.to_dict("records")
    ]


def due_table(due: pd.DataFrame, id_: str) -> html.P | dash_table.DataTable:
    """A stay-in-touch list, overdue in red; a sentence when nothing is due."""
    if due.empty:
        return html.P("Nothing due: every key tie has been touched recently.", id=id_)
    return dash_table.DataTable(
        id=id_,
        columns=DUE_COLUMNS,
        data=due_rows(due),
        page_size=10,
        style_data_conditional=[
            {"if": {"filter_query": '{status} = "overdue"', "column_id": "status"}, "color": "#b00020"}
        ],
        **TABLE,
    )
