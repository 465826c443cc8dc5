"""Entity resolution: deterministic keys, parsed names, fuzzy matches, review queue, aliases."""

from __future__ import annotations

import pytest

from graph.model import Person
from graph.resolution.resolver import Alias, Mention, Resolver, parse_name, person_id


@pytest.mark.parametrize(
    ("text", "last", "first", "initials"),
    [
        ("Smith J", "smith", "", "j"),
        ("Smith JA", "smith", "", "ja"),
        ("John A. Smith, MD", "smith", "john", "ja"),
        ("Smith, John", "smith", "john", "j"),
        ("O'Brien, Sean P., MD, PhD", "o'brien", "sean", "sp"),
        ("Dr. María de la Cruz", "de la cruz", "maria", "m"),
    ],
)
def test_parse_name(text: str, last: str, first: str, initials: str) -> None:
    p = parse_name(text)
    assert (p.last, p.first, p.initials) == (last, first, initials)


def known() -> Resolver:
    r = Resolver([])
    m = Mention("John A. Smith, MD", "jsmith@lakeside.example", "F-0001")
    r.person(r.resolve(m), m)
    return r


@pytest.mark.parametrize("written", ["Smith J", "Smith, John", "Smith JA", "John Smith", "jsmith@lakeside.example"])
def test_variants_resolve_to_the_same_person(written: str) -> None:
    r = known()
    pid = next(iter(r.people))
    m = Mention(written, email=written if "@" in written else None)
    assert r.resolve(m) == pid


@pytest.mark.parametrize("written", ["Smith JB", "Jane Smith", "Smyth Q"])
def test_different_people_stay_apart(written: str) -> None:
    r = known()
    assert r.resolve(Mention(written)) not in r.people


def test_different_keys_of_the_same_kind_never_merge() -> None:
    r = known()
    other = r.resolve(Mention("John Smith", email="john.smith@elsewhere.example"))
    assert other not in r.people


def test_ambiguous_name_goes_to_review_not_merge() -> None:
    r = known()
    m = Mention("John Smith", email="john.smith@elsewhere.example")
    r.person(r.resolve(m), m)
    pid = r.resolve(Mention("Smith J"))
    assert pid not in {p for p in r.people}
    assert r.review and r.review[-1].written_as == "Smith J"


def test_aliases_override_the_score() -> None:
    r = known()
    pid = next(iter(r.people))
    stranger = Mention("Jane Smith")
    new_id = person_id(stranger)
    r2 = Resolver(list(r.people.values()), [Alias(pid, new_id, "same")])
    assert r2.resolve(stranger) == pid
    r3 = Resolver(list(r.people.values()), [Alias(pid, person_id(Mention("Smith J")), "different")])
    assert r3.resolve(Mention("Smith J")) != pid


def test_ids_are_stable_and_key_based() -> None:
    a = person_id(Mention("Ana Ruiz", "ana@x.example"))
    assert a == person_id(Mention("A. Ruiz", "ANA@x.example "))
    assert a != person_id(Mention("Ana Ruiz"))


def test_person_merges_without_overwriting() -> None:
    r = Resolver([Person(id="p1", name="Smith J", email="j@x.example", kind="faculty", role="APD")])
    m = Mention("John A. Smith", "j@x.example", "F-1")
    p = r.person(r.resolve(m), m, kind="alumnus")
    assert (p.name, p.kind, p.role, p.program_id) == ("John A. Smith", "faculty", "APD", "F-1")


def test_prefix_first_names_at_different_institutions_go_to_review() -> None:
    r = Resolver([Person(id="c1", name="Christie Hobbs", institution_id="north")])
    other = r.resolve(Mention("Chris Hobbs", institution_id="south"))
    assert other != "c1" and r.review[-1].candidate_id == "c1"
    assert r.resolve(Mention("Chris Hobbs", institution_id="north")) == "c1"


def test_same_full_name_at_two_institutions_still_merges() -> None:
    r = Resolver([Person(id="x1", name="XinQi Dong", institution_id="rush-university")])
    assert r.resolve(Mention("XinQi Dong", institution_id="rush-medical-center")) == "x1"
