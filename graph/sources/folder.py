"""A folder of input files: each file's kind, the manifest, and reading any kind of file into a batch.

Each kind of file (see ``docs/formats.md``) has its canonical columns and a
builder, in a module of its own, that turns validated rows into records,
resolving every person mention through one :class:`graph.resolution.resolver.Resolver`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from graph.errors import InputError
from graph.model import mention_key
from graph.resolution.resolver import Alias, Mention, Resolver
from graph.resolution.run import MentionRecorder
from graph.sources import alumni, contacts, linkedin, mentorship, roster, trackers
from graph.sources.batch import KINDS_OF_FILES, Batch, Prov
from graph.sources.ics import build_calendar
from graph.sources.pubmed import Article, Deletion, build_pubmed, parse_pubmed, pubmed_mentions
from graph.sources.schemas import SCHEMAS
from graph.sources.tabular import Table, normalise_header, validate

__all__ = [
    "MANIFEST",
    "Collected",
    "FilePlan",
    "build",
    "collect_files",
    "detect_kind",
    "file_sha256",
    "named",
    "plan_folder",
    "read",
    "read_any",
    "file_mentions",
    "table_mentions",
]


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
    checks = (contacts.initiator_check,) if kind == "contacts" else ()
    skip = "First Name" if kind == "linkedin" else None
    return validate(
        path, SCHEMAS[kind], mapping=mapping, skip_until=skip, today=today, dayfirst=dayfirst, checks=checks
    )


def build(
    table: Table,
    kind: str,
    resolver: Resolver,
    *,
    ingested_at: str,
    owner: str | None = None,
    home_program: str | None = None,
    name: str | None = None,
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
    name : str, optional
        The file's path relative to the folder ingested: provenance, record ids
        and rejections carry it.  By default the file's name.
    """
    name = name or table.file.name
    rejections = [r if r.file == name else replace(r, file=name) for r in table.rejections]
    batch = Batch(kind, table.file, table.read, rejections=rejections, recognised=table.recognised, name=name)
    batch.ignored, batch.read_as = list(table.ignored), table.read_as.as_dict()
    _BUILDERS[kind](table, resolver, batch, Prov(kind, name, ingested_at, owner, home_program))
    return batch


_BUILDERS = {
    "contacts": contacts.build,
    "roster": roster.build,
    "mentorship": mentorship.build,
    "alumni": alumni.build,
    "tracker": trackers.build,
    "linkedin": linkedin.build,
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
    name: str | None = None,
    parsed: Sequence[Article | Deletion | InputError] | None = None,
    table: Table | None = None,
) -> Batch:
    """Validate and build any kind of input file.

    ``dayfirst`` is the order of a table's numeric dates (None: its rows
    decide); ``tz`` the time zone calendar times are dated in when the
    calendar names none; ``name`` the file's path relative to the folder
    ingested (by default its name), which its records' ids and provenance
    carry; ``parsed`` a PubMed file's records parsed already
    (:func:`~graph.sources.pubmed.parse_pubmed`); ``table`` a tabular file's
    rows validated already (:func:`read`).
    """
    if kind in SCHEMAS:
        table = table or read(path, kind, mapping=mapping, today=today, dayfirst=dayfirst)
        batch = build(table, kind, resolver, ingested_at=ingested_at, owner=owner, home_program=home_program, name=name)
    elif kind == "pubmed":
        batch = build_pubmed(path, resolver, ingested_at=ingested_at, name=name, parsed=parsed)
    elif kind == "calendar":
        batch = build_calendar(path, resolver, ingested_at=ingested_at, today=today, tz=tz, name=name)
    else:
        raise InputError(f"{name or path.name}: unknown kind {kind!r}; one of {', '.join(KINDS_OF_FILES)}")
    batch.add_mentions(ingested_at)  # the mentions every person of the file was built from
    return batch


def file_mentions(
    path: Path,
    kind: str,
    recorder: MentionRecorder,
    *,
    table: Table | None = None,
    parsed: Sequence[Article | Deletion | InputError] | None = None,
    owner: str | None = None,
    home_program: str | None = None,
    today: date | None = None,
    tz: str | None = None,
    name: str | None = None,
) -> list[Mention]:
    """The person mentions the build of one file will ask the resolver, in order; ``recorder`` holds the run's pins.

    A PubMed file's are read off its authors without a build
    (:func:`~graph.sources.pubmed.pubmed_mentions`); a validated table's
    (``table``, :func:`read`) by :func:`table_mentions`; any other file is
    built with the recorder (a stand-in resolver) and the records dropped.
    The other arguments are :func:`read_any`'s.
    """
    if kind == "pubmed":
        return pubmed_mentions(path, recorder, name=name, parsed=parsed)
    if table is not None:
        return table_mentions(table, kind, recorder, owner=owner, home_program=home_program, name=name)
    read_any(
        path, kind, recorder, ingested_at="", owner=owner, home_program=home_program, today=today, tz=tz, name=name
    )
    return recorder.asked


def table_mentions(
    table: Table,
    kind: str,
    recorder: MentionRecorder,
    *,
    owner: str | None = None,
    home_program: str | None = None,
    name: str | None = None,
) -> list[Mention]:
    """The person mentions the build of a validated table will ask the resolver, in order; ``recorder`` holds the pins.

    A contact log's are its distinct writings (:func:`graph.sources.contacts.mentions`)
    less those a split pins; any other kind is built with the recorder
    (a stand-in resolver) and the records dropped; ``owner``, ``home_program``
    and ``name`` as for :func:`build`.
    """
    if kind != "contacts":
        build(table, kind, recorder, ingested_at="", owner=owner, home_program=home_program, name=name)
        return recorder.asked
    found = contacts.mentions(table)
    if not recorder.pins:
        return found
    file = name or table.file.name
    return [
        m
        for m in found
        if recorder.pinned(mention_key(file, m.name, m.email, m.program_id, m.orcid, m.linkedin_url, m.institution_id))
        is None
    ]


@dataclass
class Collected:
    """What a run's collect step learnt of its files, by file name (:func:`collect_files`).

    ``mentions``: those each file's build will ask the resolver, in order;
    ``tables`` and ``articles``: each tabular file validated and each PubMed
    file parsed, kept for its build; ``read_s`` and ``mentions_s``: the
    seconds each file's read and its mentions took; ``failed``: the files
    that could not be read, each with its error, reported when its build's
    turn comes.
    """

    mentions: dict[str, list[Mention]] = field(default_factory=dict)
    tables: dict[str, Table] = field(default_factory=dict)
    articles: dict[str, list[Article | Deletion | InputError]] = field(default_factory=dict)
    read_s: dict[str, float] = field(default_factory=dict)
    mentions_s: dict[str, float] = field(default_factory=dict)
    failed: dict[str, InputError] = field(default_factory=dict)


class _Parsing(Protocol):
    def result(self) -> list[Article | Deletion | InputError]: ...


def collect_files(
    plans: Sequence[FilePlan],
    aliases: list[Alias],
    *,
    home_program: str | None = None,
    parsing: Mapping[str, _Parsing] | None = None,
    today: date | None = None,
    tz: str | None = None,
) -> Collected:
    """The collect step of an ingest run: each file read once and the mentions its build will ask learnt, in order.

    A tabular file is validated (:func:`read`), a PubMed file parsed
    (:func:`~graph.sources.pubmed.parse_pubmed`, or the ``result()`` of its
    entry in ``parsing`` when something parses it already: a Dask worker);
    then :func:`file_mentions` with a :class:`~graph.resolution.run.MentionRecorder`
    holding the run's pins (``aliases``).  One
    :func:`~graph.resolution.run.resolve_run` of ``mentions`` then decides
    them all, and each file's real build finds its mentions in the resolver's
    cache.  A file of no known kind is left out; one that fails is in
    ``failed``.
    """
    out = Collected()
    for plan in plans:
        if plan.kind is None:
            continue
        start = time.perf_counter()
        try:
            table = parsed = None
            if plan.kind in SCHEMAS:
                table = read(plan.path, plan.kind, mapping=plan.mapping, today=today, dayfirst=plan.dayfirst)
                out.tables[plan.name] = table
            elif plan.kind == "pubmed":
                ahead = (parsing or {}).get(plan.name)
                parsed = ahead.result() if ahead is not None else parse_pubmed(plan.path)
                out.articles[plan.name] = parsed
            read_at = time.perf_counter()
            out.read_s[plan.name] = read_at - start
            out.mentions[plan.name] = file_mentions(
                plan.path,
                plan.kind,
                MentionRecorder(aliases),
                table=table,
                parsed=parsed,
                owner=plan.owner,
                home_program=home_program,
                today=today,
                tz=tz,
                name=plan.name,
            )
            out.mentions_s[plan.name] = time.perf_counter() - read_at
        except InputError as exc:
            out.failed[plan.name] = exc
            out.tables.pop(plan.name, None)
            out.articles.pop(plan.name, None)
    return out


def named(exc: InputError, path: Path, name: str) -> InputError:
    """``exc`` with the file it names by ``path.name`` named by ``name``, its path relative to the folder ingested.

    Readers name a file by its base name; in a folder, ``2025/contacts.csv`` and
    ``2026/contacts.csv`` must be told apart.

    >>> str(named(InputError("log.csv: the file is empty"), Path("/in/2026/log.csv"), "2026/log.csv"))
    '2026/log.csv: the file is empty'
    """
    text = str(exc)
    if name == path.name or not text.startswith(path.name):
        return exc
    return InputError(name + text[len(path.name) :])


MANIFEST = "tiegraph.yaml"


@dataclass(frozen=True)
class FilePlan:
    """One file of a folder ingest: its kind and, from the manifest, owner, column mapping and date order."""

    path: Path
    kind: str | None  # None: not recognised (ingest reports why)
    owner: str | None = None
    mapping: dict[str, str] | None = None
    dayfirst: bool | None = None  # numeric dates day first; None: the file's rows decide
    name: str = ""  # the path relative to the folder ingested (posix); a single file: its name

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.path.name)


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
        found.append(FilePlan(p, kind, spec.get("owner"), spec.get("columns"), dayfirst, rel.as_posix()))
    order = {k: i for i, k in enumerate(KINDS_OF_FILES)}
    return sorted(found, key=lambda f: (order.get(f.kind or "", len(order)), f.path.name, f.name))


def _manifest(path: Path) -> tuple[dict[str, dict[str, Any]], bool | None]:
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
