"""One contract, two stores: the embedded SQLite store and a real Neo4j 5 server give the same answers."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InputError, NotFoundError, StoreError
from graph.model import KINDS, Interaction, Metrics, Person, Program, RecordRows, Tie, field_names

INJECTION = "Robert'); MATCH (n) DETACH DELETE n //"


def people(n: int = 3) -> list[Person]:
    return [
        Person(
            id=f"p{i}",
            name=f"Person {i}",
            kind="resident",
            pgy=i % 3 + 1,
            email=f"p{i}@x.example",
            source="roster",
            file="roster.csv",
            row=i + 2,
            ingested_at="2026-11-01T00:00:00+00:00",
        )
        for i in range(n)
    ]


def test_round_trip_keeps_every_field(store) -> None:
    ps = people()
    assert store.upsert("person", ps) == 3
    assert store.records("person") == ps
    assert store.get("person", "p1") == ps[1]


def test_upsert_twice_changes_nothing(store) -> None:
    ps = people()
    store.upsert("person", ps)
    store.upsert("interaction", [Interaction(id="i1", a="p0", b="p1", date="2026-01-02")])
    before = store.counts()
    store.upsert("person", ps)
    store.upsert("interaction", [Interaction(id="i1", a="p0", b="p1", date="2026-01-02")])
    assert store.counts() == before
    assert before["person"] == 3 and before["interaction"] == 1


def test_records_held_as_tuples_are_written_as_the_records(store) -> None:
    """A contact log's interactions come as RecordRows (tuples, no record per row): the same rows out as records in."""
    store.upsert("person", people())
    want = [
        Interaction(id="i2", a="p1", b="p2", date="2026-01-03", initiated_by="p2", scheduled=True, duration_min=30.0),
        Interaction(id="i1", a="p0", b="p1", date="2026-01-02", note="it's", source="contacts", file="log.csv", row=2),
    ]
    fields = field_names(Interaction)
    rows = RecordRows(Interaction, [tuple(getattr(i, f) for f in fields) for i in want])
    assert list(rows) == want and rows[1] == want[1]
    assert store.replace_source("log.csv", {"interaction": rows}) == 2
    assert store.records("interaction") == sorted(want, key=lambda i: i.id)
    with pytest.raises(StoreError, match="ghost"):
        store.upsert(
            "interaction", RecordRows(Interaction, [("i3", *rows.rows[0][1:5], "p0", "ghost", *rows.rows[0][7:])])
        )
    assert store.replace_source("log.csv", {"interaction": rows[:1]}) == 1  # a new snapshot without i1
    assert [i.id for i in store.records("interaction")] == ["i2"]


def test_update_replaces_fields(store) -> None:
    store.upsert("person", people())
    store.upsert("person", [Person(id="p1", name="Renamed", pgy=None, opted_out=True)])
    got = store.get("person", "p1")
    assert (got.name, got.pgy, got.opted_out, got.email) == ("Renamed", None, True, None)


def test_records_sharing_an_id_write_the_last_one(store) -> None:
    ps = people(2)
    ties = [Tie(id=f"t{i}", a="p0", b="p1", strength=i / 10) for i in range(3)]
    store.upsert("person", [ps[0], ps[1], Person(id="p0", name="Later")])
    store.upsert("tie", [*ties, Tie(id="t0", a="p1", b="p0", strength=0.9)])
    assert store.count("person") == 2 and store.get("person", "p0").name == "Later"
    assert store.count("tie") == 3
    assert (store.get("tie", "t0").a, store.get("tie", "t0").strength) == ("p1", 0.9)


def test_a_write_of_many_records_lands_each_and_a_repeated_id_last(store) -> None:
    """More records than one statement binds (the embedded store's ROWS_PER_STATEMENT, 500): every one lands in full."""
    store.upsert("person", people(3))
    want = {
        f"i{n:04d}": Interaction(id=f"i{n:04d}", a=f"p{n % 3}", b=f"p{(n + 1) % 3}", date="2026-01-01", note=f"n{n}")
        for n in range(1234)
    }
    again = Interaction(id="i0010", a="p2", b="p0", date="2026-02-02", duration_min=5.0, scheduled=True)
    assert store.upsert("interaction", [*want.values(), again]) == 1235
    want["i0010"] = again
    assert store.records("interaction") == sorted(want.values(), key=lambda i: i.id)


def test_relationship_to_missing_node_is_refused_whole(store) -> None:
    store.upsert("person", people(2))
    batch = [Interaction(id="ok", a="p0", b="p1", date="2026-01-01"), Interaction(id="bad", a="p0", b="ghost")]
    with pytest.raises(StoreError, match="ghost"):
        store.upsert("interaction", batch)
    assert store.count("interaction") == 0


def test_changed_endpoint_moves_the_relationship(store) -> None:
    store.upsert("person", people(3))
    store.upsert("interaction", [Interaction(id="i1", a="p0", b="p1", date="2026-01-01")])
    store.upsert("interaction", [Interaction(id="i1", a="p0", b="p2", date="2026-01-01")])
    assert [(r.a, r.b) for r in store.records("interaction")] == [("p0", "p2")]


def test_injection_strings_land_verbatim(store) -> None:
    store.upsert("person", [Person(id=INJECTION, name=INJECTION, interests='"; DROP TABLE person; --')])
    store.upsert("person", people(1))
    got = store.get("person", INJECTION)
    assert got.name == INJECTION and got.interests == '"; DROP TABLE person; --'
    assert store.count("person") == 2


def test_find_by_field_and_missing_id(store) -> None:
    store.upsert("person", people())
    assert [p.id for p in store.find("person", "email", ["p2@x.example", "nobody@x.example"])] == ["p2"]
    with pytest.raises(NotFoundError):
        store.get("person", "nobody")
    with pytest.raises(StoreError):
        store.find("person", "no_such_field", ["x"])


def test_find_a_relationship_by_either_end_or_another_person_field(store) -> None:
    store.upsert("person", people(4))
    store.upsert(
        "interaction",
        [
            Interaction(id="i1", a="p0", b="p1", initiated_by="p1"),
            Interaction(id="i2", a="p1", b="p2", initiated_by="p1"),
            Interaction(id="i3", a="p2", b="p0"),
            Interaction(id="i4", a="p3", b="p3"),  # one side twice: found once by either end
        ],
    )
    ids = lambda field, values: [r.id for r in store.find("interaction", field, values)]  # noqa: E731
    assert ids("a", ["p1"]) == ["i2"]
    assert ids("b", ["p0", "p1"]) == ["i1", "i3"]
    assert ids("a", ["p3"]) == ids("b", ["p3"]) == ["i4"]
    assert ids("initiated_by", ["p1"]) == ["i1", "i2"]
    assert ids("a", ["nobody"]) == []


def test_delete_and_delete_stale(store) -> None:
    store.upsert("person", people())
    store.upsert(
        "tie",
        [
            Tie(id="t1", a="p0", b="p1", strength=0.5, computed_at="old"),
            Tie(id="t2", a="p1", b="p2", strength=0.4, computed_at="new"),
            Tie(id="t3", a="p0", b="p2", strength=0.3, computed_at="newer"),  # stamped after the run: stale too
        ],
    )
    store.upsert("metrics", [Metrics(id="m0", person="p0", computed_at="old")])
    assert store.delete_stale("tie", "new") == 2
    assert [t.id for t in store.records("tie")] == ["t2"]
    assert store.delete_stale("tie", "new") == 0
    assert store.delete_stale("metrics", "new") == 1
    assert store.delete("person", ["p2"]) == 1
    assert store.count("person") == 2
    with pytest.raises(StoreError):
        store.delete_stale("person", "new")


def test_replace_source_keeps_a_new_snapshot_of_a_file_only(store) -> None:
    log = "2025/contacts.csv"

    def contact(i: str, a: str, b: str, note: str = "", file: str = log) -> Interaction:
        return Interaction(id=i, a=a, b=b, date="2025-01-02", note=note, file=file)

    def person(i: str, file: str = log) -> Person:
        return Person(id=i, name=f"Person {i}", file=file)

    first = {"person": [person(x) for x in ("pa", "pb", "pc", "pd")], "interaction": [contact("i1", "pa", "pb")]}
    first["interaction"] += [contact("i2", "pb", "pc"), contact("i3", "pc", "pd")]
    assert store.replace_source(log, first) == 7
    other = "2026/contacts.csv"  # another file, same name: its rows and the person it names stay
    store.replace_source(
        other, {"person": [person("pe", other)], "interaction": [contact("j1", "pd", "pe", file=other)]}
    )
    edited = {
        "person": [person(x) for x in ("pa", "pb", "pc")],
        "interaction": [contact("i1", "pa", "pb", "changed"), contact("i2", "pb", "pc")],
    }  # i3 deleted: pd is no longer in this file, but 2026's row still names pd
    store.replace_source(log, edited)
    assert {i.id: i.note for i in store.records("interaction")} == {"i1": "changed", "i2": "", "j1": ""}
    assert [p.id for p in store.records("person")] == ["pa", "pb", "pc", "pd", "pe"]
    store.replace_source(other, {"person": [], "interaction": []})  # 2026 emptied: its row and pe go
    assert [p.id for p in store.records("person")] == ["pa", "pb", "pc", "pd"]
    store.replace_source(log, {"person": [person("pa"), person("pb")], "interaction": [contact("i1", "pa", "pb")]})
    assert [p.id for p in store.records("person")] == ["pa", "pb"]  # pc and pd were 2025's, now named by nobody
    store.replace_source(log, edited)  # rows inserted again come back; repeating changes nothing
    store.replace_source(log, edited)
    assert [i.id for i in store.records("interaction")] == ["i1", "i2"]
    assert [p.id for p in store.records("person")] == ["pa", "pb", "pc"]


def test_frames_are_equal_across_stores(tmp_path, neo4j_session_store) -> None:
    from graph.store.sqlite_store import SqliteStore

    records = {
        "person": people(),
        "program": [
            Program(id="g1", name="GI fellowship at Northfield", institution_id="i1", specialty="Gastroenterology")
        ],
        "interaction": [Interaction(id="i1", a="p0", b="p1", date="2026-01-01", scheduled=True, note=INJECTION)],
    }
    lite = SqliteStore(tmp_path / "x.db")
    neo4j_session_store.clear()
    for kind, recs in records.items():
        lite.upsert(kind, recs)
        neo4j_session_store.upsert(kind, recs)
    for kind in KINDS:
        a, b = lite.frame(kind), neo4j_session_store.frame(kind)
        assert a.equals(b), kind
    assert lite.counts() == neo4j_session_store.counts()


def test_frame_of_some_fields_is_those_columns_of_the_whole_frame(store) -> None:
    ps = [*people(), Person(id="p9", name="No PGY", pgy=None, row=None)]
    store.upsert("person", ps)
    store.upsert(
        "interaction",
        [
            Interaction(id="i2", a="p0", b="p1", date="2026-01-02", duration_min=45.0, initiated_by="p0"),
            Interaction(id="i1", a="p1", b="p2", date="", scheduled=True, planned=True),
        ],
    )
    for kind, fields in (("person", ["pgy", "name", "opted_out", "row"]), ("interaction", ["b", "duration_min"])):
        whole, some = store.frame(kind), store.frame(kind, fields)
        assert list(some.columns) == fields
        assert some.equals(whole[fields]), kind
        assert [type(v) for v in some[fields[0]]] == [type(v) for v in whole[fields[0]]]
    assert store.frame("person", ["pgy"])["pgy"].astype(object).tolist() == [1, 2, 3, pd.NA]  # p0..p2, p9: by id
    with pytest.raises(StoreError, match="'nope'"):
        store.frame("person", ["name", "nope"])


def test_a_frame_read_a_page_at_a_time_is_every_record(store, monkeypatch) -> None:
    """The Neo4j store reads a frame in pages of READ_PAGE ids: pages of 2 over 7 people and 5 interactions."""
    import graph.store.neo4j_store

    monkeypatch.setattr(graph.store.neo4j_store, "READ_PAGE", 2)
    ps = [*people(5), Person(id="p10", name="Ten"), Person(id="q", name=INJECTION)]
    store.upsert("person", ps)
    contacts = [
        Interaction(id=f"i{n}", a="p0", b=f"p{n % 5 or 10}", date="2026-01-02", note=f"n{n}") for n in range(1, 6)
    ]
    contacts[2] = Interaction(id="i3", a="p0", b="q", date="2026-01-03")
    store.upsert("interaction", contacts)
    assert store.records("person") == sorted(ps, key=lambda p: p.id)
    assert store.frame("interaction", ["b", "note"]).to_dict("list") == {
        "b": ["p1", "p2", "q", "p4", "p10"],
        "note": ["n1", "n2", "", "n4", "n5"],
    }


def test_replace_computed_is_upsert_then_delete_stale(store) -> None:
    store.upsert("person", people(4))

    def tie(a: str, b: str, strength: float, run: str) -> Tie:
        return Tie(id=f"t-{a}{b}", a=a, b=b, strength=strength, reasons=INJECTION, computed_at=run, source="analyze")

    assert store.replace_computed("tie", [tie("p0", "p1", 0.5, "r1"), tie("p1", "p2", 0.25, "r1")], "r1") == 2
    second = [tie("p1", "p2", 0.75, "r2"), tie("p2", "p3", 0.5, "r2"), tie("p0", "p3", 0.5, "r2")]
    assert store.replace_computed("tie", [*second, tie("p0", "p3", 0.125, "r2")], "r2") == 4  # repeated id: last wins
    want = sorted([*second[:2], tie("p0", "p3", 0.125, "r2")], key=lambda t: t.id)
    assert store.records("tie") == want
    assert store.find("tie", "a", ["p2"]) == [want[2]]  # the endpoint index answers after the rewrite
    with pytest.raises(StoreError, match="p9"):
        store.replace_computed("tie", [tie("p0", "p9", 0.5, "r3")], "r3")
    assert store.records("tie") == want  # refused whole: the previous run's ties stay
    with pytest.raises(StoreError, match="not a computed kind"):
        store.replace_computed("person", people(1), "r4")


def test_counts_name_every_kind(store) -> None:
    assert set(store.counts()) == set(KINDS)
    assert all(v == 0 for v in store.counts().values())


def test_ping(store) -> None:
    store.ping()


def test_unreachable_neo4j_is_a_clear_error() -> None:
    from graph.store.neo4j_store import Neo4jStore

    with pytest.raises(StoreError, match="not reachable"):
        Neo4jStore("bolt://127.0.0.1:1", "neo4j", "whatever-secret")


names = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, pgy=st.one_of(st.none(), st.integers(1, 5)), note=names, opted=st.booleans())
def test_hypothesis_round_trip(store, name: str, pgy: int | None, note: str, opted: bool) -> None:
    p = Person(id="h1", name=name, pgy=pgy, interests=note, opted_out=opted)
    store.upsert("person", [p])
    store.upsert("person", [p])
    assert store.get("person", "h1") == p
    assert store.count("person") == 1


def test_intro_requests_round_trip_and_update(store) -> None:
    from datetime import UTC, datetime

    from graph.analytics.introductions import advance, new_request

    store.upsert("person", people())
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    req = new_request(("p0", "p1", "p2"), "GI", "Gastroenterology", at=at, by="ana", source="dashboard")
    store.upsert("intro_request", [req])
    assert store.find("intro_request", "requester", ["p0"]) == [req]
    assert (req.state, req.asked_at, req.path, req.history) == (
        "asked",
        "2026-11-20",
        "p0 > p1 > p2",
        "asked 2026-11-20 by ana",
    )
    met = advance(req, "met", at=datetime(2026, 11, 28, tzinfo=UTC), by="ana", source="cli", note="coffee")
    store.upsert("intro_request", [met])
    [got] = store.records("intro_request")
    assert got == met and got.state == "met" and got.asked_at == "2026-11-20" and got.source == "cli"
    assert got.history == "asked 2026-11-20 by ana; met 2026-11-28 by ana"
    assert store.counts()["intro_request"] == 1
    with pytest.raises(StoreError, match="ghost"):
        store.upsert("intro_request", [new_request(("p0", "ghost"), "GI", "GI", at=at, by="ana", source="x")])


def test_merge_people_moves_every_relationship_and_drops_the_person(store) -> None:
    """A "same person" decision applied: counted by hand from the records written here."""
    from graph.model import Mentorship
    from graph.resolution.merge import merge_people

    store.upsert(
        "person",
        [
            Person(id="keep", name="Devika Patel", email="dpatel@lakeside.example"),
            Person(id="drop", name="D. Patel", orcid="0000-0002-1825-0097"),
            Person(id="c", name="Ana Ruiz"),
            Person(id="d", name="Ben Okafor"),
        ],
    )
    store.upsert(
        "interaction",
        [
            Interaction(id="i1", a="drop", b="c", date="2026-01-02", initiated_by="drop"),
            Interaction(id="i2", a="d", b="drop", date="2026-01-03"),
            Interaction(id="i3", a="keep", b="c", date="2026-01-04"),
            Interaction(id="i4", a="keep", b="drop", date="2026-01-05"),  # becomes a self-contact: removed
        ],
    )
    store.upsert("mentorship", [Mentorship(id="m1", mentor="drop", mentee="c", type="research")])
    store.upsert("tie", [Tie(id="t1", a="c", b="drop", strength=0.4), Tie(id="t2", a="c", b="keep", strength=0.3)])
    moved = merge_people(store, "keep", "drop")
    assert moved == {"removed": 1, "interaction": 2, "mentorship": 1, "person": 1}
    people = {p.id: p for p in store.records("person")}
    assert set(people) == {"keep", "c", "d"}
    assert people["keep"].email == "dpatel@lakeside.example" and people["keep"].orcid == "0000-0002-1825-0097"
    got = {(r.id, r.a, r.b, r.initiated_by) for r in store.records("interaction")}
    assert got == {("i1", "keep", "c", "keep"), ("i2", "d", "keep", None), ("i3", "keep", "c", None)}
    assert [(m.mentor, m.mentee) for m in store.records("mentorship")] == [("keep", "c")]
    assert [t.id for t in store.records("tie")] == ["t2"]  # the dropped person's ties go until the next analyze
    with pytest.raises(NotFoundError):
        merge_people(store, "keep", "drop")


def test_mentions_move_with_a_merge_and_a_split_by_them_restores_two_people(store) -> None:
    """Merge then split by mentions: each person gets back the records their rows made (written by hand here)."""
    from graph.model import Affiliation, Mentorship, PersonMention
    from graph.resolution.merge import merge_people, split_person

    log, roster = "2026/contacts.csv", "roster.csv"
    store.upsert(
        "person",
        [
            Person(id="keep", name="Devika Patel", email="dpatel@lakeside.example", file=roster, row=2),
            Person(id="drop", name="D. Patel", orcid="0000-0002-1825-0097", file=log, row=3),
            Person(id="c", name="Ana Ruiz"),
        ],
    )
    store.upsert("program", [Program(id="g1", name="GI fellowship", institution_id="i1", specialty="GI")])
    store.upsert("affiliation", [Affiliation(id="a1", person="keep", program="g1", role="faculty", file=roster, row=2)])
    store.upsert(
        "interaction",
        [
            Interaction(id="i1", a="drop", b="c", date="2026-01-02", initiated_by="drop", file=log, row=3),
            Interaction(id="i2", a="c", b="drop", date="2026-01-03", file=log, row=5),
            Interaction(id="i3", a="keep", b="c", date="2026-01-04", file=log, row=4),
        ],
    )
    store.upsert("mentorship", [Mentorship(id="m1", mentor="drop", mentee="c", type="research", file=log, row=6)])
    mentions = [
        PersonMention(id="m-roster", person="keep", name="Devika Patel", email="dpatel@lakeside.example",
                      file=roster, row=2, rows="2", n_rows=1),
        PersonMention(id="m-full", person="keep", name="Devika Patel", file=log, row=4, rows="4", n_rows=1),
        PersonMention(id="m-short", person="drop", name="D. Patel", orcid="0000-0002-1825-0097",
                      file=log, row=3, rows="3 5 6", n_rows=3),
    ]  # fmt: skip
    store.upsert("mention", mentions)
    assert store.find("mention", "person", ["drop"]) == [mentions[2]]
    assert merge_people(store, "keep", "drop")["mention"] == 1
    assert sorted(m.id for m in store.find("mention", "person", ["keep"])) == ["m-full", "m-roster", "m-short"]
    assert store.get("person", "keep").orcid == "0000-0002-1825-0097"

    new, moved = split_person(store, "keep", ["m-short"])
    assert moved == {"interaction": 2, "mentorship": 1, "mention": 1}
    people = {p.id: p for p in store.records("person")}
    assert set(people) == {"keep", new, "c"}
    assert (people[new].name, people[new].orcid, people[new].file, people[new].row) == (
        "D. Patel",
        "0000-0002-1825-0097",
        log,
        3,
    )
    assert (people["keep"].email, people["keep"].orcid) == ("dpatel@lakeside.example", None)
    got = {(r.id, r.a, r.b, r.initiated_by) for r in store.records("interaction")}
    assert got == {("i1", new, "c", new), ("i2", "c", new, None), ("i3", "keep", "c", None)}
    assert [(m.mentor, m.mentee) for m in store.records("mentorship")] == [(new, "c")]
    assert [a.person for a in store.records("affiliation")] == ["keep"]
    assert [m.id for m in store.find("mention", "person", [new])] == ["m-short"]
    with pytest.raises(InputError):
        split_person(store, "keep", ["m-full", "m-roster"])  # every mention: nothing would stay
    with pytest.raises(NotFoundError):
        split_person(store, "keep", ["m-short"])  # no longer one of keep's


def test_a_large_embedded_write_rebuilds_its_indexes(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write of more rows than the table holds drops and rebuilds its secondary indexes, in the same transaction."""
    from graph.store import sqlite_store

    monkeypatch.setattr(sqlite_store, "REBUILD_ROWS", 3)
    store = sqlite_store.SqliteStore(tmp_path / "x.db")
    db = store._db

    def indexes() -> list[str]:
        return sorted(
            r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'interaction'")
        )

    before = indexes()
    assert before == ["interaction_a", "interaction_b"]
    store.upsert("person", people())
    bad = [Interaction(id=f"i{n}", a="p0", b="p1" if n else "ghost") for n in range(4)]
    with pytest.raises(StoreError, match="ghost"):
        store.upsert("interaction", bad)  # refused whole: the indexes dropped with it come back
    assert indexes() == before and store.count("interaction") == 0
    good = [Interaction(id=f"i{n}", a=f"p{n % 3}", b=f"p{(n + 1) % 3}") for n in range(5)]
    assert store.upsert("interaction", good) == 5
    assert indexes() == before
    plan = " ".join(str(r) for r in db.execute("EXPLAIN QUERY PLAN SELECT id FROM interaction WHERE a = 'p1'"))
    assert "interaction_a" in plan
    assert [r[0] for r in db.execute("SELECT id FROM interaction WHERE a = 'p1' ORDER BY id")] == ["i1", "i4"]
    store.close()
