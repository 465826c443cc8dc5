"""What an ingest command will do, decided before any Prefect machinery starts.

Every file of the plan is hashed; a file whose content was ingested before is
skipped.  When nothing changed, :class:`IngestPlan` already holds every report
and no flow run starts (nor is Prefect imported): a re-ingest of an unchanged
folder costs the hashing and one store query.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass
from pathlib import Path

from graph.sources.folder import FilePlan, detect_kind, file_sha256, plan_folder
from graph.store import Store

__all__ = ["IngestPlan", "IngestReport", "Pending", "plan_ingest"]


@dataclass(frozen=True)
class IngestReport:
    """What became of one file."""

    file: str
    kind: str
    read: int
    landed: int
    quarantined: int
    new_people: int
    merged: int
    skipped: bool = False
    quarantine_file: str | None = None
    recognised: tuple[str, ...] = ()
    error: str | None = None
    ignored: tuple[str, ...] = ()  # columns (and sheets) of the file that name nothing known: not read
    # header row, sheet, encoding, date order, recurrences
    read_as: dict[str, object] = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain dict for ``--json``."""
        return asdict(self)


@dataclass(frozen=True)
class Pending:
    """A file of the run that changed since its last ingest (or was never ingested): its plan and hash."""

    plan: FilePlan
    sha256: str

    @property
    def name(self) -> str:
        """The file's path relative to the folder ingested."""
        return self.plan.name


@dataclass(frozen=True)
class IngestPlan:
    """The files of one ingest command: those to ingest (in order) and the reports of those unchanged."""

    files: list[FilePlan]
    pending: list[Pending]
    skipped: dict[str, IngestReport]
    single: bool  # one file asked for by name: its error is the command's

    def reports(self, ingested: list[IngestReport]) -> list[IngestReport]:
        """One report per file, in plan order: the skipped ones and ``ingested``."""
        done = {r.file: r for r in ingested}
        return [self.skipped.get(p.name) or done[p.name] for p in self.files]


def plan_ingest(
    store: Store,
    path: Path,
    kind: str | None = None,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
) -> IngestPlan:
    """Plan a file, or every recognised file of a folder in dependency order, and hash each against the store.

    ``owner`` and ``mapping`` apply to every file whose manifest entry does not say.
    A file whose kind is not known is pending (the run reports why).

    Raises
    ------
    InputError
        When a single file's kind cannot be told, or the folder or its manifest is unusable.
    """
    single = path.is_file()
    files = [FilePlan(path, kind or detect_kind(path), owner, mapping)] if single else plan_folder(path)
    if owner or mapping:
        files = [dataclasses.replace(p, owner=p.owner or owner, mapping=p.mapping or mapping) for p in files]
    shas = {p.name: file_sha256(p.path) for p in files}
    latest = _latest_shas(store, list(shas))
    skipped = {
        p.name: IngestReport(p.name, p.kind or "?", 0, 0, 0, 0, 0, skipped=True)
        for p in files
        if latest.get(p.name) == {shas[p.name]}
    }
    pending = [Pending(p, shas[p.name]) for p in files if p.name not in skipped]
    return IngestPlan(files, pending, skipped, single)


def _latest_shas(store: Store, names: list[str]) -> dict[str, set[str]]:
    """Each file's hash at its last finished ingest (several when two finished in the same second).

    Only the last counts: a file edited back to an earlier content is a new
    snapshot of its source, not one the store holds.
    """
    last: dict[str, tuple[str, set[str]]] = {}
    for r in store.find("ingest", "file", names):
        at, sha = r.finished_at, r.sha256  # type: ignore[attr-defined]
        seen = last.get(r.file)
        if seen is None or at > seen[0]:
            last[r.file] = (at, {sha})
        elif at == seen[0]:
            seen[1].add(sha)
    return {name: shas for name, (_, shas) in last.items()}
