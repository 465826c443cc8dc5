"""A user's "same person" decision, and its undo (a split by mentions), applied to the store at once.

The alias file makes every later ingest resolve the two ids as one
(:mod:`graph.resolution.review`); :func:`merge_people` makes the store say so
now, without re-reading any file: every relationship that ends at the person
dropped (contacts, affiliations, authorships, mentorships, letter and
introduction requests) is moved to the person kept, a contact between the two
becomes a self-contact and is removed, and the person kept takes the dropped
person's known fields where its own are empty (an e-mail, an ORCID).  The
person dropped, their ties and their metrics go; tie strengths of the merged
person are rescored by the next ``tiegraph analyze``.  The mentions
(:class:`~graph.model.PersonMention`) of both make up the merged person, and
:func:`split_person` splits some of them off again with the records their rows made.

Record ids do not change: an id names where a record came from (a file and a
row), so re-ingesting that file later finds the same record, now resolved to
the person kept through the alias.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from graph.errors import InputError, NotFoundError
from graph.model import KINDS, MENTION_KEYS, Person, PersonMention, Record, mention_key, narrow, stable_id
from graph.store.base import Store

__all__ = ["merge_people", "pin_key", "split_person", "split_id"]

log = logging.getLogger(__name__)

PERSON_FIELDS = {"interaction": ("initiated_by",), "intro_request": ("target",)}
"""Fields besides a relationship's ends that may hold a person id."""

RESCORED = {"tie": ("a", "b"), "metrics": ("person",), "assessment": ("person",)}
"""Kinds computed by ``analyze`` from the person's evidence: dropped with the person, rebuilt by the next run."""


def merge_people(store: Store, keep: str, drop: str) -> dict[str, int]:
    """Merge person ``drop`` into person ``keep`` in ``store``.

    Parameters
    ----------
    store : Store
        Either store; the same records move in both.
    keep, drop : str
        Person ids: ``keep`` stays (the candidate a review item names), ``drop`` goes (the new mention's person).

    Returns
    -------
    dict of str to int
        Records moved per kind, ``removed`` (contacts between the two), ``person`` (1: the person dropped).

    Raises
    ------
    InputError
        If ``keep`` and ``drop`` are the same id.
    NotFoundError
        If either person is not in the store.
    """
    if keep == drop:
        raise InputError(f"cannot merge {keep} with itself")
    found = {r.id: r for r in narrow(Person, store.find("person", "id", [keep, drop]))}
    for pid in (keep, drop):
        if pid not in found:
            raise NotFoundError(f"no person with id {pid!r} in the store")
    moved: dict[str, int] = {"removed": 0}
    for kind in KINDS.values():
        if not kind.is_relationship or kind.name in RESCORED:
            continue
        ends = [f for f, label in kind.endpoints if label == "Person"]
        refs = ends + list(PERSON_FIELDS.get(kind.name, ()))
        old: dict[str, Record] = {}
        for field in refs:
            old.update({r.id: r for r in store.find(kind.name, field, [drop])})
        if not old:
            continue
        new = [_moved(r, refs, drop, keep) for r in old.values()]
        kept = [r for r in new if len({getattr(r, f) for f in ends}) == len(ends)]  # no self-contacts
        store.delete(kind.name, list(old))  # a relationship's ends cannot be moved in place in Neo4j
        store.upsert(kind.name, kept)
        moved[kind.name] = len(kept)
        moved["removed"] += len(new) - len(kept)
    for computed, fields in RESCORED.items():
        store.delete(computed, sorted({r.id for f in fields for r in store.find(computed, f, [drop])}))
    store.upsert("person", [_fill(found[keep], found[drop])])
    mentions = narrow(PersonMention, store.find("mention", "person", [drop]))
    if mentions:  # the merged person was built from both people's mentions
        store.upsert("mention", [dataclasses.replace(m, person=keep) for m in mentions])
        moved["mention"] = len(mentions)
    store.delete("person", [drop])
    moved["person"] = 1
    log.info("merged %s into %s: %s", drop, keep, moved)
    return moved


def _moved(r: Record, fields: list[str], drop: str, keep: str) -> Record:
    """``r`` with each of ``fields`` that holds ``drop`` holding ``keep``."""
    changes: dict[str, Any] = {f: keep for f in fields if getattr(r, f) == drop}
    return dataclasses.replace(r, **changes)


def _fill(keep: Person, drop: Person) -> Person:
    """``keep`` with its empty fields taken from ``drop``."""
    empty = {f.name: getattr(drop, f.name) for f in dataclasses.fields(Person) if getattr(keep, f.name) in (None, "")}
    return dataclasses.replace(keep, **{k: v for k, v in empty.items() if v not in (None, "")})


def pin_key(m: PersonMention) -> str:
    """The key that pins this writing of a person in the alias file (:func:`~graph.model.mention_key`, no person)."""
    return mention_key(m.file, m.name, *(getattr(m, k) for k in MENTION_KEYS))


def split_id(person: str, mentions: list[PersonMention]) -> str:
    """The id of the person split off ``person`` with ``mentions``: the same split gives the same id."""
    return stable_id("p", "split", person, *sorted(pin_key(m) for m in mentions))


def split_person(store: Store, person: str, mention_ids: list[str]) -> tuple[str, dict[str, int]]:
    """Split the mentions ``mention_ids`` of ``person`` off into a new person, with what their rows say.

    The undo of :func:`merge_people`.  Every relationship (contact,
    affiliation, authorship, mentorship) that a row of those mentions made
    moves to the new person, as do the mentions; the person kept loses the keys
    (e-mail, program id, ORCID, institution) only the split-off mentions
    carried.  A file-level mention (a tracker's owner, no rows) takes every
    record of its file.  The new person has the name and keys of its mentions;
    a re-ingest of their files fills in the rest (the alias file pins the
    mentions to it).  Both people's ties and metrics go until the next analyze.

    Parameters
    ----------
    store : Store
        Either store.
    person : str
        The person to split.
    mention_ids : list of str
        Ids of ``person``'s mentions (:class:`~graph.model.PersonMention`) to split off.

    Returns
    -------
    tuple of (str, dict of str to int)
        The new person's id (:func:`split_id`) and the records moved per kind.

    Raises
    ------
    NotFoundError
        If the person is not in the store or a mention id is not one of theirs.
    InputError
        If no mention is named, or every one of the person's mentions is.
    """
    found_person = narrow(Person, store.find("person", "id", [person]))
    if not found_person:
        raise NotFoundError(f"no person with id {person!r} in the store")
    old = found_person[0]
    mine = {m.id: m for m in narrow(PersonMention, store.find("mention", "person", [person]))}
    unknown = sorted(set(mention_ids) - set(mine))
    if unknown:
        raise NotFoundError(f"{', '.join(unknown)}: not a mention of {person!r} (see tiegraph mentions)")
    off = [mine[i] for i in sorted(set(mention_ids))]
    rest = [m for i, m in mine.items() if i not in set(mention_ids)]
    if not off or not rest:
        raise InputError(f"a split of {person!r} names some of its {len(mine)} mentions, not {len(off)}")
    new = split_id(person, off)
    rows = _rows_of(off)
    store.upsert("person", [_from_mentions(new, off), _without(old, off, rest)])
    moved: dict[str, int] = {}
    for kind in KINDS.values():
        if not kind.is_relationship or kind.name in RESCORED:
            continue
        refs = [f for f, label in kind.endpoints if label == "Person"] + list(PERSON_FIELDS.get(kind.name, ()))
        found: dict[str, Record] = {}
        for field in refs:
            found.update({r.id: r for r in store.find(kind.name, field, [person]) if _covers(rows, r)})
        if found:
            store.delete(kind.name, list(found))
            store.upsert(kind.name, [_moved(r, refs, person, new) for r in found.values()])
            moved[kind.name] = len(found)
    for computed, fields in RESCORED.items():
        store.delete(computed, sorted({r.id for f in fields for r in store.find(computed, f, [person])}))
    store.upsert("mention", [dataclasses.replace(m, person=new) for m in off])
    moved["mention"] = len(off)
    log.info("split %s off %s: %s", new, person, moved)
    return new, moved


def _rows_of(mentions: list[PersonMention]) -> dict[str, set[int] | None]:
    """Rows of each file that the mentions wrote; None for a file-level mention (all of the file)."""
    out: dict[str, set[int] | None] = {}
    for m in mentions:
        if m.file in out and out[m.file] is None:
            continue
        out[m.file] = None if not m.rows else (out.get(m.file) or set()) | {int(r) for r in m.rows.split()}
    return out


def _covers(rows: dict[str, set[int] | None], r: Record) -> bool:
    if r.file not in rows:
        return False
    wanted = rows[r.file]
    return wanted is None or r.row in wanted


def _from_mentions(pid: str, mentions: list[PersonMention]) -> Person:
    """A person as their mentions write them: the fullest name, the first of each key, the first row's provenance."""
    first = min(mentions, key=lambda m: (m.file, m.row or 0))
    keys: dict[str, Any] = {k: next((getattr(m, k) for m in mentions if getattr(m, k)), None) for k in MENTION_KEYS}
    keys.pop("linkedin_url")  # a Person keeps no LinkedIn URL
    name = max((m.name for m in mentions), key=lambda n: (len(n.split()), len(n)))
    return Person(
        id=pid, name=name, source=first.source, file=first.file, row=first.row, ingested_at=first.ingested_at, **keys
    )


def _without(p: Person, off: list[PersonMention], rest: list[PersonMention]) -> Person:
    """``p`` without the keys (and the name) that only the split-off mentions carried."""
    changes: dict[str, Any] = {}
    for k in MENTION_KEYS:
        if k == "linkedin_url":
            continue
        value = getattr(p, k)
        if value and any(getattr(m, k) == value for m in off) and not any(getattr(m, k) == value for m in rest):
            changes[k] = next((getattr(m, k) for m in rest if getattr(m, k)), None)
    if p.name in {m.name for m in off} and p.name not in {m.name for m in rest}:
        changes["name"] = max((m.name for m in rest), key=lambda n: (len(n.split()), len(n)))
    return dataclasses.replace(p, **changes)
