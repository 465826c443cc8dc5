"""The embedded store's writes made by a child process land as the store's own would, and fail as clearly."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from graph.errors import StoreError
from graph.model import Institution, Interaction, Person, RecordRows, field_names
from graph.store.sqlite_store import SqliteStore
from graph.store.sqlite_writer import SqliteWriter


def people(file: str = "roster.csv") -> list[Person]:
    return [Person(id=f"p{i}", name=f"Person {i}", email=f"p{i}@x.example", file=file, row=i + 2) for i in range(4)]


def contacts(file: str = "log.csv") -> RecordRows:
    rows = [Interaction(id=f"i{i}", a=f"p{i % 4}", b=f"p{(i + 1) % 4}", date="2026-01-02", file=file) for i in range(6)]
    return RecordRows(Interaction, [tuple(getattr(r, f) for f in field_names(Interaction)) for r in rows])


def write_all(store: SqliteStore | SqliteWriter) -> dict[str, float]:
    seconds: dict[str, float] = {}
    store.write_file("roster.csv", {"institution": [Institution(id="u1", name="U", city="Boston")]})
    store.write_file("roster.csv", {"person": people()}, seconds=seconds)
    store.write_file("log.csv", {"person": people("log.csv"), "interaction": contacts()}, unchanged={"person": {"p0"}})
    store.write_file("alumni.csv", {"institution": [Institution(id="u1", name="U", city="")]})  # the city is kept
    store.write_file("log.csv", {"interaction": contacts()[:4]}, {"interaction": ["i0"]})  # a new snapshot, a deletion
    store.upsert("person", [Person(id="p9", name="Late")])
    return seconds


def test_the_writers_writes_land_as_the_stores_own(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "own.db") as own:
        write_all(own)
        want = {k: own.frame(k) for k in ("person", "interaction", "institution")}
    SqliteStore(tmp_path / "child.db").close()
    with SqliteWriter(tmp_path / "child.db") as writer:
        seconds = write_all(writer)
    assert set(seconds) == {"person"} and seconds["person"] > 0  # the child's times come back
    with SqliteStore(tmp_path / "child.db") as got:
        for kind, frame in want.items():
            assert got.frame(kind).equals(frame), kind
        assert got.get("person", "p0").file == "roster.csv"  # held unchanged: not written again by log.csv
        assert got.get("institution", "u1").city == "Boston"
        assert sorted(got.frame("interaction")["id"]) == ["i1", "i2", "i3"]


def test_an_error_in_the_child_is_a_store_error_and_the_child_goes_on(tmp_path: Path) -> None:
    with SqliteWriter(tmp_path / "x.db") as writer:
        writer.upsert("person", people())
        ghost = RecordRows(Interaction, [("i1", *contacts().rows[0][1:5], "p0", "ghost", *contacts().rows[0][7:])])
        with pytest.raises(StoreError, match="ghost"):
            writer.upsert("interaction", ghost)
        assert writer.upsert("interaction", contacts()) == 6  # a retry after the error is served
    with SqliteStore(tmp_path / "x.db") as store:
        assert store.count("interaction") == 6


def test_a_writer_whose_child_died_says_so(tmp_path: Path) -> None:
    writer = SqliteWriter(tmp_path / "x.db")
    writer._child.send_signal(signal.SIGKILL)
    writer._child.wait()
    with pytest.raises(StoreError, match="writer process .* ended"):
        writer.upsert("person", people())
    writer.close()
