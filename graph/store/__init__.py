"""Stores: one interface (:class:`Store`), an embedded default and Neo4j."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from graph.config import Settings
from graph.errors import StoreError
from graph.store.base import Store, Writer

__all__ = ["Store", "Writer", "open_store", "open_writer", "writer_lock"]


@contextmanager
def writer_lock(settings: Settings, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the one writer's lock of an install (``TIEGRAPH_HOME/write.lock``) for an ingest or an analysis.

    Two writers at once would interleave their snapshots (an ingest replacing a
    file's records while an analysis reads them), so the second waits:
    ``on_wait`` is told who holds the lock, once, before waiting.
    """
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / "write.lock"
    who = settings.home / "write.lock.owner"
    lock = FileLock(path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if on_wait is not None:
            holder = who.read_text(encoding="utf-8").strip() if who.exists() else "another tiegraph command"
            on_wait(f"waiting for {holder} to finish writing to {settings.home}")
        lock.acquire()
    try:
        who.write_text(f"pid {os.getpid()} ({' '.join(sys.argv[1:3]) or 'tiegraph'})\n", encoding="utf-8")
        yield
    finally:
        who.unlink(missing_ok=True)
        lock.release()


def open_store(settings: Settings) -> Store:
    """Open the store the settings name (``embedded`` or ``neo4j``)."""
    if settings.store == "embedded":
        from graph.store.sqlite_store import SqliteStore

        return SqliteStore(settings.sqlite_path)
    if settings.store == "neo4j":
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_username, settings.neo4j_password, settings.neo4j_database)
    raise StoreError(f"TIEGRAPH_STORE must be 'embedded' or 'neo4j', not {settings.store!r}")


def open_writer(settings: Settings) -> Writer:
    """What a run's writer thread writes through: the embedded store's writer process, else a store of its own.

    The embedded store's writes are made by a child process
    (:class:`~graph.store.sqlite_writer.SqliteWriter`: SQLite's work on the second core).
    """
    if settings.store == "embedded":
        from graph.store.sqlite_writer import SqliteWriter

        return SqliteWriter(settings.sqlite_path)
    return open_store(settings)
