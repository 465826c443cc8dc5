"""A user's "same person" decision, applied to the store at once.

The alias file makes every later ingest resolve the two ids as one
(:mod:`graph.resolution.review`); :func:`merge_people` makes the store say so
now, without re-reading any file: every relationship that ends at the person
dropped (contacts, affiliations, authorships, mentorships, letter and
introduction requests) is moved to the person kept, a contact between the two
becomes a self-contact and is removed, and the person kept takes the dropped
person's known fields where its own are empty (an e-mail, an ORCID).  The
person dropped, their ties and their metrics go; tie strengths of the merged
person are rescored by the next ``tiegraph analyze``.

Record ids do not change: an id names where a record came from (a file and a
row), so re-ingesting that file later finds the same record, now resolved to
the person kept through the alias.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from graph.errors import InputError, NotFoundError
from graph.model import KINDS, Person, Record, narrow
from graph.store.base import Store

__all__ = ["merge_people"]

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
