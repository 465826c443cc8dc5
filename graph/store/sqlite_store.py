"""The embedded default store: one SQLite file, nothing to install.

One table per record kind, one column per field, ``id`` the primary key.
Relationships are rows whose endpoint columns must name stored nodes; the
check runs inside the write transaction, so a refused write leaves no trace.
Table and column names come from the fixed registry in :mod:`graph.model`,
never from input; values are always bound as ``?`` parameters.

Bulk writes: WAL with ``synchronous=NORMAL``, each kind in one transaction as
statements of many rows each (``INSERT ... VALUES (...), (...), ...``,
:data:`ROWS_PER_STATEMENT`), and a page cache large enough (``CACHE_KIB``) that a write of
a million rows does not spill pages to the WAL again and again.  A small table
``_sources`` (kind, file) says which files ever wrote records of each kind, so
re-snapshotting a file (:meth:`Store.replace_source`) scans a table for the
file's earlier records only when there can be some.  Rows are written in id
order (stable: a repeated id's last record wins, as unsorted): ids are hashes,
so unsorted rows land on random pages of the table; measured 680k
interactions into a table of 350k, 15.2 CPU s unsorted, 12.2 s sorted.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import partial
from itertools import chain
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import pandas as pd

from graph.errors import StoreError
from graph.model import KINDS, Kind, Record, RecordRows
from graph.store.base import Store, fields_of, kind_of, typed

__all__ = ["SqliteStore"]

log = logging.getLogger(__name__)

_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}
_CHUNK = 900  # below SQLite's default limit of bound variables per statement
ROWS_PER_STATEMENT = 500
"""Rows bound to one ``INSERT`` (fewer when the row is so wide that they would pass SQLite's limit of bound
variables).  One statement step per row (``executemany``) costs a virtual-machine reset per row and, from a
thread, gives up and takes back the GIL per row; measured 300k contact-log interactions of 15 fields: executemany
3.2-3.5 s, 100-8,000 rows per statement 2.2-2.6 s (flat); in a thread beside a busy one, executemany 585 s (each row
waits for the GIL), 2,184 rows per statement 2.6 s."""
CACHE_KIB = 256 * 1024
"""Page cache of a connection (KiB; SQLite allocates it only as pages are used). The default 2 MiB made a
million-row write spill and rewrite pages: measured 300k interactions 15.3 s with it, 5.3 s with this."""
REBUILD_ROWS = 50_000
"""A write of at least this many rows, and of no fewer than the table holds, drops the table's secondary indexes
and builds them again after its rows (one sort each instead of a B-tree insert per row): measured 677k contact-log
interactions into an empty table, 6.6 CPU s with the indexes kept, 4.8 s rebuilt."""
_SOURCES = "CREATE TABLE IF NOT EXISTS _sources (kind TEXT, file TEXT, PRIMARY KEY (kind, file)) WITHOUT ROWID"


def _ddl(kind: Kind) -> list[str]:
    cols = ", ".join(f"{f} {_SQL_TYPES[t]}{' PRIMARY KEY' if f == 'id' else ''}" for f, t in kind.types.items())
    stmts = [f"CREATE TABLE IF NOT EXISTS {kind.name} ({cols}) WITHOUT ROWID"]
    for end in (kind.start, kind.end):
        if end:
            stmts.append(f"CREATE INDEX IF NOT EXISTS {kind.name}_{end[0]} ON {kind.name}({end[0]})")
    if kind.name == "person":
        stmts += [
            "CREATE INDEX IF NOT EXISTS person_email ON person(email)",
            "CREATE INDEX IF NOT EXISTS person_program_id ON person(program_id)",
            "CREATE INDEX IF NOT EXISTS person_name ON person(name)",
        ]
    if kind.name == "mention":  # a person's mentions (tiegraph mentions, merges and splits)
        stmts.append("CREATE INDEX IF NOT EXISTS mention_person ON mention(person)")
    return stmts


def _upsert_sql(kind: Kind, rows: int) -> str:
    """An upsert of ``rows`` rows: a repeated id's last row wins, as in one statement per row."""
    cols = kind.fields
    updates = ", ".join(f"{c}=excluded.{c}" for c in cols if c != "id")
    return f"INSERT INTO {kind.name} ({', '.join(cols)}) VALUES {_marks(len(cols), rows)} ON CONFLICT(id) DO UPDATE SET {updates}"


def _replace_sql(kind: Kind, rows: int) -> str:
    """``INSERT OR REPLACE`` of ``rows`` rows: a repeated id's last row wins."""
    return f"INSERT OR REPLACE INTO {kind.name} ({', '.join(kind.fields)}) VALUES {_marks(len(kind.fields), rows)}"


def _marks(width: int, rows: int) -> str:
    one = f"({', '.join('?' * width)})"
    return ", ".join([one] * rows)


class SqliteStore(Store):
    """Store backed by a single SQLite file (``TIEGRAPH_HOME/tiegraph.db``).

    Parameters
    ----------
    path : pathlib.Path or str
        The database file; its folder is created.  ``":memory:"`` for a
        throw-away store.
    """

    name = "embedded"

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=10000")
            self._db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
            self._db.execute("PRAGMA temp_store=MEMORY")
            for kind in KINDS.values():
                for stmt in _ddl(kind):
                    self._db.execute(stmt)
            self._sources_table()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the embedded store at {self.path}: {exc}") from exc

    # -- writes -----------------------------------------------------------------------
    def upsert(self, kind: str, records: Sequence[Record]) -> int:
        """Insert or update records; relationships need both endpoints stored.

        :class:`~graph.model.RecordRows` (records held as tuples) are written as they are, no record built.
        """
        k = kind_of(kind)
        if not records:
            return 0
        if isinstance(records, RecordRows) and records.cls is k.cls:
            rows = sorted(records.rows, key=itemgetter(0))  # by id: each B-tree page visited once
            files = set(records.column("file"))
        else:
            row_of = attrgetter(*k.fields)
            rows = sorted((row_of(r) for r in records), key=itemgetter(0))
            files = {r.file for r in records}
        rebuild = len(rows) >= REBUILD_ROWS and len(rows) >= self.count(k.name)
        with self._transaction():
            if k.is_relationship:
                self._check_endpoints(k, records)
            with self._indexes_rebuilt(k.name) if rebuild else nullcontext():
                self._insert(partial(_upsert_sql, k), len(k.fields), rows)
            self._db.executemany("INSERT OR IGNORE INTO _sources VALUES (?, ?)", [(k.name, f) for f in files])
        log.debug("upserted %d %s", len(rows), kind)
        return len(rows)

    def _insert(self, sql_of: Callable[[int], str], width: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Run ``sql_of(n)`` (an insert of ``n`` rows of ``width`` values) over ``rows``, in order, many rows a statement.

        Full statements of :data:`ROWS_PER_STATEMENT` rows (one prepared
        statement, from the connection's cache), then one for the rest.
        """
        per = max(1, min(ROWS_PER_STATEMENT, self._db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
        full = len(rows) - len(rows) % per
        if full:
            sql = sql_of(per)
            for i in range(0, full, per):
                self._db.execute(sql, list(chain.from_iterable(rows[i : i + per])))
        if full < len(rows):
            self._db.execute(sql_of(len(rows) - full), list(chain.from_iterable(rows[full:])))

    def _check_endpoints(self, k: Kind, records: Sequence[Record]) -> None:
        """Refuse the write when an endpoint names no stored node.

        The wanted ids go in as one JSON array (``json_each``): one statement
        instead of a temporary table filled row by row (measured: 100k ids
        against 120k people, 0.21 s through the table, 0.075 s as JSON).
        """
        for field, label in k.endpoints:
            table = next(x.name for x in KINDS.values() if x.label == label and not x.is_relationship)
            wanted = (
                set(records.column(field)) if isinstance(records, RecordRows) else {getattr(r, field) for r in records}
            )
            missing = [
                r[0]
                for r in self._db.execute(
                    f"SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM {table}) ORDER BY value LIMIT 5",
                    (json.dumps([w for w in wanted if w is not None]),),  # a NULL endpoint is no id: never missing
                )
            ]
            if missing:
                raise StoreError(
                    f"{k.name}: {field} refers to {label} that does not exist: {', '.join(map(str, missing))}"
                )

    @contextmanager
    def _indexes_rebuilt(self, table: str) -> Iterator[None]:
        """Inside a transaction: the table's secondary indexes dropped, and built again after what is written inside.

        One sort per index instead of a B-tree insert per row (see
        :data:`REBUILD_ROWS`); SQLite's DDL is transactional, so a write that
        fails inside rolls back with the indexes in place.
        """
        indexes = self._db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (table,)
        ).fetchall()
        for name, _ in indexes:
            self._db.execute(f'DROP INDEX "{name}"')
        yield
        for _, sql in indexes:
            self._db.execute(sql)

    def replace_computed(self, kind: str, records: Sequence[Record], computed_at: str) -> int:
        """One run's computed records replace the kind's, in one transaction: delete all, insert, then index.

        Equal to upsert then :meth:`delete_stale`; the table's indexes are
        dropped and built again after the insert (one sort each instead of 2M
        random inserts): 2,065,176 ties 28 -> 14 CPU s.  A refused write
        (an endpoint missing) leaves the previous run's records.
        """
        k = kind_of(kind)
        if "computed_at" not in k.fields:
            raise StoreError(f"{kind} is not a computed kind")
        row_of, stamp = attrgetter(*k.fields), k.fields.index("computed_at")
        rows = sorted((row_of(r) for r in records), key=itemgetter(0))
        kept = [r for r in rows if r[stamp] == computed_at]  # another run's stamp: deleted as stale
        with self._transaction():
            if k.is_relationship and records:
                self._check_endpoints(k, records)
            with self._indexes_rebuilt(k.name):
                self._db.execute(f"DELETE FROM {k.name}")
                self._insert(partial(_replace_sql, k), len(k.fields), kept)
            self._db.executemany(
                "INSERT OR IGNORE INTO _sources VALUES (?, ?)", [(k.name, f) for f in {r.file for r in records}]
            )
        return len(rows)

    def delete(self, kind: str, ids: Sequence[str]) -> int:
        """Delete by id."""
        k = kind_of(kind)
        n = 0
        with self._transaction():
            for i in range(0, len(ids), _CHUNK):
                chunk = list(ids[i : i + _CHUNK])
                marks = ",".join("?" * len(chunk))
                n += self._db.execute(f"DELETE FROM {k.name} WHERE id IN ({marks})", chunk).rowcount
        return n

    def delete_stale(self, kind: str, computed_at: str) -> int:
        """Delete computed records whose ``computed_at`` differs from the given run's."""
        k = kind_of(kind)
        if "computed_at" not in k.fields:
            raise StoreError(f"{kind} is not a computed kind")
        with self._transaction():
            return self._db.execute(f"DELETE FROM {k.name} WHERE computed_at <> ?", (computed_at,)).rowcount

    def clear(self) -> None:
        """Remove every record of every kind."""
        with self._transaction():
            for k in KINDS.values():
                self._db.execute(f"DELETE FROM {k.name}")
            self._db.execute("DELETE FROM _sources")

    # -- reads ------------------------------------------------------------------------
    def ids_of_source(self, kind: str, file: str) -> set[str]:
        """The ids of the records of one kind that ``file`` wrote; no table scan when it never wrote any."""
        k = kind_of(kind)
        if self._db.execute("SELECT 1 FROM _sources WHERE kind = ? AND file = ?", (k.name, file)).fetchone() is None:
            return set()
        return {r[0] for r in self._db.execute(f"SELECT id FROM {k.name} WHERE file = ?", (file,))}

    def rows(self, kind: str) -> list[dict[str, Any]]:
        """All rows of one kind."""
        k = kind_of(kind)
        return self._query(f"SELECT * FROM {k.name}", ())

    def frame(self, kind: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All records of one kind as a typed frame sorted by id (the table's key order: no sort); ``columns`` only.

        Read as tuples straight into the frame (no dict per row): 1M interactions
        8.9 -> 5.4 CPU s, 2.2 s for the eleven fields tie scoring reads.
        """
        k = kind_of(kind)
        names = fields_of(k, columns)
        cur = self._db.execute(f"SELECT {', '.join(names)} FROM {k.name} ORDER BY id")
        return typed(k, pd.DataFrame(cur.fetchall(), columns=names))

    def get_rows(self, kind: str, field: str, values: Sequence[Any]) -> list[dict[str, Any]]:
        """Rows whose ``field`` is one of ``values``."""
        k = kind_of(kind)
        if field not in k.fields:
            raise StoreError(f"{kind} has no field {field!r}")
        out: list[dict[str, Any]] = []
        for i in range(0, len(values), _CHUNK):
            chunk = list(values[i : i + _CHUNK])
            marks = ",".join("?" * len(chunk))
            out += self._query(f"SELECT * FROM {k.name} WHERE {field} IN ({marks})", chunk)
        return out

    def count(self, kind: str) -> int:
        """Rows of one kind."""
        k = kind_of(kind)
        return int(self._db.execute(f"SELECT count(*) FROM {k.name}").fetchone()[0])

    def ping(self) -> None:
        """The file is open and readable."""
        try:
            self._db.execute("SELECT 1").fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"embedded store at {self.path} is not readable: {exc}") from exc

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- helpers ----------------------------------------------------------------------
    def _sources_table(self) -> None:
        """Create ``_sources``; a store written before it had one gets it filled from its records."""
        if self._db.execute("SELECT 1 FROM sqlite_master WHERE name = '_sources'").fetchone():
            return
        with self._transaction():
            self._db.execute(_SOURCES)
            for k in KINDS.values():
                if "file" in k.fields:
                    self._db.execute(
                        f"INSERT OR IGNORE INTO _sources SELECT DISTINCT ?, file FROM {k.name} WHERE file IS NOT NULL",
                        (k.name,),
                    )

    def _query(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cur = self._db.execute(sql, params)
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def _transaction(self) -> _Tx:
        return _Tx(self._db)


class _Tx:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise StoreError(f"embedded store write failed: {exc}") from exc
