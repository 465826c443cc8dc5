"""The pandas read of a CSV gives what the csv module reads (the oracle), ragged rows and all."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.sources.tabular import locate

CASES = {
    "plain": "a,b,c\n1,2,3\n4,5,6\n",
    "no final newline": "a,b,c\n1,2,3\n4,5,6",
    "crlf": "a,b,c\r\n1,2,3\r\n4,5,6\r\n",
    "short and long rows": "a,b,c\n1,2\n1,2,3,4\n1,2,3,,\n7,8,9\n",
    "blank lines": "a,b,c\n\n1,2,3\n,,\n  , ,\n4,5,6\n\n",
    "quoted newline and delimiter": 'a,b,c\n"x\ny",2,"3,4"\n"say ""hi""",5,6\n7,8,9\n',
    "quote inside a field": 'a,b,c\nx"y,2,3\n4,5,6\n',
    "padded cells": "a, b ,c\n 1 ,2,\t3\n4,\xa05\xa0,6\n",
    "trailing empty header": "a,b,c,\n1,2,3,\n4,5,6,\n",
    "title rows": "Contacts 2025\n\nperson_a,person_b,date\nAna,Ben,2025-01-02\n",
    "semicolons": "a;b;c\n1;2;3\n4;5\n",
    "empty data": "a,b,c\n",
    "unicode": "a,b,c\nJosé,Zoë,李\n",
}


def oracle(text: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]], list[tuple[int, int]]]:
    """Header (first filled line), data rows and ragged (line, fields) read by the csv module."""
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    start = next(i for i, ln in enumerate(lines) if any(v.strip() for v in ln))
    header = [h.strip() for h in lines[start]]
    while header and not header[-1] and not any(len(v) >= len(header) and v[len(header) - 1].strip() for v in lines):
        header.pop()
    rows, ragged = [], []
    for n, values in enumerate(lines[start + 1 :], start=start + 2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header) and not any(v.strip() for v in values[len(header) :]):
            values = values[: len(header)]
        if len(values) != len(header):
            ragged.append((n, len(values)))
            continue
        rows.append((n, [v.strip() for v in values]))
    return header, rows, ragged


@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_read_equals_the_csv_module(tmp_path: Path, case: str) -> None:
    text = CASES[case]
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("utf-8"))
    grid = locate(path)
    header, rows, ragged = oracle(text.replace("\r\n", "\n"), grid.read_as.delimiter or ",")
    assert grid.header == header
    assert grid.rows == rows
    assert [(r.row, r.reason) for r in grid.rejected] == [
        (n, f"has {k} fields, the header has {len(header)}") for n, k in ragged
    ]
