"""What one input file contributes, and the record builders every kind of source shares.

A :class:`Batch` holds one file's records by kind with its rejections and
counts; :class:`Prov` stamps each record with where it came from.  The
builders here (:func:`person`, :func:`institution`, :func:`program`,
:func:`owner_contact`) are the ones every source module (contacts, roster,
calendar, PubMed, ...) uses, so a person is made the same way from any file.
Everything here is pure; writing is the store's job.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsInt

import numpy as np
import pandas as pd

from graph.model import (
    CONFERENCES,
    Institution,
    Interaction,
    Person,
    PersonMention,
    Program,
    Provenance,
    Record,
    RecordRows,
    mention_key,
    narrow,
    stable_id,
)
from graph.resolution.resolver import Mention, Resolver, ReviewItem
from graph.sources.tabular import Rejection, normalise_header

if TYPE_CHECKING:
    from graph.store.base import Writer

__all__ = [
    "KINDS_OF_FILES",
    "SELF_CONTACT",
    "WRITE_ORDER",
    "Batch",
    "Prov",
    "contact_context",
    "institution",
    "now_iso",
    "owner_contact",
    "person",
    "program",
    "to_int",
]

KINDS_OF_FILES = ("roster", "alumni", "mentorship", "contacts", "tracker", "calendar", "pubmed", "linkedin")
"""Every kind of input, in the order a folder is ingested (people before their ties)."""

_SERVICES = {
    "wards": "wards",
    "ward": "wards",
    "icu": "icu",
    "micu": "icu",
    "clinic": "clinic",
    "consult": "consult",
    "consults": "consult",
    "meeting": "meeting",
    "research": "research",
}


WRITE_ORDER = (
    "institution",
    "program",
    "person",
    "mention",
    "publication",
    "interaction",
    "affiliation",
    "authorship",
    "mentorship",
)
"""Record kinds in the order a batch is written: nodes before the relationships between them."""


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Batch:
    """What one input file contributes: records by kind, rejections, counts."""

    kind: str
    file: Path
    read: int = 0
    records: dict[str, dict[str, Record]] = field(default_factory=lambda: defaultdict(dict))
    rejections: list[Rejection] = field(default_factory=list)
    recognised: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)  # columns (and sheets) not read
    read_as: dict[str, object] = field(default_factory=dict)  # header row, sheet, encoding, dates, recurrences
    deletions: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stats: dict[str, int] = field(default_factory=dict)
    review: list[ReviewItem] = field(default_factory=list)
    seen: dict[Mention, str] = field(default_factory=dict, repr=False)
    name: str = ""  # the file's path relative to the folder ingested; by default its name
    row_keys: Counter[tuple[object, ...]] = field(default_factory=Counter, repr=False)
    mentions: dict[tuple[Mention, str], list[int | None]] = field(default_factory=dict, repr=False)  # rows
    columnar: dict[str, RecordRows] = field(default_factory=dict, repr=False)  # kinds built as tuples, not records
    columns_keyed: bool = field(default=False, repr=False)  # its rows keyed by :meth:`column_ids`, all at once

    def __post_init__(self) -> None:
        self.name = self.name or self.file.name

    def row_id(self, prefix: str, *content: object) -> str:
        """The id of a record made from one row: the file's relative path and the row's content key.

        Not its row number: a row inserted or deleted elsewhere in the file
        leaves every other row's id alone.  Rows with the same key in one file
        are told apart by their place among those rows (the first has none).
        """
        if self.columns_keyed:
            raise ValueError(f"{self.name}: its rows were keyed all at once (Batch.column_ids)")
        n = self.row_keys[content]
        self.row_keys[content] += 1
        return stable_id(prefix, self.name, *content, n) if n else stable_id(prefix, self.name, *content)

    def row_ids(self, prefix: str, keys: Sequence[tuple[object, ...]]) -> list[str]:
        """:meth:`row_id` of many rows at once, in order: the same ids, without a call per row.

        Each id is :func:`~graph.model.stable_id` of the same parts, its text
        joined and hashed here in one step (a contact log has a million rows).
        """
        if self.columns_keyed:
            raise ValueError(f"{self.name}: its rows were keyed all at once (Batch.column_ids)")
        counts, head, blake = self.row_keys, f"{self.name}\x1f", hashlib.blake2b
        ids = []
        for content in keys:
            n = counts[content]
            counts[content] = n + 1
            if not content:
                ids.append(stable_id(prefix, self.name, n) if n else stable_id(prefix, self.name))
                continue
            text = head + "\x1f".join(["" if p is None else str(p) for p in content])
            if n:
                text = f"{text}\x1f{n}"
            ids.append(f"{prefix}-{blake(text.encode(), digest_size=8).hexdigest()}")
        return ids

    def column_ids(self, prefix: str, parts: Sequence[np.ndarray]) -> list[str]:
        """:meth:`row_ids` of rows given column by column (``parts``, one array per part of the key): the same ids.

        The rows' texts are joined as arrays and the places of repeated keys
        counted by a group count, so only the hash is made row by row.  All
        the batch's rows keyed by content are keyed here, in one call (a
        contact log's): a batch that has keyed rows already keys these one by
        one, and a batch keyed here keys no more rows.
        """
        if self.row_keys or self.columns_keyed or not parts:
            return self.row_ids(prefix, list(zip(*(p.tolist() for p in parts), strict=True)))
        self.columns_keyed = True
        text: np.ndarray = np.full(len(parts[0]), f"{self.name}\x1f", dtype=object)
        for i, part in enumerate(parts):
            if pd.api.types.infer_dtype(part, skipna=False) != "string":
                part = np.array(["" if p is None else str(p) for p in part.tolist()], dtype=object)
            text = text + part if i == 0 else text + "\x1f" + part
        codes, _ = pd.factorize(text, use_na_sentinel=False)
        place = pd.Series(codes).groupby(codes, sort=False).cumcount().to_numpy()
        again = np.flatnonzero(place)
        if len(again):
            text[again] = text[again] + "\x1f" + place[again].astype(str).astype(object)
        blake = hashlib.blake2b
        return [f"{prefix}-{blake(t.encode(), digest_size=8).hexdigest()}" for t in text.tolist()]

    def of_kind(self, kind: str) -> Sequence[Record]:
        """The batch's records of one kind: those built as tuples (:class:`~graph.model.RecordRows`), else by id."""
        if kind in self.columnar:
            return self.columnar[kind]
        return list(self.records.get(kind, {}).values())

    def add(self, kind: str, record: Record) -> None:
        """Keep a record; a later one with the same id replaces the earlier."""
        self.records[kind][record.id] = record

    def add_mentions(self, ingested_at: str) -> None:
        """Keep one :class:`~graph.model.PersonMention` per way this file wrote each person, with its rows.

        Its id is :func:`~graph.model.mention_key` of the file, the writing and
        the person (hashed here in one step: a contact log has ~100k of them).
        """
        out, file, kind = self.records["mention"], self.name, self.kind
        for (m, pid), rows in self.mentions.items():
            numbers = rows if None not in rows else [r for r in rows if r is not None]
            parts = (file, m.name, m.email, m.program_id, m.orcid, m.linkedin_url, m.institution_id, pid)
            text = "\x1f".join(p or "" for p in parts)
            mid = f"m-{hashlib.blake2b(text.encode(), digest_size=8).hexdigest()}"
            out[mid] = PersonMention(
                mid,
                kind,
                file,
                numbers[0] if numbers else None,
                ingested_at,
                pid,
                m.name,
                m.email,
                m.program_id,
                m.orcid,
                m.linkedin_url,
                m.institution_id,
                " ".join(map(str, numbers)),
                len(numbers),
            )

    def write_to(self, store: Writer, resolver: Resolver | None = None, seconds: dict[str, float] | None = None) -> int:
        """Write the batch as its file's new snapshot, then its deletions (:meth:`~graph.store.base.Store.write_file`).

        With the run's ``resolver``, the people the store holds as they are
        already (:meth:`~graph.resolution.resolver.Resolver.unchanged`) are not
        written again, and once written the batch's people are marked stored.
        ``seconds`` as ``write_file``'s.  Returns how many records were written.
        """
        records = {kind: self.of_kind(kind) for kind in WRITE_ORDER}
        people: list[Person] = narrow(Person, records["person"])
        unchanged = {"person": resolver.unchanged(people)} if resolver is not None else None
        written = store.write_file(self.name, records, self.deletions, unchanged=unchanged, seconds=seconds)
        if resolver is not None:
            resolver.mark_stored(people)
        return written

    @property
    def landed(self) -> int:
        """Input rows that became records."""
        return self.read - len({r.row for r in self.rejections})


SELF_CONTACT = "is the same person as the other side: a contact of a person with themselves"


@dataclass(frozen=True)
class Prov:
    """Where a file's records come from: its kind, file, ingest time and (trackers, alumni) owner and home program."""

    source: str
    file: str
    at: str
    owner: str | None = None
    home_program: str | None = None

    def __call__(self, row: int | None) -> Provenance:
        """The provenance fields of a record made from ``row`` (None: the file as a whole)."""
        return {"source": self.source, "file": self.file, "row": row, "ingested_at": self.at}


def person(resolver: Resolver, batch: Batch, mention: Mention, prov: Provenance, **attrs: object) -> str:
    """Resolve a mention to a person id, keeping the person (with ``attrs`` filled in) in the batch.

    A person new to the resolver carries ``prov``, the row that made it.
    """
    if not attrs and mention in batch.seen:  # the same mention again in this file adds nothing new
        pid = batch.seen[mention]
        batch.mentions[(mention, pid)].append(prov["row"])
        return pid
    pinned = resolver.pinned(_key(batch, mention)) if resolver.pins else None
    pid = pinned or resolver.resolve(mention)
    batch.mentions.setdefault((mention, pid), []).append(prov["row"])
    p = resolver.person(pid, mention, prov=prov, **attrs)
    batch.add("person", p)
    if not attrs:
        batch.seen[mention] = pid
    return pid


def _key(batch: Batch, m: Mention) -> str:
    return mention_key(batch.name, m.name, m.email, m.program_id, m.orcid, m.linkedin_url, m.institution_id)


def institution(batch: Batch, name: str, city: str = "") -> str | None:
    """The id of the institution named, kept in the batch; None for a blank name."""
    name = name.strip()
    if not name:
        return None
    iid = stable_id("inst", normalise_header(name))
    batch.add("institution", Institution(id=iid, name=name, city=city, source=batch.kind, file=batch.name))
    return iid


def program(batch: Batch, institution_id: str, institution: str, specialty: str, level: str) -> str:
    """The id of a program (residency, fellowship, committee, service) of an institution, kept in the batch."""
    pid = stable_id("prog", institution_id, normalise_header(specialty), level)
    label = f"{specialty} {'fellowship' if level == 'fellowship' else level} at {institution}"
    batch.add(
        "program",
        Program(
            id=pid,
            name=label,
            institution_id=institution_id,
            specialty=specialty,
            level=level,
            source=batch.kind,
            file=batch.name,
        ),
    )
    return pid


@lru_cache(maxsize=1 << 16)
def contact_context(raw: str) -> tuple[str, str]:
    """A written context as ``(context, venue)``: a known service, a conference, else other."""
    text = raw.strip()
    norm = normalise_header(text)
    if norm in _SERVICES:
        return _SERVICES[norm], ""
    upper = text.upper()
    if any(re.search(rf"\b{c}\b", upper) for c in CONFERENCES) or "CHAPTER" in upper or "CONFERENCE" in upper:
        return "conference", text
    return ("other", text) if text else ("other", "")


def owner_contact(
    batch: Batch,
    prov: Prov,
    line: int,
    me: str,
    them: str,
    *,
    date: str | None,
    written: str = "",
    key: tuple[object, ...] = (),
    **fields: Any,  # Interaction fields
) -> None:
    """The owner's contact with one row's person (trackers, LinkedIn exports).

    Its id is keyed by the person as the row writes them (``written`` and ``key``, such as the e-mail).
    """
    if me == them:
        batch.rejections.append(Rejection(prov.file, line, "name", written, SELF_CONTACT + " (the file's owner)"))
        return
    batch.add(
        "interaction",
        Interaction(id=batch.row_id("i", written, *key), a=me, b=them, date=date or "", **fields, **prov(line)),
    )


def to_int(value: SupportsInt | str | None) -> int | None:
    """A validated number cell as an int; None when blank."""
    return None if value is None or pd.isna(value) else int(value)
