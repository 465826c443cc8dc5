"""Stores: one interface (:class:`Store`), an embedded default and Neo4j."""

from __future__ import annotations

from graph.config import Settings
from graph.errors import StoreError
from graph.store.base import Store

__all__ = ["Store", "open_store"]


def open_store(settings: Settings) -> Store:
    """Open the store the settings name (``embedded`` or ``neo4j``)."""
    if settings.store == "embedded":
        from graph.store.sqlite_store import SqliteStore

        return SqliteStore(settings.sqlite_path)
    if settings.store == "neo4j":
        from graph.store.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_username, settings.neo4j_password, settings.neo4j_database)
    raise StoreError(f"TIEGRAPH_STORE must be 'embedded' or 'neo4j', not {settings.store!r}")
