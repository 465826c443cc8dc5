"""Faults: the Neo4j server killed mid-ingest, a store that is down, secrets kept out of messages."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import neo4j
import pytest

from graph.config import Settings
from graph.errors import StoreError
from graph.resolution.resolver import Resolver
from graph.sources.batch import WRITE_ORDER
from graph.sources.folder import read_any
from graph.store.neo4j_store import Neo4jStore
from graph.store.sqlite_store import SqliteStore
from pipelines import neo4j_server
from tools.sample import generate, write_sample

ROOT = Path(__file__).resolve().parents[1]
TIEGRAPH = [sys.executable, "-m", "pipelines.cli"]
VOLATILE = ["ingested_at"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def contacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gen")
    write_sample(generate(11, 1.0), folder, formats={"contacts"})
    return folder / "contacts_2026.csv"


def _env(home: Path, uri: str, password: str) -> dict[str, str]:
    return {
        **os.environ,
        "TIEGRAPH_HOME": str(home),
        "TIEGRAPH_STORE": "neo4j",
        "NEO4J_URI": uri,
        "NEO4J_PASSWORD": password,
        "TIEGRAPH_RETRY_DELAYS": "0.5,0.5",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
    }


def _frames(store) -> dict[str, object]:  # noqa: ANN001
    return {k: store.frame(k).drop(columns=VOLATILE) for k in ("person", "interaction")}


def test_kill_neo4j_mid_ingest_then_rerun_gives_the_clean_graph(tmp_path: Path, contacts: Path) -> None:
    server_home, port, password = tmp_path / "neo4j", _free_port(), "pw-" + secrets.token_hex(8)
    info = neo4j_server.start(server_home, port=port, password=password)
    env = _env(tmp_path / "home", info.uri, password)
    cmd = [*TIEGRAPH, "ingest", "contacts", str(contacts)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        with neo4j.GraphDatabase.driver(info.uri, auth=("neo4j", password), notifications_min_severity="OFF") as driver:
            deadline, seen = time.monotonic() + 240, 0
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    seen = driver.execute_query("MATCH (:Person) RETURN count(*) AS n").records[0]["n"]
                except neo4j.exceptions.Neo4jError:
                    seen = 0
                if seen > 0:
                    break
                time.sleep(0.05)
        assert seen > 0, "the ingest never started writing"
        os.kill(info.pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 1, out + err
    assert "error:" in err and "Neo4j" in err and "Traceback" not in err
    assert password not in out + err

    info = neo4j_server.start(server_home, port=port, password=password)  # restarts on the same data
    try:
        rerun = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        with Neo4jStore(info.uri, "neo4j", password) as store:
            after_kill = _frames(store)
            counts = store.counts()
    finally:
        neo4j_server.stop(server_home)
    with SqliteStore(tmp_path / "clean.db") as store:  # the oracle: one clean run, in process
        from graph.resolution.run import MentionRecorder

        recorder, resolver = MentionRecorder([]), Resolver([])  # the run resolved at once, as ingest does
        read_any(contacts, "contacts", recorder, ingested_at="clean")
        resolver.resolve_all(recorder.asked)
        batch = read_any(contacts, "contacts", resolver, ingested_at="clean")
        for kind in WRITE_ORDER:
            store.upsert(kind, batch.of_kind(kind))
        want = _frames(store)
    assert counts["interaction"] == len(want["interaction"]) > 5_000
    for kind, frame in want.items():
        assert after_kill[kind].equals(frame), kind


def test_unreachable_store_is_one_clear_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "super-secret-value")
    with pytest.raises(StoreError) as exc:
        Neo4jStore("bolt://127.0.0.1:1", "neo4j", "super-secret-value")
    assert "not reachable" in str(exc.value) and "super-secret-value" not in str(exc.value)


def test_wrong_password_error_hides_the_password(neo4j_server_info: tuple[str, str]) -> None:
    uri, _ = neo4j_server_info
    with pytest.raises(StoreError) as exc:
        Neo4jStore(uri, "neo4j", "definitely-wrong-pw")
    assert "refused the credentials" in str(exc.value) and "definitely-wrong-pw" not in str(exc.value)


def test_settings_never_show_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2-hunter2")
    s = Settings.from_env()
    assert s.neo4j_password == "hunter2-hunter2" and "hunter2" not in repr(s) and "hunter2" not in str(s)


def test_cli_reports_a_down_store_without_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TIEGRAPH_STORE": "neo4j",
        "NEO4J_URI": "bolt://127.0.0.1:1",
        "NEO4J_PASSWORD": "pw-secret-1234",
        "TIEGRAPH_HOME": str(tmp_path),
    }
    r = subprocess.run([*TIEGRAPH, "status"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "not reachable" in r.stderr
    assert "Traceback" not in r.stderr + r.stdout and "pw-secret-1234" not in r.stderr + r.stdout


def test_kill_an_embedded_ingest_half_way_then_rerun(
    tmp_path: Path, prefect_harness: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil
    import sqlite3

    from pipelines.ingest_flow import ingest_path

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("roster.csv", "mentorship.csv", "contacts_2025.csv", "contacts_2026.csv"):
        shutil.copy(ROOT / "data" / "sample" / name, folder / name)
    home = tmp_path / "home"
    env = {**os.environ, "TIEGRAPH_HOME": str(home), "TIEGRAPH_STORE": "embedded"}
    cmd = [*TIEGRAPH, "ingest", str(folder)]
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )  # its own group: the kill takes Prefect's server along
    db, done = home / "tiegraph.db", 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None and done == 0:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=0.1) as con:
                    done = con.execute("SELECT count(*) FROM ingest").fetchone()[0]
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    with SqliteStore(db) as store:
        partial = store.count("ingest")
    assert partial >= 1 and partial < 4, "the kill must land half way through the folder"
    rerun = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr

    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "clean"))
    monkeypatch.setenv("TIEGRAPH_STORE", "embedded")
    ingest_path(folder)
    with SqliteStore(db) as got, SqliteStore(tmp_path / "clean" / "tiegraph.db") as want:
        for kind in ("person", "interaction", "mentorship", "affiliation", "program", "institution"):
            assert got.frame(kind).drop(columns=VOLATILE).equals(want.frame(kind).drop(columns=VOLATILE)), kind
        assert got.count("ingest") == want.count("ingest") == 4
