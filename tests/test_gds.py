"""Centrality in Neo4j Graph Data Science (graph.store.gds) on the real local server, against networkx."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr
from typer.testing import CliRunner

from graph.analytics.centrality import centrality
from graph.errors import InputError, StoreError
from graph.model import Institution, Person, Tie, stable_id
from graph.store.gds import gds_centrality, gds_version, gds_warm_up
from graph.store.neo4j_store import Neo4jStore
from graph.store.sqlite_store import SqliteStore
from tests.conftest import DATA, REALDATA

NETSCIENCE = REALDATA / "coauthorship" / "netscience.gml"
RUN = "2026-12-02T00:00:00+00:00"
LONERS = ["loner-1", "loner-2", "loner-3"]


def netscience() -> nx.Graph:
    """The network-science co-authorship network (Newman 2006), strength = weight / max weight, plus 3 isolated people."""
    G = nx.read_gml(NETSCIENCE, label="label")
    top = max(d["value"] for _, _, d in G.edges(data=True))
    for _, _, d in G.edges(data=True):
        d["strength"] = d["value"] / top
        d["distance"] = max(-math.log(d["strength"]), 1e-9)
    G.add_nodes_from(LONERS)
    return G


def frame(G: nx.Graph) -> pd.DataFrame:
    return pd.DataFrame([(u, v, d["strength"]) for u, v, d in G.edges(data=True)], columns=["a", "b", "strength"])


def load(store: Neo4jStore, G: nx.Graph, computed_at: str = RUN) -> None:
    """G's people and ties into the store, as analyze writes them."""
    store.upsert("person", [Person(id=str(p), name=str(p)) for p in G])
    ties = [
        Tie(id=stable_id("tie", u, v), a=str(u), b=str(v), strength=d["strength"], computed_at=computed_at)
        for u, v, d in G.edges(data=True)
    ]
    store.upsert("tie", ties)


@pytest.fixture(scope="module")
def science(neo4j_session_store: Neo4jStore) -> Iterator[tuple[nx.Graph, pd.DataFrame]]:
    """netscience in the test server and GDS's centrality of it (exact: 1,592 people < 2,000)."""
    G = netscience()
    neo4j_session_store.clear()
    load(neo4j_session_store, G)
    table = gds_centrality(neo4j_session_store, frame(G), list(G), computed_at=RUN)
    yield G, table.set_index("person")
    neo4j_session_store.clear()


def test_gds_answers_on_the_test_server_and_not_elsewhere(neo4j_session_store: Neo4jStore, tmp_path: Path) -> None:
    assert gds_version(neo4j_session_store) == "2.13.9"
    with SqliteStore(tmp_path / "t.db") as lite:
        assert gds_version(lite) is None
        with pytest.raises(StoreError, match="Graph Data Science does not answer"):
            gds_centrality(lite, pd.DataFrame({"a": ["x"], "b": ["y"], "strength": [0.5]}), computed_at=RUN)


def test_pagerank_ranks_as_networkx(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    oracle = pd.Series(nx.pagerank(G, weight="strength", tol=1e-12, max_iter=1000))
    rho = spearmanr(table["pagerank"], oracle.reindex(table.index)).statistic
    assert rho >= 0.99
    assert table["pagerank"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(table["pagerank"], oracle.reindex(table.index), rtol=1e-4, atol=1e-9)


def test_degree_and_weighted_degree_equal_networkx(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    assert table["degree"].to_dict() == dict(G.degree())
    np.testing.assert_allclose(table["weighted_degree"], pd.Series(dict(G.degree(weight="strength")))[table.index])


def test_components_equal_networkx(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    ours = {frozenset(group.index) for _, group in table.groupby("component")}
    assert ours == {frozenset(c) for c in nx.connected_components(G)}
    assert len(ours) == 399  # 396 components of netscience and the 3 loners


def test_louvain_modularity_within_002_of_networkx(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    ours = [set(group.index) for _, group in table.groupby("community")]
    q_gds = nx.community.modularity(G, ours, weight="strength")
    q_nx = nx.community.modularity(G, nx.community.louvain_communities(G, weight="strength", seed=0), weight="strength")
    assert q_gds >= q_nx - 0.02
    assert table["community"].value_counts().is_monotonic_decreasing  # numbered by size, as the Python path


def test_exact_betweenness_ranks_as_networkx(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    oracle = pd.Series(nx.betweenness_centrality(G, weight="distance"))[table.index]
    assert spearmanr(table["betweenness"], oracle).statistic >= 0.99
    np.testing.assert_allclose(table["betweenness"].max(), oracle.max(), rtol=1e-6)


def test_sampled_betweenness_finds_the_brokers(
    neo4j_session_store: Neo4jStore, science: tuple[nx.Graph, pd.DataFrame]
) -> None:
    """Above exact_below GDS samples 256 degree-biased sources; measured here: Spearman 0.84-0.85, top-20 17-19 of 20."""
    G, _ = science
    neo4j_session_store.clear()  # as the fixture left it, whatever ran in between
    load(neo4j_session_store, G)
    sampled = gds_centrality(
        neo4j_session_store, frame(G), list(G), computed_at=RUN, exact_below=100, samples=256, seed=1
    )
    sampled = sampled.set_index("person")["betweenness"]
    exact = pd.Series(nx.betweenness_centrality(G, weight="distance"))[sampled.index]
    assert spearmanr(sampled, exact).statistic >= 0.8
    assert len(set(sampled.nlargest(20).index) & set(exact.nlargest(20).index)) >= 15


def test_both_engines_sample_as_many_sources_by_default() -> None:
    import inspect

    from graph.analytics.centrality import SAMPLES

    for fn in (gds_centrality, centrality):
        assert inspect.signature(fn).parameters["samples"].default == SAMPLES, fn


def test_the_frame_is_the_python_paths(science: tuple[nx.Graph, pd.DataFrame]) -> None:
    G, table = science
    python = centrality(frame(G), list(G)).set_index("person")
    assert list(table.index) == list(python.index)
    assert set(python.columns) <= set(table.columns)
    for col in ("closeness", "burt_constraint", "effective_size"):  # computed by the Python path in both
        np.testing.assert_allclose(table[col], python[col], equal_nan=True)
    assert (table.loc[LONERS, ["degree", "betweenness"]] == 0).all().all()


def test_projection_is_dropped_and_only_this_run_is_projected(neo4j_session_store: Neo4jStore) -> None:
    G = nx.path_graph(["a", "b", "c", "d"])
    nx.set_edge_attributes(G, 0.5, "strength")
    neo4j_session_store.clear()
    load(neo4j_session_store, G)
    neo4j_session_store.upsert("tie", [Tie(id="old", a="a", b="d", strength=0.9, computed_at="older")])
    table = gds_centrality(neo4j_session_store, frame(G), list(G), computed_at=RUN).set_index("person")
    assert table["degree"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 1}
    assert neo4j_session_store.query("CALL gds.graph.list() YIELD graphName RETURN graphName") == []
    with pytest.raises(StoreError, match="1 ties of run older, expected 4 and 3"):
        gds_centrality(neo4j_session_store, frame(G), list(G), computed_at="older")
    assert neo4j_session_store.query("CALL gds.graph.list() YIELD graphName RETURN graphName") == []


def test_warm_up_runs_on_a_ring_of_its_own_and_leaves_nothing(neo4j_session_store: Neo4jStore) -> None:
    neo4j_session_store.clear()
    neo4j_session_store.upsert("person", [Person(id="a", name="A")])
    assert gds_warm_up(neo4j_session_store) == 200  # 100 undirected ring edges, each stored both ways
    assert neo4j_session_store.query("CALL gds.graph.list() YIELD graphName RETURN graphName") == []
    assert neo4j_session_store.counts()["person"] == 1 and neo4j_session_store.count("metrics") == 0


@pytest.fixture
def neo4j_home(
    neo4j_server_info: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> Path:
    """The dashboard's small program ingested by the real flow into the test server."""
    from pipelines.ingest_flow import ingest_path

    uri, password = neo4j_server_info
    monkeypatch.setenv("TIEGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TIEGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", uri)
    monkeypatch.setenv("NEO4J_PASSWORD", password)
    folder = tmp_path / "input"
    folder.mkdir()
    shutil.copy(DATA / "contacts_small.csv", folder / "contacts.csv")
    for f in sorted((DATA / "dashboard").glob("*.csv")):
        shutil.copy(f, folder / f.name)
    with Neo4jStore(uri, "neo4j", password) as s:
        s.clear()
    ingest_path(folder)
    return tmp_path / "home"


def _cli(*args: str) -> str:
    from pipelines.cli import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_analyze_engine_gds_through_the_cli_leaves_the_views_readable(neo4j_home: Path) -> None:
    python = json.loads(_cli("analyze", "--engine", "python", "--as-of", "2026-11-25", "--json"))
    by_python = {r["name"]: r for r in json.loads(_cli("centrality", "--top", "100", "--json"))}
    auto = json.loads(_cli("analyze", "--as-of", "2026-11-25", "--json"))
    assert (python["engine"], auto["engine"]) == ("python", "gds")
    rows = json.loads(_cli("centrality", "--top", "100", "--json"))
    assert rows and {r["name"] for r in rows} == set(by_python)
    for r in rows:
        assert r["pagerank"] == pytest.approx(by_python[r["name"]]["pagerank"], rel=1e-4)
    assert auto["ties"] == python["ties"] and auto["communities"] >= 1
    assert json.loads(_cli("communities", "--json"))


def test_engine_auto_is_python_without_gds_and_a_typo_is_a_clear_error() -> None:
    from pipelines.analyze_flow import choose_engine

    with SqliteStore(":memory:") as s:
        assert choose_engine(s, "auto") == "python"
        with pytest.raises(InputError, match="--engine must be one of auto, python, gds"):
            choose_engine(s, "spark")
        with pytest.raises(StoreError, match="--engine gds: Graph Data Science does not answer on the embedded"):
            choose_engine(s, "gds")


def test_gds_runs_on_the_member_neo4j_gds_uri_names(
    neo4j_home: Path, neo4j_server_info: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``NEO4J_GDS_URI`` pins GDS to one cluster member; writes stay on ``NEO4J_URI``.

    One local server stands in for the cluster: the member is reached by a second
    driver (a ``neo4j://`` routing URI to the same server), as a secondary would be.
    """
    uri, password = neo4j_server_info
    python = json.loads(_cli("analyze", "--engine", "python", "--as-of", "2026-11-25", "--json"))
    by_python = {r["name"]: r for r in json.loads(_cli("centrality", "--top", "100", "--json"))}
    member = uri.replace("bolt://", "neo4j://")
    monkeypatch.setenv("NEO4J_GDS_URI", member)
    got = json.loads(_cli("analyze", "--engine", "gds", "--as-of", "2026-11-25", "--json"))
    assert (got["engine"], got["gds_on"], got["ties"]) == ("gds", member, python["ties"])
    rows = {r["name"]: r for r in json.loads(_cli("centrality", "--top", "100", "--json"))}
    assert set(rows) == set(by_python)
    for name, r in rows.items():
        assert r["pagerank"] == pytest.approx(by_python[name]["pagerank"], rel=1e-4)

    with Neo4jStore(uri, "neo4j", password) as s:
        before = s.frame("run")["id"].tolist()
        there = s.member(member)
        try:  # the member reads after this store's writes: they share one bookmark manager
            s.upsert("institution", [Institution(id="inst-bookmark", source="test", ingested_at=RUN, name="B")])
            assert [r["name"] for r in there.get_rows("institution", "id", ["inst-bookmark"])] == ["B"]
        finally:
            there.close()
            s.delete("institution", ["inst-bookmark"])
    monkeypatch.setenv("NEO4J_GDS_URI", "bolt://127.0.0.1:1")  # nobody there
    from pipelines.cli import app

    result = CliRunner().invoke(app, ["analyze", "--engine", "gds", "--as-of", "2026-11-25", "--json"])
    assert result.exit_code != 0 and "bolt://127.0.0.1:1 is not reachable" in " ".join(result.output.split())
    with Neo4jStore(uri, "neo4j", password) as s:
        assert s.frame("run")["id"].tolist() == before  # refused before anything was written
