"""Warm introduction paths against brute force over all simple paths."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.paths import PathIndex, warm_intro_paths
from graph.errors import NotFoundError


def tie_frame(g: nx.Graph, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = [(str(u), str(v), rng.uniform(0.02, 0.98)) for u, v in g.edges()]
    return pd.DataFrame(rows, columns=["a", "b", "strength"]).assign(last_contact="2026-10-01", reasons="r")


def brute_force(ties: pd.DataFrame, source: str, targets: set[str], k: int, max_hops: int, exclude: set[str]):
    g = nx.Graph()
    for a, b, s in zip(ties["a"], ties["b"], ties["strength"], strict=True):
        if a not in exclude and b not in exclude:
            g.add_edge(a, b, cost=-math.log(s))
    best: dict[str, tuple[float, list[str]]] = {}
    if source not in g:
        return []
    for t in targets - exclude:
        if t not in g or t == source:
            continue
        for p in nx.all_simple_paths(g, source, t, cutoff=max_hops):
            c = sum(g.edges[u, v]["cost"] for u, v in zip(p, p[1:], strict=False))
            if p[1] not in best or c < best[p[1]][0] - 1e-12:
                best[p[1]] = (c, p)
    return sorted(best.values())[:k]


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_on_random_graphs(seed: int) -> None:
    g = nx.gnm_random_graph(30, 70, seed=seed)
    ties = tie_frame(g, seed)
    idx = PathIndex(ties)
    rng = random.Random(seed)
    source = "0" if g.degree(0) else "1"
    targets = {str(x) for x in rng.sample(range(2, 30), 3)}
    exclude = {str(rng.randrange(2, 30))} - targets
    got = warm_intro_paths(idx, source, targets, k=5, max_hops=4, exclude=exclude)
    want = brute_force(ties, source, targets, 5, 4, exclude)
    assert [round(p.cost, 9) for p in got] == [round(c, 9) for c, _ in want]
    assert [p.first_contact for p in got] == [path[1] for _, path in want]
    for p in got:
        assert p.people[0] == source and p.people[-1] in targets
        assert len(set(p.people)) == len(p.people) <= 5
        assert not exclude & set(p.people)


def test_hops_are_explained_and_weakest_named() -> None:
    ties = pd.DataFrame(
        [("r", "m", 0.9, "2026-10-01", "12 contacts"), ("m", "t", 0.2, "2025-01-01", "co-authors")],
        columns=["a", "b", "strength", "last_contact", "reasons"],
    )
    [p] = warm_intro_paths(PathIndex(ties), "r", {"t"})
    assert p.people == ("r", "m", "t")
    assert p.weakest.target == "t" and p.weakest.last_contact == "2025-01-01"
    assert p.probability == pytest.approx(0.9 * 0.2)


def test_hop_limit_and_unknown_source() -> None:
    chain = pd.DataFrame([(str(i), str(i + 1), 0.9) for i in range(6)], columns=["a", "b", "strength"])
    idx = PathIndex(chain)
    assert warm_intro_paths(idx, "0", {"5"}, max_hops=4) == []
    assert len(warm_intro_paths(idx, "0", {"5"}, max_hops=5)) == 1
    with pytest.raises(NotFoundError):
        warm_intro_paths(idx, "nobody", {"5"})


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(8, 18), st.integers(1, 4))
def test_hypothesis_against_brute_force(seed: int, n: int, hops: int) -> None:
    g = nx.gnp_random_graph(n, 0.3, seed=seed)
    if g.number_of_edges() == 0 or g.degree(0) == 0:
        return
    ties = tie_frame(g, seed)
    targets = {str(n - 1), str(n - 2)}
    got = warm_intro_paths(PathIndex(ties), "0", targets, k=4, max_hops=hops)
    want = brute_force(ties, "0", targets, 4, hops, set())
    assert [round(p.cost, 9) for p in got] == [round(c, 9) for c, _ in want]
