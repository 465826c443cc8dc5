"""Reading and validating tabular input: CSV and XLSX with varying headers.

A file becomes a frame of strings; headers are matched to canonical columns
through synonyms (or a user's mapping); each column is parsed and validated
vectorised with pandas.  A row that fails any check is rejected with one
:class:`Rejection` per failing field; every other row goes on.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import python_calamine

from graph.errors import InputError

__all__ = [
    "Column",
    "Grid",
    "ReadAs",
    "Rejection",
    "Table",
    "infer_dayfirst",
    "locate",
    "normalise_header",
    "parse_minutes",
    "read_rows",
    "validate",
]

log = logging.getLogger(__name__)

_WORDS = ("%d %b %Y", "%b %d, %Y", "%d %B %Y", "%B %d, %Y", "%d-%b-%Y", "%d.%m.%Y", "%Y/%m/%d")
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", *_WORDS, "%m/%d/%y")
"""Date formats tried in order; numeric dates month first (see :func:`infer_dayfirst`)."""
DAYFIRST_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", *_WORDS, "%d/%m/%y")
"""The same with numeric dates day first (4/3/2025 = 4 March 2025); ``%d.%m.%Y`` is day first in both."""
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
    parse: str = "str"  # str | date | int | minutes | bool | enum
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


@dataclass(frozen=True)
class ReadAs:
    """How a file was read: where its header was found, its encoding, delimiter and date order."""

    header_row: int = 1  # 1-based line (CSV record or spreadsheet row) of the header
    above: int = 0  # non-blank lines above the header (titles, notes): not read
    sheet: str | None = None  # the workbook sheet read (XLSX)
    encoding: str | None = None  # CSV: utf-8, utf-8-sig (BOM), utf-16, cp1252 or latin-1
    delimiter: str | None = None  # CSV: ",", ";", "\t" or "|"
    dayfirst: bool | None = None  # numeric dates day first (4/3/2025 = 4 March); None: no such dates
    dayfirst_from: str = ""  # "manifest" or "rows" (a day above 12 decided it)

    def as_dict(self) -> dict[str, object]:
        """Only what applies to this file."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "") and (k != "above" or v)}


@dataclass
class Table:
    """A validated table: good rows (typed), rejections, what headers were recognised."""

    file: Path
    rows: pd.DataFrame  # canonical columns plus ``line`` (spreadsheet line number)
    rejections: list[Rejection]
    recognised: dict[str, str]  # canonical -> header as written
    read: int
    ignored: list[str] = field(default_factory=list)  # headers (and sheets) that name nothing known
    read_as: ReadAs = field(default_factory=ReadAs)  # header row, sheet, encoding, delimiter, dates
    derived: dict[str, object] = field(default_factory=dict, repr=False, compare=False)
    """What a reader computed from ``rows`` once, kept for the table's next reader (a log's writings of people)."""


@dataclass(frozen=True)
class Grid:
    """A file read as strings: its header, data rows, ragged-row rejections, how it was read.

    ``cells`` has one column per header cell (0, 1, ...), stripped strings, one
    row per non-blank data line; ``lines`` their 1-based line numbers.
    """

    header: list[str]
    cells: pd.DataFrame
    lines: np.ndarray
    rejected: list[Rejection]
    read_as: ReadAs
    others: tuple[str, ...] = ()  # other non-empty sheets of a workbook, not read

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """The data rows as ``(line, values)``."""
        values = self.cells.to_numpy(dtype=object).tolist()
        return [(int(n), v) for n, v in zip(self.lines.tolist(), values, strict=True)]


HEADER_SCAN = 30
"""Lines searched for the header row, below title and blank rows."""

DELIMITERS = (",", ";", "\t", "|")
"""CSV delimiters tried, in order of preference on a tie."""


def read_rows(
    path: Path, *, skip_until: str | None = None
) -> tuple[list[str], list[tuple[int, list[str]]], list[Rejection]]:
    """Read a CSV or XLSX file as strings: header, numbered rows, ragged-row rejections.

    The header is the first non-blank line; :func:`locate` finds it by the
    columns it names instead.

    Parameters
    ----------
    path : pathlib.Path
        ``.csv`` (UTF-8, UTF-8 with BOM, UTF-16 with BOM, cp1252 or Latin-1;
        comma, semicolon, tab or pipe delimited) or ``.xlsx``.
    skip_until : str, optional
        Skip preamble lines until one starting with this text (LinkedIn's export).

    Raises
    ------
    InputError
        The file is empty, unreadable or not a table; the message names it.
    """
    grid = locate(path, skip_until=skip_until)
    return grid.header, grid.rows, grid.rejected


def locate(
    path: Path,
    columns: tuple[Column, ...] = (),
    *,
    mapping: dict[str, str] | None = None,
    skip_until: str | None = None,
) -> Grid:
    """Read a table, finding its header row (and sheet) by the columns it names.

    Among the first :data:`HEADER_SCAN` lines of every sheet (and, for a CSV,
    every delimiter of :data:`DELIMITERS`) the header is the line naming the
    most required, then the most known, columns; the earliest on a tie.  A
    line naming none means the first non-blank line.

    Parameters
    ----------
    path : pathlib.Path
        ``.csv`` or ``.xlsx``/``.xlsm``.
    columns : tuple of Column, optional
        The canonical columns expected.
    mapping : dict, optional
        ``canonical -> header`` overrides.
    skip_until : str, optional
        The header is at or below the first line starting with this text.

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
    wanted = _wanted(columns, mapping or {})
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        candidates = [(lines, ReadAs(sheet=sheet)) for sheet, lines in _xlsx_sheets(path)]
    else:
        text, encoding = _csv_text(path)
        delimiter = _sniff(text, wanted)
        fast = None if skip_until else _fast_csv(name, text, delimiter, wanted)
        if fast is not None:
            return replace(fast, read_as=replace(fast.read_as, encoding=encoding, delimiter=delimiter))
        candidates = [(_csv_lines(path, text, delimiter), ReadAs(encoding=encoding, delimiter=delimiter))]
    found = _find_header(candidates, wanted, skip_until)
    if found is None:
        raise InputError(f"{name}: no header row found")
    c, start = found
    lines, read_as = candidates[c]
    others = tuple(
        ra.sheet
        for k, (ls, ra) in enumerate(candidates)
        if k != c and ra.sheet and any(any(v.strip() for v in ln) for ln in ls)
    )
    header, rows, rejected = _numbered(name, lines, start)
    above = sum(any(v.strip() for v in ln) for ln in lines[:start])
    width = len(header)
    cells = pd.DataFrame([v for _, v in rows], columns=range(width), dtype=object) if rows else _empty(width)
    numbers = np.array([n for n, _ in rows], dtype=np.int64)
    return Grid(header, cells, numbers, rejected, replace(read_as, header_row=start + 1, above=above), others)


def _empty(width: int) -> pd.DataFrame:
    return pd.DataFrame({i: pd.Series([], dtype=object) for i in range(width)})


def _fast_csv(name: str, text: str, delimiter: str, wanted: dict[str, tuple[str, bool]]) -> Grid | None:
    """The CSV read by pandas' C parser, the rows' field counts from a quote-aware scan of the text.

    The header is found among the first :data:`HEADER_SCAN` records as
    :func:`locate` says.  None when the file is one this path cannot read
    exactly as the ``csv`` module would (a bare carriage return, a quote inside
    an unquoted field, no header in the first lines): the caller reads it with
    the ``csv`` module instead.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    head = list(itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), HEADER_SCAN))
    found = _find_header([(head, ReadAs())], wanted, None)
    if found is None:
        return None
    start = found[1]
    counted = _field_counts(text, delimiter)
    if counted is None:
        return None
    fields, blank, rough = counted
    width0 = int(fields.max(initial=1))
    try:
        frame = pd.read_csv(
            io.StringIO(text, newline=""),
            sep=delimiter,
            header=None,
            names=range(width0),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if len(frame) != len(fields) or [str(v) for v in frame.iloc[start].tolist()[: len(head[start])]] != head[start]:
        return None  # the two readings disagree: let the csv module decide
    header = [h.strip() for h in head[start]]
    has = fields >= len(header)
    while header and not header[-1] and not frame[len(header) - 1][has].str.strip().ne("").any():
        header.pop()  # an empty trailing header cell with no data under it (a spreadsheet's width)
        has = fields >= len(header)
    width = len(header)
    if not width:
        return None
    data = frame.iloc[start + 1 :]
    counts, empty = fields[start + 1 :], blank[start + 1 :]
    numbers = np.arange(start + 2, start + 2 + len(data), dtype=np.int64)
    stripped = {i: data[i].str.strip() if i in rough else data[i] for i in range(width)}
    filled = np.zeros(len(data), dtype=bool)
    for col in stripped.values():
        filled |= col.ne("").to_numpy()
    extra = np.zeros(len(data), dtype=bool)
    for i in range(width, width0):
        extra |= (data[i].str.strip() if i in rough else data[i]).ne("").to_numpy() & (counts > i)
    filled |= extra & ~empty
    ragged = filled & ((counts < width) | extra)
    rejected = [
        Rejection(
            name,
            int(n),
            "*",
            ",".join(str(v) for v in row[: int(k)])[:80],
            f"has {int(k)} fields, the header has {width}",
        )
        for n, k, row in zip(
            numbers[ragged].tolist(),
            counts[ragged].tolist(),
            data[ragged].to_numpy(dtype=object).tolist(),
            strict=True,
        )
    ]
    keep = filled & ~ragged
    out = pd.DataFrame({i: col[keep].to_numpy(dtype=object) for i, col in stripped.items()})
    above = sum(any(v.strip() for v in ln) for ln in head[:start])
    return Grid(header, out, numbers[keep], rejected, ReadAs(header_row=start + 1, above=above))


def _field_counts(text: str, delimiter: str) -> tuple[np.ndarray, np.ndarray, set[int]] | None:
    """Fields of every record, whether it is empty, and the columns whose cells may need stripping.

    A scan of the bytes: a delimiter or newline separates only outside quotes
    (an even number of quote characters before it).  A column may need
    stripping when one of its cells starts or ends with a space, a quote or a
    non-ASCII byte.  None when a quote opens inside an unquoted field, which
    the ``csv`` module reads differently.
    """
    b = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    if not len(b):
        return None
    quotes = np.flatnonzero(b == ord('"'))
    if len(quotes):
        opening = quotes[::2]  # every other quote opens a quoted part (a doubled quote closes and reopens)
        before = b[np.maximum(opening - 1, 0)]
        ok = (opening == 0) | (before == ord("\n")) | (before == ord(delimiter)) | (before == ord('"'))
        if not ok.all():
            return None

    def outside(at: np.ndarray) -> np.ndarray:
        return at[np.searchsorted(quotes, at) % 2 == 0] if len(quotes) else at

    bounds = outside(np.flatnonzero((b == ord("\n")) | (b == ord(delimiter))))  # every field's end, in order
    is_end = b[bounds] == ord("\n")
    if b[-1] != ord("\n"):
        bounds, is_end = np.append(bounds, len(b)), np.append(is_end, True)
    ends = bounds[is_end]
    starts = np.concatenate(([0], ends[:-1] + 1))
    record_of = np.cumsum(is_end) - is_end  # the record each field ends in: the ends before it
    fields = np.bincount(record_of, minlength=len(ends))
    # every field's first and last byte, and its column
    first = np.concatenate(([0], bounds[:-1] + 1))
    place = np.arange(len(bounds))
    opens = np.concatenate(([True], is_end[:-1]))  # the first field of a record
    field_no = place - np.maximum.accumulate(np.where(opens, place, 0))
    filled = np.flatnonzero(first < bounds)
    edge = np.zeros(len(bounds), dtype=bool)
    for at in (first[filled], bounds[filled] - 1):
        c = b[at]
        edge[filled] |= (c <= 32) | (c >= 128) | (c == ord('"'))
    return fields.astype(np.int64), ends == starts, set(np.unique(field_no[edge]).tolist())


def _find_header(
    candidates: list[tuple[list[list[str]], ReadAs]], wanted: dict[str, tuple[str, bool]], skip_until: str | None
) -> tuple[int, int] | None:
    """(candidate, line) of the header: the best-scoring line, earliest on a tie; else the first filled line."""
    best: tuple[tuple[int, int], int, int] | None = None  # score, -candidate, -line
    first: tuple[int, int] | None = None
    for c, (lines, _) in enumerate(candidates):
        start = _skip_start(lines, skip_until)
        for i in range(start, min(len(lines), start + HEADER_SCAN)):
            if not any(v.strip() for v in lines[i]):
                continue
            first = first or (c, i)
            key = (_header_score(lines[i], wanted), -c, -i)
            if best is None or key > best:
                best = key
        if first is None:
            filled = _first_filled(lines, start)
            first = None if filled is None else (c, filled)
    if best is not None and best[0] != (0, 0):
        return -best[1], -best[2]
    return first


def _skip_start(lines: list[list[str]], skip_until: str | None) -> int:
    if not skip_until:
        return 0
    return next((i for i, ln in enumerate(lines) if ln and ln[0].strip().startswith(skip_until)), 0)


def _first_filled(lines: list[list[str]], start: int) -> int | None:
    return next((i for i in range(start, len(lines)) if any(v.strip() for v in lines[i])), None)


def _wanted(columns: tuple[Column, ...], mapping: dict[str, str]) -> dict[str, tuple[str, bool]]:
    """Normalised header text -> (canonical column, required)."""
    out: dict[str, tuple[str, bool]] = {}
    for c in columns:
        for text in (c.name, *c.synonyms, *([mapping[c.name]] if c.name in mapping else [])):
            out.setdefault(normalise_header(text), (c.name, c.required))
    return out


def _header_score(line: list[str], wanted: dict[str, tuple[str, bool]]) -> tuple[int, int]:
    """(required columns named, columns named) by one line."""
    named = {wanted[n] for n in map(normalise_header, line) if n in wanted}
    return sum(req for _, req in named), len(named)


def _numbered(
    name: str, lines: list[list[str]], start: int
) -> tuple[list[str], list[tuple[int, list[str]]], list[Rejection]]:
    header = [h.strip() for h in lines[start]]
    while header and not header[-1] and not any(len(v) >= len(header) and v[len(header) - 1].strip() for v in lines):
        header.pop()  # an empty trailing header cell with no data under it (a spreadsheet's width)
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
        rows.append((i, [v.strip() for v in values]))
    return header, rows, rejected


def _csv_text(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read with."""
    raw = path.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"{path.name}: not readable UTF-16 text (byte {exc.start})") from exc
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path.name}: not a text CSV file (binary content)")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig" and not raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return text, encoding
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _sniff(text: str, wanted: dict[str, tuple[str, bool]]) -> str:
    """The delimiter that fits the file best, judged on its first lines."""
    sample = "\n".join(text[: 1 << 16].splitlines()[: HEADER_SCAN + 20])
    best: tuple[tuple[int, int], int, int] | None = None
    chosen = ","
    for rank, d in enumerate(DELIMITERS):
        if d != "," and d not in sample:
            continue
        try:
            lines = list(csv.reader(io.StringIO(sample, newline=""), delimiter=d))
        except csv.Error:
            continue
        header = max((_header_score(ln, wanted) for ln in lines[:HEADER_SCAN]), default=(0, 0))
        widths = Counter(len(ln) for ln in lines if any(v.strip() for v in ln))
        width, steady = widths.most_common(1)[0] if widths else (1, 0)
        key = (header, steady if width > 1 else 0, -rank)
        if best is None or key > best:
            best, chosen = key, d
    return chosen


def _csv_lines(path: Path, text: str, delimiter: str) -> list[list[str]]:
    """The whole file split by the ``csv`` module."""
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"{path.name}: not a readable CSV file ({exc})") from exc


def _xlsx_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    """Every worksheet as rows of strings; date cells as YYYY-MM-DD (with the time if it has one).

    Read with calamine (Rust; 5x less CPU than openpyxl on a 79k-row workbook). calamine
    gives an error cell (``#N/A``, ``#DIV/0!``) as ``""``, which it cannot tell from an empty
    cell, so a workbook whose sheets hold any error cell (``t="e"``) is read with openpyxl,
    which gives the error's text as a person sees it.
    """
    try:
        sheets = _openpyxl_sheets(path) if _has_error_cells(path) else _calamine_sheets(path)
    except Exception as exc:  # both readers raise many types for a broken workbook
        raise InputError(f"{path.name}: not a readable XLSX workbook ({type(exc).__name__}: {exc})") from exc
    out = []
    for title, rows in sheets:
        width = max((len(r) for r in rows), default=0)
        out.append((title, [r + [""] * (width - len(r)) for r in rows]))
    return out


_ERROR_CELL = re.compile(rb"""<(?:\w+:)?c\b[^>]*\st\s*=\s*["']e["']""")


def _has_error_cells(path: Path) -> bool:
    """Whether any worksheet part of the workbook holds an error cell."""
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.lower().startswith("xl/worksheets/") and n.lower().endswith(".xml")]
        return any(_ERROR_CELL.search(z.read(n)) for n in parts)


def _calamine_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    with python_calamine.CalamineWorkbook.from_path(path) as book:
        return [
            (
                m.name,
                [[_cell(v) for v in row] for row in book.get_sheet_by_name(m.name).to_python(skip_empty_area=False)],
            )
            for m in book.sheets_metadata
            if m.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]


def _openpyxl_sheets(path: Path) -> list[tuple[str, list[list[str]]]]:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [
            (ws.title, [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]) for ws in book.worksheets
        ]
    finally:
        book.close()


def _cell(value: object) -> str:
    """A spreadsheet cell as a person would read it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def validate(
    path: Path,
    columns: tuple[Column, ...],
    *,
    mapping: dict[str, str] | None = None,
    skip_until: str | None = None,
    today: date | None = None,
    dayfirst: bool | None = None,
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
    dayfirst : bool, optional
        Numeric dates such as 4/3/2025 are day first (True) or month first
        (False); None: the file's rows decide (see :func:`infer_dayfirst`).
    checks : tuple of callables
        Cross-field checks; each returns ``(frame index, field, reason)`` for bad rows.

    Raises
    ------
    InputError
        The file cannot be read, a required column is missing, or its
        numeric dates could be either order and nothing says which.
    """
    grid = locate(path, columns, mapping=mapping, skip_until=skip_until)
    header = grid.header
    recognised = _match_headers(header, columns, mapping or {})
    missing = [c.name for c in columns if c.required and c.name not in recognised]
    if missing:
        raise InputError(
            f"{path.name}: no column for {', '.join(missing)} (headers: {', '.join(header)}); "
            "rename it or map it in a --columns file"
        )
    index = {h: i for i, h in enumerate(header)}
    n = len(grid.lines)
    data = {
        c.name: grid.cells[index[recognised[c.name]]].to_numpy(dtype=object)
        if c.name in recognised
        else np.full(n, c.default, dtype=object)
        for c in columns
    }
    raw = pd.DataFrame(data, dtype=object)
    raw["line"] = pd.Series(grid.lines, dtype="int64")
    dates = [c.name for c in columns if c.parse == "date" and c.name in recognised]
    order, source = (dayfirst, "manifest") if dayfirst is not None else (infer_dayfirst(path.name, raw, dates), "rows")
    good, bad = _parse(raw, columns, path.name, today or date.today(), bool(order))
    for check in checks:
        for idx, fld, reason in check(good):
            bad.append(Rejection(path.name, int(good.at[idx, "line"]), fld, str(raw.at[idx, fld]), reason))
    bad_rows = {b.row for b in bad}
    good = good[~good["line"].isin(bad_rows)].reset_index(drop=True)
    rejections = sorted(grid.rejected + bad, key=lambda r: (r.row, r.field))
    read_as = replace(grid.read_as, dayfirst=order, dayfirst_from=source if order is not None else "")
    ignored = _ignored(header, grid.cells, recognised) + [f"sheet {s!r}" for s in grid.others]
    return Table(path, good, rejections, recognised, n + len(grid.rejected), ignored, read_as)


def _ignored(header: list[str], cells: pd.DataFrame, recognised: dict[str, str]) -> list[str]:
    """Headers that name no canonical column; a blank header only when its column holds data."""
    used = set(recognised.values())
    out = []
    for i, h in enumerate(header):
        if h and h not in used:
            out.append(h)
        elif not h and cells[i].astype(bool).any():
            out.append(f"column {i + 1} (no header)")
    return out


_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$")


def infer_dayfirst(file: str, raw: pd.DataFrame, columns: list[str]) -> bool | None:
    """Whether a file's numeric dates (4/3/2025) are day first, from its rows.

    A first number above 12 says day first, a second number above 12 month
    first.  Dates whose two numbers are equal read the same either way.

    Returns
    -------
    bool or None
        None when the file has no numeric dates that could be read both ways.

    Raises
    ------
    InputError
        When the rows say both (name the file, column and a row of each), or
        when some dates could be read both ways and no row decides: the
        manifest (``tiegraph.yaml``, ``dayfirst: true`` or ``false``) must say.
    """
    seen: dict[bool, tuple[str, int, str]] = {}
    unsure: tuple[str, int, str] | None = None
    for col in columns:
        column = raw[col]
        column = column[~column.duplicated()]  # each value at its first row: what the whole column says, once
        values = _strip_times(column.astype(str).str.strip())
        maybe = values.str.contains("/", regex=False) | values.str[1:3].str.contains("-", regex=False)
        parts = values[maybe].str.extract(_NUMERIC_DATE).dropna()
        if parts.empty:
            continue
        first, second = parts[0].astype(int), parts[1].astype(int)
        for flag, mask in ((True, (first > 12) & (first <= 31)), (False, (second > 12) & (second <= 31))):
            if mask.any() and flag not in seen:
                idx = mask.idxmax()
                seen[flag] = (col, int(raw.at[idx, "line"]), str(raw.at[idx, col]))
        both = (first <= 12) & (second <= 12) & (first != second)
        if both.any() and unsure is None:
            idx = both.idxmax()
            unsure = (col, int(raw.at[idx, "line"]), str(raw.at[idx, col]))
    if len(seen) == 2:
        (c1, r1, v1), (c2, r2, v2) = seen[True], seen[False]
        raise InputError(
            f"{file}: dates are written day first (column '{c1}' row {r1}: {v1!r}) and month first "
            f"(column '{c2}' row {r2}: {v2!r}); correct the file, or say which in tiegraph.yaml "
            "(dayfirst: true or false for this file)"
        )
    if seen:
        return next(iter(seen))
    if unsure:
        col, row, value = unsure
        raise InputError(
            f"{file}: column '{col}' row {row}: {value!r} could be day/month or month/day and no date in "
            "the file decides (none has a day above 12); say which in tiegraph.yaml "
            "(dayfirst: true or false for this file)"
        )
    return None


def _match_headers(header: list[str], columns: tuple[Column, ...], mapping: dict[str, str]) -> dict[str, str]:
    by_norm: dict[str, str] = {}
    for h in header:
        by_norm.setdefault(normalise_header(h), h)
    out: dict[str, str] = {}
    for c in columns:
        if c.name in mapping and mapping[c.name] in header:
            out[c.name] = mapping[c.name]
            continue
        for cand in (c.name, *c.synonyms):
            if normalise_header(cand) in by_norm and by_norm[normalise_header(cand)] not in out.values():
                out[c.name] = by_norm[normalise_header(cand)]
                break
    return out


_PARSED = ("date", "int", "minutes", "bool", "enum")
"""Column kinds parsed value by value; any other (``str``) is taken as written."""


def _parse(
    raw: pd.DataFrame, columns: tuple[Column, ...], file: str, today: date, dayfirst: bool = False
) -> tuple[pd.DataFrame, list[Rejection]]:
    """Each column parsed and checked; a parsed column once per distinct value, then spread to its rows.

    A contact log's million dates, channels and durations hold a few hundred
    distinct values: each is parsed once (:func:`_parse_values`) and the
    result and any rejection reason taken back to every row that holds it,
    so only the bad rows get a :class:`Rejection` made one by one.
    """
    out = raw.copy()
    bad: list[Rejection] = []
    lines = raw["line"].to_numpy()
    for c in columns:
        cells = raw[c.name].to_numpy(dtype=object)  # stripped already: a Grid's cells are, and a column's default
        if c.parse not in _PARSED:
            if c.required:
                _reject(bad, file, c.name, lines, cells, cells == "", "is required")
            out[c.name] = raw[c.name].astype(str)
            continue
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)
        parsed, reasons = _parse_values(pd.Series(distinct, dtype=object).astype(str), c, today, dayfirst)
        for mask, reason in reasons:
            _reject(bad, file, c.name, lines, cells, np.asarray(mask, dtype=bool)[codes], reason)
        out[c.name] = parsed.take(codes).set_axis(raw.index)
    return out, bad


def _reject(
    bad: list[Rejection], file: str, col: str, lines: np.ndarray, cells: np.ndarray, mask: np.ndarray, reason: str
) -> None:
    for i in np.flatnonzero(mask).tolist():
        bad.append(Rejection(file, int(lines[i]), col, str(cells[i]), reason))


def _parse_values(
    values: pd.Series, c: Column, today: date, dayfirst: bool
) -> tuple[pd.Series, list[tuple[pd.Series, str]]]:
    """One column's distinct values parsed, with ``(mask, reason)`` for each check that fails."""
    reasons: list[tuple[pd.Series, str]] = []
    empty = values.eq("")
    if c.required:
        reasons.append((empty, "is required"))
    if c.parse == "date":
        parsed = _parse_dates(values, dayfirst)
        order = "DD/MM/YYYY" if dayfirst else "MM/DD/YYYY"
        reasons.append((~empty & parsed.isna(), f"is not a date (YYYY-MM-DD, {order} or 12 Mar 2024)"))
        limit = pd.Timestamp(today + timedelta(days=1))
        reasons.append((parsed.notna() & (parsed > limit), f"is in the future (after {today.isoformat()})"))
        return parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None), reasons
    if c.parse == "int":
        num = pd.to_numeric(values.where(~empty), errors="coerce")
        num = num.where(np.isfinite(num))  # "inf" and "nan" are not numbers a person writes
        reasons.append((~empty & (num.isna() | (num % 1 != 0)), "is not a whole number"))
        huge = num.abs() > 2**53  # beyond what a year, a count or an Int64 column holds exactly ("1E100")
        reasons.append((huge, "is too large a number"))
        num = num.where(~huge)
        if c.low is not None and c.high is not None:
            reasons.append((num.notna() & ~num.between(c.low, c.high), f"is outside {c.low}-{c.high}"))
        ints = pd.array([None if pd.isna(v) or v % 1 else int(v) for v in num], dtype="Int64")
        return pd.Series(ints, index=values.index), reasons
    if c.parse == "minutes" and empty.all():
        return pd.Series(None, index=values.index, dtype=object), reasons
    if c.parse == "minutes":
        minutes = parse_minutes(values)
        reasons.append((~empty & minutes.isna(), "is not a duration (minutes, such as 45, 45 min, 1.5 h or 1:30)"))
        reasons.append((minutes > 24 * 60, "is more than 24 hours"))
        return pd.Series([None if pd.isna(m) else float(m) for m in minutes], index=values.index, dtype=object), reasons
    if c.parse == "bool":
        low = values.str.lower()
        reasons.append((~low.isin(_TRUE | _FALSE), "is not yes/no"))
        return low.isin(_TRUE), reasons
    if c.parse == "enum":
        norm = values.map(normalise_header)
        known = norm.isin(c.choices.keys())
        reasons.append((~empty & ~known, f"is not one of: {', '.join(sorted(set(c.choices.values())))}"))
        return norm.map(c.choices).where(~empty, c.default or None), reasons
    raise AssertionError(c.parse)  # pragma: no cover - _parse passes only _PARSED kinds


_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?$")


def _strip_time(value: str) -> str:
    """``2025-03-04 00:00:00`` -> ``2025-03-04``: a date-time names its day."""
    return _TIME.sub("", value)


def _strip_times(values: pd.Series) -> pd.Series:
    """:func:`_strip_time` on the values that have a time (a colon); the others as they are."""
    timed = values.str.contains(":", regex=False)
    if not timed.any():
        return values
    values = values.copy()
    values[timed] = values[timed].map(_strip_time)
    return values


def _parse_dates(values: pd.Series, dayfirst: bool = False) -> pd.Series:
    values = _strip_times(values)
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")  # microseconds: years 1-9999
    for fmt in DAYFIRST_FORMATS if dayfirst else DATE_FORMATS:
        todo = parsed.isna() & values.ne("")
        if not todo.any():
            break
        parsed[todo] = pd.to_datetime(values[todo], format=fmt, errors="coerce").astype("datetime64[us]")
    return parsed


_DURATIONS = (
    (re.compile(r"^(\d+(?:\.\d+)?)\s*(?:m|mins?|minutes?)?$", re.IGNORECASE), (1.0,)),
    (re.compile(r"^(\d+(?:\.\d+)?)\s*(?:h|hrs?|hours?)$", re.IGNORECASE), (60.0,)),
    (re.compile(r"^(\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)$", re.IGNORECASE), (1 / 60,)),
    (re.compile(r"^(\d+):(\d{1,2})(?::(\d{1,2}))?$"), (60.0, 1.0, 1 / 60)),
    (re.compile(r"^(\d+)\s*h\s*(\d{1,2})\s*(?:m|mins?|minutes?)?$", re.IGNORECASE), (60.0, 1.0)),
)


def parse_minutes(values: pd.Series) -> pd.Series:
    """Durations as minutes: ``45``, ``45 min``, ``1.5 h``, ``90 s``, ``1:30`` (h:mm), ``1:30:15``, ``1h30``.

    Returns
    -------
    pandas.Series
        Float minutes; NaN where the text is empty or not a duration.
    """
    text = values.astype(str).str.strip()
    out = pd.Series(np.nan, index=values.index, dtype="float64")
    for pattern, scale in _DURATIONS:
        todo = out.isna() & text.ne("")
        if not todo.any():
            break
        parts = text[todo].str.extract(pattern)
        hit = parts[0].notna()
        total = sum(pd.to_numeric(parts[k], errors="coerce").fillna(0.0) * f for k, f in enumerate(scale))
        out[parts.index[hit]] = total[hit]
    return out
