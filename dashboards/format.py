"""How the pages say things: times, people and errors in the words a program uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlencode

import pandas as pd

from graph.access import AccessDenied
from graph.errors import StoreError, TiegraphError

__all__ = [
    "FOR_LEADERSHIP",
    "TABLE",
    "as_of_text",
    "markdown_text",
    "person_href",
    "person_link",
    "sentence",
    "unavailable",
    "when",
    "who",
    "words",
]

FOR_LEADERSHIP = "This page is for program leadership."
"""What a page says to someone whose role may not see it."""

TABLE: dict[str, object] = {
    "style_table": {"overflowX": "auto"},
    "style_cell": {
        "textAlign": "left",
        "padding": "4px 8px",
        "whiteSpace": "normal",
        "height": "auto",
        "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        "fontSize": "14px",
    },
    "style_header": {"fontWeight": "600", "backgroundColor": "#f0f2f5"},
}
"""How every table looks (pass as ``**TABLE`` with a ``page_size``)."""


def when(iso: object) -> str:
    """``2026-11-25T17:21:31+00:00`` as ``2026-11-25 17:21 UTC``; ``never`` when missing."""
    if iso is None or (not isinstance(iso, str) and pd.isna(iso)) or not str(iso).strip():
        return "never"
    try:
        t = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return t.strftime("%Y-%m-%d %H:%M") + (" UTC" if t.utcoffset() is not None and not t.utcoffset() else "")


def as_of_text(as_of: Mapping[str, object] | None) -> str:
    """Which date tie recency was measured from, per source: ``Ties as of 2015-06-30 (contacts), ...``.

    >>> as_of_text({"contacts": "2015-06-30", "calendar": "2015-06-30"})
    'Ties as of 2015-06-30.'
    >>> as_of_text({"contacts": "2015-06-30", "pubmed": "2014-12-01"})
    'Ties as of 2015-06-30 (contacts), 2014-12-01 (pubmed).'
    >>> as_of_text({})
    ''
    """
    if not as_of:
        return ""
    days = {str(v) for v in as_of.values()}
    if len(days) == 1:
        return f"Ties as of {days.pop()}."
    return (
        "Ties as of "
        + ", ".join(f"{d} ({src})" for src, d in sorted(as_of.items(), key=lambda kv: str(kv[1]), reverse=True))
        + "."
    )


def who(kind: object, pgy: object = None) -> str:
    """A person's kind as a program says it: ``PGY2 resident``, ``alum``, ``case manager``."""
    k = "" if kind is None or (not isinstance(kind, str) and pd.isna(kind)) else str(kind)
    if k == "resident" and pgy is not None and not pd.isna(pgy):
        return f"PGY{int(pgy)} resident"  # type: ignore[call-overload]
    return {"alumnus": "alum", "external": "outside contact"}.get(k, k.replace("_", " "))


def words(text: object) -> str:
    """Codes in analysis text as users say them: ``research_qi`` as ``research/QI``."""
    if text is None or (not isinstance(text, str) and pd.isna(text)):  # type: ignore[arg-type]
        return ""
    return str(text).replace("research_qi", "research/QI").replace("research/qi", "research/QI")


def sentence(exc: BaseException | str) -> str:
    """An error message as a sentence: capitalised, with a full stop."""
    text = str(exc).strip() or "Something went wrong"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def unavailable(exc: TiegraphError, *, refused: str = FOR_LEADERSHIP) -> str:
    """Why a page shows no data, as a sentence: refused, store down, or what the error says."""
    if isinstance(exc, AccessDenied):
        return refused
    if isinstance(exc, StoreError):
        return f"The data store is not available: {sentence(exc)}"
    return sentence(exc)


def person_href(pid: str) -> str:
    """The person page of ``pid``."""
    return "/person?" + urlencode({"id": pid})


def markdown_text(text: object) -> str:
    """Plain text safe inside a Markdown table cell (``presentation: markdown``)."""
    return "".join("\\" + c if c in "\\[]*_`<>#" else c for c in str(text))


def person_link(name: object, pid: str) -> str:
    """A name linking to the person page, as Markdown for a table cell."""
    return f"[{markdown_text(name)}]({person_href(pid)})"
