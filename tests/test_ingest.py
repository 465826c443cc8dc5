"""graph.resolution.review queue: read_review and decide, on the files the resolver's users edit."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from graph.errors import InputError
from graph.resolution.resolver import Alias, ReviewItem
from graph.resolution.review import decide, load_aliases, read_review, write_review

ITEMS = [
    ReviewItem("D. Patel", "p-new", "p-devika", "Devika Patel", 89.9),
    ReviewItem("J Smith", "p-js", "p-john", "John Smith", 80.0),
]


def test_read_review_highest_score_first(tmp_path: Path) -> None:
    write_review(tmp_path, ITEMS)
    queue = read_review(tmp_path)
    assert queue.to_dict("records") == [
        {
            "written_as": "D. Patel",
            "new_id": "p-new",
            "candidate_id": "p-devika",
            "candidate_name": "Devika Patel",
            "score": 89.9,
            "file": "",
        },
        {
            "written_as": "J Smith",
            "new_id": "p-js",
            "candidate_id": "p-john",
            "candidate_name": "John Smith",
            "score": 80.0,
            "file": "",
        },
    ]


def test_no_queue_is_an_empty_queue(tmp_path: Path) -> None:
    queue = read_review(tmp_path)
    assert queue.empty and list(queue.columns) == [
        "written_as",
        "new_id",
        "candidate_id",
        "candidate_name",
        "score",
        "file",
    ]


def test_decide_appends_the_alias_the_resolver_reads_and_dequeues(tmp_path: Path) -> None:
    write_review(tmp_path, ITEMS)
    path = decide(tmp_path, "p-new", "p-devika", "same")
    assert path == tmp_path / "aliases.csv"
    assert load_aliases(tmp_path) == [Alias(a="p-devika", b="p-new", decision="same")]
    assert read_review(tmp_path)["new_id"].tolist() == ["p-js"]
    assert pd.read_csv(tmp_path / "review.csv")["new_id"].tolist() == ["p-js"]
    decide(tmp_path, "p-js", "p-john", "different")
    assert load_aliases(tmp_path) == [Alias("p-devika", "p-new", "same"), Alias("p-john", "p-js", "different")]
    assert read_review(tmp_path).empty


def test_a_new_decision_on_the_same_pair_replaces_the_old(tmp_path: Path) -> None:
    decide(tmp_path, "p-new", "p-devika", "same")
    decide(tmp_path, "p-devika", "p-new", "different")  # either order names the pair
    assert load_aliases(tmp_path) == [Alias("p-new", "p-devika", "different")]


def test_a_decided_pair_queued_again_by_a_later_ingest_stays_off_the_queue(tmp_path: Path) -> None:
    decide(tmp_path, "p-new", "p-devika", "same")
    write_review(tmp_path, ITEMS)
    assert read_review(tmp_path)["new_id"].tolist() == ["p-js"]


def test_decide_refuses_an_unknown_decision(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="'same' or 'different'"):
        decide(tmp_path, "p-new", "p-devika", "maybe")
    assert not (tmp_path / "aliases.csv").exists()


def test_a_store_written_before_its_sources_table_still_drops_a_files_deleted_rows(tmp_path: Path) -> None:
    """An embedded store from before ``_sources`` gets it filled on open, so a re-snapshot still removes stale rows."""
    import sqlite3

    from graph.model import Interaction, Person
    from graph.store.sqlite_store import SqliteStore

    db = tmp_path / "tiegraph.db"
    people = [Person(id=p, name=p, file="log.csv") for p in ("pa", "pb", "pc")]
    contacts = [
        Interaction(id=i, a="pa", b=b, date="2025-01-02", file="log.csv") for i, b in (("i1", "pb"), ("i2", "pc"))
    ]
    with SqliteStore(db) as s:
        s.replace_source("log.csv", {"person": people, "interaction": contacts})
    con = sqlite3.connect(db)
    con.execute("DROP TABLE _sources")  # as a store written before the table existed
    con.commit()
    con.close()
    with SqliteStore(db) as s:
        s.replace_source("log.csv", {"person": people[:2], "interaction": contacts[:1]})
        assert [i.id for i in s.records("interaction")] == ["i1"]
        assert [p.id for p in s.records("person")] == ["pa", "pb"]
    with SqliteStore(db) as s:  # a file that never wrote a kind: nothing of it to remove
        assert s.ids_of_source("interaction", "other.csv") == set()
        assert s.ids_of_source("interaction", "log.csv") == {"i1"}
