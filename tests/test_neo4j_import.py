"""`tiegraph neo4j import`: the bulk path gives the graph the transactional ingest gives, on a real server of its own."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path

import neo4j
import pandas as pd
import pytest
from neo4j.exceptions import ConstraintError

from graph.config import Settings
from graph.model import KINDS, Interaction, Person
from graph.store.neo4j_store import Neo4jStore
from pipelines import neo4j_server
from pipelines.neo4j_import import import_folder

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
CLOCK = ("ingested_at", "finished_at")
"""Fields holding the time of the run that wrote a record: two runs differ there and nowhere else."""

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _frames(uri: str, password: str) -> dict[str, pd.DataFrame]:
    with Neo4jStore(uri, "neo4j", password) as s:
        return {k: s.frame(k).drop(columns=[c for c in CLOCK if c in KINDS[k].fields]) for k in KINDS}


def test_import_gives_the_frames_of_the_transactional_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    from pipelines.ingest_flow import ingest_path
    from pipelines.ingest_plan import plan_ingest

    password = "imp-" + secrets.token_hex(8)
    port = _free_port()
    server_home = tmp_path / "neo4j"
    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    info = neo4j_server.start(server_home, port=port, password=password)
    try:
        monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
        monkeypatch.setenv("NEO4J_URI", info.uri)
        ingest_path(SAMPLE)
        transactional = _frames(info.uri, password)

        report = import_folder(SAMPLE, Settings.from_env(), port=port, neo4j_home=server_home)
        imported = _frames(report.uri, password)

        with neo4j.GraphDatabase.driver(report.uri, auth=("neo4j", password)) as driver:
            some = imported["person"]["id"].iloc[0]
            with pytest.raises(ConstraintError):  # the id constraints are back
                driver.execute_query("CREATE (:Person {id: $id})", id=some)
        with Neo4jStore(report.uri, "neo4j", password) as store:
            assert not plan_ingest(store, SAMPLE, None, None, None).pending  # ingest records came along
            people = store.count("person")
            store.upsert("person", [Person(id=some, name="Renamed")])
            assert store.count("person") == people
            assert store.get("person", some).name == "Renamed"  # type: ignore[attr-defined]
            link = imported["interaction"].iloc[0]
            store.upsert("interaction", [Interaction(id=link["id"], a=link["b"], b=link["a"], date=link["date"])])
            assert store.count("interaction") == len(imported["interaction"])
    finally:
        neo4j_server.stop(server_home)

    assert report.errors == []
    # Every kind of the sample folder lands (an empty comparison would prove nothing).
    for kind in ("person", "institution", "program", "publication", "interaction", "affiliation", "authorship"):
        assert len(transactional[kind]) > 0, kind
    assert report.counts == {k: len(f) for k, f in transactional.items() if len(f)}
    for kind in KINDS:
        pd.testing.assert_frame_equal(imported[kind], transactional[kind], obj=kind)
