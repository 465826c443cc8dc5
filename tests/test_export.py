"""Export/import: embedded -> files -> Neo4j -> files gives identical bytes; passwords never leave."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

from graph.access import add_user
from graph.errors import InputError
from graph.model import Interaction, Person, Program, Publication, Tie
from graph.store.export import export_graph, import_graph
from graph.store.sqlite_store import SqliteStore

INJECTION = "Robert'); MATCH (n) DETACH DELETE n //"


def fill(store) -> None:  # noqa: ANN001
    store.upsert(
        "person",
        [
            Person(
                id="p1",
                name="Ana Ruiz",
                kind="resident",
                pgy=2,
                source="roster",
                file="roster.csv",
                row=2,
                ingested_at="2026-11-01T00:00:00+00:00",
            ),
            Person(id="p2", name=INJECTION, interests="é ü 漢字", opted_out=True),
        ],
    )
    store.upsert(
        "program", [Program(id="g", name="GI fellowship at X", institution_id="x", specialty="Gastroenterology")]
    )
    store.upsert("publication", [Publication(id="pmid-1", pmid="1", title="A", year=2024)])
    store.upsert("interaction", [Interaction(id="i1", a="p1", b="p2", date="2026-01-01", scheduled=True, note="x")])
    store.upsert("tie", [Tie(id="t1", a="p1", b="p2", strength=0.123456, computed_at="c")])
    add_user(store, "admin", "admin", "correct horse battery")


def test_round_trip_embedded_neo4j_identical_files(tmp_path: Path, neo4j_session_store) -> None:
    lite = SqliteStore(tmp_path / "a.db")
    fill(lite)
    export_graph(lite, tmp_path / "one")
    neo4j_session_store.clear()
    import_graph(neo4j_session_store, tmp_path / "one")
    export_graph(neo4j_session_store, tmp_path / "two")
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "two", files, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(files)
    people = [json.loads(x) for x in (tmp_path / "one" / "person.jsonl").read_text().splitlines()]
    assert people[1]["name"] == INJECTION and people[0]["file"] == "roster.csv" and people[0]["row"] == 2


def test_passwords_are_never_exported(tmp_path: Path) -> None:
    lite = SqliteStore(tmp_path / "a.db")
    fill(lite)
    export_graph(lite, tmp_path / "out")
    text = "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    assert "argon2" not in text and "password" not in text
    assert not (tmp_path / "out" / "user.jsonl").exists()


def test_import_twice_changes_nothing(tmp_path: Path) -> None:
    a = SqliteStore(tmp_path / "a.db")
    fill(a)
    export_graph(a, tmp_path / "out")
    b = SqliteStore(tmp_path / "b.db")
    import_graph(b, tmp_path / "out")
    once = b.counts()
    import_graph(b, tmp_path / "out")
    assert b.counts() == once and once["person"] == 2 and once["user"] == 0


def test_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="manifest"):
        import_graph(SqliteStore(tmp_path / "a.db"), tmp_path)
    (tmp_path / "manifest.json").write_text(json.dumps({"format": "tiegraph-jsonl", "version": 1}))
    (tmp_path / "person.jsonl").write_text("{not json\n")
    with pytest.raises(InputError, match="person.jsonl line 1"):
        import_graph(SqliteStore(tmp_path / "b.db"), tmp_path)
