"""Prefect flow: read, validate, resolve, write one file or a whole folder."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from graph.config import Settings
from graph.errors import InputError
from graph.model import KINDS, IngestRecord, stable_id
from graph.resolution.resolver import Resolver
from graph.resolution.review import load_aliases, write_review
from graph.sources.alumni import home_program
from graph.sources.batch import WRITE_ORDER, Batch, now_iso
from graph.sources.folder import FilePlan, detect_kind, file_sha256, plan_folder, read_any
from graph.sources.quarantine import write_quarantine
from graph.store import Store, open_store

__all__ = ["IngestReport", "ingest_file", "ingest_path", "retrying"]


def retrying(t: Task, settings: Settings) -> Task:
    """The task with the configured retries (``TIEGRAPH_RETRY_DELAYS``); only idempotent writes use it."""
    delays = list(settings.retry_delays)
    return t.with_options(retries=len(delays), retry_delay_seconds=delays or 0)


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


@task(cache_policy=NO_CACHE)
def read_batch(
    path: Path,
    kind: str,
    store: Store,
    owner: str | None,
    mapping: dict[str, str] | None,
    dayfirst: bool | None = None,
) -> Batch:
    """Validate the file and resolve its people against the store."""
    settings = Settings.from_env()
    resolver = Resolver.for_file(store.records("person"), path.name, load_aliases(settings.home))  # type: ignore[arg-type]
    batch = read_any(
        path,
        kind,
        resolver,
        ingested_at=now_iso(),
        owner=owner,
        mapping=mapping,
        home_program=home_program(store.frame("program")),
        dayfirst=dayfirst,
        tz=settings.timezone or None,
    )
    batch.stats = {"new_people": len(resolver.created), "merged": resolver.merged}
    batch.review = resolver.review
    return batch


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def write_batch(batch: Batch, store: Store) -> int:
    """Upsert every record kind, nodes before relationships, then delete; safe to retry.

    A deleted node takes its relationships with it (an authorship with its
    publication) in every store, as Neo4j's ``DETACH DELETE`` does.
    """
    written = 0
    for kind in WRITE_ORDER:
        records = list(batch.records.get(kind, {}).values())
        written += store.upsert(kind, records)
    for kind, ids in batch.deletions.items():
        _detach(store, kind, ids)
        store.delete(kind, ids)
    return written


def _detach(store: Store, kind: str, ids: list[str]) -> None:
    """Delete the relationships that end at the nodes about to be deleted."""
    label = KINDS[kind].label
    for rel in KINDS.values():
        if not rel.is_relationship or not ids:
            continue
        for field, end_label in (rel.start, rel.end):  # type: ignore[misc]
            if end_label == label:
                store.delete(rel.name, [r.id for r in store.find(rel.name, field, ids)])


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def record_ingest(store: Store, batch: Batch, sha: str) -> None:
    """The ingest record goes last: a file without one is ingested again next time."""
    now = now_iso()
    store.upsert(
        "ingest",
        [
            IngestRecord(
                id=stable_id("ingest", batch.file.name, sha),
                source=batch.kind,
                file=batch.file.name,
                kind=batch.kind,
                sha256=sha,
                read=batch.read,
                landed=batch.landed,
                quarantined=len(batch.rejections),
                ingested_at=now,
                finished_at=now,
            )
        ],
    )


@flow(name="ingest-file", log_prints=False)
def ingest_file(
    path: Path,
    kind: str | None = None,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    store: Store | None = None,
    dayfirst: bool | None = None,
) -> IngestReport:
    """Ingest one file; a file already ingested with the same content is skipped."""
    logger = get_run_logger()
    settings = Settings.from_env()
    own = store is None
    store = store or open_store(settings)
    try:
        kind = kind or detect_kind(path)
        sha = file_sha256(path)
        if store.find("ingest", "id", [stable_id("ingest", path.name, sha)]):
            logger.info("%s unchanged since its last ingest; skipped", path.name)
            return IngestReport(path.name, kind, 0, 0, 0, 0, 0, skipped=True)
        batch = read_batch(path, kind, store, owner, mapping, dayfirst)
        retrying(write_batch, settings)(batch, store)
        qfile = write_quarantine(settings.quarantine_dir, path, batch.rejections)
        write_review(settings.home, batch.review)
        retrying(record_ingest, settings)(store, batch, sha)
        logger.info(
            "%s: read %d, landed %d, quarantined %d", path.name, batch.read, batch.landed, len(batch.rejections)
        )
        return IngestReport(
            path.name,
            kind,
            batch.read,
            batch.landed,
            len(batch.rejections),
            batch.stats["new_people"],
            batch.stats["merged"],
            quarantine_file=str(qfile) if qfile else None,
            recognised=tuple(f"{k} <- {v}" for k, v in batch.recognised.items()),
            ignored=tuple(batch.ignored),
            read_as=dict(batch.read_as),
        )
    finally:
        if own:
            store.close()


@flow(name="ingest")
def ingest_path(
    path: Path,
    kind: str | None = None,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[IngestReport]:
    """Ingest a file, or every recognised file of a folder in dependency order.

    ``progress(done, total, file name)`` is called before each file (the CLI draws a bar with it).
    """
    plans = [FilePlan(path, kind or detect_kind(path), owner, mapping)] if path.is_file() else plan_folder(path)
    reports = []
    with open_store(Settings.from_env()) as store:
        for done, p in enumerate(plans):
            if progress:
                progress(done, len(plans), p.path.name)
            try:
                reports.append(ingest_file(p.path, p.kind, p.owner or owner, p.mapping or mapping, store, p.dayfirst))
            except InputError as exc:  # a bad file stops only itself; the rest of the folder lands
                if path.is_file():
                    raise
                reports.append(IngestReport(p.path.name, p.kind or "?", 0, 0, 0, 0, 0, error=str(exc)))
    if progress:
        progress(len(plans), len(plans), "")
    return reports
