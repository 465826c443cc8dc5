"""The domain: people, organisations, interactions, publications, mentorship.

Every record is a frozen dataclass with a stable ``id`` and its provenance
(``source``, ``file``, ``row``, ``ingested_at``).  The registry :data:`KINDS`
tells the stores how each record type is kept: as a node with a label, or as a
relationship between two nodes.  Stores are generic over this registry, so a
new record type is one dataclass and one registry line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cached_property
from typing import Any, TypedDict, TypeVar, overload

__all__ = [
    "KINDS",
    "MENTION_KEYS",
    "Affiliation",
    "AnalysisRun",
    "Assessment",
    "AuditEntry",
    "LoginSession",
    "Authorship",
    "Channel",
    "Context",
    "IngestRecord",
    "IntroRequest",
    "IntroState",
    "Institution",
    "Interaction",
    "Kind",
    "LetterRequest",
    "Mentorship",
    "MentorType",
    "Metrics",
    "PersonMention",
    "Person",
    "PersonKind",
    "Program",
    "Provenance",
    "Publication",
    "Record",
    "RecordRows",
    "Tie",
    "User",
    "field_names",
    "mention_key",
    "narrow",
    "stable_id",
]


class PersonKind(StrEnum):
    """What a person is in the program's world."""

    RESIDENT = "resident"
    FACULTY = "faculty"
    FELLOW = "fellow"
    NURSE = "nurse"
    PHARMACIST = "pharmacist"
    CASE_MANAGER = "case_manager"
    ALUMNUS = "alumnus"
    STAFF = "staff"
    EXTERNAL = "external"


class Channel(StrEnum):
    """How an interaction happened."""

    IN_PERSON = "in_person"
    EMAIL = "email"
    CALL = "call"
    MESSAGE = "message"
    VIDEO = "video"


class Context(StrEnum):
    """Where an interaction happened."""

    WARDS = "wards"
    ICU = "icu"
    CLINIC = "clinic"
    CONSULT = "consult"
    CONFERENCE = "conference"
    MEETING = "meeting"
    RESEARCH = "research"
    OTHER = "other"


class MentorType(StrEnum):
    """The four roles of a resident's mentorship team."""

    CLINICAL = "clinical"
    RESEARCH = "research_qi"
    CAREER = "career"
    SPONSOR = "sponsor"


CONFERENCES = ("ACP", "SHM", "CHEST", "ATS", "AHA", "ASN", "ASCO", "ACG", "IDSA", "SGIM", "AGA")
"""Venues users name in the context column; any of these means a conference."""


def stable_id(prefix: str, *parts: object) -> str:
    """Return a deterministic id from its parts: the same input, the same id.

    >>> stable_id("x", "a", 1) == stable_id("x", "a", 1)
    True
    """
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return f"{prefix}-{hashlib.blake2b(text.encode(), digest_size=8).hexdigest()}"


@dataclass(frozen=True)
class Record:
    """Fields every stored record has: identity and provenance."""

    id: str
    source: str = ""
    file: str = ""
    row: int | None = None
    ingested_at: str = ""


class Provenance(TypedDict):
    """The provenance fields of a :class:`Record`, to pass with ``**`` to a record's constructor."""

    source: str
    file: str
    row: int | None
    ingested_at: str


@dataclass(frozen=True)
class Person(Record):
    """A person: resident, faculty, fellow, staff or alumnus."""

    name: str = ""
    kind: str = PersonKind.EXTERNAL.value
    role: str = ""  # PD, APD, chief, attending, hospitalist, ...
    email: str | None = None
    program_id: str | None = None  # the program office's id, e.g. "R-0042"
    orcid: str | None = None
    institution_id: str | None = None
    specialty: str | None = None
    pgy: int | None = None
    grad_year: int | None = None
    interests: str = ""
    opted_out: bool = False


MENTION_KEYS = ("email", "program_id", "orcid", "linkedin_url", "institution_id")
"""The keys a row can carry for a person, as a :class:`PersonMention` keeps them."""


def mention_key(file: str, name: str, *keys: str | None) -> str:
    """The id of a way one file writes a person: the file, the name as written and the row's keys (:data:`MENTION_KEYS`).

    A split pins such a key to a person (the alias file's ``mention`` rows), so a
    re-ingest of the file resolves that writing to the person it was split into.

    >>> mention_key("2025/log.csv", "D. Patel", None) == mention_key("2025/log.csv", "D. Patel", "")
    True
    """
    return stable_id("m", file, name, *(k or "" for k in keys))


@dataclass(frozen=True)
class PersonMention(Record):
    """A person as one file writes them: the name as written, the keys its rows carried, the rows.

    ``id`` is :func:`mention_key` of the file, the writing and the person it
    resolved to; ``row`` the first row, ``rows`` every row (space-joined; empty
    for a file-level mention such as a tracker's owner); ``file`` the path
    relative to the folder ingested.  Written with the file's snapshot, so an
    edited or deleted row's mention goes with it.
    """

    person: str = ""
    name: str = ""
    email: str | None = None
    program_id: str | None = None
    orcid: str | None = None
    linkedin_url: str | None = None
    institution_id: str | None = None
    rows: str = ""
    n_rows: int = 0


@dataclass(frozen=True)
class Institution(Record):
    """A hospital, university or health system."""

    name: str = ""
    city: str = ""


@dataclass(frozen=True)
class Program(Record):
    """A training program: a specialty at an institution (e.g. GI fellowship at X)."""

    name: str = ""
    institution_id: str = ""
    specialty: str = ""
    level: str = "fellowship"  # residency | fellowship


@dataclass(frozen=True)
class Publication(Record):
    """A paper, keyed ``pmid-<PMID>``."""

    pmid: str = ""
    title: str = ""
    journal: str = ""
    year: int | None = None
    mesh: str = ""  # "; "-joined MeSH headings


@dataclass(frozen=True)
class Interaction(Record):
    """One dated contact between two people."""

    a: str = ""
    b: str = ""
    date: str = ""  # YYYY-MM-DD
    channel: str = Channel.IN_PERSON.value
    context: str = Context.OTHER.value
    venue: str = ""  # conference name, service or meeting title
    initiated_by: str | None = None  # a person id, or None when unknown/mutual
    scheduled: bool = False  # forced by the schedule (same rotation) rather than chosen
    note: str = ""
    duration_min: float | None = None  # time spent together, when the source says (contact log, DTEND - DTSTART)
    planned: bool = False  # a future meeting (calendar): feeds stay-in-touch, not tie strength


@dataclass(frozen=True)
class Affiliation(Record):
    """A person in a program: role (resident, faculty, fellow, alumnus, committee) and years."""

    person: str = ""
    program: str = ""
    role: str = ""
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True)
class Authorship(Record):
    """A person's place in a publication's author list (1-based)."""

    person: str = ""
    publication: str = ""
    position: int = 1
    n_authors: int = 1
    affiliation: str = ""


@dataclass(frozen=True)
class Mentorship(Record):
    """A declared mentor relation of one of the :class:`MentorType` kinds."""

    mentor: str = ""
    mentee: str = ""
    type: str = MentorType.CLINICAL.value
    since: str | None = None


@dataclass(frozen=True)
class Tie(Record):
    """A scored tie between two people, written by ``analyze``."""

    a: str = ""
    b: str = ""
    strength: float = 0.0
    n_interactions: int = 0
    last_contact: str | None = None
    reasons: str = ""
    computed_at: str = ""


@dataclass(frozen=True)
class Metrics(Record):
    """A person's centrality and brokerage measures, written by ``analyze``."""

    person: str = ""
    degree: int = 0
    weighted_degree: float = 0.0
    pagerank: float = 0.0
    betweenness: float = 0.0
    closeness: float | None = None  # not computed by analyze (no page shows it)
    community: int | None = None
    burt_constraint: float | None = None
    effective_size: float | None = None
    computed_at: str = ""


@dataclass(frozen=True)
class Assessment(Record):
    """A resident's mentorship-network assessment, written by ``analyze``."""

    person: str = ""
    score: float = 0.0
    pgy: int | None = None
    pgy_median: float | None = None
    missing_roles: str = ""
    stale: str = ""
    network_type: str = ""
    network_range: int = 0
    density: float = 0.0
    burt_constraint: float | None = None
    reasons: str = ""
    suggestions: str = ""
    computed_at: str = ""


@dataclass(frozen=True)
class IngestRecord(Record):
    """One ingest of one file: its hash and what became of its rows."""

    kind: str = ""
    sha256: str = ""
    read: int = 0
    landed: int = 0
    quarantined: int = 0
    finished_at: str = ""


@dataclass(frozen=True)
class AnalysisRun(Record):
    """One ``analyze`` run: when, with which parameters, and its headline figures (JSON)."""

    computed_at: str = ""
    summary: str = ""


@dataclass(frozen=True)
class User(Record):
    """A dashboard account; ``id`` is the login name.  Never exported."""

    role: str = "resident"  # resident | mentor | leadership | admin
    person: str | None = None  # the person this user is in the graph
    password_hash: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class AuditEntry(Record):
    """Who looked at whose sensitive view, and when."""

    who: str = ""
    action: str = ""
    subject: str = ""
    at: str = ""


class IntroState(StrEnum):
    """Where an introduction request stands."""

    DRAFTED = "drafted"
    ASKED = "asked"
    INTRODUCED = "introduced"
    MET = "met"
    DECLINED = "declined"
    NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class IntroRequest(Record):
    """A resident's request to a first contact for a warm introduction, and what came of it.

    Stored as a relationship from the resident (``requester``) to the person asked
    (``first_contact``); ``path`` is the chain of person ids (" > "-joined), ``history``
    every change ("asked 2026-11-25 by ana; met 2026-12-03 by ana").
    """

    requester: str = ""
    first_contact: str = ""
    target: str = ""  # the target as asked: a program, institution or specialty name, or a person id
    target_label: str = ""
    path: str = ""
    state: str = IntroState.DRAFTED.value
    asked_at: str = ""  # YYYY-MM-DD, when first asked
    updated_at: str = ""  # ISO time of the last change
    history: str = ""
    message: str = ""
    note: str = ""


@dataclass(frozen=True)
class LetterRequest(Record):
    """A resident's request for a letter of recommendation and where it stands.

    ``state`` is one of asked, agreed, submitted, declined; ``deadline`` and the
    dates are ``YYYY-MM-DD``; ``cycle`` names the application cycle.
    """

    resident: str = ""
    writer: str = ""
    cycle: str = ""
    deadline: str = ""
    state: str = "asked"
    asked_on: str = ""
    updated_on: str = ""
    note: str = ""


@dataclass(frozen=True)
class LoginSession(Record):
    """A signed-in dashboard session; ``id`` is a hash of the token the cookie carries.  Never exported."""

    user: str = ""
    created_at: str = ""
    last_seen: str = ""


@dataclass(frozen=True)
class Kind:
    """How a record type is stored.

    Nodes have a ``label``.  Relationships have a ``label`` (the relationship
    type) and name the fields holding their two endpoints and the endpoints'
    node labels.
    """

    name: str
    cls: type[Record]
    label: str
    start: tuple[str, str] | None = None
    end: tuple[str, str] | None = None
    keep: tuple[str, ...] = ()
    """Of a node many files name (an institution): the fields a later file that leaves them blank does not erase
    (:meth:`graph.store.base.Store.upsert_shared`); such a kind is never a file's own, so no file's snapshot deletes it."""

    @property
    def is_relationship(self) -> bool:
        """Whether this kind is stored as a relationship."""
        return self.start is not None

    @property
    def endpoints(self) -> tuple[tuple[str, str], tuple[str, str]]:
        """A relationship's ``(start, end)``, each ``(field, node label)``.

        >>> KINDS["tie"].endpoints
        (('a', 'Person'), ('b', 'Person'))

        Raises
        ------
        ValueError
            If this kind is a node.
        """
        if self.start is None or self.end is None:
            raise ValueError(f"{self.name} is a node, it has no endpoints")
        return self.start, self.end

    @cached_property
    def fields(self) -> tuple[str, ...]:
        """Field names in declaration order."""
        return field_names(self.cls)

    def to_row(self, record: Record) -> dict[str, Any]:
        """Plain dict of a record."""
        return {f: getattr(record, f) for f in self.fields}

    def from_row(self, row: dict[str, Any]) -> Record:
        """Record from a dict; unknown keys are ignored, missing ones default."""
        return self.cls(**{k: v for k, v in row.items() if k in self._field_set})

    @property
    def _field_set(self) -> frozenset[str]:
        return frozenset(self.fields)

    @property
    def types(self) -> dict[str, str]:
        """Field name to its base type name: ``str``, ``int``, ``float`` or ``bool``."""
        return {f.name: str(f.type).split(" ")[0] for f in fields(self.cls)}


def field_names(cls: type) -> tuple[str, ...]:
    """Names of a dataclass's fields in declaration order."""
    return tuple(f.name for f in fields(cls))


R = TypeVar("R", bound=Record)


def narrow(cls: type[R], records: Iterable[Record]) -> list[R]:
    """Records read from a store as the dataclass of their kind (store reads return :class:`Record`).

    >>> [t.id for t in narrow(Tie, [Tie(id="t-1")])]
    ['t-1']
    >>> narrow(Tie, [Person(id="p-1")])
    Traceback (most recent call last):
    ...
    TypeError: expected Tie records, got Person

    Raises
    ------
    TypeError
        If a record is of another kind.
    """
    out: list[R] = []
    for r in records:
        if not isinstance(r, cls):
            raise TypeError(f"expected {cls.__name__} records, got {type(r).__name__}")
        out.append(r)
    return out


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("person", Person, "Person"),
        Kind("institution", Institution, "Institution", keep=("city",)),
        Kind("program", Program, "Program"),
        Kind("publication", Publication, "Publication"),
        Kind("ingest", IngestRecord, "Ingest"),
        Kind("run", AnalysisRun, "AnalysisRun"),
        Kind("user", User, "User"),
        Kind("audit", AuditEntry, "AuditEntry"),
        Kind("metrics", Metrics, "Metrics"),
        Kind("assessment", Assessment, "Assessment"),
        Kind("mention", PersonMention, "Mention"),
        Kind("interaction", Interaction, "INTERACTED", ("a", "Person"), ("b", "Person")),
        Kind("affiliation", Affiliation, "AFFILIATED_WITH", ("person", "Person"), ("program", "Program")),
        Kind("authorship", Authorship, "AUTHORED", ("person", "Person"), ("publication", "Publication")),
        Kind("mentorship", Mentorship, "MENTORS", ("mentor", "Person"), ("mentee", "Person")),
        Kind("tie", Tie, "TIE", ("a", "Person"), ("b", "Person")),
        Kind("letter_request", LetterRequest, "ASKED_FOR_LETTER", ("resident", "Person"), ("writer", "Person")),
        Kind("session", LoginSession, "LoginSession"),
        Kind("intro_request", IntroRequest, "ASKED_FOR_INTRO", ("requester", "Person"), ("first_contact", "Person")),
    )
}
"""Every stored record type by name; nodes first so endpoints exist before relationships."""


class RecordRows(Sequence[Record]):
    """Records of one kind held as plain tuples, their fields in declaration order (a contact log's interactions).

    A store writes the tuples as they are, with no record object per row
    (:meth:`graph.store.sqlite_store.SqliteStore.upsert`); read one by one
    (``rows[i]``, iteration) each is built as its record, so any other
    reader sees an ordinary sequence of records.

    Parameters
    ----------
    cls : type of Record
        The record class; each tuple holds its fields in order.
    rows : list of tuple
        One tuple per record, ids unique.
    """

    def __init__(self, cls: type[Record], rows: list[tuple[Any, ...]]) -> None:
        self.cls = cls
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> Record: ...
    @overload
    def __getitem__(self, i: slice) -> RecordRows: ...
    def __getitem__(self, i: int | slice) -> Record | RecordRows:
        if isinstance(i, slice):
            return RecordRows(self.cls, self.rows[i])
        return self.cls(*self.rows[i])

    def __iter__(self) -> Iterator[Record]:
        cls = self.cls
        return (cls(*r) for r in self.rows)

    def column(self, name: str) -> list[Any]:
        """Every record's value of one field, in order."""
        at = field_names(self.cls).index(name)
        return [r[at] for r in self.rows]
