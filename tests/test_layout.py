"""graph.analytics.layout.network_layout: the cap, the folding into groups and the edges, against hand counts."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.layout import network_layout


def people(n: int, communities: list[int], betweenness: list[float] | None = None) -> pd.DataFrame:
    """p00..p(n-1), PageRank strictly descending in that order."""
    return pd.DataFrame(
        {
            "id": [f"p{i:02d}" for i in range(n)],
            "name": [f"Person {i}" for i in range(n)],
            "pagerank": [(n - i) / (n * (n + 1) / 2) for i in range(n)],
            "betweenness": betweenness or [0.0] * n,
            "community": communities,
        }
    )


def ties(*rows: tuple[str, str, float]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["a", "b", "strength"])


def test_under_the_cap_everyone_is_drawn_and_every_tie_kept() -> None:
    m = people(4, [0, 0, 1, 1], [0.0, 0.5, 0.25, 0.0])
    t = ties(("p01", "p00", 0.5), ("p01", "p02", 0.25), ("p02", "p03", 0.75))
    nodes, edges = network_layout(t, m, max_nodes=10)
    assert sorted(nodes["id"]) == ["p00", "p01", "p02", "p03"]
    assert not nodes["group"].any() and (nodes["size"] == 1).all()
    assert sorted(map(tuple, edges[["a", "b", "strength", "ties"]].to_numpy().tolist())) == [
        ("p00", "p01", 0.5, 1),
        ("p01", "p02", 0.25, 1),
        ("p02", "p03", 0.75, 1),
    ]
    assert nodes[["x", "y"]].abs().max().max() <= 1 + 1e-9 and np.isfinite(nodes[["x", "y"]]).all().all()
    # the brokers (betweenness > 0) carry their names, highest first within `labelled`
    assert dict(zip(nodes["id"], nodes["label"], strict=True)) == {
        "p00": "",
        "p01": "Person 1",
        "p02": "Person 2",
        "p03": "",
    }
    assert network_layout(t, m, max_nodes=10, labelled=1)[0].set_index("id")["label"].to_dict()["p02"] == ""


def test_over_the_cap_the_rest_fold_into_their_community() -> None:
    # 12 people, max 10: G = 1 group, K = 9 kept (p00..p08); p09..p11 are all community 1: one node of 3
    m = people(12, [0] * 6 + [1] * 6)
    t = ties(("p00", "p01", 0.5), ("p08", "p09", 0.5), ("p08", "p10", 0.25), ("p09", "p10", 0.9), ("p00", "p11", 0.1))
    nodes, edges = network_layout(t, m, max_nodes=10)
    assert len(nodes) == 10
    assert sorted(nodes.loc[~nodes["group"], "id"]) == [f"p{i:02d}" for i in range(9)]
    group = nodes[nodes["group"]].iloc[0]
    assert (group["id"], group["size"], group["community"], group["label"]) == ("group:1", 3, 1, "3 more people")
    assert math.isclose(group["pagerank"], m["pagerank"].iloc[9:].sum())
    got = {frozenset((a, b)): (s, n) for a, b, s, n in edges.itertuples(index=False)}
    assert got == {
        frozenset(("p00", "p01")): (0.5, 1),
        frozenset(("p08", "group:1")): (0.75, 2),  # two ties into the group, summed
        frozenset(("p00", "group:1")): (0.1, 1),
    }  # p09 - p10 lies inside the group


def test_many_communities_beyond_the_cap_share_one_others_node() -> None:
    # 40 people, max 25: G = 2, K = 23; the 17 left are communities 7 (8 people), 8 (6), 9 (3):
    # the largest gets a node, the other two share the "others" node
    communities = [i % 7 for i in range(23)] + [7] * 8 + [8] * 6 + [9] * 3
    nodes, _ = network_layout(ties(("p00", "p01", 0.5)), people(40, communities), max_nodes=25)
    assert len(nodes) == 25
    groups = nodes[nodes["group"]].set_index("id")
    assert groups["size"].to_dict() == {"group:7": 8, "group:others": 9}
    assert groups.loc["group:others", "community"] == "others"


def test_a_community_with_fewer_than_three_left_joins_the_rest() -> None:
    # 24 people, max 20: G = 2, K = 18; left: 5 of community 1 (a node) and 1 of community 2 (too few)
    nodes, _ = network_layout(ties(("p00", "p01", 0.5)), people(24, [0] * 18 + [1] * 5 + [2]), max_nodes=20)
    assert len(nodes) == 20
    assert nodes[nodes["group"]].set_index("id")["size"].to_dict() == {"group:1": 5, "group:others": 1}


def test_people_without_a_drawn_tie_sit_in_rows_below() -> None:
    m = people(25, [0] * 25)
    nodes, _ = network_layout(ties(("p00", "p01", 0.5), ("p01", "p02", 0.5), ("p02", "p03", 0.5)), m)
    pos = nodes.set_index("id")[["x", "y"]]
    assert pos.loc[["p00", "p01", "p02", "p03"]].abs().max().max() <= 1 + 1e-9
    first, second = [f"p{i:02d}" for i in range(4, 24)], ["p24"]  # rows of 20, in PageRank order
    assert (pos.loc[first, "y"] == -1.25).all() and pos.loc[first, "x"].tolist() == [-1 + 2 * i / 19 for i in range(20)]
    assert pos.loc[second].to_numpy().tolist() == [[0.0, -1.4]]


def test_a_cap_of_one_draws_one_node_for_everyone() -> None:
    nodes, edges = network_layout(ties(("p00", "p01", 0.5)), people(3, [0, 0, 1]), max_nodes=1)
    assert nodes[["id", "size"]].to_dict("records") == [{"id": "group:others", "size": 3}]
    assert edges.empty


def test_same_seed_same_drawing_and_no_people_no_drawing() -> None:
    g = nx.karate_club_graph()
    t = ties(*((f"p{u:02d}", f"p{v:02d}", 0.5) for u, v in g.edges()))
    m = people(34, [0] * 34)
    a, _ = network_layout(t, m, seed=3)
    b, _ = network_layout(t, m, seed=3)
    pd.testing.assert_frame_equal(a, b)
    nodes, edges = network_layout(t, m.iloc[0:0])
    assert nodes.empty and edges.empty


def test_max_nodes_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        network_layout(ties(), people(2, [0, 0]), max_nodes=0)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 60),
    max_nodes=st.integers(1, 70),
    n_communities=st.integers(1, 30),
    seed=st.integers(0, 10_000),
)
def test_never_more_than_max_nodes_and_nothing_lost(n: int, max_nodes: int, n_communities: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = people(n, rng.integers(0, n_communities, n).tolist())
    g = nx.gnp_random_graph(n, 0.1, seed=seed)
    t = ties(*((f"p{u:02d}", f"p{v:02d}", float(rng.uniform(0.01, 1))) for u, v in g.edges()))
    nodes, edges = network_layout(t, m, max_nodes=max_nodes)
    assert len(nodes) <= max_nodes and nodes["size"].sum() == n
    kept = set(nodes.loc[~nodes["group"], "id"])
    assert kept == set(m["id"].iloc[: len(kept)])  # the top by PageRank
    # every tie is drawn, or lies inside one group
    where = {p: p for p in kept}
    where |= {p: g for g, ps in _members(nodes, m, kept).items() for p in ps}
    outside = sum(where[a] != where[b] for a, b in zip(t["a"], t["b"], strict=True))
    assert edges["ties"].sum() == outside if len(edges) else outside == 0
    assert math.isclose(
        edges["strength"].sum(), sum(s for a, b, s in t.itertuples(index=False) if where[a] != where[b])
    )


def _members(nodes: pd.DataFrame, m: pd.DataFrame, kept: set[str]) -> dict[str, list[str]]:
    """Brute force: which group each folded person is in, from the group sizes and communities."""
    rest = m[~m["id"].isin(kept)]
    groups = nodes[nodes["group"]]
    own = {c for c in groups["community"] if c != "others"}
    out: dict[str, list[str]] = {}
    for pid, c in zip(rest["id"], rest["community"], strict=True):
        out.setdefault(f"group:{c}" if c in own else "group:others", []).append(pid)
    assert {k: len(v) for k, v in out.items()} == dict(zip(groups["id"], groups["size"], strict=True))
    return out


def test_network_picture_aggregates_communities_above_the_threshold() -> None:
    import networkx as nx

    from graph.analytics.layout import network_picture

    g = nx.random_partition_graph([150, 200, 250], 0.05, 0.001, seed=1)
    block = {n: i for i, part in enumerate(g.graph["partition"]) for n in part}
    t = pd.DataFrame([(f"p{a:03d}", f"p{b:03d}", 0.5) for a, b in g.edges], columns=["a", "b", "strength"])
    m = pd.DataFrame({"id": [f"p{n:03d}" for n in g], "pagerank": 1.0, "community": [block[n] for n in g]})
    nodes, edges, aggregated = network_picture(t, m, aggregate_above=500)
    quotient = nx.quotient_graph(g, g.graph["partition"])
    assert aggregated and len(nodes) == m["community"].nunique() == quotient.number_of_nodes()
    assert sorted(nodes["size"]) == sorted(m["community"].value_counts()) and len(edges) == quotient.number_of_edges()
    nodes, _, aggregated = network_picture(t, m, aggregate_above=600)
    assert not aggregated and len(nodes) == g.number_of_nodes()
