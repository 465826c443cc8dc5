"""Warm introduction paths against brute force over all simple paths."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.paths import DIVERSITY_MARGIN, PathIndex, common_bridge, warm_intro_paths
from graph.errors import NotFoundError


def tie_frame(g: nx.Graph, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = [(str(u), str(v), rng.uniform(0.02, 0.98)) for u, v in g.edges()]
    return pd.DataFrame(rows, columns=["a", "b", "strength"]).assign(last_contact="2026-10-01", reasons="r")


def all_paths(ties: pd.DataFrame, source: str, targets: set[str], max_hops: int, exclude: set[str]):
    """Every simple path from the source that ends at the first target it meets, with its cost."""
    g = nx.Graph()
    for a, b, s in zip(ties["a"], ties["b"], ties["strength"], strict=True):
        if a not in exclude and b not in exclude:
            g.add_edge(a, b, cost=-math.log(s))
    if source not in g:
        return []
    out = []
    for t in targets - exclude:
        if t not in g or t == source:
            continue
        for p in nx.all_simple_paths(g, source, t, cutoff=max_hops):
            if not set(p[1:-1]) & targets:
                out.append((sum(g.edges[u, v]["cost"] for u, v in zip(p, p[1:], strict=False)), p))
    return out


def brute_force(
    ties: pd.DataFrame,
    source: str,
    targets: set[str],
    k: int,
    max_hops: int,
    exclude: set[str],
    margin: float = 0.0,
):
    """The diversity rule by enumeration: each round, every unused first contact's paths priced at cost plus
    ``margin`` when their bridge (the last person before the target) is already used; cheapest first contact
    wins (ties by id), and of its paths the cheapest price, an unpenalised one on a tie."""
    paths = all_paths(ties, source, targets, max_hops, exclude)
    used_bridges: set[str] = set()
    used_firsts: set[str] = set()
    chosen = []
    while len(chosen) < k:
        best = None
        for cost, p in paths:
            if p[1] in used_firsts:
                continue
            penalised = len(p) > 2 and p[-2] in used_bridges
            key = (round(cost + (margin if penalised else 0.0), 9), p[1], penalised, round(cost, 9))
            if best is None or key < best[0]:
                best = (key, cost, p)
        if best is None:
            break
        _, cost, p = best
        chosen.append((cost, p))
        used_firsts.add(p[1])
        if len(p) > 2:
            used_bridges.add(p[-2])
    return chosen


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
    want = brute_force(ties, source, targets, 5, 4, exclude, DIVERSITY_MARGIN)
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
    want = brute_force(ties, "0", targets, 4, hops, set(), DIVERSITY_MARGIN)
    assert [round(p.cost, 9) for p in got] == [round(c, 9) for c, _ in want]


@pytest.mark.parametrize("margin", [0.0, math.log(2), 1.5, math.inf])
@pytest.mark.parametrize("seed", range(8))
def test_diverse_bridges_match_brute_force(seed: int, margin: float) -> None:
    # few targets behind few bridges: many first contacts share the way in
    g = nx.gnm_random_graph(24, 60, seed=seed)
    ties = tie_frame(g, seed)
    rng = random.Random(seed)
    source = next(str(v) for v in g if g.degree(v) >= 3)
    targets = {str(x) for x in rng.sample([v for v in g if str(v) != source], 2)}
    got = warm_intro_paths(PathIndex(ties), source, targets, k=5, max_hops=4, margin=margin)
    want = brute_force(ties, source, targets, 5, 4, set(), margin)
    assert [(p.first_contact, p.bridge) for p in got] == [
        (path[1], path[-2] if len(path) > 2 else None) for _, path in want
    ]
    assert [round(p.cost, 9) for p in got] == [round(c, 9) for c, _ in want]


def test_a_new_bridge_within_the_margin_wins() -> None:
    # r's three contacts a, b, c all know B, who knows the GI fellow t; c also knows C, who knows t less well
    ties = pd.DataFrame(
        [
            ("r", "a", 0.9),
            ("r", "b", 0.8),
            ("r", "c", 0.7),
            ("a", "B", 0.9),
            ("b", "B", 0.9),
            ("c", "B", 0.9),
            ("B", "t", 0.9),
            ("c", "C", 0.9),
            ("C", "t", 0.7),  # r-c-C-t 0.44 beats r-b-B-t 0.65 once that is penalised by a factor 2
        ],
        columns=["a", "b", "strength"],
    )
    idx = PathIndex(ties)
    plain = warm_intro_paths(idx, "r", {"t"}, margin=0.0)
    assert [p.bridge for p in plain] == ["B", "B", "B"]
    diverse = warm_intro_paths(idx, "r", {"t"})
    assert [(p.first_contact, p.bridge) for p in diverse] == [("a", "B"), ("c", "C"), ("b", "B")]
    assert common_bridge(plain) == "B" and common_bridge(diverse) is None
    strict = warm_intro_paths(idx, "r", {"t"}, margin=0.1)  # a small penalty: B again
    assert [p.bridge for p in strict] == ["B", "B", "B"]


def test_common_bridge_names_who_every_path_goes_through() -> None:
    ties = pd.DataFrame(
        [("r", "a", 0.9), ("r", "b", 0.8), ("a", "M", 0.9), ("b", "M", 0.9), ("M", "x", 0.9), ("x", "t", 0.9)],
        columns=["a", "b", "strength"],
    )
    paths = warm_intro_paths(PathIndex(ties), "r", {"t"})
    assert [p.bridge for p in paths] == ["x", "x"]
    assert common_bridge(paths) == "x"
    assert common_bridge(paths[:1]) is None
