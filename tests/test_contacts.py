"""Contact logs built column by column: ids, initiators, self-contacts and mention rows against hand-made oracles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.model import stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import SELF_CONTACT, Batch
from graph.sources.folder import build, read

LOG = """date,person_a,email_a,person_b,email_b,initiated_by,context
2025-01-02,Ana Lee,ana@x.org,Ben Ortiz,,a,wards
2025-01-02,Ana Lee,ana@x.org,Ben Ortiz,,Ben Ortiz,ICU
2025-01-02,Ana Lee,ana@x.org,Ben Ortiz,,b,ACP 2025 chapter meeting
2025-01-03,Ben Ortiz,,Cy Park,,both,
2025-01-04,Ana Lee,ana@x.org,Ana Lee,ana@x.org,,clinic
2025-01-05,Cy Park,,Ana Lee,,persona,
2025-01-06,Cy Park,,Dee Fox,,Gus,
"""


def test_column_ids_are_the_ids_row_by_row_would_make() -> None:
    parts = [np.array(["a", "a", "b", "a"], dtype=object), np.array(["1", "1", None, "1"], dtype=object)]
    got = Batch("contacts", Path("log.csv")).column_ids("i", parts)
    expected = [  # Batch.row_id's rule: the file and the content; a repeat also its place among its equals
        stable_id("i", "log.csv", "a", "1"),
        stable_id("i", "log.csv", "a", "1", 1),
        stable_id("i", "log.csv", "b", None),
        stable_id("i", "log.csv", "a", "1", 2),
    ]
    assert got == expected
    one_by_one = Batch("contacts", Path("log.csv"))
    assert [one_by_one.row_id("i", *row) for row in zip(*parts, strict=True)] == expected


def test_a_batch_keyed_at_once_keys_no_more_rows() -> None:
    batch = Batch("contacts", Path("log.csv"))
    batch.column_ids("i", [np.array(["a"], dtype=object)])
    with pytest.raises(ValueError, match="all at once"):
        batch.row_id("i", "a")


def test_a_contact_log_built_by_columns(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text(LOG, encoding="utf-8")
    table = read(path, "contacts")
    assert [(r.row, r.field) for r in table.rejections] == [(8, "initiated_by")]  # "Gus" names neither side
    batch = build(table, "contacts", Resolver([]), ingested_at="2025-02-01T00:00:00+00:00")
    assert [(r.row, r.field, r.value, r.reason) for r in batch.rejections[1:]] == [
        (6, "person_b", "Ana Lee", SELF_CONTACT)
    ]
    got = list(batch.of_kind("interaction"))
    assert [g.row for g in got] == [2, 3, 4, 5, 7]
    ana, ben, cy = got[0].a, got[0].b, got[3].b
    assert len({ana, ben, cy}) == 3
    assert [g.initiated_by for g in got] == [ana, ben, ben, None, cy]
    assert [(g.context, g.venue) for g in got] == [
        ("wards", ""),
        ("icu", ""),
        ("conference", "ACP 2025 chapter meeting"),
        ("other", ""),
        ("other", ""),
    ]
    key = ("Ana Lee", "ana@x.org", "", "Ben Ortiz", "", "", "2025-01-02")
    assert [g.id for g in got[:3]] == [
        stable_id("i", "log.csv", *key),
        stable_id("i", "log.csv", *key, 1),
        stable_id("i", "log.csv", *key, 2),
    ]
    rows = {m.name + (m.email or ""): r for (m, _), r in batch.mentions.items()}
    # every row each writing appears on, once per row (the self-contact's row names Ana once)
    assert rows == {"Ana Leeana@x.org": [2, 3, 4, 6], "Ben Ortiz": [2, 3, 4, 5], "Cy Park": [5, 7], "Ana Lee": [7]}
    assert Mention("Ana Lee") in {m for m, _ in batch.mentions}


def test_a_duration_not_given_is_none_not_nan(tmp_path: Path) -> None:
    """No duration column, or a blank cell: the interaction's duration is unset (None), as the model says.

    SQLite stores a NaN as NULL, but Neo4j would keep the NaN, and ``duration_min IS NULL`` would miss it.
    """
    path = tmp_path / "log.csv"
    path.write_text(LOG, encoding="utf-8")
    timed = tmp_path / "timed.csv"
    timed.write_text("date,person_a,person_b,duration\n2025-01-02,Ana Lee,Ben Ortiz,45\n2025-01-03,Ana Lee,Cy Park,\n")
    untimed = build(read(path, "contacts"), "contacts", Resolver([]), ingested_at="2025-02-01T00:00:00+00:00")
    some = build(read(timed, "contacts"), "contacts", Resolver([]), ingested_at="2025-02-01T00:00:00+00:00")
    assert {g.duration_min for g in untimed.of_kind("interaction")} == {None}
    assert [g.duration_min for g in some.of_kind("interaction")] == [45.0, None]
