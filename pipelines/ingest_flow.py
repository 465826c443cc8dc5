"""Prefect flow: one run per ingest command, each file of it a task, one resolver for the whole run.

Every file is hashed before any Prefect machinery starts
(:mod:`pipelines.ingest_plan`): unchanged files are skipped, and when nothing
changed no flow run starts at all (nor is Prefect imported by the CLI).  The changed files
go through one flow run ``ingest`` in dependency order (people-defining kinds
first).  The run's people are resolved at once (a task, ``resolve the run``):
every person mention of every file is collected first and
:meth:`~graph.resolution.resolver.Resolver.resolve_all` decides them together
(m/u estimated on the run's pairs, then clustering); then each file is
a task (``read contacts/2025/log.csv``) whose mentions are the resolver's cache
hits, written (retried: I/O only) and recorded.  Each file is written and
recorded on a second thread while the next files are read and built
(:class:`~pipelines.write_behind.WriteBehind`): one write at a time, in file
order, through :func:`graph.store.open_writer` (the embedded store's writes
made by a child process, on the second core).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote
from prefect_dask import DaskTaskRunner

from graph.collector import collector_paused
from graph.config import Settings
from graph.errors import InputError
from graph.model import IngestRecord, stable_id
from graph.resolution.resolver import Alias, Resolver
from graph.resolution.review import load_aliases, write_review
from graph.resolution.run import Decided, resolve_run
from graph.sources.alumni import home_program
from graph.sources.batch import Batch, now_iso
from graph.sources.folder import FilePlan, collect_files, detect_kind, named, read_any
from graph.sources.pubmed import Article, Deletion, parse_pubmed
from graph.sources.quarantine import write_quarantine
from graph.sources.tabular import Table
from graph.store import Store, Writer, open_store, open_writer
from pipelines.ingest_plan import IngestPlan, IngestReport, Pending, plan_ingest
from pipelines.write_behind import WriteBehind

__all__ = [
    "IngestReport",
    "ingest",
    "ingest_path",
    "resolve_files",
    "retrying",
    "run_plan",
    "write_batch",
]

Progress = Callable[[int, int, str, "int | None"], None]
"""``progress(done, total, file, rows)``: ``rows`` None as ``file`` starts, its rows read once it is done."""


def retrying(t: Task, settings: Settings) -> Task:
    """The task with the configured retries (``TIEGRAPH_RETRY_DELAYS``); only idempotent writes use it."""
    delays = list(settings.retry_delays)
    return t.with_options(retries=len(delays), retry_delay_seconds=delays or 0)


def ingest_path(
    path: Path,
    kind: str | None = None,
    owner: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
) -> list[IngestReport]:
    """Ingest a file, or every recognised file of a folder in dependency order; one report per file.

    Unchanged files are skipped by hash first (:func:`plan_ingest`); the rest
    go through one flow run of :func:`ingest` (none when nothing changed).
    ``progress(done, total, file name, rows)`` is called as each file starts
    (``rows`` None) and ends (``rows`` read); the CLI draws its bars with it.
    """
    with open_store(Settings.from_env()) as store:
        plan = plan_ingest(store, path, kind, owner, mapping)
    return run_plan(plan, progress)


def run_plan(plan: IngestPlan, progress: Progress | None = None) -> list[IngestReport]:
    """Ingest the pending files of a plan in one flow run; every file's report, in plan order."""
    if not plan.pending:
        if progress:
            progress(len(plan.files), len(plan.files), "", None)
        return plan.reports([])
    run = ingest.with_options(flow_run_name=f"ingest {len(plan.pending)} of {len(plan.files)} files")
    runner = dask_runner(Settings.from_env())
    if runner is not None and any(p.plan.kind == "pubmed" for p in plan.pending):
        run = run.with_options(task_runner=runner)
    return plan.reports(run(quote(plan.pending), single=plan.single, progress=_Here(progress) if progress else None))


@flow(name="ingest", validate_parameters=False)
def ingest(pending: list[Pending], *, single: bool = False, progress: Progress | None = None) -> list[IngestReport]:
    """One run for every changed file: read and resolve (one resolver for the run), write, record, in order.

    A bad file stops only itself (its report says why), unless it is the only
    file asked for (``single``): then its error is raised.
    """
    settings = Settings.from_env()
    reports = []
    parsing = _parse_pubmed_files(pending, settings)
    with open_store(settings) as store, open_writer(settings) as writes_to:
        aliases = load_aliases(settings.home)
        resolver = Resolver.for_files(
            store.records("person"),  # type: ignore[arg-type]
            [p.name for p in pending],
            aliases,
        )
        decided, tables, articles = resolve_files(
            quote(pending), quote(store), quote(resolver), quote(aliases), quote(parsing)
        )
        with WriteBehind(partial(_land, writes_to, resolver, settings)) as writes:
            for done, p in enumerate(pending):
                if progress:
                    progress(done, len(pending), p.name, None)
                try:
                    with collector_paused():
                        table = tables.pop(p.name, None)  # each table is dropped once its file is built
                        parsed = articles.pop(p.name, None)
                        batch, qfile = _read_one(
                            p, store, resolver, settings, writes, decided.get(p.name), table, parsed
                        )
                except InputError as exc:  # a bad file stops only itself; the rest of the folder lands
                    exc = named(exc, p.plan.path, p.name)  # by its relative path, as its quarantine file is
                    if single:
                        raise exc from None
                    reports.append(IngestReport(p.name, p.plan.kind or "?", 0, 0, 0, 0, 0, error=str(exc)))
                else:
                    writes.submit(batch, p)  # written while the next file is read; an earlier write's error here
                    reports.append(_report(batch, p, qfile))
                if progress:
                    progress(done + 1, len(pending), p.name, reports[-1].read)
    return reports


@task(name="resolve the run", cache_policy=NO_CACHE)
def resolve_files(
    pending: list[Pending],
    store: Store,
    resolver: Resolver,
    aliases: list[Alias],
    parsing: dict[str, PrefectFuture[Any]],
) -> tuple[dict[str, Decided], dict[str, Table], dict[str, list[Article | Deletion | InputError]]]:
    """Resolve every person mention of every pending file at once; what was decided, the tables and records read.

    One task (``resolve the run``): the run's collect step
    (:func:`graph.sources.folder.collect_files`: each file read once, the
    mentions its build will ask learnt in order; a PubMed file parsed by the
    Dask task runner's workers when there is one), then
    :func:`graph.resolution.run.resolve_run` decides all of them together, so
    each file's real build finds its mentions in the resolver's cache.  A file
    that fails here is left out: its error is reported when its turn comes.
    """
    home = home_program(store.frame("program"))  # nothing of the run is written before its builds
    with collector_paused():  # one pass after the run's reads, not one per file (each rescans the whole heap)
        got = collect_files(
            [p.plan for p in pending],
            aliases,
            home_program=home,
            parsing=parsing,
            tz=Settings.from_env().timezone or None,
        )
        decided = resolve_run(resolver, got.mentions)
    return decided, got.tables, got.articles


class _Here:
    """A callback that stays in this process: pickled (the run's context sent to a Dask worker), it does nothing.

    The CLI's progress bar holds locks that cannot be pickled, and a worker has no bar to draw.
    """

    def __init__(self, fn: Progress | None) -> None:
        self.fn = fn

    def __call__(self, done: int, total: int, name: str, rows: int | None) -> None:
        if self.fn is not None:
            self.fn(done, total, name, rows)

    def __getstate__(self) -> dict[str, object]:
        return {"fn": None}


def dask_runner(settings: Settings) -> DaskTaskRunner | None:
    """The task runner that parses a run's PubMed files in parallel, or None when no Dask is configured.

    The cluster at ``TIEGRAPH_DASK_ADDRESS``, else ``TIEGRAPH_DASK_WORKERS``
    local worker processes; with neither, files are parsed in the flow's own process.
    """
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    if settings.dask_workers:
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    return None


parse_file = task(parse_pubmed, name="parse", cache_policy=NO_CACHE)
"""Parse one PubMed file (no resolver needed: runs on any worker; pickled by reference to graph/)."""


def _parse_pubmed_files(pending: list[Pending], settings: Settings) -> dict[str, PrefectFuture[Any]]:
    """Submit the run's PubMed files to the Dask task runner, when there is one; their futures by file name."""
    if dask_runner(settings) is None:
        return {}
    return {
        p.name: parse_file.with_options(name=f"parse {p.name}").submit(p.plan.path)
        for p in pending
        if p.plan.kind == "pubmed"
    }


def _read_one(
    p: Pending,
    store: Store,
    resolver: Resolver,
    settings: Settings,
    writes: WriteBehind,
    decided: Decided | None = None,
    table: Table | None = None,
    articles: list[Article | Deletion | InputError] | None = None,
) -> tuple[Batch, Path | None]:
    """One file of the run read and built (its read task), its quarantine and review written; the quarantine file.

    ``table`` is a tabular file's rows validated already, ``articles`` a PubMed
    file's records parsed already (:func:`resolve_files`; a file that failed
    there is parsed again by its read, which raises its InputError).
    """
    if p.plan.kind is None:
        detect_kind(p.plan.path)  # raises the reason
    writes.landed("program")  # the read asks the store for the home program: a roster just before defines it
    read = read_batch.with_options(name=f"read {p.name}")
    batch = read(
        quote(p.plan), quote(resolver), quote(store), quote(articles), quote(decided or Decided()), quote(table)
    )
    qfile = write_quarantine(settings.quarantine_dir, p.name, batch.rejections)
    write_review(settings.home, batch.review, p.name)
    return batch, qfile


def _land(store: Writer, resolver: Resolver, settings: Settings, batch: Batch, p: Pending) -> None:
    """On the writer thread: the file's retried write, then its ingest record (a file without one is read again)."""
    retrying(write_batch.with_options(name=f"write {p.name}"), settings)(quote(batch), quote(store), quote(resolver))
    retrying(record_ingest.with_options(name=f"record {p.name}"), settings)(quote(store), quote(batch), p)
    get_run_logger().info(
        "%s: read %d, landed %d, quarantined %d", p.name, batch.read, batch.landed, len(batch.rejections)
    )


def _report(batch: Batch, p: Pending, qfile: Path | None) -> IngestReport:
    """What the CLI says of one file."""
    return IngestReport(
        p.name,
        batch.kind,
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


@task(cache_policy=NO_CACHE)
def read_batch(
    plan: FilePlan,
    resolver: Resolver,
    store: Store,
    parsed: list[Article | Deletion | InputError] | None = None,
    decided: Decided | None = None,
    table: Table | None = None,
) -> Batch:
    """Validate one file (unless ``table``: validated already) and resolve its people with the run's resolver.

    ``decided`` is its share of the run's work (:func:`resolve_files`).
    """
    created, merged, queued = len(resolver.created), resolver.merged, len(resolver.review)
    batch = _read(plan, resolver, store, parsed, table)
    decided = decided or Decided()
    batch.stats = {"new_people": len(resolver.created) - created, "merged": decided.merged + resolver.merged - merged}
    batch.review = [*decided.review, *resolver.review[queued:]]
    return batch


def _read(
    plan: FilePlan,
    resolver: Resolver,
    store: Store,
    parsed: list[Article | Deletion | InputError] | None,
    table: Table | None = None,
) -> Batch:
    settings = Settings.from_env()
    return read_any(
        plan.path,
        plan.kind,  # type: ignore[arg-type]
        resolver,
        ingested_at=now_iso(),
        owner=plan.owner,
        mapping=plan.mapping,
        home_program=home_program(store.frame("program")),
        dayfirst=plan.dayfirst,
        tz=settings.timezone or None,
        name=plan.name,
        parsed=parsed,
        table=table,
    )


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def write_batch(batch: Batch, store: Writer, resolver: Resolver | None = None) -> int:
    """Write the batch as the new snapshot of its file, then its deletions (:meth:`Batch.write_to`); safe to retry.

    With the run's ``resolver``, its people the store holds as they are already are not written again.
    """
    return batch.write_to(store, resolver)


@task(cache_policy=NO_CACHE, retries=3, retry_delay_seconds=[2, 5, 15])
def record_ingest(store: Writer, batch: Batch, file: Pending) -> None:
    """The ingest record goes last: a file without one is ingested again next time."""
    now, sha = now_iso(), file.sha256
    store.upsert(
        "ingest",
        [
            IngestRecord(
                id=stable_id("ingest", file.name, sha),
                source=batch.kind,
                file=file.name,
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
