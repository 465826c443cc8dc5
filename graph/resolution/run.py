"""A whole ingest run resolved at once: every file's person mentions decided together, then summed up by file.

An ingest run first learns the mentions each of its files will ask the
resolver about (:class:`MentionRecorder`, or a per-kind extractor that gives
the same list), then :func:`resolve_run` resolves all of them with one
:meth:`~graph.resolution.resolver.Resolver.resolve_all` (m/u estimated by EM on
the run's pairs, then clustering) and says what was decided about each file
(:class:`Decided`): each file's real build then finds its mentions in the
resolver's cache.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.model import Person
from graph.resolution.resolver import Alias, Mention, Resolver, ReviewItem, person_id

__all__ = ["Decided", "MentionRecorder", "resolve_run"]


@dataclass(frozen=True)
class Decided:
    """What the run's :meth:`~graph.resolution.resolver.Resolver.resolve_all` decided about one file's mentions.

    ``merged``: its mentions new to the run joined to a person written otherwise
    (not the person their own writing would make, :func:`person_id`) and not by
    a key (e-mail, program id, ...) another mention or the store gives that person;
    ``review``: the run's uncertain matches whose new person this file names first.
    """

    merged: int = 0
    review: tuple[ReviewItem, ...] = ()


class MentionRecorder(Resolver):
    """A stand-in resolver that records every mention a build asks it to resolve, naming each by :func:`person_id`.

    It knows nobody but the run's pins (a split's :meth:`Resolver.pinned` still
    wins, and a pinned mention is never asked), so a build with it is cheap and
    asks for exactly the mentions the real build will.
    """

    def __init__(self, aliases: list[Alias]) -> None:
        super().__init__([], aliases)
        self.asked: list[Mention] = []

    def resolve(self, mention: Mention) -> str:
        """Record the mention; its stand-in id is the one a new person would get."""
        self.asked.append(mention)
        return person_id(mention)

    def person(
        self, pid: str, mention: Mention, *, prov: Mapping[str, object] | None = None, **attrs: object
    ) -> Person:
        """A stand-in record, neither filled nor indexed: the recorder's build is thrown away and it resolves nobody."""
        return Person(id=pid)


def resolve_run(resolver: Resolver, of_file: Mapping[str, Sequence[Mention]]) -> dict[str, Decided]:
    """Resolve every file's mentions at once (in file order); what was decided, by file.

    Parameters
    ----------
    resolver : Resolver
        The run's resolver (the stored people, the aliases); it learns the run's people.
    of_file : mapping of str to sequence of Mention
        Each file's mentions in the order its build asks them, files in ingest order.

    Returns
    -------
    dict of str to Decided
        One entry per file of ``of_file``.  A review item goes to the file that
        names its new person first (the first file when none does).
    """
    queued = len(resolver.review)
    resolver.resolve_all([m for ms in of_file.values() for m in ms])
    first: dict[str, str] = {}  # person -> the file naming them first
    new: dict[str, dict[Mention, str]] = {}  # file -> its mentions new to the run, with their people
    seen: set[Mention] = set()
    for name, ms in of_file.items():
        new[name] = {m: resolver.resolve(m) for m in dict.fromkeys(ms) if m not in seen}  # cache hits
        seen.update(new[name])
        for pid in new[name].values():
            first.setdefault(pid, name)
    # a mention joined to a person written otherwise counts as merged unless a key it carries is carried by
    # another mention or by the person as known: (key, person) counted for those mentions only
    joined = {name: [(m, pid) for m, pid in ms.items() if pid != person_id(m)] for name, ms in new.items()}
    wanted = {(key, pid) for pairs in joined.values() for m, pid in pairs for key in m.identifiers()}
    holders: Counter[tuple[tuple[str, str], str]] = Counter()
    joined_to = {pid for _, pid in wanted}
    for pid in joined_to:
        if (person := resolver.people.get(pid)) is not None:
            known = Mention(person.name, person.email, person.program_id).identifiers()
            holders.update(k for k in ((key, pid) for key in known) if k in wanted)
    for found in new.values():
        for m, pid in found.items():
            if pid in joined_to:
                holders.update(k for k in ((key, pid) for key in m.identifiers()) if k in wanted)
    merged = {
        name: sum(all(holders[(key, pid)] < 2 for key in m.identifiers()) for m, pid in pairs)
        for name, pairs in joined.items()
    }
    review: dict[str, list[ReviewItem]] = {}
    for item in resolver.review[queued:]:
        review.setdefault(first.get(item.new_id, next(iter(of_file))), []).append(item)
    return {name: Decided(merged[name], tuple(review.get(name, ()))) for name in of_file}
