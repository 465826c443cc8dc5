"""Ingest resolves the whole run at once: data/sample through the real flow, its stored people scored against the labels.

The oracle is the sample's labels (``data/sample/labels``), never the resolver: a labelled
writing's ``true_person`` (file, row, name as written), else the person whose e-mail or id the
row carries (``labels/people.csv``); rows with neither are not scored.  The store keeps, per
person, the mentions it was built from (kind ``mention``: file, rows, name as written), so
every scored row of every file is one item of the pairwise measure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from graph.config import Settings
from graph.resolution.resolver import Mention, Resolver
from graph.store import open_store
from tools.labelled_sets import LABELS, ROOT
from tools.stress_names import pairwise

SAMPLE = ROOT / "data" / "sample"


def stored_rows(mentions: pd.DataFrame) -> list[tuple[str, int, str, str | None, str | None, str]]:
    """Every row each stored mention came from: ``(file, row, name, email, program id, person)``."""
    out = []
    for m in mentions.itertuples(index=False):
        for row in str(m.rows or "").split():
            out.append((m.file, int(row), m.name, m.email or None, m.program_id or None, m.person))
    return out


def scored(rows: list[tuple[str, int, str, str | None, str | None, str]]) -> tuple[list[str], list[str]]:
    """``(stored person, true person)`` of every row the labels say who it is."""
    people = pd.read_csv(LABELS / "people.csv", dtype=str, keep_default_na=False)
    labels = pd.read_csv(LABELS / "resolution.csv", dtype=str, keep_default_na=False)
    by_key = {
        **dict(zip(people["email"], people["person"], strict=True)),
        **dict(zip(people["program_id"], people["person"], strict=True)),
    }
    by_key.pop("", None)
    labelled = {(lab.file, int(lab.row), lab.written_as): lab.true_person for lab in labels.itertuples(index=False)}
    got, truth = [], []
    for file, row, name, email, pid, person in rows:
        true = labelled.get((file, row, name)) or by_key.get(pid or "") or by_key.get(email or "")
        if true is not None:
            got.append(person)
            truth.append(true)
    return got, truth


def test_the_scorer_counts_pairs_of_rows_by_hand() -> None:
    # two rows of R-0001 (by program id) stored as one person, one of R-0002 (by e-mail) apart: all right
    people = pd.read_csv(LABELS / "people.csv", dtype=str, keep_default_na=False).set_index("person")
    rows = [
        ("roster.csv", 2, "x", None, "R-0001", "p1"),
        ("contacts_2025.csv", 9, "y", None, "R-0001", "p1"),
        ("contacts_2025.csv", 9, "z", people.loc["R-0002", "email"], None, "p2"),
        ("contacts_2025.csv", 10, "nobody", None, None, "p3"),  # unscored
    ]
    got, truth = scored(rows)
    assert truth == ["R-0001", "R-0001", "R-0002"]
    assert pairwise(got, truth) == (1.0, 1.0)
    # the same rows with R-0002 folded into p1: 1 of 3 predicted pairs is true
    got, truth = scored([*rows[:2], (*rows[2][:5], "p1")])
    assert pairwise(got, truth) == (1 / 3, 1.0)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    from pipelines.ingest_flow import ingest_path

    home = tmp_path_factory.mktemp("whole") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIEGRAPH_HOME", str(home))
        mp.setenv("TIEGRAPH_STORE", "embedded")
        reports = ingest_path(SAMPLE)
    assert all(r.error is None for r in reports), [r.error for r in reports if r.error]
    return home


def test_sample_ingest_resolves_the_labelled_people(ingested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIEGRAPH_HOME", str(ingested))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    with open_store(Settings.from_env()) as s:
        mentions = s.frame("mention")
    got, truth = scored(stored_rows(mentions))
    precision, recall = pairwise(got, truth)
    print(json.dumps({"set": "sample ingest", "rows": len(got), "precision": precision, "recall": recall}))
    assert len(got) > 20_000
    assert precision >= 0.995, precision
    assert recall >= 0.98, recall
    distinct = pd.read_csv(LABELS / "distinct_people.csv", dtype=str)
    of: dict[str, set[str]] = defaultdict(set)
    for g, t in zip(got, truth, strict=True):
        of[t].add(g)
    for row in distinct.itertuples(index=False):
        assert not of[row.person_1] & of[row.person_2], row.name


def test_every_mention_of_the_run_is_decided_before_any_file_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    """No build resolves a mention the whole-run pass has not seen (each is a cache hit)."""
    from pipelines.ingest_flow import ingest_path

    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    misses: list[Mention] = []
    incremental = Resolver._resolve

    def counted(self: Resolver, m: Mention) -> str:
        misses.append(m)
        return incremental(self, m)

    monkeypatch.setattr(Resolver, "_resolve", counted)
    reports = ingest_path(SAMPLE)
    assert sum(r.read for r in reports) > 20_000
    assert misses == []
