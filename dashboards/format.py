"""How the pages say things: times, people and errors in the words a program uses."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

__all__ = ["TABLE", "sentence", "when", "who"]

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


def who(kind: object, pgy: object = None) -> str:
    """A person's kind as a program says it: ``PGY2 resident``, ``alum``, ``case manager``."""
    k = "" if kind is None or (not isinstance(kind, str) and pd.isna(kind)) else str(kind)
    if k == "resident" and pgy is not None and not pd.isna(pgy):
        return f"PGY{int(pgy)} resident"  # type: ignore[call-overload]
    return {"alumnus": "alum", "external": "outside contact"}.get(k, k.replace("_", " "))


def sentence(exc: BaseException | str) -> str:
    """An error message as a sentence: capitalised, with a full stop."""
    text = str(exc).strip() or "Something went wrong"
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
