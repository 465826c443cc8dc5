"""First load of a large folder into the local Neo4j server through ``neo4j-admin database import full``.

The transactional path writes a batch at a time through Bolt; for a first load
of a big history Neo4j's offline importer is much faster.  :func:`import_folder`

1. ingests the folder into a scratch embedded store with the normal ingest flow
   (same validation, resolution, quarantine and review queue: quarantined rows
   and review items land in the user's ``TIEGRAPH_HOME`` as after ``tiegraph ingest``),
2. writes one CSV per kind with typed headers (:func:`write_csvs`): nodes
   ``id:ID(Label)``, relationships ``:START_ID(Label)`` / ``:END_ID(Label)``,
   every field a property of its type (``:long``, ``:double``, ``:boolean``;
   an unset field is an empty cell, an empty string ``""``),
3. stops the launcher-managed server of the home, runs the importer from the
   Neo4j jars the launcher is built from (``org.neo4j.cli.AdminTool`` with
   ``NEO4J_HOME`` at the server's home, whose ``data`` folder the launcher
   uses), starts the server again, and
4. creates the constraints and indexes the store expects (:class:`Neo4jStore` does on connect).

The importer replaces the whole ``neo4j`` database (``--overwrite-destination``):
it is for first loads; later files go through ``tiegraph ingest`` as usual
(their ingest records are imported too, so unchanged files are skipped).
"""

from __future__ import annotations

import contextlib
import csv
import logging
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from graph.config import Settings
from graph.errors import StoreError
from graph.model import KINDS, Kind
from graph.store import Store
from graph.store.neo4j_store import Neo4jStore
from graph.store.sqlite_store import SqliteStore
from pipelines import neo4j_server

__all__ = ["ImportReport", "admin_import", "import_folder", "write_csvs"]

log = logging.getLogger(__name__)

ADMIN_TOOL = "org.neo4j.cli.AdminTool"
IMPORT_TIMEOUT_S = 3600.0
_TYPES = {"str": "", "int": ":long", "float": ":double", "bool": ":boolean"}
_CARRIED_BACK = ("review.csv",)  # files the ingest writes into TIEGRAPH_HOME, besides quarantine/


@dataclass
class ImportReport:
    """What one import did.

    Attributes
    ----------
    files : int
        Files of the folder ingested (``errors`` lists those that failed).
    counts : dict of str to int
        Records imported, by kind.
    ingest_s, csv_s, import_s, restart_s : float
        Seconds spent in the scratch ingest, writing CSVs, ``neo4j-admin`` and restarting plus schema.
    uri : str
        The server the graph is in.
    """

    files: int
    counts: dict[str, int]
    ingest_s: float
    csv_s: float
    import_s: float
    restart_s: float
    uri: str
    errors: list[str] = field(default_factory=list)

    @property
    def records(self) -> int:
        """Nodes and relationships imported."""
        return sum(self.counts.values())


def import_folder(
    folder: Path, settings: Settings, *, port: int = 7687, neo4j_home: Path | None = None
) -> ImportReport:
    """Ingest ``folder`` into a scratch embedded store and bulk-import that graph into the local Neo4j server.

    Parameters
    ----------
    folder : Path
        The folder (or file) to ingest, as ``tiegraph ingest``.
    settings : Settings
        ``home`` (quarantine, aliases, review queue, the scratch store) and ``neo4j_password``.
    port : int, default 7687
        Bolt port the server is started on afterwards.
    neo4j_home : Path, optional
        The server's home; by default ``settings.home / "neo4j"`` (``tiegraph neo4j start``).

    Returns
    -------
    ImportReport
        Counts and timings.

    Raises
    ------
    StoreError
        If the importer fails (with the tail of its output) or the server does not come back.
    """
    home = (neo4j_home or settings.home / "neo4j").expanduser().resolve()
    scratch = settings.home / "import-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        started = time.monotonic()
        reports = _ingest_scratch(folder, settings.home, scratch)
        ingest_s = time.monotonic() - started

        started = time.monotonic()
        with SqliteStore(scratch / "tiegraph.db") as lite:
            nodes, rels, counts = write_csvs(lite, scratch / "csv")
        csv_s = time.monotonic() - started

        started = time.monotonic()
        neo4j_server.stop(home)
        admin_import(home, nodes, rels, scratch / "import.report")
        import_s = time.monotonic() - started

        started = time.monotonic()
        info = neo4j_server.start(home, port=port, password=settings.neo4j_password)
        Neo4jStore(info.uri, settings.neo4j_username, settings.neo4j_password).close()  # creates the schema
        restart_s = time.monotonic() - started
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    errors = [f"{r.file}: {r.error}" for r in reports if getattr(r, "error", None)]
    return ImportReport(len(reports), counts, ingest_s, csv_s, import_s, restart_s, info.uri, errors)


def _ingest_scratch(folder: Path, home: Path, scratch: Path) -> list:  # type: ignore[type-arg]
    """The normal ingest flow into an embedded store in ``scratch``, with ``home``'s aliases and review queue."""
    from pipelines.ingest_flow import ingest_path

    for name in ("aliases.csv", *_CARRIED_BACK):
        if (home / name).is_file():
            shutil.copy2(home / name, scratch / name)
    with _env(TIEGRAPH_HOME=str(scratch), TIEGRAPH_STORE="embedded"):
        reports = ingest_path(folder)
    for name in _CARRIED_BACK:
        if (scratch / name).is_file():
            shutil.copy2(scratch / name, home / name)
    if (scratch / "quarantine").is_dir():
        shutil.copytree(scratch / "quarantine", home / "quarantine", dirs_exist_ok=True)
    return reports


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def write_csvs(store: Store, folder: Path) -> tuple[dict[str, Path], dict[str, Path], dict[str, int]]:
    """One CSV per non-empty kind of ``store``, with the typed header ``neo4j-admin database import`` reads.

    Strings are quoted (an empty string is ``""``), numbers and booleans are
    not, and an unset field is an empty cell, which the importer leaves unset.

    Returns
    -------
    nodes, relationships : dict of str to Path
        Label (relationship type) to its file.
    counts : dict of str to int
        Rows written, by kind.
    """
    folder.mkdir(parents=True, exist_ok=True)
    nodes: dict[str, Path] = {}
    rels: dict[str, Path] = {}
    counts: dict[str, int] = {}
    for k in KINDS.values():
        frame = store.frame(k.name)
        if frame.empty:
            continue
        path = folder / f"{k.name}.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(_header(k)) + "\n")
            csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(_rows(k, frame))
        (rels if k.is_relationship else nodes)[k.label] = path
        counts[k.name] = len(frame)
    return nodes, rels, counts


class _Bare:
    """A cell written as is: the csv module leaves a number unquoted, and this "number" prints as its text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __float__(self) -> float:
        return 0.0

    def __str__(self) -> str:
        return self.text


_UNSET = _Bare("")
_BOOL = {True: _Bare("true"), False: _Bare("false")}  # the importer reads lower case only ("True" is false)


def _header(k: Kind) -> list[str]:
    types = k.types
    cols = [f"{f}{_TYPES[types[f]]}" for f in k.fields]
    if k.is_relationship:
        (_, sl), (_, el) = k.endpoints
        return [f":START_ID({sl})", f":END_ID({el})", *cols]
    cols[k.fields.index("id")] = f"id:ID({k.label})"
    return cols


def _rows(k: Kind, frame: pd.DataFrame) -> Iterator[tuple[object, ...]]:
    """The frame's rows in :func:`_header`'s order, unset cells as :data:`_UNSET`."""
    names = list(k.fields)
    if k.is_relationship:
        (sf, _), (ef, _) = k.endpoints
        names = [sf, ef, *names]
    cells = frame[names].astype(object)
    for name, typ in k.types.items():
        if typ == "bool":
            cells[name] = frame[name].map(_BOOL)
    cells = cells.where(frame[names].notna(), _UNSET)
    return cells.itertuples(index=False, name=None)


def admin_import(home: Path, nodes: dict[str, Path], relationships: dict[str, Path], report: Path) -> None:
    """Run ``neo4j-admin database import full --overwrite-destination neo4j`` for the server home ``home``.

    The importer is Neo4j's own (``org.neo4j.cli.AdminTool`` in ``neo4j-command-line``, with
    ``neo4j-import-tool`` beside it in ``neo4j/target/lib``), run with ``NEO4J_HOME=home``: it writes
    ``home/data``, where the launcher's database lives.  The server must be stopped.

    Raises
    ------
    StoreError
        If the importer exits with an error (the tail of its output and its report file are quoted).
    """
    folder = neo4j_server.build()
    cmd = [
        neo4j_server.java(),
        f"-Xmx{neo4j_server.memory().heap}",
        "-cp",
        str(folder / "target" / "lib" / "*"),
        ADMIN_TOOL,
        "database",
        "import",
        "full",
        "neo4j",  # before the file lists, which would take it for one more file
        "--overwrite-destination=true",
        "--multiline-fields=true",
        "--strict=true",
        f"--report-file={report}",
        *(f"--nodes={label}={path}" for label, path in nodes.items()),
        *(f"--relationships={rel_type}={path}" for rel_type, path in relationships.items()),
    ]
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    log.info("importing %d node and %d relationship files into %s", len(nodes), len(relationships), home)
    try:
        done = subprocess.run(
            cmd, env=env, cwd=home, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=IMPORT_TIMEOUT_S
        )
    except subprocess.TimeoutExpired as exc:
        raise StoreError(f"neo4j-admin database import took longer than {IMPORT_TIMEOUT_S:.0f} s") from exc
    if done.returncode != 0:
        tail = "\n".join(((done.stdout or "") + (done.stderr or "")).splitlines()[-25:])
        bad = report.read_text(encoding="utf-8", errors="replace")[:2000] if report.is_file() else ""
        raise StoreError(f"neo4j-admin database import failed (exit code {done.returncode}):\n{tail}\n{bad}".rstrip())
    log.debug("neo4j-admin: %s", done.stdout[-2000:])
