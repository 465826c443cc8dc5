"""A person the store holds as they are is not written again by a later file of the run, and still counts as held."""

from __future__ import annotations

from graph.model import Person
from graph.resolution.resolver import Mention, Resolver

ANA = Person(id="p-ana", name="Ana Lima", email="ana.lima@lakeside.example", kind="resident", file="roster.csv")


def test_a_person_held_unchanged_is_neither_rewritten_nor_deleted_as_stale(store) -> None:
    store.upsert("person", [ANA])
    renamed = Person(id=ANA.id, name="Ana B. Lima", email=ANA.email, kind="resident", file="roster.csv")
    store.write_file("roster.csv", {"person": [renamed]}, unchanged={"person": {ANA.id}})
    [row] = store.get_rows("person", "id", [ANA.id])
    assert row["name"] == "Ana Lima"  # not written: the store's record stands
    store.write_file("roster.csv", {"person": [renamed]})
    assert store.get_rows("person", "id", [ANA.id])[0]["name"] == "Ana B. Lima"  # written when not held unchanged
    store.write_file("roster.csv", {"person": []}, unchanged={"person": {ANA.id}})
    assert store.get_rows("person", "id", [ANA.id]) == []  # a snapshot without her: stale, deleted


def test_the_resolver_knows_which_records_the_store_holds_as_they_are() -> None:
    resolver = Resolver.for_files([ANA], ["contacts.csv"])
    same = resolver.person(ANA.id, Mention("Ana Lima", "ana.lima@lakeside.example"))
    assert resolver.unchanged([same]) == {ANA.id}  # the mention adds nothing: the stored record itself
    more = resolver.person(ANA.id, Mention("Ana Lima", "ana.lima@lakeside.example", "R-0001"))
    assert more.program_id == "R-0001"
    assert resolver.unchanged([more]) == set()  # it adds the program id: to be written
    resolver.mark_stored([more])
    assert resolver.unchanged([resolver.person(ANA.id, Mention("Ana Lima"))]) == {ANA.id}
    own_file = Resolver.for_files([ANA], ["roster.csv"])  # the run re-reads her file: she is learnt afresh
    assert ANA.id not in own_file.people
    assert own_file.unchanged([ANA]) == set()
