"""Reading and validating tabular input: CSV and XLSX with varying headers.

A file becomes a frame of strings; headers are matched to canonical columns
through synonyms (or a user's mapping); each column is parsed and validated
vectorised with pandas.  A row that fails any check is rejected with one
:class:`Rejection` per failing field; every other row goes on.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from graph.errors import InputError

__all__ = ["Column", "Rejection", "Table", "normalise_header", "read_rows", "validate"]

log = logging.getLogger(__name__)

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y", "%Y/%m/%d")
_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0", ""}


def normalise_header(text: str) -> str:
    """Header text reduced to lowercase letters and digits: "E-mail " -> "email"."""
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


@dataclass(frozen=True)
class Column:
    """A canonical input column: its synonyms and how to parse it."""

    name: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    parse: str = "str"  # str | date | int | bool | enum
    choices: dict[str, str] = field(default_factory=dict)  # normalised input -> canonical value
    low: int | None = None
    high: int | None = None
    default: str = ""


@dataclass(frozen=True)
class Rejection:
    """A rejected row: file, row, field, value and why."""

    file: str
    row: int
    field: str
    value: str
    reason: str

    @property
    def message(self) -> str:
        """``contacts.csv row 14, field 'date': '2024-13-01' is not a date``."""
        return f"{self.file} row {self.row}, field '{self.field}': {self.value!r} {self.reason}"


@dataclass
class Table:
    """A validated table: good rows (typed), rejections, what headers were recognised."""

    file: Path
    rows: pd.DataFrame  # canonical columns plus ``line`` (spreadsheet line number)
    rejections: list[Rejection]
    recognised: dict[str, str]  # canonical -> header as written
    read: int


def read_rows(
    path: Path, *, skip_until: str | None = None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Rejection]]:
    """Read a CSV or XLSX file as strings: header, numbered rows, ragged-row rejections.

    Parameters
    ----------
    path : pathlib.Path
        ``.csv`` (UTF-8, UTF-8 with BOM or Latin-1) or ``.xlsx``.
    skip_until : str, optional
        Skip preamble lines until one starting with this text (LinkedIn's export).

    Raises
    ------
    InputError
        The file is empty, unreadable or not a table; the message names it.
    """
    name = path.name
    if not path.exists():
        raise InputError(f"{name}: no such file ({path})")
    if path.stat().st_size == 0:
        raise InputError(f"{name}: the file is empty (0 bytes)")
    lines = _xlsx_lines(path) if path.suffix.lower() in (".xlsx", ".xlsm") else _csv_lines(path)
    start = 0
    if skip_until:
        start = next((i for i, ln in enumerate(lines) if ln and ln[0].strip().startswith(skip_until)), 0)
    while start < len(lines) and not any(c.strip() for c in lines[start]):
        start += 1
    if start >= len(lines):
        raise InputError(f"{name}: no header row found")
    header = [h.strip() for h in lines[start]]
    rows, rejected = [], []
    for i, values in enumerate(lines[start + 1 :], start=start + 2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            if len(values) > len(header) and not any(v.strip() for v in values[len(header) :]):
                values = values[: len(header)]
            else:
                rejected.append(
                    Rejection(
                        name, i, "*", ",".join(values)[:80], f"has {len(values)} fields, the header has {len(header)}"
                    )
                )
                continue
        rows.append((i, [v.strip() for v in values] + [""] * (len(header) - len(values))))
    return header, rows, rejected


def _csv_lines(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path.name}: not a text CSV file (binary content)")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"{path.name}: not a readable CSV file ({exc})") from exc


def _xlsx_lines(path: Path) -> list[list[str]]:
    try:
        frame = pd.read_excel(path, dtype=str, header=None, engine="openpyxl").fillna("")
    except Exception as exc:  # openpyxl raises many types for a broken workbook
        raise InputError(f"{path.name}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    return [[str(v) for v in row] for row in frame.itertuples(index=False)]


def validate(
    path: Path,
    columns: tuple[Column, ...],
    *,
    mapping: dict[str, str] | None = None,
    skip_until: str | None = None,
    today: date | None = None,
    checks: tuple[Callable[[pd.DataFrame], list[tuple[int, str, str]]], ...] = (),
) -> Table:
    """Read, map headers and validate a table.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    columns : tuple of Column
        The canonical columns of this kind of file.
    mapping : dict, optional
        ``canonical -> header`` overrides from the user's mapping file.
    today : datetime.date, optional
        Dates later than ``today + 1 day`` are refused.
    checks : tuple of callables
        Cross-field checks; each returns ``(frame index, field, reason)`` for bad rows.

    Raises
    ------
    InputError
        The file cannot be read, or a required column is missing.
    """
    header, numbered, rejected = read_rows(path, skip_until=skip_until)
    recognised = _match_headers(header, columns, mapping or {})
    missing = [c.name for c in columns if c.required and c.name not in recognised]
    if missing:
        raise InputError(
            f"{path.name}: no column for {', '.join(missing)} (headers: {', '.join(header)}); "
            "rename it or map it in a --columns file"
        )
    index = {h: i for i, h in enumerate(header)}
    data = {
        c.name: [r[index[recognised[c.name]]] if c.name in recognised else c.default for _, r in numbered]
        for c in columns
    }
    raw = pd.DataFrame(data, dtype=object)
    raw["line"] = [n for n, _ in numbered]
    good, bad = _parse(raw, columns, path.name, today or date.today())
    for check in checks:
        for idx, fld, reason in check(good):
            bad.append(Rejection(path.name, int(good.at[idx, "line"]), fld, str(raw.at[idx, fld]), reason))
    bad_rows = {b.row for b in bad}
    good = good[~good["line"].isin(bad_rows)].reset_index(drop=True)
    rejections = sorted(rejected + bad, key=lambda r: (r.row, r.field))
    return Table(path, good, rejections, recognised, len(numbered) + len(rejected))


def _match_headers(header: list[str], columns: tuple[Column, ...], mapping: dict[str, str]) -> dict[str, str]:
    by_norm = {normalise_header(h): h for h in header}
    out: dict[str, str] = {}
    for c in columns:
        if c.name in mapping and mapping[c.name] in header:
            out[c.name] = mapping[c.name]
            continue
        for cand in (c.name, *c.synonyms):
            if normalise_header(cand) in by_norm:
                out[c.name] = by_norm[normalise_header(cand)]
                break
    return out


def _parse(
    raw: pd.DataFrame, columns: tuple[Column, ...], file: str, today: date
) -> tuple[pd.DataFrame, list[Rejection]]:
    out = raw.copy()
    bad: list[Rejection] = []

    def reject(mask: pd.Series, col: str, reason: str) -> None:
        for idx in raw.index[mask]:
            bad.append(Rejection(file, int(raw.at[idx, "line"]), col, str(raw.at[idx, col]), reason))

    for c in columns:
        values = raw[c.name].astype(str).str.strip()
        empty = values.eq("")
        if c.required:
            reject(empty, c.name, "is required")
        if c.parse == "date":
            parsed = _parse_dates(values)
            reject(~empty & parsed.isna(), c.name, "is not a date (YYYY-MM-DD, MM/DD/YYYY or 12 Mar 2024)")
            limit = pd.Timestamp(today + timedelta(days=1))
            reject(parsed.notna() & (parsed > limit), c.name, f"is in the future (after {today.isoformat()})")
            out[c.name] = parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)
        elif c.parse == "int":
            num = pd.to_numeric(values.where(~empty), errors="coerce")
            num = num.where(np.isfinite(num))  # "inf" and "nan" are not numbers a person writes
            reject(~empty & (num.isna() | (num % 1 != 0)), c.name, "is not a whole number")
            if c.low is not None and c.high is not None:
                reject(num.notna() & ~num.between(c.low, c.high), c.name, f"is outside {c.low}-{c.high}")
            out[c.name] = pd.array([None if pd.isna(v) or v % 1 else int(v) for v in num], dtype="Int64")
        elif c.parse == "bool":
            low = values.str.lower()
            reject(~low.isin(_TRUE | _FALSE), c.name, "is not yes/no")
            out[c.name] = low.isin(_TRUE)
        elif c.parse == "enum":
            norm = values.map(normalise_header)
            known = norm.isin(c.choices.keys())
            reject(~empty & ~known, c.name, f"is not one of: {', '.join(sorted(set(c.choices.values())))}")
            out[c.name] = norm.map(c.choices).where(~empty, c.default or None)
        else:
            out[c.name] = values
    return out, bad


def _parse_dates(values: pd.Series) -> pd.Series:
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS:
        todo = parsed.isna() & values.ne("")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(values[todo], format=fmt, errors="coerce")
    return parsed
