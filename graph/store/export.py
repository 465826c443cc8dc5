"""Export and import the whole graph as JSON lines: backup, and the way from one store to another.

One file per record kind (``person.jsonl``, ``interaction.jsonl`` …) plus
``manifest.json`` (format version, counts).  Records are written sorted by
id with sorted keys, so the same graph always gives byte-identical files,
whichever store it came from: embedded -> files -> Neo4j -> files round-trips
to the same bytes.  Provenance fields travel with every record.  User
accounts (password hashes) are never exported.

Every CSV tiegraph writes (quarantine, review queue, aliases, alumni report,
dashboard downloads) goes through :func:`write_safe_csv` or
:func:`safe_csv_text`, which neutralise formula cells as OWASP recommends
("CSV Injection"): a text cell starting with ``= + - @``, a tab or a carriage
return gets a leading apostrophe, so a spreadsheet shows it as text instead of
running it.  :func:`read_safe_csv` undoes it, so tiegraph's own files
round-trip exactly.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from graph.errors import InputError
from graph.model import KINDS, Record
from graph.store.base import Store, plain_value

__all__ = [
    "FORMAT_VERSION",
    "FORMULA_STARTS",
    "PRIVATE_KINDS",
    "export_graph",
    "import_graph",
    "neutralise_cell",
    "read_safe_csv",
    "restore_cell",
    "safe_csv_text",
    "write_safe_csv",
]

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
PRIVATE_KINDS = frozenset({"user", "session"})
"""Kinds never exported: credentials stay where they are."""
APPEND_ONLY = frozenset({"audit"})
"""Kinds an import adds to and never overwrites."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP, CSV Injection)."""


def neutralise_cell(value: Any) -> Any:
    """A text cell that cannot run as a formula: a leading apostrophe before ``= + - @``, tab or CR.

    Numbers stay numbers (``-3`` is not a formula).  A text cell that already
    starts with an apostrophe followed by a formula character or another
    apostrophe gets one more, so :func:`restore_cell` can undo it exactly.

    References
    ----------
    .. [1] OWASP. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_STARTS) or (value[0] == "'" and value[1:2] in (*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """The inverse of :func:`neutralise_cell`."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in (*FORMULA_STARTS, "'"):
        return value[1:]
    return value


def _safe_frame(data: pd.DataFrame | Iterable[Sequence[Any]], columns: Sequence[str] | None) -> pd.DataFrame:
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data), columns=columns)
    if columns is not None and isinstance(data, pd.DataFrame):
        frame = frame.reindex(columns=list(columns))
    return frame.map(neutralise_cell) if len(frame) else frame


def safe_csv_text(data: pd.DataFrame | Iterable[Sequence[Any]], columns: Sequence[str] | None = None) -> str:
    """CSV text of a frame (or rows with ``columns``), formula cells neutralised, no index.

    Lines end in CRLF (RFC 4180), so a cell holding a lone CR is quoted too.
    """
    text: str = _safe_frame(data, columns).to_csv(index=False, lineterminator="\r\n")
    return text


def write_safe_csv(
    path: Path, data: pd.DataFrame | Iterable[Sequence[Any]], columns: Sequence[str] | None = None
) -> Path:
    """Write (replace) a CSV file of a frame or of rows with ``columns``, formula cells neutralised.

    Parameters
    ----------
    path : pathlib.Path
        The file; its folder is created.
    data : pandas.DataFrame or iterable of rows
        What to write; rows need ``columns``.
    columns : sequence of str, optional
        Header (and, for a frame, the columns kept, in order).

    Returns
    -------
    pathlib.Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(safe_csv_text(data, columns), encoding="utf-8", newline="")
    return path


def read_safe_csv(path: Path, **read_csv: Any) -> pd.DataFrame:
    """Read a CSV written by :func:`write_safe_csv`, undoing the neutralisation (``pandas.read_csv`` options pass through)."""
    frame = pd.read_csv(path, **read_csv)
    text = [
        c for c in frame.columns if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
    ]
    if text and len(frame):
        frame[text] = frame[text].map(restore_cell)
    return frame


def export_graph(store: Store, folder: Path) -> dict[str, int]:
    """Write every record kind to ``folder/<kind>.jsonl``; return the counts."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in KINDS:
        if name in PRIVATE_KINDS:
            continue
        frame = store.frame(name)
        with (folder / f"{name}.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
            for row in frame.to_dict("records"):
                fh.write(
                    json.dumps({k: plain_value(v) for k, v in row.items()}, sort_keys=True, ensure_ascii=False) + "\n"
                )
        counts[name] = len(frame)
    manifest = {"format": "tiegraph-jsonl", "version": FORMAT_VERSION, "counts": counts}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log.info("exported %d records to %s", sum(counts.values()), folder)
    return counts


def import_graph(store: Store, folder: Path, *, batch: int = 5000) -> dict[str, int]:
    """Read an export into a store (upserts: importing twice changes nothing).

    The audit log is append-only: imported audit entries are added when their
    id is new and never replace an entry the store already holds.

    Raises
    ------
    InputError
        The folder is not a tiegraph export, or a line is not a valid record.
    """
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise InputError(f"{folder}: no manifest.json; not a tiegraph export")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != "tiegraph-jsonl" or manifest.get("version") != FORMAT_VERSION:
        raise InputError(
            f"{manifest_path}: unsupported export format {manifest.get('format')!r} v{manifest.get('version')}"
        )
    counts = {}
    for name, kind in KINDS.items():  # nodes come first in KINDS, so endpoints exist
        path = folder / f"{name}.jsonl"
        if name in PRIVATE_KINDS or not path.exists():
            continue
        records, n = [], 0
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                try:
                    records.append(kind.from_row(json.loads(line)))
                except (json.JSONDecodeError, TypeError) as exc:
                    raise InputError(f"{path.name} line {lineno}: not a {name} record ({exc})") from exc
                if len(records) >= batch:
                    n += _add(store, name, records)
                    records = []
        n += _add(store, name, records)
        counts[name] = n
    return counts


def _add(store: Store, name: str, records: list[Record]) -> int:  # records of one kind
    """Upsert a batch; for append-only kinds (the audit log) only the records whose id is new."""
    if name in APPEND_ONLY and records:
        held = {r.id for r in store.find(name, "id", [r.id for r in records])}
        records = [r for r in records if r.id not in held]
    return store.upsert(name, records)
