"""The local Neo4j server: build, start, Cypher over Bolt, authentication, restart, stop."""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path

import neo4j
import pytest
from neo4j.exceptions import AuthError

from graph.config import ConfigError
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


def test_memory_is_a_share_of_the_machine_within_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIEGRAPH_NEO4J_HEAP", raising=False)
    monkeypatch.delenv("TIEGRAPH_NEO4J_PAGECACHE", raising=False)
    gib = 1 << 30
    # 1/16 of 64 GiB is 4 GiB = 4096 MiB; of 2 GiB it is 128 MiB, below both floors (1 GiB heap, 256 MiB cache);
    # of 512 GiB it is 32 GiB, above both ceilings (8 GiB heap, 16 GiB cache).
    assert neo4j_server.memory(64 * gib) == neo4j_server.Memory("4096m", "4096m")
    assert neo4j_server.memory(2 * gib) == neo4j_server.Memory("1024m", "256m")
    assert neo4j_server.memory(512 * gib) == neo4j_server.Memory("8192m", "16384m")
    monkeypatch.setenv("TIEGRAPH_NEO4J_HEAP", "3G")
    assert neo4j_server.memory(64 * gib) == neo4j_server.Memory("3g", "4096m")
    monkeypatch.setenv("TIEGRAPH_NEO4J_PAGECACHE", "lots")
    with pytest.raises(ConfigError, match="TIEGRAPH_NEO4J_PAGECACHE"):
        neo4j_server.memory(64 * gib)


def test_heap_and_page_cache_overrides_reach_the_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIEGRAPH_NEO4J_HEAP", "700m")
    monkeypatch.setenv("TIEGRAPH_NEO4J_PAGECACHE", "300m")
    home = tmp_path / "neo4j-mem"
    password = "pw-" + secrets.token_hex(8)
    info = neo4j_server.start(home, port=_free_port(), password=password)
    try:
        with neo4j.GraphDatabase.driver(info.uri, auth=("neo4j", password)) as driver:
            settings, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value"
            )
            heap, _, _ = driver.execute_query(
                "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
                "RETURN attributes.HeapMemoryUsage.value.properties.max AS max"
            )
    finally:
        neo4j_server.stop(home)
    assert settings[0]["value"] == "300.00MiB"
    # The JVM's max heap is -Xmx less one survivor space: within 10% below 700 MiB, never above.
    assert 0.9 * 700 * 2**20 <= heap[0]["max"] <= 700 * 2**20
