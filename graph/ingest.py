"""From input files to records: detect, validate, resolve, build.

Each kind of file (see ``docs/formats.md``) has its canonical columns and a
builder that turns validated rows into records, resolving every person
mention through one :class:`graph.resolution.resolver.Resolver`.  Everything here is pure
except reading the input file; writing is the store's job.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path

import pandas as pd

from graph.errors import InputError
from graph.model import (
    CONFERENCES,
    Affiliation,
    Institution,
    Interaction,
    Mentorship,
    Program,
    Record,
    stable_id,
)
from graph.resolution.resolver import Mention, Resolver, ReviewItem
from graph.sources.schemas import SCHEMAS
from graph.sources.tabular import Rejection, Table, normalise_header, validate

__all__ = [
    "KINDS_OF_FILES",
    "WRITE_ORDER",
    "Batch",
    "build",
    "detect_kind",
    "FilePlan",
    "file_sha256",
    "home_program",
    "now_iso",
    "plan_folder",
    "read",
    "read_any",
]

log = logging.getLogger(__name__)

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


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_kind(path: Path) -> str:
    """Which kind of input a file is, from its name, else its header.

    Raises
    ------
    InputError
        When neither tells.
    """
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix == ".ics":
        return "calendar"
    if suffix in (".xml", ".gz", ".medline", ".nbib") or name.startswith("pubmed"):
        return "pubmed"
    for kind in ("roster", "alumni", "mentorship", "contacts", "tracker"):
        if name.startswith(kind) or name.startswith(kind.rstrip("s")):
            return kind
    if name == "connections.csv":
        return "linkedin"
    if suffix in (".csv", ".xlsx", ".txt"):
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
        if head.startswith("PMID-") or "\nPMID-" in head:
            return "pubmed"
        if "First Name" in head and "Connected On" in head:
            return "linkedin"
        norm = normalise_header(head.splitlines()[0]) if head else ""
        if "persona" in norm or ("person1" in norm and "person2" in norm):
            return "contacts"
    raise InputError(f"{path.name}: cannot tell what kind of file this is; use `tiegraph ingest KIND {path}`")


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

    def add(self, kind: str, record: Record) -> None:
        """Keep a record; a later one with the same id replaces the earlier."""
        self.records[kind][record.id] = record

    @property
    def landed(self) -> int:
        """Input rows that became records."""
        return self.read - len({r.row for r in self.rejections})


def read(
    path: Path,
    kind: str,
    *,
    mapping: dict[str, str] | None = None,
    today: date | None = None,
    dayfirst: bool | None = None,
) -> Table:
    """Validate one tabular file of a known kind (``dayfirst``: see :func:`graph.sources.tabular.validate`)."""
    if kind not in SCHEMAS:
        raise InputError(f"{path.name}: {kind} is not a tabular kind")
    checks = (_initiator_check,) if kind == "contacts" else ()
    skip = "First Name" if kind == "linkedin" else None
    return validate(
        path, SCHEMAS[kind], mapping=mapping, skip_until=skip, today=today, dayfirst=dayfirst, checks=checks
    )


def _initiator_check(rows: pd.DataFrame) -> list[tuple[int, str, str]]:
    bad = []
    cols = (rows[c].tolist() for c in ("initiated_by", "person_a", "person_b"))
    for idx, who, a, b in zip(rows.index, *cols, strict=True):
        if who and _initiator(who, a, b) == "?":
            bad.append((idx, "initiated_by", "names neither person of the contact (use a, b, both or a name)"))
    return bad


def _initiator(who: str, a: str, b: str) -> str | None:
    w = _norm(who)
    if w in ("", "both", "mutual", "unknown"):
        return None
    if w in ("a", "persona") or w == _norm(a):
        return "a"
    if w in ("b", "personb") or w == _norm(b):
        return "b"
    return "?"


SELF_CONTACT = "is the same person as the other side: a contact of a person with themselves"

_norm = lru_cache(maxsize=1 << 16)(normalise_header)
"""``normalise_header``, remembered: contact logs repeat the same few thousand names."""


def build(
    table: Table,
    kind: str,
    resolver: Resolver,
    *,
    ingested_at: str,
    owner: str | None = None,
    home_program: str | None = None,
) -> Batch:
    """Turn a validated table into records, resolving people as it goes.

    Parameters
    ----------
    table : Table
        Validated rows of one file.
    kind : str
        One of :data:`KINDS_OF_FILES`.
    resolver : Resolver
        Knows the people already stored; learns the new ones.
    ingested_at : str
        Provenance time stamp.
    owner : str, optional
        Whose tracker or LinkedIn export this is.
    home_program : str, optional
        Id of the residency program alumni lists belong to.
    """
    batch = Batch(kind, table.file, table.read, rejections=list(table.rejections), recognised=table.recognised)
    batch.ignored, batch.read_as = list(table.ignored), table.read_as.as_dict()
    _BUILDERS[kind](table, resolver, batch, _Prov(kind, table.file.name, ingested_at, owner, home_program))
    return batch


@dataclass(frozen=True)
class _Prov:
    source: str
    file: str
    at: str
    owner: str | None = None
    home_program: str | None = None

    def __call__(self, row: int | None) -> dict[str, object]:
        return {"source": self.source, "file": self.file, "row": row, "ingested_at": self.at}


def _person(resolver: Resolver, batch: Batch, mention: Mention, prov: dict[str, object], **attrs: object) -> str:
    if not attrs and mention in batch.seen:  # the same mention again in this file adds nothing new
        return batch.seen[mention]
    pid = resolver.resolve(mention)
    known = pid in resolver.people
    p = resolver.person(pid, mention, **attrs)
    if not known:
        p = replace(p, **prov)  # type: ignore[arg-type]
        resolver.people[pid] = p
    batch.add("person", p)
    if not attrs:
        batch.seen[mention] = pid
    return pid


def _institution(batch: Batch, name: str, city: str = "") -> str | None:
    name = name.strip()
    if not name:
        return None
    iid = stable_id("inst", normalise_header(name))
    batch.add("institution", Institution(id=iid, name=name, city=city, source=batch.kind, file=batch.file.name))
    return iid


def _program(batch: Batch, institution_id: str, institution: str, specialty: str, level: str) -> str:
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
            file=batch.file.name,
        ),
    )
    return pid


@lru_cache(maxsize=1 << 16)
def _context(raw: str) -> tuple[str, str]:
    text = raw.strip()
    norm = normalise_header(text)
    if norm in _SERVICES:
        return _SERVICES[norm], ""
    upper = text.upper()
    if any(re.search(rf"\b{c}\b", upper) for c in CONFERENCES) or "CHAPTER" in upper or "CONFERENCE" in upper:
        return "conference", text
    return ("other", text) if text else ("other", "")


def _contacts(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    # A mention seen before in this file resolves to the same person and adds nothing new
    # (``Resolver.person`` only fills empty fields), so each distinct mention is resolved once.
    seen: dict[tuple[str, str, str], str] = {}

    def person(name: str, email: str, program_id: str, p: dict[str, object]) -> str:
        pid = seen.get((name, email, program_id))
        if pid is None:
            pid = _person(r, batch, Mention(name, email or None, program_id or None), p)
            seen[(name, email, program_id)] = pid
        return pid

    cols = ("line", "person_a", "email_a", "id_a", "person_b", "email_b", "id_b")
    cols += ("initiated_by", "context", "date", "channel", "scheduled", "note", "duration_min")
    interactions = batch.records["interaction"]
    for line, na, ea, ia, nb, eb, ib, who, ctx, day, channel, scheduled, note, minutes in zip(
        *(table.rows[c].tolist() for c in cols), strict=True
    ):
        p = prov(line)
        a = person(na, ea, ia, p)
        b = person(nb, eb, ib, p)
        if a == b:
            batch.rejections.append(Rejection(prov.file, line, "person_b", nb, SELF_CONTACT))
            continue
        side = _initiator(who, na, nb)
        context, venue = _context(ctx)
        i = Interaction(
            id=stable_id("i", prov.file, line),
            a=a,
            b=b,
            date=day,
            channel=channel,
            context=context,
            venue=venue,
            initiated_by=a if side == "a" else (b if side == "b" else None),
            scheduled=bool(scheduled),
            note=note,
            duration_min=minutes,
            **p,  # type: ignore[arg-type]
        )
        interactions[i.id] = i


def _roster(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = _institution(batch, row.institution)
        pid = _person(
            r,
            batch,
            Mention(row.name, row.email or None, row.program_id or None, institution_id=inst),
            p,
            kind=row.kind,
            role=row.role,
            pgy=_int(row.pgy),
            grad_year=_int(row.grad_year),
            specialty=row.specialty or None,
        )
        if inst is None:
            continue
        home = _program(batch, inst, row.institution, "Internal Medicine", "residency")
        batch.add(
            "affiliation",
            Affiliation(id=stable_id("aff", pid, home), person=pid, program=home, role=row.kind, **p),  # type: ignore[arg-type]
        )
        for committee in filter(None, (c.strip() for c in row.committees.split(";"))):
            cid = _program(batch, inst, row.institution, committee, "committee")
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, cid), person=pid, program=cid, role="member", **p),  # type: ignore[arg-type]
            )
        if row.service:
            sid = _program(batch, inst, row.institution, row.service, "service")
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, sid), person=pid, program=sid, role=row.kind, **p),  # type: ignore[arg-type]
            )


def _mentorship(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        mentor = _person(r, batch, Mention(row.mentor, row.mentor_email or None), p)
        mentee = _person(r, batch, Mention(row.mentee, row.mentee_email or None), p)
        batch.add(
            "mentorship",
            Mentorship(
                id=stable_id("m", mentor, mentee, row.type),
                mentor=mentor,
                mentee=mentee,
                type=row.type,
                since=row.since,
                **p,
            ),  # type: ignore[arg-type]
        )


_FELLOW = re.compile(r"\bfellow\b", re.IGNORECASE)


def _alumni(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    home = prov.home_program
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = _institution(batch, row.institution, row.city)
        pid = _person(
            r,
            batch,
            Mention(row.name, row.email or None, institution_id=inst),
            p,
            kind="alumnus",
            role=row.position,
            grad_year=_int(row.grad_year),
            specialty=row.specialty or None,
        )
        if home:
            batch.add(
                "affiliation",
                Affiliation(
                    id=stable_id("aff", pid, home),
                    person=pid,
                    program=home,
                    role="alumnus",
                    end_year=_int(row.grad_year),
                    **p,
                ),  # type: ignore[arg-type]
            )
        if inst and row.specialty:
            level = "fellowship"
            prog = _program(batch, inst, row.institution, row.specialty, level)
            role = "fellow" if _FELLOW.search(row.position) else "faculty"
            batch.add(
                "affiliation",
                Affiliation(id=stable_id("aff", pid, prog), person=pid, program=prog, role=role, **p),  # type: ignore[arg-type]
            )


def _tracker(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    owner_name = prov.owner or _owner_from_filename(table.file)
    me = _person(r, batch, Mention(owner_name), prov(None))
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = _institution(batch, row.institution)
        them = _person(
            r,
            batch,
            Mention(row.name, row.email or None, institution_id=inst),
            p,
            role=row.role,
            interests=row.interests,
        )
        context, venue = _context(row.how_met)
        note = " | ".join(x for x in (row.last_contact_content, f"next: {row.next_step}" if row.next_step else "") if x)
        _owner_contact(
            batch,
            prov,
            row.line,
            me,
            them,
            date=row.last_contact,
            written=row.name,
            channel="in_person",
            context=context,
            venue=venue or row.how_met,
            initiated_by=me,
            note=note,
        )


def _linkedin(table: Table, r: Resolver, batch: Batch, prov: _Prov) -> None:
    if not prov.owner:
        raise InputError(f"{table.file.name}: a LinkedIn export needs --owner NAME (whose connections these are)")
    me = _person(r, batch, Mention(prov.owner), prov(None))
    for row in table.rows.itertuples(index=False):
        p = prov(row.line)
        inst = _institution(batch, row.company)
        them = _person(
            r,
            batch,
            Mention(f"{row.first_name} {row.last_name}", row.email or None, institution_id=inst),
            p,
            role=row.position,
        )
        _owner_contact(
            batch,
            prov,
            row.line,
            me,
            them,
            date=row.connected_on,
            written=f"{row.first_name} {row.last_name}",
            channel="message",
            context="other",
            venue="LinkedIn",
            note="LinkedIn connection",
        )


def _owner_contact(
    batch: Batch, prov: _Prov, line: int, me: str, them: str, *, date: str | None, written: str = "", **fields: object
) -> None:
    """The owner's contact with one row's person (trackers, LinkedIn exports)."""
    if me == them:
        batch.rejections.append(Rejection(prov.file, line, "name", written, SELF_CONTACT + " (the file's owner)"))
        return
    batch.add(
        "interaction",
        Interaction(id=stable_id("i", prov.file, line), a=me, b=them, date=date or "", **fields, **prov(line)),
    )  # type: ignore[arg-type]


def _owner_from_filename(path: Path) -> str:
    m = re.match(r"(?i)tracker[\s_\-]*(?P<name>.+)$", path.stem)
    if not m or not m["name"].strip(" -_"):
        raise InputError(
            f"{path.name}: cannot tell whose tracker this is; name it 'tracker - First Last' or pass --owner"
        )
    return m["name"].replace("_", " ").strip(" -")


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


_BUILDERS = {
    "contacts": _contacts,
    "roster": _roster,
    "mentorship": _mentorship,
    "alumni": _alumni,
    "tracker": _tracker,
    "linkedin": _linkedin,
}


def read_any(
    path: Path,
    kind: str,
    resolver: Resolver,
    *,
    ingested_at: str,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    home_program: str | None = None,
    today: date | None = None,
    dayfirst: bool | None = None,
    tz: str | None = None,
) -> Batch:
    """Validate and build any kind of input file.

    ``dayfirst`` is the order of a table's numeric dates (None: its rows
    decide); ``tz`` the time zone calendar times are dated in when the
    calendar names none.
    """
    if kind in SCHEMAS:
        table = read(path, kind, mapping=mapping, today=today, dayfirst=dayfirst)
        return build(table, kind, resolver, ingested_at=ingested_at, owner=owner, home_program=home_program)
    if kind == "pubmed":
        from graph.coauthors import build_pubmed

        return build_pubmed(path, resolver, ingested_at=ingested_at)
    if kind == "calendar":
        from graph.sources.ics import build_calendar

        return build_calendar(path, resolver, ingested_at=ingested_at, today=today, tz=tz)
    raise InputError(f"{path.name}: unknown kind {kind!r}; one of {', '.join(KINDS_OF_FILES)}")


MANIFEST = "tiegraph.yaml"


@dataclass(frozen=True)
class FilePlan:
    """One file of a folder ingest: its kind and, from the manifest, owner, column mapping and date order."""

    path: Path
    kind: str | None  # None: not recognised (ingest reports why)
    owner: str | None = None
    mapping: dict[str, str] | None = None
    dayfirst: bool | None = None  # numeric dates day first; None: the file's rows decide


def plan_folder(folder: Path) -> list[FilePlan]:
    """Every file under a folder with its kind, people-defining kinds first.

    An optional ``tiegraph.yaml`` in the folder names, per file, its ``kind``,
    ``owner`` (trackers, LinkedIn exports), ``columns`` (canonical -> header)
    and ``dayfirst`` (true: 4/3/2025 is 4 March); a top-level ``dayfirst``
    applies to every file that does not say.
    A ``labels`` folder (test labels), hidden files and Markdown are left out;
    a file whose kind cannot be told gets kind None and comes last.
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    manifest, default_dayfirst = _manifest(folder / MANIFEST)
    found = []
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder)
        if not p.is_file() or "labels" in rel.parts or any(x.startswith(".") for x in rel.parts):
            continue
        if p.suffix.lower() == ".md" or p.name == MANIFEST:
            continue
        spec = manifest.get(rel.as_posix(), {})
        try:
            kind = spec.get("kind") or detect_kind(p)
        except InputError:
            kind = None  # reported when its turn comes; the rest of the folder still lands
        dayfirst = spec.get("dayfirst", default_dayfirst)
        found.append(FilePlan(p, kind, spec.get("owner"), spec.get("columns"), dayfirst))
    order = {k: i for i, k in enumerate(KINDS_OF_FILES)}
    return sorted(found, key=lambda f: (order.get(f.kind, len(order)), f.path.name))


def _manifest(path: Path) -> tuple[dict[str, dict], bool | None]:
    if not path.exists():
        return {}, None
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: not valid YAML ({exc})") from exc
    files = data.get("files", {}) if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise InputError(f"{path.name}: expected a 'files:' mapping of file name to kind/owner/columns")
    for name, spec in files.items():
        if not isinstance(spec, dict) or (spec.get("kind") and spec["kind"] not in KINDS_OF_FILES):
            raise InputError(
                f"{path.name}: entry {name!r} must be a mapping with kind one of {', '.join(KINDS_OF_FILES)}"
            )
        if spec.get("dayfirst") not in (None, True, False):
            raise InputError(f"{path.name}: entry {name!r}: dayfirst must be true or false, not {spec['dayfirst']!r}")
    dayfirst = data.get("dayfirst")
    if dayfirst not in (None, True, False):
        raise InputError(f"{path.name}: dayfirst must be true or false, not {dayfirst!r}")
    return files, dayfirst


def home_program(programs: pd.DataFrame) -> str | None:
    """The residency program alumni lists belong to: the first residency-level program."""
    res = programs[programs["level"] == "residency"] if not programs.empty else programs
    return None if res.empty else str(res.sort_values("id")["id"].iloc[0])
