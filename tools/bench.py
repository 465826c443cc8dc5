"""``tiegraph bench``: every measurement beside its baseline, measured in the same run.

Data comes from the seeded sample generator (:func:`tools.sample.generate`);
each measurement reports a ratio to a baseline timed on the same machine in
the same process run, so that the load other processes put on the machine
cancels out.  The result is one JSON document (see :data:`KEYS`) and a
Markdown report beside it; :func:`run` is the whole benchmark, the other
functions are its parts.

Measured (full run; ``quick`` uses small scales and fewer queries):

1. Neo4j ingest of contact logs through the real path vs one MERGE per row.
2. Embedded (SQLite) ingest of contact logs vs ``pandas.DataFrame.to_sql``.
3. PubMed XML parsing at 10k, 30k and 100k records vs a bare ``lxml`` loop,
   each size in a subprocess of its own for its peak memory.
4. The analyze steps at about 1k, 10k and 100k people vs plain networkx.
5. Warm introduction paths vs networkx Dijkstra.
6. First render of every dashboard page in headless Chromium.
7. Analyze on one local Neo4j server with Graph Data Science: centrality by
   GDS in the database (``--engine gds``) vs the Python path, same database,
   same run, with their agreement; at the 1k program and at the largest one,
   each bulk-imported into a server of its own.
8. ``tiegraph ingest data/sample`` through the CLI (Prefect included) into a
   fresh ``TIEGRAPH_HOME``, then again unchanged, against the per-file-flow
   ingest measured before the one-run flow (:data:`SAMPLE_BASELINE`).
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
import os
import platform
import re
import resource
import secrets
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from graph.analytics import steps as analysis
from graph.analytics.alumni import alumni_reach
from graph.analytics.centrality import SAMPLES, TieGraph, centrality, communities
from graph.analytics.paths import PathIndex, warm_intro_paths
from graph.collector import collector_paused
from graph.model import Tie
from graph.resolution.resolver import Resolver
from graph.resolution.run import resolve_run
from graph.sources.alumni import home_program
from graph.sources.batch import KINDS_OF_FILES, Batch, now_iso
from graph.sources.folder import FilePlan, build, collect_files, detect_kind, plan_folder, read, read_any
from graph.sources.pubmed import parse_pubmed
from graph.sources.schemas import SCHEMAS
from graph.sources.tabular import Table
from graph.store import Store, Writer
from graph.store.sqlite_store import SqliteStore
from graph.store.sqlite_writer import SqliteWriter
from pipelines.write_behind import WriteBehind
from tools.sample import END_DATE, generate, write_sample

__all__ = ["KEYS", "TARGETS", "BenchPlan", "first_render_ms", "plan", "run", "write_markdown"]

log = logging.getLogger(__name__)

TODAY = END_DATE
"""The day every analysis is run as of, so that results do not drift with the clock."""
SEED = 7
KEYS = (
    "quick",
    "neo4j_ingest_rows_per_s",
    "neo4j_ingest_ratio_vs_naive",
    "neo4j_import_rows_per_s",
    "embedded_ingest_rows_per_s",
    "embedded_ingest_ratio_vs_to_sql",
    "pubmed_records_per_s",
    "pubmed_peak_mb",
    "pubmed_ratio_vs_lxml",
    "analyze_100k_s",
    "analyze_100k_flow_s",
    "analyze_speedup_vs_networkx",
    "intro_p50_ms",
    "intro_p95_ms",
    "intro_speedup_vs_networkx",
    "dashboard_first_render_ms",
    "resolve_rows_per_s",
    "resolve_name_only_vs_email",
    "gds_analyze_s",
    "gds_python_analyze_s",
    "gds_centrality_vs_python",
    "gds_analyze_100k_s",
    "gds_python_analyze_100k_s",
    "gds_centrality_100k_vs_python",
    "gds_pagerank_spearman_100k",
    "gds_modularity_100k_vs_python",
    "dask_pubmed_records_per_s",
    "dask_pubmed_2_vs_sequential",
    "sample_ingest_s",
    "sample_reingest_unchanged_s",
    "program_100k_ingest_s",
)
"""Headline keys of the JSON document; details follow under ``detail``."""

RATIOS = (
    "neo4j_ingest_ratio_vs_naive",
    "embedded_ingest_ratio_vs_to_sql",
    "pubmed_ratio_vs_lxml",
    "analyze_speedup_vs_networkx",
    "intro_speedup_vs_networkx",
    "resolve_name_only_vs_email",
    "gds_centrality_vs_python",
    "gds_centrality_100k_vs_python",
    "gds_modularity_100k_vs_python",
    "dask_pubmed_2_vs_sequential",
)
"""Keys that are ratios to a baseline of the same run."""

TARGETS: dict[str, tuple[str, float]] = {
    "neo4j_ingest_ratio_vs_naive": (">=", 20.0),
    "neo4j_ingest_rows_per_s": (">=", 50_000.0),
    "embedded_ingest_rows_per_s": (">=", 200_000.0),
    "embedded_ingest_ratio_vs_to_sql": (">=", 0.5),
    "program_100k_ingest_s": ("<=", 60.0),
    "analyze_100k_s": ("<=", 60.0),
    "analyze_100k_flow_s": ("<=", 60.0),
    "analyze_speedup_vs_networkx": (">=", 20.0),
    "intro_p95_ms": ("<", 20.0),
    "sample_ingest_s": ("<", 10.0),
    "sample_reingest_unchanged_s": ("<", 2.0),
    "resolve_name_only_vs_email": ("<=", 2.0),
    "gds_pagerank_spearman_100k": (">=", 0.99),
}
"""Targets of the issue "Benchmarks", as (comparison, value)."""

ANALYZE_STEPS = ("ties", "graph", "centrality", "communities", "mentorship", "alumni")
FLOW_STEPS = ("ties", "graph", "centrality", "mentorship")
"""What :func:`pipelines.analyze_flow.analyze` computes (communities come with centrality)."""
PROGRAM_FORMATS = {"contacts", "roster", "mentorship", "alumni", "pubmed", "trackers", "calendar", "linkedin"}
GROWTH_SLACK = 1.3
"""A step whose time or memory grows more than this times its input is flagged."""


@dataclass(frozen=True)
class BenchPlan:
    """Sizes of one benchmark run.

    Attributes
    ----------
    quick : bool
        The small run of the test suite.
    analyze_scales : dict of str to float
        Label ("100k") to sample scale; the programs analyzed, also ingested.
    neo4j_scale : float
        Sample scale whose contact logs go to Neo4j.
    naive_rows : int
        Rows of the one-MERGE-per-row baseline.
    pubmed_sizes : tuple of int
        Records per generated PubMed XML file.
    intro_queries, nx_intro_queries : int
        Path queries timed, and how many of them networkx answers too.
    nx_budget_s : float
        Seconds of sampled networkx betweenness or closeness per scale, to extrapolate from.
    dashboard_label : str
        The analyze scale whose store the dashboard and the Prefect flow run on.
    profile_label : str
        The analyze scale whose ingest and analyze steps are profiled with pyinstrument.
    gds_label : str
        The analyze scale of the headline ``gds_analyze_s``; the largest scale (``gds_analyze_100k_s``)
        is measured too, each bulk-imported into a Neo4j server of its own for ``--engine gds`` vs ``python``.
    """

    quick: bool
    analyze_scales: dict[str, float]
    neo4j_scale: float
    naive_rows: int
    pubmed_sizes: tuple[int, ...]
    intro_queries: int
    nx_intro_queries: int
    nx_budget_s: float
    dashboard_label: str
    profile_label: str
    resolve_rows: tuple[int, ...] = (15_000, 100_000, 1_000_000)
    ingest_rows: tuple[int, ...] = (10_000, 100_000, 1_000_000)  # contact-log rows of the largest program's growth
    gds_label: str = "1k"
    dask_files: tuple[int, int] = (8, 30_000)  # PubMed files of a baseline-like folder, records each

    @property
    def steps(self) -> int:
        """Progress steps: environment, each scale, then each measurement after it."""
        return 1 + len(self.analyze_scales) + 10


def plan(quick: bool) -> BenchPlan:
    """The sizes of a full or a quick run."""
    if quick:
        return BenchPlan(
            True,
            {"500": 0.25, "1k": 0.5},
            0.5,
            300,
            (1_000, 3_000),
            100,
            10,
            1.0,
            "1k",
            "1k",
            (3_000, 15_000),
            dask_files=(4, 2_000),
            gds_label="1k",
            ingest_rows=(1_000, 10_000),
        )
    return BenchPlan(
        False,
        {"1k": 0.5, "10k": 5.0, "100k": 66.0},
        5.0,
        2_000,
        (10_000, 30_000, 100_000),
        1_000,
        50,
        8.0,
        "10k",
        "10k",
    )


# --------------------------------------------------------------------------- measuring


@dataclass
class Measure:
    """Wall time and peak resident memory of one step."""

    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    peak_extra_mb: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Rounded for the report."""
        return {k: round(v, 4 if k == "seconds" else 1) for k, v in asdict(self).items()}


def _status_mb(field_name: str) -> float:
    with contextlib.suppress(OSError):
        m = re.search(rf"^{field_name}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
        if m:
            return int(m.group(1)) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def measure(collect: bool = True) -> Iterator[Measure]:
    """Time a block and its peak RSS (Linux: the high-water mark is reset on entry).

    ``collect`` runs the garbage collector first, outside the timed block.
    """
    if collect:
        gc.collect()
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _status_mb("VmRSS")
    m = Measure()
    start = time.perf_counter()
    try:
        yield m
    finally:
        m.seconds = time.perf_counter() - start
        m.peak_rss_mb = _status_mb("VmHWM")
        m.peak_extra_mb = max(0.0, m.peak_rss_mb - before)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


_WRAPPERS = re.compile(r"tools/bench\.py|contextlib\.py|<string>")


def top_frames(session: Any, n: int = 12) -> dict[str, list[dict[str, object]]]:
    """The functions a pyinstrument session spent most time in, inclusive and self."""
    inclusive: dict[str, float] = defaultdict(float)
    own: dict[str, float] = defaultdict(float)

    def walk(frame: Any, parent: str, stack: frozenset[str]) -> None:
        synthetic = frame.function.startswith("[")  # pyinstrument's "[self]" and "[await]" leaves
        key = parent if synthetic else f"{frame.function} ({frame.file_path_short}:{frame.line_no})"
        if not synthetic:  # a frame's total_self_time already holds its synthetic children's
            own[key] += frame.total_self_time
        if key not in stack and not synthetic and not _WRAPPERS.search(frame.file_path_short or ""):
            inclusive[key] += frame.time
        for child in frame.children:
            walk(child, key, stack | {key})

    root = session.root_frame()
    if root is None:
        return {"inclusive": [], "self": []}
    walk(root, "root", frozenset())
    total = root.time or 1.0

    def rows(d: dict[str, float]) -> list[dict[str, object]]:
        best = sorted(d.items(), key=lambda kv: -kv[1])[:n]
        return [{"frame": k, "s": round(v, 3), "share": round(v / total, 3)} for k, v in best]

    return {"inclusive": rows(inclusive), "self": rows(own), "total_s": round(total, 3)}  # type: ignore[dict-item]


@contextlib.contextmanager
def profiled(into: dict[str, object], name: str) -> Iterator[None]:
    """Profile a block with pyinstrument (if installed); its top frames go to ``into[name]``."""
    try:
        from pyinstrument import Profiler
    except ImportError:  # a dev dependency; the numbers stand without it
        yield
        return
    prof = Profiler(interval=0.002)
    prof.start()
    try:
        yield
    finally:
        prof.stop()
        into[name] = top_frames(prof.last_session)


# --------------------------------------------------------------------------- ingest


@dataclass
class IngestTiming:
    """One file through the real ingest path."""

    file: str
    kind: str
    rows: int
    resolver_s: float = 0.0
    read_s: float = 0.0
    build_s: float = 0.0
    write_by_kind_s: dict[str, float] = field(default_factory=dict)

    @property
    def write_s(self) -> float:
        """The file's writes, kind by kind (on the writer thread when the run writes one file behind)."""
        return sum(self.write_by_kind_s.values())

    @property
    def total_s(self) -> float:
        """Everything the ingest flow does for the file, Prefect aside."""
        return self.resolver_s + self.read_s + self.build_s + self.write_s


def ingest_file(
    store: Store,
    item: FilePlan,
    resolver: Resolver | None = None,
    table: Table | None = None,
    parsed: list[Any] | None = None,
    writes: WriteBehind | None = None,
) -> IngestTiming:
    """Ingest one file as ``pipelines.ingest_flow`` does, each stage timed.

    Validation (``graph.sources.folder.read``) and resolution plus record building
    (``graph.sources.folder.build``) are timed apart for tabular kinds; for the
    others ``read_any`` does both and counts as build.  Records are written as
    the flow writes them (``Batch.write_to``: institutions upserted, every
    other kind as the file's new snapshot, people stored as they are already
    left alone), timed kind by kind.  ``resolver``
    is the run's (:func:`ingest_run`); without one, one is built for this file
    from the stored people and timed.  ``table`` is the file's rows validated
    already (:func:`ingest_run` reads each tabular file once, as the flow does;
    its read is timed there), ``parsed`` a PubMed file's records parsed already
    (likewise).  With ``writes`` (:func:`ingest_run`), the records are written
    one file behind as the flow writes them (its write function is given the
    batch and the file's ``write_by_kind_s`` to fill).
    """
    t = IngestTiming(item.path.name, item.kind, 0)
    if resolver is None:
        resolver, t.resolver_s = _timed(lambda: Resolver.for_file(store.records("person"), item.name))  # type: ignore[arg-type]
    if writes is not None:
        writes.landed("program")  # as the flow: the home program read after a roster written just before
    home = home_program(store.frame("program"))
    stamp = now_iso()
    if item.kind in SCHEMAS:
        if table is None:
            table, t.read_s = _timed(lambda: read(item.path, item.kind, mapping=item.mapping, today=TODAY))

        def built() -> Batch:
            b = build(
                table, item.kind, resolver, ingested_at=stamp, owner=item.owner, home_program=home, name=item.name
            )
            b.add_mentions(stamp)  # as read_any does: the mention records are part of the file's snapshot
            return b

        batch, t.build_s = _timed(built)
    else:
        batch, t.build_s = _timed(
            lambda: read_any(
                item.path,
                item.kind,
                resolver,
                ingested_at=stamp,
                owner=item.owner,
                home_program=home,
                today=TODAY,
                name=item.name,
                parsed=parsed,
            )
        )
    t.rows = batch.read
    if writes is None:
        batch.write_to(store, resolver, seconds=t.write_by_kind_s)
    else:
        writes.submit(batch, t.write_by_kind_s)
    return t


def ingest_run(store: SqliteStore, plans: list[FilePlan]) -> list[IngestTiming]:
    """Ingest files in order with one resolver for the run, as the CLI's one flow run does.

    The resolver is built once from the stored people (less those the run's
    files wrote, ``Resolver.for_files``); its time counts to the first file.
    Then, as the flow's ``resolve the run`` task, the run's collect step
    (:func:`~graph.sources.folder.collect_files`: each file read once, timed
    as its read, and its mentions found, timed to that file) and one
    :func:`~graph.resolution.run.resolve_run` of them all (its time
    apportioned to the files by their distinct mentions); each file's real
    build then finds its mentions in the resolver's cache.  All of it but the
    read is in each file's ``resolver_s``.  Garbage collector paused, as in the
    flow; each file written behind the reads by the writer process, as the flow
    (:class:`~pipelines.write_behind.WriteBehind`,
    :class:`~graph.store.sqlite_writer.SqliteWriter`): a file's stages then add
    up to more than the run's wall time.
    """
    resolver, init_s = _timed(lambda: Resolver.for_files(store.records("person"), [p.name for p in plans]))  # type: ignore[arg-type]
    home = home_program(store.frame("program"))  # once for the run, as the flow reads it
    with collector_paused():
        got = collect_files(plans, [], home_program=home, today=TODAY)
        _, resolve_s = _timed(lambda: resolve_run(resolver, got.mentions))
    distinct = {name: len(set(ms)) for name, ms in got.mentions.items()}
    timings = []
    with SqliteWriter(store.path) as writer, WriteBehind(partial(_write_to, writer, resolver)) as writes:
        for item in plans:
            table, parsed = got.tables.pop(item.name, None), got.articles.pop(item.name, None)
            with collector_paused():
                t = ingest_file(store, item, resolver, table, parsed, writes)
            t.read_s += got.read_s.get(item.name, 0.0)
            share = distinct.get(item.name, 0) / max(sum(distinct.values()), 1)
            t.resolver_s += got.mentions_s.get(item.name, 0.0) + resolve_s * share
            timings.append(t)
    if timings:
        timings[0].resolver_s += init_s
    return timings


def _write_to(store: Writer, resolver: Resolver, batch: Batch, seconds: dict[str, float]) -> None:
    """On the writer thread: the batch as the flow writes it, each kind's time into ``seconds``."""
    batch.write_to(store, resolver, seconds=seconds)


def contact_rows_growth(program: Path, sizes: tuple[int, ...], folder: Path) -> dict[str, object]:
    """Contact-log ingest of the first N rows of a program's logs, side by side with ``to_sql`` of the same rows.

    Each size goes into a fresh embedded store that holds the program's roster
    and mentorship first (one resolver for the run, as the CLI); the contact
    file alone is timed.  Sizes beyond the rows the program has are left out.
    """
    logs = sorted(p for p in program.iterdir() if p.name.startswith("contacts") and p.suffix == ".csv")
    header, lines = "", []
    for path in logs:
        first, *rest = path.read_text(encoding="utf-8").splitlines(keepends=True)
        header = header or first
        lines += rest
    people = [FilePlan(program / n, k) for n, k in (("roster.csv", "roster"), ("mentorship.csv", "mentorship"))]
    out: dict[str, object] = {}
    for n in (n for n in sizes if n <= len(lines)):
        where = folder / f"rows-{n}"
        where.mkdir(parents=True, exist_ok=True)
        log_file = where / "contacts.csv"
        log_file.write_text(header + "".join(lines[:n]), encoding="utf-8")
        store = SqliteStore(where / "tiegraph.db")
        try:
            t = ingest_run(store, [p for p in people if p.path.exists()] + [FilePlan(log_file, "contacts")])[-1]
        finally:
            store.close()
        base = to_sql_baseline([read(log_file, "contacts", today=TODAY).rows], where)
        out[str(n)] = {
            **_contacts_summary([t]),
            "to_sql_rows_per_s": base["rows_per_s"],
            "ratio_vs_to_sql": round(t.rows / t.total_s / base["rows_per_s"], 3),
        }
    return out


def _contacts_summary(timings: list[IngestTiming]) -> dict[str, float]:
    rows = sum(t.rows for t in timings)
    total = sum(t.total_s for t in timings)
    out = {
        "rows": rows,
        "seconds": round(total, 3),
        "rows_per_s": round(rows / total, 1),
        "resolver_init_s": round(sum(t.resolver_s for t in timings), 3),
        "read_validate_s": round(sum(t.read_s for t in timings), 3),
        "resolve_build_s": round(sum(t.build_s for t in timings), 3),
        "write_s": round(sum(t.write_s for t in timings), 3),
    }
    kinds: dict[str, float] = defaultdict(float)
    for t in timings:
        for k, s in t.write_by_kind_s.items():
            if s >= 0.0005:
                kinds[k] += s
    out["write_by_kind_s"] = {k: round(v, 3) for k, v in kinds.items()}  # type: ignore[assignment]
    return out


def to_sql_baseline(frames: list[pd.DataFrame], folder: Path) -> dict[str, float]:
    """``DataFrame.to_sql`` of the validated contact rows into a fresh SQLite file."""
    frame = pd.concat(frames, ignore_index=True)
    path = folder / "to_sql.db"
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        _, s = _timed(lambda: frame.to_sql("interaction", con, index=False))
        con.commit()
    finally:
        con.close()
    return {"rows": len(frame), "seconds": round(s, 3), "rows_per_s": round(len(frame) / s, 1)}


def build_program(scale: float, folder: Path) -> tuple[SqliteStore, list[IngestTiming], float]:
    """Write the sample program at ``scale`` and ingest every file into a fresh embedded store; the run's wall s."""
    program = generate(SEED, scale)
    write_sample(program, folder / "in", formats=PROGRAM_FORMATS)
    del program
    gc.collect()
    store = SqliteStore(folder / "home" / "tiegraph.db")
    timings, wall_s = _timed(lambda: ingest_run(store, plan_folder(folder / "in")))
    return store, timings, wall_s


# --------------------------------------------------------------------------- Neo4j


NAIVE_MERGE = """MERGE (a:Person {id: $a})
MERGE (b:Person {id: $b})
MERGE (a)-[r:INTERACTED {id: $id}]->(b)
SET r += $props"""
"""The naive baseline: one interaction per statement, each its own auto-commit transaction."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def neo4j_ingest(scale: float, naive_rows: int, folder: Path) -> dict[str, object]:
    """Contact logs into a fresh local Neo4j: one MERGE per row, the transactional path, the bulk path.

    Side by side on one server: the naive loop runs first on the empty database
    (constraints in place) and is wiped; the transactional path ingests every
    contact file (:func:`ingest_file`: resolve, build, ``Neo4jStore.upsert``);
    then the bulk path (``tiegraph neo4j import``) ingests the same files into
    a scratch embedded store, writes the CSVs, stops the server, runs
    ``neo4j-admin database import full`` and starts the server again with its
    schema.  Rows are contact-log rows; each path's rows/s counts everything
    from the file to a queryable server (``write_rows_per_s``: the Neo4j write alone).
    """
    from graph.store.neo4j_store import Neo4jStore
    from pipelines import neo4j_server

    files = write_sample(generate(SEED, scale), folder / "in", formats={"contacts"})
    home = folder / "neo4j"
    password = "bench-" + secrets.token_hex(12)
    port = _free_port()
    info, start_s = _timed(lambda: neo4j_server.start(home, port=port, password=password))
    try:
        store = Neo4jStore(info.uri, "neo4j", password)
        try:
            with store._driver.session(database=store.database) as s:
                version = s.run("CALL dbms.components() YIELD versions RETURN versions[0] AS v").single()["v"]
            naive = _naive_merge(store, files[0], naive_rows)
            store.clear()
            timings = [ingest_file(store, FilePlan(f, "contacts")) for f in files]
            stored = store.count("interaction")
        finally:
            store.close()
        bulk = _bulk_import(files, home, port, password, folder / "bulk")
    finally:
        neo4j_server.stop(home)
    real = _contacts_summary(timings)
    real["write_rows_per_s"] = round(real["rows"] / real["write_s"], 1)
    if bulk["interactions"] != stored:
        raise RuntimeError(f"the bulk path stored {bulk['interactions']} interactions, the transactional {stored}")
    return {
        "version": version,
        "server_start_s": round(start_s, 1),
        "memory": asdict(neo4j_server.memory()),
        "scale": scale,
        "real": real,
        "naive": naive,
        "bulk": bulk,
        "ratio": round(real["rows_per_s"] / naive["rows_per_s"], 2),
        "bulk_ratio": round(bulk["rows_per_s"] / naive["rows_per_s"], 2),
    }


def _bulk_import(files: list[Path], home: Path, port: int, password: str, folder: Path) -> dict[str, object]:
    """``tiegraph neo4j import``'s steps on ``files``, each timed, into the server of ``home``."""
    from graph.store.neo4j_store import Neo4jStore
    from pipelines import neo4j_server
    from pipelines.neo4j_import import admin_import, write_csvs

    lite = SqliteStore(folder / "tiegraph.db")
    try:
        timings = [ingest_file(lite, FilePlan(f, "contacts")) for f in files]
        (nodes, rels, counts), csv_s = _timed(lambda: write_csvs(lite, folder / "csv"))
    finally:
        lite.close()
    neo4j_server.stop(home)
    _, import_s = _timed(lambda: admin_import(home, nodes, rels, folder / "import.report"))

    def restart() -> int:
        info = neo4j_server.start(home, port=port, password=password)
        with Neo4jStore(info.uri, "neo4j", password) as neo:  # creates the constraints and indexes
            return neo.count("interaction")

    interactions, restart_s = _timed(restart)
    ingest = _contacts_summary(timings)
    seconds = ingest["seconds"] + csv_s + import_s + restart_s
    return {
        "rows": ingest["rows"],
        "interactions": interactions,
        "records": sum(counts.values()),
        "ingest_s": ingest["seconds"],
        "csv_s": round(csv_s, 3),
        "import_s": round(import_s, 3),
        "restart_s": round(restart_s, 3),
        "seconds": round(seconds, 3),
        "rows_per_s": round(ingest["rows"] / seconds, 1),
        "write_rows_per_s": round(ingest["rows"] / (csv_s + import_s + restart_s), 1),
    }


def _naive_merge(store: Any, path: Path, n: int) -> dict[str, float]:
    resolver = Resolver([])
    batch = build(read(path, "contacts", today=TODAY), "contacts", resolver, ingested_at=now_iso())
    rows = list(batch.of_kind("interaction"))[:n]
    params = []
    for r in rows:
        props = {k: v for k, v in asdict(r).items() if k not in ("a", "b")}
        params.append({"a": r.a, "b": r.b, "id": r.id, "props": props})
    with store._driver.session(database=store.database) as s:
        start = time.perf_counter()
        for p in params:
            s.run(NAIVE_MERGE, **p).consume()
        seconds = time.perf_counter() - start
    return {"rows": len(params), "seconds": round(seconds, 3), "rows_per_s": round(len(params) / seconds, 1)}


# --------------------------------------------------------------------------- PubMed


_ARTICLE = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.DOTALL)
_PMID = re.compile(rb'<PMID Version="1">\d+</PMID>')


def write_pubmed(path: Path, records: int, template: bytes) -> int:
    """Stream a PubmedArticleSet of ``records`` articles to disk, cycling ``template``'s with new PMIDs."""
    articles = _ARTICLE.findall(template)
    head = template[: template.index(b"<PubmedArticleSet>") + len(b"<PubmedArticleSet>")]
    with path.open("wb") as fh:
        fh.write(head)
        for i in range(records):
            art = articles[i % len(articles)]
            fh.write(_PMID.sub(f'<PMID Version="1">{80_000_001 + i}</PMID>'.encode(), art, count=1))
        fh.write(b"</PubmedArticleSet>\n")
    return path.stat().st_size


_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from lxml import etree
from graph.sources.pubmed import Article, iter_records
path, which = Path(sys.argv[1]), sys.argv[2]
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:
    open("/proc/self/clear_refs", "w").write("5")
except OSError:
    pass
base = rss()
start = time.perf_counter()
n = 0
if which == "tiegraph":
    for rec in iter_records(path):
        n += isinstance(rec, Article)
else:
    for _, el in etree.iterparse(str(path), events=("end",), tag="PubmedArticle"):
        n += el.findtext("MedlineCitation/PMID") is not None
        el.clear(keep_tail=True)
        while el.getprevious() is not None:
            del el.getparent()[0]
s = time.perf_counter() - start
peak = base
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        peak = int(line.split()[1]) / 1024
print(json.dumps({"records": n, "seconds": s, "baseline_rss_mb": base, "peak_rss_mb": peak}))
"""


def _parse_in_child(path: Path, which: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), which], capture_output=True, text=True, check=True, timeout=1800
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    out["peak_mb"] = out["peak_rss_mb"] - out["baseline_rss_mb"]
    out["records_per_s"] = out["records"] / out["seconds"]
    return {k: round(v, 3) for k, v in out.items()}


def pubmed_parse(sizes: tuple[int, ...], folder: Path) -> dict[str, object]:
    """Records/s and peak memory of ``graph.sources.pubmed.iter_records`` per size, vs a bare lxml iterparse loop."""
    template = generate(SEED, 1.0).pubmed_xml.encode()
    per_size = {}
    for n in sizes:
        path = folder / f"pubmed-{n}.xml"
        size = write_pubmed(path, n, template)
        ours, bare = _parse_in_child(path, "tiegraph"), _parse_in_child(path, "lxml")
        per_size[str(n)] = {"file_mb": round(size / 2**20, 1), "tiegraph": ours, "lxml_iterparse": bare}
        path.unlink()
    largest = per_size[str(sizes[-1])]
    peaks = [v["tiegraph"]["peak_mb"] for v in per_size.values()]  # type: ignore[index]
    return {
        "sizes": per_size,
        "records_per_s": largest["tiegraph"]["records_per_s"],
        "peak_mb": max(peaks),
        "ratio_vs_lxml": round(largest["tiegraph"]["records_per_s"] / largest["lxml_iterparse"]["records_per_s"], 3),
        "peak_flat": max(peaks) <= GROWTH_SLACK * min(peaks) + 10.0,
    }


def dask_pubmed(files: int, records: int, folder: Path) -> dict[str, object]:
    """Records/s of parsing a folder of PubMed files in one process, and on Dask with 1 and 2 workers.

    The Dask runs are ``parse`` tasks of a Prefect flow on Prefect's Dask task
    runner with local workers: wall time, with the cluster's start and the
    parsed records' transfer back included.
    """
    from prefect import flow

    from graph.config import Settings
    from pipelines.ingest_flow import dask_runner, parse_file

    template = generate(SEED, 1.0).pubmed_xml.encode()
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"pubmed-{i}.xml" for i in range(files)]
    for path in paths:
        write_pubmed(path, records, template)
    n, seq_s = _timed(lambda: sum(len(parse_pubmed(path)) for path in paths))
    out: dict[str, Any] = {"files": files, "records": n, "sequential": {"seconds": round(seq_s, 3)}}

    @flow(name="bench-dask-parse")
    def fan_out(paths: list[Path]) -> int:
        futures = [parse_file.with_options(name=f"parse {p.name}").submit(p) for p in paths]
        return sum(len(f.result()) for f in futures)

    for workers in (1, 2):
        runner = dask_runner(Settings.from_env(dask_workers=workers, dask_address=""))
        got, s = _timed(lambda r=runner: fan_out.with_options(task_runner=r)(paths))
        if got != n:
            raise RuntimeError(f"Dask parse gave {got} records, sequential {n}")
        out[f"workers_{workers}"] = {"seconds": round(s, 3), "records_per_s": round(n / s, 1)}
    out["sequential"]["records_per_s"] = round(n / seq_s, 1)
    out["records_per_s"] = out["workers_2"]["records_per_s"]
    out["ratio_2_vs_sequential"] = round(out["workers_2"]["records_per_s"] / out["sequential"]["records_per_s"], 3)
    for path in paths:
        path.unlink()
    return out


# --------------------------------------------------------------------------- analyze


def analyze_steps(
    store: Store, *, collect: bool = True, write: bool = False
) -> tuple[dict[str, Measure], dict[str, object]]:
    """Each analyze step in-process, timed with its peak memory; also what later steps need.

    The steps share one tie table and one graph, as :func:`pipelines.analyze_flow.analyze`
    does; ``write`` also times writing the ties and metrics to ``store`` (records built,
    upserted in one transaction each, the previous run's deleted).
    """
    stamp = now_iso()
    m: dict[str, Measure] = {}
    with measure(collect) as m["load"]:
        ev = analysis.load_evidence(store)
        frames = {k: store.frame(k) for k in ("affiliation", "program", "institution")}
    with measure(collect) as m["ties"]:
        table = analysis.tie_table(ev, today=TODAY, computed_at=stamp)
    people = ev.people["id"].tolist()
    with measure(collect) as m["graph"]:
        graph = analysis.tie_graph_of(table, people)
    with measure(collect) as m["centrality"]:
        metrics = analysis.metrics_records(graph, people, computed_at=stamp)
    with measure(collect) as m["communities"]:
        _, modularity = communities(graph)  # Louvain shared with the centrality step: the graph keeps it
    with measure(collect) as m["louvain"]:  # outside the total: Louvain itself, for the networkx ratio
        communities(TieGraph(graph.ids, graph.src, graph.dst, graph.strength))
    with measure(collect) as m["mentorship"]:
        assessments = analysis.assessment_records(ev, table, metrics, today=TODAY, computed_at=stamp, graph=graph)
    edges = table[["a", "b", "strength", "last_contact", "reasons"]]
    with measure(collect) as m["alumni"]:
        report = alumni_reach(
            ev.people, frames["affiliation"], frames["program"], frames["institution"], edges, graph=graph
        )
    if write:
        with measure(collect) as m["write"]:
            for kind, records in (("tie", analysis.records_of(Tie, table)), ("metrics", metrics)):
                store.upsert(kind, records)
                store.delete_stale(kind, stamp)
    info = {
        "people": len(ev.people),
        "interactions": len(ev.interactions),
        "authorships": len(ev.authorships),
        "ties": len(table),
        "residents_assessed": len(assessments),
        "alumni": len(report.alumni),
        "modularity": round(float(modularity), 4),
    }
    return m, {"info": info, "edges": edges, "ev": ev, "frames": frames}


def networkx_baseline(edges: pd.DataFrame, people: list[str], budget_s: float, seed: int = 0) -> dict[str, Any]:
    """What graph.analytics.centrality computes, done with plain networkx on the same ties.

    PageRank and Louvain run in full.  Betweenness and closeness are timed on
    a sample of sources, about ``budget_s`` seconds each, and extrapolated
    linearly to the sources graph.analytics.centrality uses (every person below 5,000
    people, else :data:`~graph.analytics.centrality.SAMPLES` sampled sources).
    """
    import networkx as nx

    out: dict[str, object] = {}
    start = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(people)
    dist = np.maximum(-np.log(edges["strength"].to_numpy(float)), 1e-9)
    g.add_weighted_edges_from(zip(edges["a"], edges["b"], edges["strength"], strict=True), weight="strength")
    nx.set_edge_attributes(g, dict(zip(zip(edges["a"], edges["b"], strict=True), dist, strict=True)), "distance")
    out["build_s"] = time.perf_counter() - start
    _, out["pagerank_s"] = _timed(lambda: nx.pagerank(g, weight="strength"))
    _, out["louvain_s"] = _timed(lambda: nx.community.louvain_communities(g, weight="strength", seed=seed))
    n = g.number_of_nodes()
    sources = n if n < 5000 else SAMPLES
    out["sources"] = sources
    rng = np.random.default_rng(seed)
    out["betweenness"] = _extrapolate(
        lambda k: nx.betweenness_centrality(g, k=k, weight="distance", seed=seed), sources, budget_s
    )
    nodes = list(g.nodes)

    def closeness(k: int) -> None:
        for u in rng.choice(len(nodes), size=k, replace=False).tolist():
            nx.closeness_centrality(g, u=nodes[u], distance="distance")

    out["closeness"] = _extrapolate(closeness, sources, budget_s)
    out["total_s"] = (
        out["build_s"]
        + out["pagerank_s"]
        + out["louvain_s"]
        + out["betweenness"]["estimated_s"]  # type: ignore[index]
        + out["closeness"]["estimated_s"]  # type: ignore[index]
    )
    return _rounded(out)


def _extrapolate(fn: Callable[[int], Any], sources: int, budget_s: float) -> dict[str, object]:
    """Time ``fn(k)`` on 2 sources, then on as many as fit the budget; scale linearly to ``sources``."""
    k = min(2, sources)
    _, s = _timed(lambda: fn(k))
    if s < budget_s / 4 and k < sources:
        k = int(min(sources, max(k + 1, k * budget_s / max(s, 1e-6) * 0.8)))
        _, s = _timed(lambda: fn(k))
    return {"timed_sources": k, "timed_s": s, "estimated_s": s * sources / k, "extrapolated": k < sources}


def _rounded(d: Any) -> Any:
    if isinstance(d, dict):
        return {k: _rounded(v) for k, v in d.items()}
    if isinstance(d, float):
        return round(d, 4)
    return d


# --------------------------------------------------------------------------- intro paths


def intro_paths(
    edges: pd.DataFrame, ev: analysis.Evidence, frames: dict[str, pd.DataFrame], queries: int, nx_queries: int
) -> dict[str, object]:
    """Latency of warm queries on one :class:`PathIndex` vs networkx Dijkstra from the target set."""
    import networkx as nx

    index, build_s = _timed(lambda: PathIndex(edges))
    rng = np.random.default_rng(SEED)
    residents = [p for p in ev.people.loc[ev.people["kind"] == "resident", "id"] if p in index]
    aff, progs = frames["affiliation"], frames["program"]
    fellowship = aff[aff["program"].isin(progs.loc[progs["level"] == "fellowship", "id"])]
    fellowship = fellowship[fellowship["role"].isin(["fellow", "faculty"])]
    members = {p: set(g) for p, g in fellowship.groupby("program")["person"] if any(x in index for x in g)}
    programs = sorted(members)
    everyone = index.ids
    asks: list[tuple[str, set[str], str]] = []
    for i in range(queries):
        src = residents[int(rng.integers(len(residents)))]
        if programs and i % 2 == 0:
            asks.append((src, members[programs[int(rng.integers(len(programs)))]], "program"))
        else:
            asks.append((src, {str(everyone[int(rng.integers(len(everyone)))])}, "person"))
    ms, found = [], 0
    for src, targets, _ in asks:
        start = time.perf_counter()
        paths = warm_intro_paths(index, src, targets)
        ms.append((time.perf_counter() - start) * 1000)
        found += bool(paths)
    g = nx.Graph()
    cost = -np.log(np.clip(edges["strength"].to_numpy(float), 1e-9, 1 - 1e-9))
    g.add_weighted_edges_from(zip(edges["a"], edges["b"], cost, strict=True), weight="cost")
    nx_ms, ours_same = [], []
    deadline = time.perf_counter() + (60 if nx_queries >= 50 else 10)
    for j, (src, targets, _) in enumerate(asks[:nx_queries]):
        start = time.perf_counter()
        dist = nx.multi_source_dijkstra_path_length(g, {t for t in targets if t in g}, weight="cost")
        _ = sorted((c + dist[u], u) for u, c in ((u, d["cost"]) for u, d in g[src].items()) if u in dist and u != src)[
            :5
        ]
        nx_ms.append((time.perf_counter() - start) * 1000)
        ours_same.append(ms[j])
        if time.perf_counter() > deadline:
            break
    return {
        "index_build_s": round(build_s, 3),
        "queries": len(ms),
        "answered": found,
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "max_ms": round(max(ms), 3),
        "networkx": {
            "method": "multi_source_dijkstra_path_length from the target set, then the best first contacts",
            "queries": len(nx_ms),
            "p50_ms": round(statistics.median(nx_ms), 3),
            "p95_ms": round(float(np.percentile(nx_ms, 95)), 3),
            "ours_p50_ms_same_queries": round(statistics.median(ours_same), 3),
        },
        "speedup_vs_networkx": round(statistics.median(nx_ms) / statistics.median(ours_same), 2),
    }


# --------------------------------------------------------------------------- flow and dashboard


SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
SAMPLE_BASELINE = {
    "measured": "2026-12-02, main at b7e709a (one Prefect subflow per file), side by side with c91f339+, load avg ~16",
    "sample_ingest_s": 104.7,
    "sample_ingest_cpu_s": 30.0,
    "sample_reingest_unchanged_s": 74.8,
    "sample_reingest_unchanged_cpu_s": 14.9,
    "note": "wall seconds on a loaded machine (a second round: 171.0 s and 88.8 s); quieter, 45-61 s and 59 s",
}
"""The per-file-flow ingest of data/sample, before one flow run per command: the baseline of item 7."""


def sample_cli(folder: Path = SAMPLE) -> dict[str, object]:
    """``tiegraph ingest FOLDER`` in a subprocess into a fresh home, then again: wall and CPU seconds of each."""
    home = Path(tempfile.mkdtemp(prefix="tiegraph-sample-"))
    env = {**os.environ, "TIEGRAPH_HOME": str(home), "TIEGRAPH_STORE": "embedded", "DO_NOT_TRACK": "1"}
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    out: dict[str, object] = {"folder": str(folder), "baseline": SAMPLE_BASELINE}
    for step in ("sample_ingest", "sample_reingest_unchanged"):
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "ingest", str(folder)], env=env, capture_output=True, text=True
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"tiegraph ingest {folder} failed: {done.stderr[-500:]}")
        cpu_s = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
        out[f"{step}_s"], out[f"{step}_cpu_s"] = round(wall, 2), round(cpu_s, 2)
        # CPU seconds are less at the mercy of the machine's load than wall seconds
        out[f"{step}_speedup"] = round(float(SAMPLE_BASELINE[f"{step}_s"]) / max(wall, 1e-9), 1)
        out[f"{step}_cpu_speedup"] = round(float(SAMPLE_BASELINE[f"{step}_cpu_s"]) / max(cpu_s, 1e-9), 1)
    return out


def analyze_flow(store: Store) -> dict[str, float]:
    """One real Prefect ``analyze`` run (after a no-op flow has started Prefect's temporary server)."""
    from prefect import flow

    from pipelines.analyze_flow import analyze

    @flow(name="bench-noop")
    def noop() -> int:
        return 1

    _, startup = _timed(noop)
    summary, s = _timed(lambda: analyze(today=TODAY, store=store))
    return {"prefect_startup_s": round(startup, 2), "seconds": round(s, 2), "ties": summary["ties"]}  # type: ignore[index]


def gds_analyze(stores: dict[str, SqliteStore], labels: list[str], folder: Path) -> dict[str, object]:
    """Analyze on a local Neo4j with Graph Data Science: ``--engine gds`` vs ``python``, same database, per label.

    ``labels[0]`` is the headline ``gds_analyze_s`` (``small``), ``labels[-1]`` the largest program
    (``gds_analyze_100k_s``, ``large``); each is measured by :func:`gds_analyze_at` on a server of its own.
    """
    out: dict[str, Any] = {"small": labels[0], "large": labels[-1]}
    for label in labels:
        out[label] = gds_analyze_at(stores[label], folder / label)
    return out


def gds_analyze_at(lite: SqliteStore, folder: Path) -> dict[str, object]:
    """One program's evidence bulk-imported into a fresh Neo4j server with GDS; both engines timed on it.

    The store's records go in as ``tiegraph neo4j import`` writes them (CSVs, ``neo4j-admin database
    import``, server started with GDS and the schema, indexes awaited; not counted in the engines'
    times).  GDS's classes are loaded on a 100-node ring first (:func:`graph.store.gds.gds_warm_up`).  Then each
    engine runs the steps of the analyze flow in process (load, ties, write ties, centrality, write
    metrics), ``python`` first, on a database without ties, whose write creates them; ``gds``
    second, whose write updates them and deletes none.  Each step has its wall seconds, peak memory,
    the tiegraph process's CPU seconds and the server's (``server_cpu_s``: GDS's work, the writes).
    Agreement: Spearman of the two PageRank columns and the two partitions' modularity (both by
    :func:`graph.analytics.centrality.modularity`); the server's peak resident memory is ``server_peak_mb``.
    """
    from scipy.stats import spearmanr

    from graph.analytics.centrality import modularity
    from graph.store.gds import gds_centrality, gds_version, gds_warm_up
    from graph.store.neo4j_store import Neo4jStore
    from pipelines import neo4j_server
    from pipelines.neo4j_import import admin_import, write_csvs

    home = folder / "neo4j-gds"
    password = "bench-" + secrets.token_hex(12)
    (nodes, rels, counts), csv_s = _timed(lambda: write_csvs(lite, folder / "csv"))
    _, import_s = _timed(lambda: admin_import(home, nodes, rels, folder / "import.report"))
    for path in (*nodes.values(), *rels.values()):
        path.unlink()
    info, start_s = _timed(lambda: neo4j_server.start(home, port=_free_port(), password=password, wait_s=900, gds=True))
    out: dict[str, Any] = {
        "records": sum(counts.values()),
        "csv_s": round(csv_s, 1),
        "import_s": round(import_s, 1),
        "server_start_s": round(start_s, 1),
        "memory": asdict(neo4j_server.memory()),
    }
    try:
        with Neo4jStore(info.uri, "neo4j", password) as neo:
            neo.query("CALL db.awaitIndexes(900)")
            out["gds_version"] = gds_version(neo)
            gds_warm_up(neo)
            metrics: dict[str, pd.DataFrame] = {}
            for engine in ("python", "gds"):
                steps: dict[str, dict[str, float]] = {}
                stamp = now_iso()
                step = partial(_server_step, steps, info.pid)
                with step("load"):
                    ev = analysis.load_evidence(neo)
                with step("ties"):
                    table = analysis.tie_table(ev, today=TODAY, computed_at=stamp)
                with step("write_ties"):
                    neo.upsert("tie", analysis.records_of(Tie, table))
                    neo.delete_stale("tie", stamp)
                how = partial(gds_centrality, neo, computed_at=stamp) if engine == "gds" else centrality
                with step("centrality"):
                    records = analysis.metrics_records(table, ev.people["id"].tolist(), computed_at=stamp, engine=how)
                with step("write_metrics"):
                    neo.upsert("metrics", records)
                    neo.delete_stale("metrics", stamp)
                metrics[engine] = pd.DataFrame([asdict(r) for r in records]).set_index("person")
                out[engine] = {
                    "steps": steps,
                    "total_s": round(sum(v["seconds"] for v in steps.values()), 3),
                    "cpu_s": round(sum(v["cpu_s"] for v in steps.values()), 2),
                    "server_cpu_s": round(sum(v["server_cpu_s"] for v in steps.values()), 2),
                }
                edges = table[["a", "b", "strength"]]
                del ev, table, records
        out["server_peak_mb"] = _status_of(info.pid, "VmHWM")
    finally:
        neo4j_server.stop(home)
    py, gd = metrics["python"], metrics["gds"].reindex(metrics["python"].index)
    mod_py = modularity(edges, py["community"].astype(int).to_dict())
    mod_gds = modularity(edges, gd["community"].astype(int).to_dict())
    out.update(
        {
            "people": len(py),
            "ties": len(edges),
            "pagerank_spearman": round(float(spearmanr(py["pagerank"], gd["pagerank"]).statistic), 5),
            "modularity_python": round(mod_py, 4),
            "modularity_gds": round(mod_gds, 4),
            "modularity_ratio": round(mod_gds / mod_py, 4),
            "weighted_degree_max_diff": float((py["weighted_degree"] - gd["weighted_degree"]).abs().max()),
            "centrality_ratio": round(
                out["gds"]["steps"]["centrality"]["seconds"] / out["python"]["steps"]["centrality"]["seconds"], 3
            ),
        }
    )
    return out


@contextlib.contextmanager
def _server_step(into: dict[str, dict[str, float]], pid: int, name: str) -> Iterator[None]:
    """Measure a block as ``into[name]``: :func:`measure`, this process's CPU seconds and the server ``pid``'s."""
    cpu, server = time.process_time(), _cpu_of(pid)
    with measure() as m:
        yield
    into[name] = {
        **m.as_dict(),
        "cpu_s": round(time.process_time() - cpu, 2),
        "server_cpu_s": round(_cpu_of(pid) - server, 2),
    }


def _cpu_of(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far (Linux), 0 if it cannot be read."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def _status_of(pid: int, field_name: str) -> float | None:
    """A ``/proc/PID/status`` memory field in MB (``VmHWM``: peak resident), None if it cannot be read."""
    with contextlib.suppress(OSError):
        m = re.search(rf"^{field_name}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text(), re.MULTILINE)
        if m:
            return round(int(m.group(1)) / 1024, 1)
    return None


CHROMIUM = Path(os.environ.get("TIEGRAPH_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
_SETTLED = """() => {
  const c = document.querySelector('#_pages_content');
  return !!c && c.children.length > 0 && !document.querySelector('[data-dash-is-loading="true"]');
}"""


def dashboard(home: Path, extra_urls: dict[str, str]) -> dict[str, object]:
    """Time to first render of every registered page: from navigation until the page has settled.

    Settled: the page container has content and no component is loading,
    continuously for 300 ms; the time reported is when that began
    (``performance.now()``).  Each page gets a fresh browser context.
    """
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    old = {k: os.environ.get(k) for k in ("TIEGRAPH_HOME", "TIEGRAPH_STORE")}
    os.environ.update(TIEGRAPH_HOME=str(home), TIEGRAPH_STORE="embedded")
    try:
        import dash

        from dashboards.app import create_app

        app = create_app()
        server = make_server("127.0.0.1", 0, app.server, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="bench-dash", daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_port}"
        urls = {p["module"].split(".")[-1]: p["relative_path"] for p in dash.page_registry.values()}
        urls.update(extra_urls)
        out: dict[str, float] = {}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                try:
                    for name, url in urls.items():
                        context = browser.new_context()
                        page = context.new_page()
                        out[name] = first_render_ms(page, base + url)
                        context.close()
                finally:
                    browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
        return {"pages": out, "urls": urls}
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def first_render_ms(page: Any, url: str, settle_ms: float = 300.0, timeout_s: float = 60.0) -> float:
    """Navigate and return when (``performance.now()``, ms) the page had content, nothing loading, for ``settle_ms``."""
    page.goto(url)
    began: float | None = None
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        now = float(page.evaluate("performance.now()"))
        if page.evaluate(_SETTLED):
            began = now if began is None else began
            if now - began >= settle_ms:
                return round(began, 1)
        else:
            began = None
        page.wait_for_timeout(20)
    raise TimeoutError(f"{url} did not settle within {timeout_s:.0f} s")


# --------------------------------------------------------------------------- machine


PACKAGES = ("pandas", "numpy", "scipy", "networkx", "networkit", "neo4j", "prefect", "dash", "lxml", "nameparser")


def machine() -> dict[str, object]:
    """Cores, memory, Python and package versions."""
    mem = 0.0
    with contextlib.suppress(OSError, ValueError):
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    versions = {}
    for p in PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[p] = metadata.version(p)
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "packages": versions,
    }


# --------------------------------------------------------------------------- the run


SECTIONS: dict[str, tuple[str, ...]] = {
    "ingest": ("embedded_ingest_rows_per_s", "embedded_ingest_ratio_vs_to_sql", "program_100k_ingest_s"),
    "analyze": ("analyze_100k_s", "analyze_speedup_vs_networkx"),
    "intro": ("intro_p50_ms", "intro_p95_ms", "intro_speedup_vs_networkx"),
    "resolve": ("resolve_rows_per_s", "resolve_name_only_vs_email"),
    "pubmed": ("pubmed_records_per_s", "pubmed_peak_mb", "pubmed_ratio_vs_lxml"),
    "dask": ("dask_pubmed_records_per_s", "dask_pubmed_2_vs_sequential"),
    "neo4j": ("neo4j_ingest_rows_per_s", "neo4j_ingest_ratio_vs_naive", "neo4j_import_rows_per_s"),
    "analyze_flow": ("analyze_100k_flow_s",),
    "gds": (
        "gds_analyze_s",
        "gds_python_analyze_s",
        "gds_centrality_vs_python",
        "gds_analyze_100k_s",
        "gds_python_analyze_100k_s",
        "gds_centrality_100k_vs_python",
        "gds_pagerank_spearman_100k",
        "gds_modularity_100k_vs_python",
    ),
    "sample": ("sample_ingest_s", "sample_reingest_unchanged_s"),
    "dashboard": ("dashboard_first_render_ms",),
}
"""Sections of a run (``tiegraph bench --only``) and the headline keys each one measures."""
DETAIL = {"ingest": "embedded"}
"""A section's entry under ``detail`` where it is not the section's own name."""
NEEDS = {
    "analyze": "ingest",
    "intro": "analyze",
    "analyze_flow": "analyze",
    "dashboard": "analyze_flow",
    "gds": "ingest",
}
"""What a section is measured on: choosing it measures (and records) that too."""


def sections(only: str | None) -> list[str]:
    """The sections a run measures: every one, or those named (comma-separated) with what they need.

    Raises
    ------
    ValueError
        A name that is not a section.
    """
    if not only:
        return list(SECTIONS)
    chosen = {s.strip() for s in only.split(",") if s.strip()}
    unknown = chosen - set(SECTIONS)
    if unknown:
        raise ValueError(f"no bench section {', '.join(sorted(unknown))}; sections: {', '.join(SECTIONS)}")
    for s in list(chosen):
        while s in NEEDS:
            s = NEEDS[s]
            chosen.add(s)
    return [s for s in SECTIONS if s in chosen]


def step_count(quick: bool, only: str | None = None) -> int:
    """Progress steps of a run: :attr:`BenchPlan.steps` for a whole run, fewer for ``only``."""
    if not only:
        return plan(quick).steps
    chosen = sections(only)
    programs = len(plan(quick).analyze_scales) if {"ingest", "analyze"} & set(chosen) else 0
    return 2 + programs + len(set(chosen) - {"ingest", "analyze"})


def run(
    quick: bool, out: Path, *, progress: Callable[[str], None] = lambda _: None, only: str | None = None
) -> dict[str, object]:
    """Run the benchmarks; write ``out`` (JSON) and ``out`` with suffix ``.md``; return the document.

    A measurement that fails is recorded under ``detail.errors`` (its keys
    become null) and the others go on; the files are written either way.

    Parameters
    ----------
    quick : bool
        Small scales and few queries (about a minute); every key is still there.
    out : pathlib.Path
        The JSON file.
    progress : callable, optional
        Called with a step's name as it starts (:func:`step_count` calls).
    only : str, optional
        Comma-separated :data:`SECTIONS` to measure (with what they need, :data:`NEEDS`); their keys
        and details replace those of the document already at ``out``, the others are kept
        (``detail.runs`` lists every run merged in). Without one, everything is measured.

    Raises
    ------
    ValueError
        An unknown section, or a ``quick`` run to be merged into a full one (or the other way).
    """
    p = plan(quick)
    chosen = sections(only)
    old = _merge_base(out, quick) if only else None
    started = datetime.now(UTC)
    doc: dict[str, Any] = {"quick": quick, "started_at": started.isoformat(timespec="seconds")}
    detail: dict[str, Any] = {"machine": machine(), "plan": asdict(p), "profiles": {}, "errors": {}}
    errors = detail["errors"]
    got: dict[str, Any] = {}
    progress("machine")
    with tempfile.TemporaryDirectory(prefix="tiegraph-bench-") as tmp:
        root = Path(tmp)
        stores: dict[str, SqliteStore] = {}
        analyze: dict[str, Any] = {}
        embedded: dict[str, Any] = {}
        keep: dict[str, Any] = {}
        if "ingest" in chosen:
            for label, scale in p.analyze_scales.items():
                progress(
                    f"program {label} (scale {scale:g}): generate, ingest{', analyze, networkx' * ('analyze' in chosen)}"
                )
                stores[label], embedded[label], a, ctx = _program_at(
                    label, scale, root, p, detail["profiles"], analyze="analyze" in chosen
                )
                if a:
                    analyze[label] = a
                keep = ctx if label == list(p.analyze_scales)[-1] else {}
                del ctx
                gc.collect()
            got["ingest"] = embedded
            if analyze:
                got["analyze"] = analyze
        largest = list(p.analyze_scales)[-1]
        if "intro" in chosen:
            progress(f"intro paths on the {largest} graph")
            got["intro"] = _section(
                errors,
                "intro",
                lambda: intro_paths(keep["edges"], keep["ev"], keep["frames"], p.intro_queries, p.nx_intro_queries),
            )
        keep.clear()
        if "resolve" in chosen:
            progress("resolver: name-only contact logs against the same logs with e-mails")
            got["resolve"] = _section(errors, "resolve", lambda: resolver_growth(p.resolve_rows, root / "resolve"))
        if "pubmed" in chosen:
            progress("PubMed XML parsing")
            got["pubmed"] = _section(errors, "pubmed", lambda: pubmed_parse(p.pubmed_sizes, root))
        if "dask" in chosen:
            progress(f"PubMed on Dask: {p.dask_files[0]} files of {p.dask_files[1]:,} records, 1 and 2 workers")
            got["dask"] = _section(errors, "dask", lambda: dask_pubmed(*p.dask_files, root / "dask"))
        if "neo4j" in chosen:
            progress(f"Neo4j ingest (scale {p.neo4j_scale:g})")
            got["neo4j"] = _section(errors, "neo4j", lambda: neo4j_ingest(p.neo4j_scale, p.naive_rows, root / "neo4j"))
        if "analyze_flow" in chosen:
            progress(f"Prefect analyze flow ({p.dashboard_label})")
            flow = _section(errors, "analyze_flow", lambda: analyze_flow(stores[p.dashboard_label]))
            if "error" not in flow:
                flow["in_process_s"] = analyze[p.dashboard_label]["flow_steps_s"]
                flow["overhead_s"] = round(flow["seconds"] - flow["in_process_s"], 2)
                # what `tiegraph analyze` costs at the largest size: reads, Prefect and the writes included
                if largest != p.dashboard_label:
                    progress(f"Prefect analyze flow ({largest})")
                    big = _section(errors, "analyze_flow", lambda: analyze_flow(stores[largest]))
                else:
                    big = dict(flow)
                flow["largest"] = {"label": largest, **big}
            got["analyze_flow"] = flow
        if "gds" in chosen:
            labels = list(dict.fromkeys((p.gds_label, largest)))
            progress(f"Neo4j with Graph Data Science: analyze --engine gds vs python ({', '.join(labels)})")
            got["gds"] = _section(errors, "gds", lambda: gds_analyze(stores, labels, root / "gds"))
        if "sample" in chosen:
            progress("tiegraph ingest data/sample, then again unchanged")
            got["sample"] = _section(errors, "sample", sample_cli)
        for s in stores.values():
            s.close()
        if "dashboard" in chosen:
            progress(f"dashboard ({p.dashboard_label})")
            home = root / f"program-{p.dashboard_label}" / "home"
            got["dashboard"] = _section(errors, "dashboard", lambda: dashboard(home, _intro_url(home)))
        progress("report")
    doc.update(_headline(got, largest))
    for name in SECTIONS:
        detail[DETAIL.get(name, name)] = got.get(name, {"error": "not measured (tiegraph bench --only)"})
    seconds = round((datetime.now(UTC) - started).total_seconds(), 1)
    detail["seconds"] = seconds
    detail["runs"] = [
        {
            "started_at": doc["started_at"],
            "sections": chosen,
            "seconds": seconds,
            "load_average": detail["machine"]["load_average"],
        }
    ]
    if old is not None:
        doc, detail = _merged(old, doc, detail, chosen)
    detail["growth"] = growth(detail["analyze"], detail["embedded"], detail["pubmed"], detail["resolve"])
    doc["detail"] = detail
    detail["targets"] = check_targets(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2, default=_plain) + "\n", encoding="utf-8")
    write_markdown(doc, out.with_suffix(".md"))
    return doc


def _headline(got: dict[str, Any], largest: str) -> dict[str, Any]:
    """The headline keys of the sections measured (:data:`SECTIONS`)."""
    out: dict[str, Any] = {k: None for k in KEYS if k != "quick"}
    if "ingest" in got:
        last = got["ingest"][largest]
        out["embedded_ingest_rows_per_s"] = last["contacts"]["rows_per_s"]
        out["embedded_ingest_ratio_vs_to_sql"] = round(last["contacts"]["rows_per_s"] / last["to_sql"]["rows_per_s"], 3)
        out["program_100k_ingest_s"] = last["program_s"]
    if "analyze" in got:
        out["analyze_100k_s"] = got["analyze"][largest]["total_s"]
        out["analyze_speedup_vs_networkx"] = got["analyze"][largest]["speedup_vs_networkx"]
    for name, path in {
        "neo4j_ingest_rows_per_s": ("neo4j", "real", "rows_per_s"),
        "neo4j_ingest_ratio_vs_naive": ("neo4j", "ratio"),
        "neo4j_import_rows_per_s": ("neo4j", "bulk", "rows_per_s"),
        "pubmed_records_per_s": ("pubmed", "records_per_s"),
        "pubmed_peak_mb": ("pubmed", "peak_mb"),
        "pubmed_ratio_vs_lxml": ("pubmed", "ratio_vs_lxml"),
        "intro_p50_ms": ("intro", "p50_ms"),
        "intro_p95_ms": ("intro", "p95_ms"),
        "intro_speedup_vs_networkx": ("intro", "speedup_vs_networkx"),
        "dashboard_first_render_ms": ("dashboard", "pages"),
        "resolve_rows_per_s": ("resolve", "rows_per_s"),
        "resolve_name_only_vs_email": ("resolve", "name_only_vs_email"),
        "gds_analyze_s": ("gds", "small", "gds", "total_s"),
        "gds_python_analyze_s": ("gds", "small", "python", "total_s"),
        "gds_centrality_vs_python": ("gds", "small", "centrality_ratio"),
        "gds_analyze_100k_s": ("gds", "large", "gds", "total_s"),
        "gds_python_analyze_100k_s": ("gds", "large", "python", "total_s"),
        "gds_centrality_100k_vs_python": ("gds", "large", "centrality_ratio"),
        "gds_pagerank_spearman_100k": ("gds", "large", "pagerank_spearman"),
        "gds_modularity_100k_vs_python": ("gds", "large", "modularity_ratio"),
        "dask_pubmed_records_per_s": ("dask", "records_per_s"),
        "dask_pubmed_2_vs_sequential": ("dask", "ratio_2_vs_sequential"),
        "sample_ingest_s": ("sample", "sample_ingest_s"),
        "sample_reingest_unchanged_s": ("sample", "sample_reingest_unchanged_s"),
        "analyze_100k_flow_s": ("analyze_flow", "largest", "seconds"),
    }.items():
        if path[0] == "gds" and path[0] in got:  # the label that path[1] names
            out[name] = _dig(got["gds"], str(got["gds"].get(path[1])), *path[2:])
        elif path[0] in got:
            out[name] = _dig(got, *path)
    return out


def _merge_base(out: Path, quick: bool) -> dict[str, Any] | None:
    """The document already at ``out`` that a ``--only`` run merges into (None if there is none)."""
    if not out.exists():
        return None
    old: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if bool(old.get("quick")) != quick:
        was = "a --quick" if old.get("quick") else "a full"
        raise ValueError(f"{out} holds {was} run; merge a run of the same kind (or write to another --out)")
    return old


def _merged(
    old: dict[str, Any], doc: dict[str, Any], detail: dict[str, Any], chosen: list[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``old`` with the keys and details of the sections ``chosen`` replaced by this run's."""
    new_doc = {k: v for k, v in old.items() if k != "detail"}
    new_detail = dict(old["detail"])
    for name in chosen:
        for key in SECTIONS[name]:
            new_doc[key] = doc.get(key)
        new_detail[DETAIL.get(name, name)] = detail[DETAIL.get(name, name)]
    for key in KEYS:
        new_doc.setdefault(key, None)
    new_detail.setdefault("profiles", {}).update(detail["profiles"])
    errors = {k: v for k, v in new_detail.get("errors", {}).items() if k not in chosen}
    new_detail["errors"] = {**errors, **detail["errors"]}
    new_detail["runs"] = [
        *old["detail"].get(
            "runs",
            [
                {
                    "started_at": old.get("started_at"),
                    "sections": list(SECTIONS),
                    "seconds": old["detail"].get("seconds"),
                }
            ],
        ),
        *detail["runs"],
    ]
    new_detail["seconds"] = round(sum(r.get("seconds") or 0 for r in new_detail["runs"]), 1)
    return new_doc, new_detail


def _program_at(
    label: str, scale: float, root: Path, p: BenchPlan, profiles: dict[str, object], *, analyze: bool = True
) -> tuple[SqliteStore, dict[str, Any], dict[str, Any] | None, dict[str, Any]]:
    """One program size: generate, ingest (timed), to_sql baseline, then (``analyze``) analyze steps, networkx."""
    folder = root / f"program-{label}"
    store, timings, wall_s = build_program(scale, folder)
    contacts = [t for t in timings if t.kind == "contacts"]
    frames = [read(folder / "in" / t.file, "contacts", today=TODAY).rows for t in contacts]  # not timed
    embedded = {
        "scale": scale,
        "contacts": _contacts_summary(contacts),
        "to_sql": to_sql_baseline(frames, folder),
        "files": {t.file: {"kind": t.kind, "rows": t.rows, "seconds": round(t.total_s, 3)} for t in timings},
        "program_s": round(wall_s, 3),  # the run's wall time: each file's write overlaps the next file's build
        "program_stages_s": round(sum(t.total_s for t in timings), 3),
    }
    del frames
    if label == list(p.analyze_scales)[-1]:
        embedded["rows_growth"] = contact_rows_growth(folder / "in", p.ingest_rows, folder / "growth")
    if not analyze:
        if label == p.profile_label:
            _profile_ingest(scale, root / "profile", profiles)
        return store, embedded, None, {}
    steps, ctx = analyze_steps(store)
    nx_base = networkx_baseline(ctx["edges"], ctx["ev"].people["id"].tolist(), p.nx_budget_s)
    analyze = {
        "scale": scale,
        **ctx["info"],
        "steps": {k: v.as_dict() for k, v in steps.items()},
        "total_s": round(sum(steps[s].seconds for s in ("load", *ANALYZE_STEPS)), 3),
        "flow_steps_s": round(sum(steps[s].seconds for s in FLOW_STEPS), 3),
        "networkx": nx_base,
        "speedup_vs_networkx": round(nx_base["total_s"] / steps["centrality"].seconds, 2),
        "communities_speedup_vs_networkx": round(nx_base["louvain_s"] / steps["louvain"].seconds, 2),
    }
    if label == p.profile_label:
        _profile_ingest(scale, root / "profile", profiles)
        with profiled(profiles, f"analyze_{label}"):
            analyze_steps(store, collect=False)
    return store, embedded, analyze, ctx


def _section(errors: dict[str, str], name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one measurement; a failure is logged and recorded (``{"error": ...}``) and the run goes on."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - recorded in the report and made the CLI's exit status
        log.exception("benchmark %s failed", name)
        errors[name] = f"{type(exc).__name__}: {exc}"
        return {"error": errors[name]}


def _dig(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _profile_ingest(scale: float, folder: Path, into: dict[str, object]) -> None:
    """Profile (pyinstrument) the contact-log ingest of a fresh store (roster and mentorship first)."""
    files = write_sample(generate(SEED, scale), folder, formats={"contacts", "roster", "mentorship"})
    store = SqliteStore(folder / "profile.db")
    try:
        plans = sorted((FilePlan(f, detect_kind(f)) for f in files), key=lambda x: KINDS_OF_FILES.index(x.kind))
        resolver = Resolver.for_files([], [])  # one resolver for the run, as the CLI's flow run
        for item in plans:
            if item.kind != "contacts":
                ingest_file(store, item, resolver)
        with profiled(into, "embedded_ingest_contacts"):
            for item in plans:
                if item.kind == "contacts":
                    ingest_file(store, item, resolver)
    finally:
        store.close()


def _intro_url(home: Path) -> dict[str, str]:
    """A warm-intro page with a question filled in: the first resident to the largest fellowship."""
    from urllib.parse import urlencode

    with SqliteStore(home / "tiegraph.db") as store:
        people, progs, aff = store.frame("person"), store.frame("program"), store.frame("affiliation")
    res = people[people["kind"] == "resident"].sort_values("id")
    fellow = progs[progs["level"] == "fellowship"]
    if res.empty or fellow.empty:
        return {}
    sizes = aff[aff["program"].isin(fellow["id"])].groupby("program").size()
    target = fellow.set_index("id").loc[sizes.idxmax(), "name"]
    return {"intro_paths_query": "/intro-paths?" + urlencode({"from": res["name"].iloc[0], "to": target})}


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, Path):
        return str(v)
    raise TypeError(f"not JSON: {type(v).__name__}")


def contact_log_mentions(rows: int, *, emails: bool, seed: int = SEED) -> list[Any]:
    """The person mentions of a synthetic contact log of ``rows`` rows (:func:`contact_log`)."""
    return contact_log(rows, emails=emails, seed=seed)[0]


def contact_log(rows: int, *, emails: bool, seed: int = SEED) -> tuple[list[Any], list[int]]:
    """The person mentions of a synthetic contact log of ``rows`` rows (two people a row), and their true person.

    The other party of a row is drawn at random, so name-only mentions of two
    namesakes share nothing but the name, and Faker's name lists are short: at
    1M rows (125,000 people) half the people share their full name with others
    (up to 66).  The pairwise recall a name-only resolver can reach at full
    precision is then bounded (a person's mentions are told apart from a
    namesake's only by a unique name, or by a middle initial both write):
    0.975 at 15k rows, 0.875 at 100k, 0.535 at 1M.  The sample program's
    contact logs (``tools.labelled_sets.contact_log``) have unique names and
    recurring partners: the realistic measure of quality; this one measures cost.

    About one person per eight rows (Faker names, seeded), each written in one
    of three shapes ("First Last", "Last, First", "First M. Last, MD"); with
    ``emails`` every mention also carries the person's e-mail.  Each mention's
    context is the other party, as a contact log gives it.
    """
    import random

    from faker import Faker

    from graph.resolution.resolver import Mention

    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    people = []
    for n in range(max(rows // 8, 2)):
        first, last = fake.first_name(), fake.last_name()
        mid = rng.choice("ABCDEFGHJKLMNPRST")
        shapes = (f"{first} {last}", f"{last}, {first}", f"{first} {mid}. {last}, MD")
        people.append((shapes, f"p{n}.{first}.{last}@example.org".lower()))
    out, truth = [], []
    for _ in range(rows):
        a, b = rng.sample(range(len(people)), 2)
        na, nb = rng.choice(people[a][0]), rng.choice(people[b][0])
        out.append(Mention(na, people[a][1] if emails else None, context=(nb,)))
        out.append(Mention(nb, people[b][1] if emails else None, context=(na,)))
        truth += [a, b]
    return out, truth


def resolver_growth(sizes: tuple[int, ...], folder: Path) -> dict[str, object]:
    """``Resolver.resolve_all`` over contact logs of growing size, name-only and with e-mails (CPU seconds).

    The headline logs are a sample program's (``tiegraph sample``, generated
    under ``folder`` at the scale the largest size needs): the first ``rows``
    rows of its contact logs, with the e-mail and id columns dropped for the
    name-only run and kept for the other (:func:`tools.labelled_sets.contact_log`),
    scored against the generator's truth.  The synthetic log of
    :func:`contact_log` (random partners, Faker's short name lists, so many
    namesakes nothing tells apart) is measured beside it up to 100k rows as the
    namesake stress, under ``synthetic``.  Mentions are built before the clock
    starts; the time is the whole run's resolution (blocking, comparisons, EM,
    clustering).
    """
    from tools import labelled_sets

    scale = 66.0 * max(sizes) / 1_000_000 + 0.5
    program = folder / "program"
    write_sample(generate(SEED, scale), program, formats={"contacts", "labels"})
    out: dict[str, Any] = {"log": f"sample program, scale {scale:g}", "sizes": {}, "synthetic": {}}
    for rows in sizes:
        out["sizes"][str(rows)] = {
            shape: _resolve_timed(*labelled_sets.contact_log(program, rows, emails=emails), rows)
            for shape, emails in (("name_only", False), ("with_email", True))
        }
        if rows <= 100_000:
            out["synthetic"][str(rows)] = {
                shape: _resolve_timed(*contact_log(rows, emails=emails), rows)
                for shape, emails in (("name_only", False), ("with_email", True))
            }
    first = out["sizes"][str(sizes[0])]
    last = out["sizes"][str(sizes[-1])]
    out["rows_per_s"] = first["name_only"]["rows_per_s"]
    out["name_only_vs_email"] = round(last["name_only"]["seconds"] / max(last["with_email"]["seconds"], 1e-9), 3)
    return out


def _resolve_timed(mentions: list[Any], truth: list[Any], rows: int) -> dict[str, object]:
    """One ``resolve_all`` run over ``mentions``, timed in CPU seconds and scored pairwise against ``truth``.

    Mentions whose truth is None (a side the labels cannot name) are resolved but not scored.
    """
    from graph.resolution.resolver import Resolver
    from tools.stress_names import pairwise

    gc.collect()
    t0 = time.process_time()
    r = Resolver([])
    ids = r.resolve_all(mentions)
    seconds = time.process_time() - t0
    scored = [(i, t) for i, t in zip(ids, truth, strict=True) if t is not None]
    precision, recall = pairwise([i for i, _ in scored], [t for _, t in scored])  # type: ignore[arg-type]
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / max(seconds, 1e-9), 1),
        "people": len(set(ids)),
        "true_people": len({t for _, t in scored}),
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "comparisons": r.compared,
        "review": len(r.review),
    }


def growth(
    analyze: dict[str, Any], embedded: dict[str, Any], pubmed: dict[str, Any], resolve: dict[str, Any] | None = None
) -> list[dict[str, object]]:
    """How time and memory grow from one size to the next, against how the input grows.

    A step is flagged when its time (or memory) grows more than
    :data:`GROWTH_SLACK` times the growth of its input (people for analyze
    steps, rows for ingest, records for PubMed).
    """
    out: list[dict[str, object]] = []

    def add(step: str, lo: str, hi: str, size: float, t0: float, t1: float, m0: float | None, m1: float | None) -> None:
        if size <= 0 or t0 <= 0:
            return
        t = t1 / t0
        mem = None if not m0 or m1 is None else m1 / m0
        out.append(
            {
                "step": step,
                "from": lo,
                "to": hi,
                "input_x": round(size, 2),
                "time_x": round(t, 2),
                "memory_x": None if mem is None else round(mem, 2),
                "time_vs_linear": round(t / size, 2),
                "flag": t > GROWTH_SLACK * size or (mem is not None and m0 > 20 and mem > GROWTH_SLACK * size),
            }
        )

    labels = [k for k in analyze if k != "error"]
    for lo, hi in zip(labels, labels[1:], strict=False):
        a, b = analyze[lo], analyze[hi]
        x = b["people"] / a["people"]
        for step in ANALYZE_STEPS:
            sa, sb = a["steps"][step], b["steps"][step]
            add(step, lo, hi, x, sa["seconds"], sb["seconds"], sa["peak_extra_mb"], sb["peak_extra_mb"])
    labels = [k for k in embedded if k != "error"]
    for lo, hi in zip(labels, labels[1:], strict=False):
        ca, cb = embedded[lo]["contacts"], embedded[hi]["contacts"]
        add("embedded ingest", lo, hi, cb["rows"] / ca["rows"], ca["seconds"], cb["seconds"], None, None)
    rows_growth = (embedded[labels[-1]].get("rows_growth") or {}) if labels else {}
    sizes = list(rows_growth)
    for lo, hi in zip(sizes, sizes[1:], strict=False):
        a, b = rows_growth[lo], rows_growth[hi]
        add("embedded ingest rows", lo, hi, b["rows"] / a["rows"], a["seconds"], b["seconds"], None, None)
    sizes = list(pubmed.get("sizes", {}))
    for lo, hi in zip(sizes, sizes[1:], strict=False):
        a, b = pubmed["sizes"][lo]["tiegraph"], pubmed["sizes"][hi]["tiegraph"]
        add("pubmed parse", lo, hi, int(hi) / int(lo), a["seconds"], b["seconds"], None, None)
    rows = list((resolve or {}).get("sizes", {}))
    for lo, hi in zip(rows, rows[1:], strict=False):
        for shape in ("name_only", "with_email"):
            a, b = resolve["sizes"][lo][shape], resolve["sizes"][hi][shape]  # type: ignore[index]
            add(f"resolve {shape.replace('_', ' ')}", lo, hi, int(hi) / int(lo), a["seconds"], b["seconds"], None, None)
    return out


def check_targets(doc: dict[str, Any]) -> dict[str, dict[str, object]]:
    """Each target of :data:`TARGETS`: the value, whether it is met, and by what factor it is missed."""
    out = {}
    for key, (op, goal) in TARGETS.items():
        if doc.get(key) is None:
            out[key] = {"value": None, "target": f"{op} {goal:g}", "met": False, "missed_by_x": None}
            continue
        value = float(doc[key])
        met = {">=": value >= goal, "<=": value <= goal}.get(op, value < goal)
        factor = goal / value if op == ">=" else value / goal
        out[key] = {
            "value": value,
            "target": f"{op} {goal:g}",
            "met": met,
            "missed_by_x": None if met else round(factor, 2),
        }
    return out


# --------------------------------------------------------------------------- Markdown


_KEEP = "<!-- analysis: kept across runs -->"


def write_markdown(doc: dict[str, Any], path: Path) -> None:
    """The report: machine, headline, each measurement, growth, profiles.

    Text below the marker line ``<!-- analysis: kept across runs -->`` of an
    existing report is kept, so a written analysis survives a re-run.
    """
    kept = ""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if _KEEP in old:
            kept = old[old.index(_KEEP) :]
    d = doc["detail"]
    mc = d["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"`tiegraph bench{' --quick' if doc['quick'] else ''}` on {doc['started_at']}, {d['seconds']:.0f} s in all. "
        "Every ratio is against a baseline measured in the same run. Regenerate with `make bench`.",
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| cores | {mc['cores']} |",
        f"| memory | {mc['memory_gib']} GiB |",
        f"| load average at start | {', '.join(map(str, mc['load_average']))} |",
        f"| Python | {mc['python']} ({mc['platform']}) |",
        f"| Neo4j | {_dig(d['neo4j'], 'version')} Community (local launcher, heap {_dig(d['neo4j'], 'memory', 'heap')}, "
        f"page cache {_dig(d['neo4j'], 'memory', 'pagecache')}) |",
        f"| packages | {', '.join(f'{k} {v}' for k, v in mc['packages'].items())} |",
        "",
        "## Headline",
        "",
        "| key | value | target | met |",
        "|---|---|---|---|",
    ]
    for key in KEYS:
        if key in ("quick", "dashboard_first_render_ms"):
            continue
        t = d["targets"].get(key)
        met = "" if t is None else ("yes" if t["met"] else f"**no** (missed by {t['missed_by_x']}x)")
        if t is not None and t["value"] is None:
            failed = any(key in SECTIONS.get(name, ()) for name in d["errors"])
            met = "**not measured** (failed)" if failed else "not measured in this run"
        lines.append(f"| `{key}` | {_fmt(doc[key])} | {'' if t is None else t['target']} | {met} |")
    pages = ", ".join(f"{k} {v:.0f}" for k, v in (doc["dashboard_first_render_ms"] or {}).items())
    lines += [f"| `dashboard_first_render_ms` | {pages} | | |", ""]
    if d["errors"]:
        lines += ["**Failed measurements**:", "", *(f"- {k}: `{v}`" for k, v in d["errors"].items()), ""]
    lines += _ingest_md(d)
    lines += _or_failed("Resolution of contact logs", d["resolve"], _resolve_md)
    lines += _or_failed("PubMed XML", d["pubmed"], _pubmed_md)
    lines += _or_failed("Analyze", d["analyze"], lambda _: _analyze_md(d))
    lines += _or_failed("Analyze in Neo4j with Graph Data Science", d["gds"], _gds_md)
    lines += _or_failed("Warm introduction paths", d["intro"], _intro_md)
    lines += _or_failed("Dashboard: first render (ms)", d["dashboard"], lambda _: _dashboard_md(d))
    lines += ["", *_growth_md(d["growth"]), *_profiles_md(d["profiles"])]
    text = "\n".join(lines) + "\n"
    text += "\n" + (kept or f"{_KEEP}\n")
    path.write_text(text, encoding="utf-8")


def _or_failed(title: str, section: dict[str, Any], render: Callable[[dict[str, Any]], list[str]]) -> list[str]:
    if "error" in section:
        return [f"## {title}", "", f"Failed: `{section['error']}`", ""]
    return render(section)


def _dashboard_md(d: dict[str, Any]) -> list[str]:
    lines = [
        "## Dashboard: first render (ms)",
        "",
        f"Headless Chromium, embedded store of the {d['plan']['dashboard_label']} program after the real "
        "`analyze` flow; from navigation until the page container has content and nothing is loading "
        "(settled for 300 ms). A fresh browser context per page.",
        "",
        "| page | url | ms |",
        "|---|---|---|",
    ]
    for name, ms in d["dashboard"]["pages"].items():
        lines.append(f"| {name} | `{d['dashboard']['urls'][name]}` | {ms:.0f} |")
    return lines


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"
    return str(v)


def _ingest_md(d: dict[str, Any]) -> list[str]:
    neo = d["neo4j"]
    lines = [
        "## Ingest of contact logs",
        "",
        "Real path: one `Resolver` for the run (as the CLI's flow run) and, as the flow's `resolve the run` task, every "
        "file's mentions collected and decided by one `Resolver.resolve_all` (in `resolver init s`, apportioned to the "
        "files by their distinct mentions), `graph.sources.folder.read` (validate), "
        "`graph.sources.folder.build` (resolve and build records), then each kind in `WRITE_ORDER` as the file's new "
        "snapshot (`Store.write_file`: institutions upserted, people the store holds as they are not written again), the garbage collector paused per file as in the flow. Rows are contact-log rows.",
        "",
        "| store | scale | rows | resolver init s | read/validate s | resolve/build s | write s | rows/s | baseline rows/s | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    if "error" in neo:
        lines.append(f"| Neo4j | failed: `{neo['error']}` |||||||||")
    else:
        r, n = neo["real"], neo["naive"]
        lines.append(
            f"| Neo4j | {neo['scale']:g} | {r['rows']:,} | {r['resolver_init_s']} | {r['read_validate_s']} | "
            f"{r['resolve_build_s']} | {r['write_s']} | {r['rows_per_s']:,.0f} | {n['rows_per_s']:,.0f} "
            f"(one MERGE per row, {n['rows']:,} rows) | {neo['ratio']} |"
        )
        if "bulk" in neo:
            b = neo["bulk"]
            lines.append(
                f"| Neo4j bulk (`neo4j import`) | {neo['scale']:g} | {b['rows']:,} | ingest into SQLite {b['ingest_s']} "
                f"|| CSV {b['csv_s']} | neo4j-admin {b['import_s']} + restart {b['restart_s']} | {b['rows_per_s']:,.0f} "
                f"| {n['rows_per_s']:,.0f} | {neo['bulk_ratio']} |"
            )
    if "error" in d["embedded"]:
        return [*lines, f"| SQLite | {d['embedded']['error']} |||||||||", ""]
    for label, e in d["embedded"].items():
        c, b = e["contacts"], e["to_sql"]
        lines.append(
            f"| SQLite {label} | {e['scale']:g} | {c['rows']:,} | {c['resolver_init_s']} | {c['read_validate_s']} | "
            f"{c['resolve_build_s']} | {c['write_s']} | {c['rows_per_s']:,.0f} | {b['rows_per_s']:,.0f} (to_sql) | "
            f"{c['rows_per_s'] / b['rows_per_s']:.3f} |"
        )
    last = d["embedded"][list(d["embedded"])[-1]]["contacts"]
    neo_kinds = (
        ", ".join(f"{k} {v} s" for k, v in _dig(neo, "real", "write_by_kind_s").items())
        + f" ({_fmt(_dig(neo, 'real', 'write_rows_per_s'))} rows/s written)"
        if "real" in neo
        else ""
    )
    sqlite_kinds = ", ".join(f"{k} {v} s" for k, v in last["write_by_kind_s"].items())
    biggest = d["embedded"][list(d["embedded"])[-1]]
    files = ", ".join(f"{k} ({v['rows']:,} rows) {v['seconds']:.1f} s" for k, v in biggest["files"].items())
    lines += ["", f"Whole program at {list(d['embedded'])[-1]}, each file through the same path: {files}."]
    if biggest.get("rows_growth"):
        lines += [
            "",
            "Growth: the first N contact rows of that program into a fresh store (roster and mentorship first), "
            "side by side with `to_sql` of the same rows:",
            "",
            "| rows | read/validate s | resolve/build s | write s | rows/s | to_sql rows/s | ratio |",
            "|---|---|---|---|---|---|---|",
        ]
        for n, g in biggest["rows_growth"].items():
            lines.append(
                f"| {int(n):,} | {g['read_validate_s']} | {g['resolve_build_s']} | {g['write_s']} | "
                f"{g['rows_per_s']:,.0f} | {g['to_sql_rows_per_s']:,.0f} | {g['ratio_vs_to_sql']} |"
            )
    lines += [
        "",
        f"Write time by kind. Neo4j: {neo_kinds or 'n/a'}. SQLite ({list(d['embedded'])[-1]}): {sqlite_kinds}.",
        "",
    ]
    return lines


def _resolve_md(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Resolution of contact logs",
        "",
        f"`Resolver.resolve_all` in CPU seconds over the first rows of a generated program's contact logs "
        f"({r.get('log', 'sample program')}), name-only (e-mail and id columns dropped) beside the same rows with "
        "e-mails; precision and recall are pairwise against the generator's truth. `synthetic` is the namesake "
        "stress log (random partners, Faker's short name lists: many namesakes nothing in the input tells apart, "
        "so its name-only recall is bounded well below 1).",
        "",
        "| log | rows | shape | s | rows/s | people | true people | precision | recall | comparisons |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for log, sizes in (("program", r.get("sizes", {})), ("synthetic", r.get("synthetic", {}))):
        for n, cell in sizes.items():
            for shape, v in cell.items():
                lines.append(
                    f"| {log} | {int(n):,} | {shape.replace('_', ' ')} | {v['seconds']} | {v['rows_per_s']:,.0f} | "
                    f"{v['people']:,} | {v['true_people']:,} | {v['precision']} | {v['recall']} | "
                    f"{v['comparisons']:,} |"
                )
    lines += ["", f"Name-only against with e-mails at the largest size: {r.get('name_only_vs_email')}x.", ""]
    return lines


def _pubmed_md(pm: dict[str, Any]) -> list[str]:
    lines = [
        "## PubMed XML",
        "",
        "Generated PubmedArticleSet files (the sample's articles repeated with new PMIDs); each parse in a "
        "subprocess of its own; peak = peak RSS minus RSS before parsing. Baseline: a bare `lxml.etree.iterparse` "
        "loop that reads each PMID and frees the element.",
        "",
        "| records | file MB | records/s | s | peak MB | lxml records/s | lxml peak MB | ratio |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, v in pm["sizes"].items():
        t, b = v["tiegraph"], v["lxml_iterparse"]
        lines.append(
            f"| {int(n):,} | {v['file_mb']} | {t['records_per_s']:,.0f} | {t['seconds']:.2f} | {t['peak_mb']:.1f} | "
            f"{b['records_per_s']:,.0f} | {b['peak_mb']:.1f} | {t['records_per_s'] / b['records_per_s']:.2f} |"
        )
    lines += ["", f"Peak memory flat across sizes: {'yes' if pm['peak_flat'] else '**no**'}.", ""]
    return lines


def _gds_md(g: dict[str, Any]) -> list[str]:
    lines = ["## Analyze in Neo4j with Graph Data Science", ""]
    if "small" not in g:  # a document merged from before the 100k label (one size, copied in)
        return [
            *lines,
            f"Measured in an earlier format ({g.get('people', '?')} people): gds "
            f"{_fmt(_dig(g, 'gds', 'total_s'))} s, python {_fmt(_dig(g, 'python', 'total_s'))} s, PageRank Spearman "
            f"{_fmt(g.get('pagerank_spearman'))}; `tiegraph bench --only gds` measures it again.",
            "",
        ]
    lines += [
        "Each program bulk-imported (`neo4j-admin database import`) into a local Neo4j server of its own with GDS "
        "(memory as in the Neo4j ingest); the analyze flow's steps in process, `--engine python` then "
        "`--engine gds` on the same database (python's tie write creates the ties, gds's updates them). "
        "GDS computes degree, weighted degree, PageRank, betweenness, Louvain and components in the database; "
        "brokerage stays in Python on both engines. Each cell: wall s (tiegraph CPU s + server CPU s).",
        "",
    ]
    for label in dict.fromkeys((g["small"], g["large"])):
        e = g[label]
        steps = list(e["python"]["steps"])
        lines += [
            f"{label}: {e['people']:,} people, {e['ties']:,} ties; GDS {e['gds_version']}, heap "
            f"{e['memory']['heap']}, page cache {e['memory']['pagecache']}, server peak {_fmt(e['server_peak_mb'])} MB "
            f"(import {e['csv_s'] + e['import_s']:.0f} s, start {e['server_start_s']:.0f} s, not counted).",
            "",
            "| engine | " + " | ".join(steps) + " | total s | peak MB |",
            "|---|" + "---|" * (len(steps) + 2),
        ]
        for engine in ("python", "gds"):
            x = e[engine]
            cells = [
                f"{x['steps'][s]['seconds']:.1f} ({x['steps'][s]['cpu_s']:.1f}+{x['steps'][s]['server_cpu_s']:.1f})"
                for s in steps
            ]
            peak = max(x["steps"][s]["peak_rss_mb"] for s in steps)
            lines.append(f"| {engine} | " + " | ".join(cells) + f" | {x['total_s']:.1f} | {peak:.0f} |")
        lines += [
            "",
            f"Agreement: PageRank Spearman {e['pagerank_spearman']}, modularity {e['modularity_gds']} (GDS) vs "
            f"{e['modularity_python']} (Python), weighted degree max difference {e['weighted_degree_max_diff']:.2g}; "
            f"GDS centrality takes {e['centrality_ratio']}x the Python path's time.",
            "",
        ]
    return lines


def _analyze_md(d: dict[str, Any]) -> list[str]:
    shown = ("load", *ANALYZE_STEPS)
    lines = [
        "## Analyze",
        "",
        "In-process, no Prefect, frames from the embedded store the sample program was ingested into. "
        "`load` = `load_evidence` (the frames read from the store), `ties` = `tie_table` (score_ties + vectorised reasons), `graph` = `tie_graph_of` (the one graph every "
        "later step shares), `centrality` = `metrics_records` (graph.analytics.centrality.centrality without closeness), "
        "`communities` = `graph.analytics.centrality.communities` (on the graph centrality ran on, whose Louvain "
        "partition it reuses; the networkx table's communities speedup times Louvain on a fresh graph), "
        "`mentorship` = `assessment_records` (assess_mentorship + "
        "suggest_mentors on a sparse tie index), `alumni` = `alumni_reach`. Total = these seven (the writes are not in it: see the flow below); the flow computes ties, "
        "the graph, centrality and mentorship. Memory is peak RSS above the step's start.",
        "",
        "| graph | people | ties | " + " | ".join(f"{s} s (MB)" for s in shown) + " | total s | networkx s | speedup |",
        "|---|---|---|" + "---|" * (len(shown) + 3),
    ]
    for label, a in d["analyze"].items():
        cells = " | ".join(f"{a['steps'][s]['seconds']:.2f} ({a['steps'][s]['peak_extra_mb']:.0f})" for s in shown)
        lines.append(
            f"| {label} | {a['people']:,} | {a['ties']:,} | {cells} | {a['total_s']:.1f} | "
            f"{a['networkx']['total_s']:.1f} | {a['speedup_vs_networkx']} |"
        )
    lines += [
        "",
        "networkx on the same ties (PageRank and Louvain in full; betweenness and closeness timed on a sample of "
        "sources and extrapolated linearly to the sources graph.analytics.centrality uses: every person below 5,000 people, "
        f"else {SAMPLES}; brokerage is left out of networkx, which favours it):",
        "",
        "| graph | build s | pagerank s | louvain s | betweenness s | closeness s | our communities speedup |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, a in d["analyze"].items():
        x = a["networkx"]
        bc, cl = x["betweenness"], x["closeness"]
        lines.append(
            f"| {label} | {x['build_s']:.1f} | {x['pagerank_s']:.1f} | {x['louvain_s']:.1f} | "
            f"{bc['estimated_s']:.1f}{_est(bc)} | {cl['estimated_s']:.1f}{_est(cl)} | "
            f"{a['communities_speedup_vs_networkx']} |"
        )
    f = d["analyze_flow"]
    if "error" in f:
        return [*lines, "", f"The real Prefect `analyze` flow failed: `{f['error']}`", ""]
    lines += [
        "",
        f"One real Prefect `analyze` flow on the {d['plan']['dashboard_label']} store: {f['seconds']} s "
        f"(its three steps in-process: {f['in_process_s']} s; store reads and writes plus Prefect: "
        f"{f['overhead_s']} s). Prefect's temporary server started in {f['prefect_startup_s']} s before it.",
        "",
    ]
    big = f.get("largest") or {}
    if "seconds" in big:
        lines += [
            f"`tiegraph analyze` as a user runs it on the {big['label']} store (the flow: reading the evidence, "
            f"every step, writing {big['ties']:,} ties, metrics and assessments): {big['seconds']} s "
            "(`analyze_100k_flow_s`).",
            "",
        ]
    return lines


def _est(x: dict[str, Any]) -> str:
    return f" (est. from {x['timed_sources']})" if x["extrapolated"] else ""


def _intro_md(i: dict[str, Any]) -> list[str]:
    x = i["networkx"]
    return [
        "## Warm introduction paths",
        "",
        f"{i['queries']:,} random warm queries on one `PathIndex` (built in {i['index_build_s']} s): a random "
        f"resident to the members of a random fellowship program or to a random person, k=5, at most 4 hops; "
        f"{i['answered']:,} found a path.",
        "",
        "| | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|",
        f"| `warm_intro_paths` | {i['p50_ms']} | {i['p95_ms']} | {i['max_ms']} |",
        f"| networkx, first {x['queries']} queries | {x['p50_ms']} | {x['p95_ms']} | |",
        "",
        f"networkx: {x['method']}. Our p50 on the same queries: {x['ours_p50_ms_same_queries']} ms; "
        f"speedup {i['speedup_vs_networkx']}x.",
        "",
    ]


def _growth_md(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "## Growth",
        "",
        f"Input growth vs time and memory growth from one size to the next; flagged when time or memory grows "
        f"more than {GROWTH_SLACK}x the input's growth.",
        "",
        "| step | from → to | input × | time × | memory × | time / linear | flag |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in rows:
        mem = "" if g["memory_x"] is None else g["memory_x"]
        lines.append(
            f"| {g['step']} | {g['from']} → {g['to']} | {g['input_x']} | {g['time_x']} | {mem} | "
            f"{g['time_vs_linear']} | {'**worse than linear**' if g['flag'] else ''} |"
        )
    return [*lines, ""]


def _profiles_md(profiles: dict[str, Any]) -> list[str]:
    lines = ["## Where the time goes (pyinstrument)", ""]
    for name, p in profiles.items():
        lines += [
            f"### {name} ({p.get('total_s', 0)} s profiled)",
            "",
            "| inclusive s | share | frame |",
            "|---|---|---|",
        ]
        lines += [f"| {r['s']} | {r['share']:.0%} | `{r['frame']}` |" for r in p["inclusive"]]
        lines += ["", "| self s | share | frame |", "|---|---|---|"]
        lines += [f"| {r['s']} | {r['share']:.0%} | `{r['frame']}` |" for r in p["self"]]
        lines.append("")
    return lines


def finite_ratios(doc: dict[str, Any]) -> bool:
    """Every ratio a positive finite number."""
    return all(isinstance(doc[k], int | float) and math.isfinite(doc[k]) and doc[k] > 0 for k in RATIOS)
