"""Shared fixtures: both stores (a real Neo4j server for one), Prefect's test harness, small data."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

from graph.store import (
    Store,  # noqa: E402
    neo4j_server,  # noqa: E402
)
from graph.store.neo4j_store import Neo4jStore  # noqa: E402
from graph.store.sqlite_store import SqliteStore  # noqa: E402

DATA = Path(__file__).parent / "data"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
STORES = ["sqlite", "neo4j"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def neo4j_server_info(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A real Neo4j 5 server: NEO4J_URI/NEO4J_PASSWORD if given, else one started here.

    It is never skipped: if it cannot start, every Neo4j test fails with the reason.
    """
    uri, password = os.environ.get("TIEGRAPH_TEST_NEO4J_URI"), os.environ.get("NEO4J_PASSWORD")
    if uri and password:
        yield uri, password
        return
    home = tmp_path_factory.mktemp("neo4j")
    password = "test-" + secrets.token_hex(8)
    info = neo4j_server.start(home, port=_free_port(), password=password)
    try:
        yield info.uri, password
    finally:
        neo4j_server.stop(home)


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server_info: tuple[str, str]) -> Iterator[Neo4jStore]:
    uri, password = neo4j_server_info
    store = Neo4jStore(uri, "neo4j", password)
    yield store
    store.close()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each store in turn, empty."""
    if request.param == "sqlite":
        s = SqliteStore(tmp_path / "tiegraph.db")
        yield s
        s.close()
    else:
        s = request.getfixturevalue("neo4j_session_store")
        s.clear()
        yield s


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh TIEGRAPH_HOME (embedded store, quarantine, aliases)."""
    h = tmp_path / "home"
    monkeypatch.setenv("TIEGRAPH_HOME", str(h))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    return h


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """Prefect flows run for real against a temporary local server."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
