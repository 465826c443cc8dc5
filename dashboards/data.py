"""How pages get their data: a :class:`graph.views.Views` per request over a store opened once per process.

Opening a store costs its schema statements (22 for Neo4j) and, for Neo4j, a
driver with its connection pool, so the dashboard keeps its stores: one Neo4j
store per worker (the driver is thread-safe), and a small pool of SQLite
connections (one per concurrent request: a connection runs one transaction at
a time).  Stores are keyed by their settings, so a changed ``TIEGRAPH_HOME``
(a test) opens a new one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from graph.config import Settings
from graph.store import Store, open_store
from graph.views import Views

__all__ = ["request_store", "views"]

_POOLS: dict[tuple[object, ...], queue.SimpleQueue[Store]] = {}
_SHARED: dict[tuple[object, ...], Store] = {}
_LOCK = threading.Lock()


def _key(s: Settings) -> tuple[object, ...]:
    if s.store == "neo4j":
        return ("neo4j", s.neo4j_uri, s.neo4j_username, s.neo4j_database, hash(s.neo4j_password))
    return ("embedded", str(s.sqlite_path))


@contextmanager
def request_store(settings: Settings | None = None) -> Iterator[Store]:
    """The configured store for one request, opened once per process (or taken from the SQLite pool)."""
    settings = settings or Settings.from_env()
    key = _key(settings)
    if settings.store == "neo4j":
        with _LOCK:
            store = _SHARED.get(key)
        if store is None:
            store = open_store(settings)  # outside the lock: an unreachable server must not stall other requests
            with _LOCK:
                store = _SHARED.setdefault(key, store)
        yield store
        return
    with _LOCK:
        pool = _POOLS.setdefault(key, queue.SimpleQueue())
    try:
        store = pool.get_nowait()
    except queue.Empty:
        store = open_store(settings)
    try:
        yield store
    finally:
        pool.put(store)


@contextmanager
def views() -> Iterator[Views]:
    """A fresh :class:`Views` (its frames read once) for one request, as the viewer of that request."""
    from dashboards.auth import current_viewer

    with request_store() as store:
        yield Views(store, current_viewer())
