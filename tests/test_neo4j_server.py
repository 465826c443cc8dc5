"""The local Neo4j server: build, start, Cypher over Bolt, authentication, restart, stop."""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from pipelines import neo4j_server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_local_server_lifecycle(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    port = _free_port()
    password = "pw-" + secrets.token_hex(8)

    info = neo4j_server.start(home, port=port, password=password)
    try:
        assert info.uri == f"bolt://127.0.0.1:{port}"
        assert (home / "data").is_dir()
        assert (home / "neo4j.pid").read_text().strip() == str(info.pid)
        assert neo4j_server.status(home, port=port) == info
        assert neo4j_server.start(home, port=port, password=password) == info  # already running

        with neo4j.GraphDatabase.driver(info.uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("CREATE (n:T {x: $x}) RETURN n.x AS x", x=42)
            assert [r["x"] for r in records] == [42]

        wrong = ("neo4j", "not-" + password)
        with neo4j.GraphDatabase.driver(info.uri, auth=wrong) as driver, pytest.raises(AuthError):
            driver.verify_connectivity()
        assert password not in (home / "neo4j.log").read_text()
    finally:
        stopped = neo4j_server.stop(home)
    assert stopped
    assert _gone(info.pid)
    assert not (home / "neo4j.pid").exists()
    assert neo4j_server.status(home, port=port) is None
    assert neo4j_server.stop(home) is False

    # A second start keeps the data and the password of the first.
    again = neo4j_server.start(home, port=port, password=password)
    try:
        with neo4j.GraphDatabase.driver(again.uri, auth=("neo4j", password)) as driver:
            records, _, _ = driver.execute_query("MATCH (n:T) RETURN n.x AS x")
            assert [r["x"] for r in records] == [42]
    finally:
        assert neo4j_server.stop(home)
    assert _gone(again.pid)
