"""The production store: Neo4j 5 through the official driver.

Nodes carry their kind's label, relationships their type; every record's
fields are properties.  Writes are managed transactions
(``session.execute_write``, retried by the driver on transient faults) of
``UNWIND $rows`` batches that read which ids exist and CREATE the others, so a
retry never duplicates.  Uniqueness
constraints on every ``id`` are created on connect.  The URI decides the
deployment: ``bolt://`` or ``neo4j://`` for one server, ``neo4j+s://`` for
Aura or a cluster; nothing else changes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import neo4j
import pandas as pd
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ConstraintError, Neo4jError, ServiceUnavailable, SessionExpired

from graph.errors import StoreError
from graph.model import KINDS, Kind, Record
from graph.store import cypher
from graph.store.base import Store, fields_of, kind_of, typed

__all__ = ["Neo4jStore"]

log = logging.getLogger(__name__)

BATCH = 5000
DELETE_BATCH = 20_000
READ_PAGE = 20_000
_UNREACHABLE = (ServiceUnavailable, SessionExpired, OSError)
T = TypeVar("T")


class Neo4jStore(Store):
    """Store on a Neo4j 5 server, cluster or Aura instance.

    Parameters
    ----------
    uri : str
        ``bolt://host:7687``, ``neo4j://…`` or ``neo4j+s://…``.
    username, password : str
        Credentials; the password never appears in messages.
    database : str, default "neo4j"
        The database to use.
    """

    name = "neo4j"

    def __init__(
        self,
        uri: str,
        username: str,
        password: str,
        database: str = "neo4j",
        *,
        bookmarks: neo4j.BookmarkManager | None = None,
        schema: bool = True,
    ) -> None:
        self.uri = uri
        self.database = database
        self._auth = (username, password)
        self._bookmarks = bookmarks or GraphDatabase.bookmark_manager()
        try:
            self._driver = GraphDatabase.driver(
                uri, auth=(username, password), max_connection_pool_size=8, notifications_min_severity="OFF"
            )
            self._driver.verify_connectivity()
            if schema:
                with self._session() as s:
                    for stmt in cypher.SCHEMA:
                        s.run(stmt).consume()
        except AuthError as exc:
            raise StoreError(f"Neo4j at {uri} refused the credentials of user {username!r}") from exc
        except _UNREACHABLE as exc:
            raise StoreError(f"Neo4j at {uri} is not reachable ({type(exc).__name__}); is it running?") from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j at {uri} refused the schema: {exc.message}") from exc

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self.database, bookmark_manager=self._bookmarks)

    def member(self, uri: str) -> Neo4jStore:
        """The same database through another server of the cluster (``bolt://`` to one member, e.g. the GDS secondary).

        Its sessions share this store's bookmark manager, so a read there waits
        until that member has caught up with this store's writes (causal
        consistency across the two drivers); it creates no schema (a secondary
        takes no writes).
        """
        return Neo4jStore(uri, *self._auth, self.database, bookmarks=self._bookmarks, schema=False)

    def _write(self, query: str, **params: Any) -> int:
        def work(tx: neo4j.ManagedTransaction) -> int:
            return int(tx.run(query, **params).single(strict=True)["n"])

        try:
            with self._session() as s:
                return s.execute_write(work)
        except _UNREACHABLE as exc:
            raise StoreError(f"Neo4j at {self.uri} went away during a write ({type(exc).__name__})") from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused a write: {exc.message}") from exc

    def _read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self._read_with(lambda tx: [r.data() for r in tx.run(query, **params)])

    def _read_with(self, work: Callable[[neo4j.ManagedTransaction], T]) -> T:
        try:
            with self._session() as s:
                return s.execute_read(work)
        except _UNREACHABLE as exc:
            raise StoreError(f"Neo4j at {self.uri} is not reachable ({type(exc).__name__})") from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused a read: {exc.message}") from exc

    # -- writes -----------------------------------------------------------------------
    def upsert(self, kind: str, records: Sequence[Record]) -> int:
        """Write records in batches of :data:`BATCH`, new ones CREATEd; refuse relationships to missing nodes.

        Each batch is one transaction: which of its ids are stored (one index
        read, :data:`graph.store.cypher.EXISTING`), then ``CREATE`` for the new
        records, an update by id for the stored ones, and for a stored
        relationship whose endpoints changed (an edited input row) a delete
        and a ``CREATE`` between its new endpoints.  Of records sharing an id
        the last one is written.  Rows are made a batch at a time (2M ties of
        a 100k-person analyze as rows at once: about 1 GB more, 470 bytes a row).
        """
        k = kind_of(kind)
        last = {r.id: i for i, r in enumerate(records)}  # first position, last record: as a dict of rows would
        order: Sequence[int] = range(len(records)) if len(last) == len(records) else list(last.values())
        del last
        for i in range(0, len(order), BATCH):
            batch = [k.to_row(records[j]) for j in order[i : i + BATCH]]
            n = self._write_batch(k, batch)
            if n != len(batch):
                raise StoreError(f"{k.name}: {self._missing_endpoints(k.name, batch)}")
        log.debug("upserted %d %s", len(order), kind)
        return len(records)

    def _write_batch(self, k: Kind, rows: list[dict[str, Any]]) -> int:
        def work(tx: neo4j.ManagedTransaction) -> int:
            found = {r["id"]: r for r in tx.run(cypher.EXISTING[k.name], ids=[row["id"] for row in rows])}
            moved: list[str] = []
            if k.is_relationship and found:
                (sf, _), (ef, _) = k.endpoints
                moved = [
                    row["id"]
                    for row in rows
                    if row["id"] in found and (found[row["id"]]["start"], found[row["id"]]["end"]) != (row[sf], row[ef])
                ]
                if moved:
                    tx.run(cypher.MOVE[k.name], ids=moved).consume()
                    for i in moved:
                        del found[i]
            new = [row for row in rows if row["id"] not in found]
            stored = [row for row in rows if row["id"] in found] if found else []
            n = 0
            for query, part in ((cypher.NEW[k.name], new), (cypher.UPDATE[k.name], stored)):
                if part:
                    n += int(tx.run(query, rows=part).single(strict=True)["n"])
            if n != len(rows):
                raise _Incomplete(n)  # rolls the batch back
            return n

        for attempt in (1, 2):
            try:
                with self._session() as s:
                    return s.execute_write(work)
            except _Incomplete as short:
                return short.n
            except ConstraintError as exc:  # another writer created one of these ids since the read: read again
                if attempt == 2:
                    raise StoreError(f"Neo4j refused a write of {k.name}: {exc.message}") from exc
                log.info("a %s batch raced another writer; writing it again", k.name)
            except _UNREACHABLE as exc:
                raise StoreError(f"Neo4j at {self.uri} went away during a write ({type(exc).__name__})") from exc
            except Neo4jError as exc:
                raise StoreError(f"Neo4j refused a write of {k.name}: {exc.message}") from exc
        raise AssertionError("unreachable")

    def _missing_endpoints(self, kind: str, rows: list[dict[str, Any]]) -> str:
        k = kind_of(kind)
        for field, label in k.endpoints:
            node_kind = next(n for n, x in KINDS.items() if x.label == label and not x.is_relationship)
            wanted = sorted({r[field] for r in rows})
            found = {r["p"]["id"] for r in self._read(cypher.READ_BY_ID[node_kind], values=wanted)}
            missing = [w for w in wanted if w not in found]
            if missing:
                return f"{field} refers to {label} that does not exist: {', '.join(map(str, missing[:5]))}"
        return "some rows were not written"

    def delete(self, kind: str, ids: Sequence[str]) -> int:
        """Delete by id (nodes with their relationships)."""
        return self._write(cypher.DELETE_BY_ID[kind_of(kind).name], ids=list(ids))

    def delete_stale(self, kind: str, computed_at: str) -> int:
        """Delete records of other runs (stamped before or after ``computed_at``), a batch at a time."""
        k = kind_of(kind)
        if k.name not in cypher.DELETE_STALE:
            raise StoreError(f"{kind} is not a computed kind")
        total = 0
        for query in cypher.DELETE_STALE[k.name]:
            while n := self._write(query, computed_at=computed_at, limit=DELETE_BATCH):
                total += n
        return total

    def clear(self) -> None:
        """Delete every node and relationship, a batch at a time."""
        while self._write(cypher.WIPE_BATCH, limit=BATCH):
            pass

    # -- reads ------------------------------------------------------------------------
    def rows(self, kind: str) -> list[dict[str, Any]]:
        """All records of one kind."""
        return [r["p"] for r in self._read(cypher.READ_ALL[kind_of(kind).name])]

    def frame(self, kind: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """All records of one kind as a typed frame sorted by id, only the fields ``columns`` when given.

        Read in one transaction, a page of :data:`READ_PAGE` records at a time
        in id order (:func:`graph.store.cypher.read_columns`), each page one
        list of lists: the frame the base class builds from :meth:`rows`,
        without a property map and a driver record per row.
        """
        k = kind_of(kind)
        names = fields_of(k, columns)
        wanted = sorted({*names, "id"}, key=list(k.fields).index)  # id is every kind's first field
        query = cypher.read_columns(k, wanted)

        def work(tx: neo4j.ManagedTransaction) -> list[list[Any]]:
            values: list[list[Any]] = []
            after = ""
            while page := tx.run(query, after=after, limit=READ_PAGE).single(strict=True)["rows"]:
                values += page
                after = page[-1][0]
            return values

        df = typed(k, pd.DataFrame.from_records(self._read_with(work), columns=wanted))
        df = df.sort_values("id", kind="stable").reset_index(drop=True)
        return df if wanted == names else df[names]

    def get_rows(self, kind: str, field: str, values: Sequence[Any]) -> list[dict[str, Any]]:
        """Records whose ``field`` is one of ``values``."""
        k = kind_of(kind)
        if field not in k.fields:
            raise StoreError(f"{kind} has no field {field!r}")
        query = cypher.READ_BY_ID[k.name] if field == "id" else cypher.READ_WHERE[k.name][field]
        return [r["p"] for r in self._read(query, values=list(values))]

    def ids_of_source(self, kind: str, file: str) -> set[str]:
        """The ids of the records of one kind whose ``file`` provenance is ``file``: the ids only, as one list."""
        return set(self._read(cypher.IDS_OF_FILE[kind_of(kind).name], file=file)[0]["ids"])

    def count(self, kind: str) -> int:
        """Records of one kind."""
        return int(self._read(cypher.COUNT[kind_of(kind).name])[0]["n"])

    def query(self, statement: str, **params: Any) -> list[dict[str, Any]]:
        """Run one read-only statement of :mod:`graph.store.cypher` (Graph Data Science calls) and return its rows."""
        return self._read(statement, **params)

    def ping(self) -> None:
        """One round trip to the server."""
        self._read(cypher.PING)

    def close(self) -> None:
        """Close the driver's connection pool."""
        self._driver.close()


class _Incomplete(Exception):  # noqa: N818 - internal control flow, never escapes
    def __init__(self, n: int) -> None:
        self.n = n
