"""Parsers fuzzed with hypothesis: whatever the bytes, the only failure is the project's own InputError."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.resolution.resolver import Resolver
from graph.sources.folder import build, detect_kind, read
from graph.sources.schemas import SCHEMAS

TODAY = date(2026, 11, 1)
FUZZ = settings(
    max_examples=int(__import__("os").environ.get("TIEGRAPH_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HEADERS = {k: ",".join(c.name for c in cols) for k, cols in SCHEMAS.items()}


def _try(path: Path, kind: str) -> None:
    try:
        table = read(path, kind, today=TODAY)
        owner = "Owner Person" if kind in ("tracker", "linkedin") else None
        batch = build(table, kind, Resolver([]), ingested_at="t", owner=owner)
        assert batch.landed + len({r.row for r in batch.rejections}) == batch.read
    except InputError as exc:
        assert path.name in str(exc)


@FUZZ
@given(kind=st.sampled_from(sorted(SCHEMAS)), data=st.binary(max_size=2000))
def test_arbitrary_bytes_as_csv(kind: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{kind}.csv"
        p.write_bytes(data)
        _try(p, kind)


cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=25)


@FUZZ
@given(kind=st.sampled_from(sorted(SCHEMAS)), rows=st.lists(st.lists(cell, min_size=0, max_size=14), max_size=8))
def test_valid_header_random_cells(kind: str, rows: list[list[str]]) -> None:
    import csv

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{kind}.csv"
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(HEADERS[kind].split(","))
        w.writerows(rows)
        p.write_text(buf.getvalue(), encoding="utf-8")
        _try(p, kind)


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes_as_xlsx(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "alumni.xlsx"
        p.write_bytes(b"PK\x03\x04" + data)
        _try(p, "alumni")


@settings(max_examples=25, deadline=None)
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=6))
def test_real_xlsx_with_random_cells(rows: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "alumni.xlsx"
        frame = pd.DataFrame(rows, columns=["Full Name", "Class of", "Employer"])
        # openpyxl refuses control characters; such a workbook cannot exist, so strip them
        frame = frame.map(lambda s: "".join(ch for ch in s if ch.isprintable()))
        frame.to_excel(p, index=False)
        _try(p, "alumni")


@FUZZ
@given(name=st.text(max_size=30), data=st.binary(max_size=300))
def test_detect_kind_never_crashes(name: str, data: bytes) -> None:
    safe = "f" + "".join(ch for ch in name if ch.isalnum() or ch in " ._-")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / safe[:40]
        p.write_bytes(data)
        try:
            assert detect_kind(p) in (
                "roster",
                "alumni",
                "mentorship",
                "contacts",
                "tracker",
                "calendar",
                "pubmed",
                "linkedin",
            )
        except InputError as exc:
            assert p.name in str(exc)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_header_only_file_reads_zero_rows(tmp_path: Path, kind: str) -> None:
    p = tmp_path / f"{kind}.csv"
    p.write_text(HEADERS[kind] + "\n")
    assert read(p, kind, today=TODAY).read == 0


@FUZZ
@given(
    kind=st.sampled_from(sorted(SCHEMAS)),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
    titles=st.lists(cell, max_size=3),
    rows=st.lists(st.lists(cell, min_size=0, max_size=14), max_size=6),
    crlf=st.booleans(),
)
def test_titles_delimiters_and_encodings(
    kind: str, delimiter: str, encoding: str, titles: list[str], rows: list[list[str]], crlf: bool
) -> None:
    import csv

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"{kind}.csv"
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        w.writerows([[t] for t in titles] + [[]])
        w.writerow(HEADERS[kind].split(","))
        w.writerows(rows)
        p.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
        _try(p, kind)


day_month = st.tuples(st.integers(1, 31), st.integers(1, 31), st.integers(1990, 2025))


@FUZZ
@given(dates=st.lists(day_month, min_size=1, max_size=8), dayfirst=st.sampled_from([None, True, False]))
def test_numeric_dates_land_in_the_order_the_file_has_or_are_refused(
    dates: list[tuple[int, int, int]], dayfirst: bool | None
) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "contacts.csv"
        p.write_text("date,person_a,person_b\n" + "".join(f"{x}/{y}/{z},Ana,Ben\n" for x, y, z in dates))
        try:
            table = read(p, "contacts", today=TODAY, dayfirst=dayfirst)
        except InputError as exc:
            assert dayfirst is None and str(exc).startswith("contacts.csv: ")
            return
        order = table.read_as.dayfirst if table.read_as.dayfirst is not None else False
        want = []
        for x, y, z in dates:  # the oracle: the calendar itself
            day, month = (x, y) if order else (y, x)
            try:
                want.append(date(z, month, day).isoformat())
            except ValueError:
                continue
        assert table.rows["date"].tolist() == want
        assert table.read + 0 == len(dates) and len(table.rejections) == len(dates) - len(want)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(st.tuples(cell, st.datetimes(min_value=__import__("datetime").datetime(1990, 1, 1))), max_size=5),
    title=st.booleans(),
)
def test_xlsx_with_a_title_sheet_and_date_cells(rows: list[tuple[str, object]], title: bool) -> None:
    import openpyxl

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "tracker - Ana Ruiz.xlsx"
        book = openpyxl.Workbook()
        book.active["A1"] = "notes"
        ws = book.create_sheet("Contacts")
        if title:
            ws.append(["My contacts"])
            ws.append([])
        ws.append(["Contact", "Last contact"])
        for name, when in rows:
            ws.append(["".join(ch for ch in name if ch.isprintable()), when])
        book.save(p)
        _try(p, "tracker")
