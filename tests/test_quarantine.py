"""graph.sources.quarantine: what write_quarantine writes, read_quarantine reads back."""

from __future__ import annotations

from pathlib import Path

from graph.sources.quarantine import read_quarantine, write_quarantine
from graph.sources.tabular import Rejection


def rejection(file: str, row: int, field: str, value: str, reason: str) -> Rejection:
    return Rejection(file=file, row=row, field=field, value=value, reason=reason)


def test_read_quarantine_round_trip_every_source(tmp_path: Path) -> None:
    q = tmp_path / "quarantine"
    write_quarantine(q, Path("contacts.csv"), [rejection("contacts.csv", 5, "date", "2024-13-01", "is not a date")])
    write_quarantine(
        q,
        Path("alumni.csv"),
        [
            rejection("alumni.csv", 2, "name", "", "is empty"),
            rejection("alumni.csv", 9, "email", "x@", "is not an e-mail"),
        ],
    )
    rows = read_quarantine(q)
    assert rows[["file", "row", "field", "value"]].to_records(index=False).tolist() == [
        ("alumni.csv", 2, "name", ""),
        ("alumni.csv", 9, "email", "x@"),
        ("contacts.csv", 5, "date", "2024-13-01"),
    ]
    assert rows["message"].iloc[2] == "contacts.csv row 5, field 'date': '2024-13-01' is not a date"
    write_quarantine(q, Path("alumni.csv"), [])  # a clean re-run removes its file
    assert read_quarantine(q)["file"].tolist() == ["contacts.csv"]


def test_read_quarantine_of_nothing_is_empty_with_columns(tmp_path: Path) -> None:
    for folder in (tmp_path / "missing", tmp_path):
        rows = read_quarantine(folder)
        assert rows.empty and list(rows.columns) == ["file", "row", "field", "value", "reason", "message"]
