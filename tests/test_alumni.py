"""Alumni reach: best paths and two-hop reach against networkx, bridges by hand, small cells, the HTML report."""

from __future__ import annotations

import math
import random
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from dashboards.report import render_html
from graph.analytics.alumni import alumni_reach, best_paths, suppress_small, within_hops
from graph.analytics.centrality import tie_graph


def test_best_paths_match_networkx_dijkstra_on_minus_log_strength() -> None:
    g = nx.gnm_random_graph(150, 400, seed=7)
    rng = random.Random(3)
    for u, v in g.edges():
        g[u][v]["s"] = rng.uniform(0.05, 0.95)
        g[u][v]["cost"] = -math.log(g[u][v]["s"])
    ties = pd.DataFrame([(str(u), str(v), d["s"]) for u, v, d in g.edges(data=True)], columns=["a", "b", "strength"])
    sources = [str(x) for x in rng.sample(range(150), 12)]
    targets = [str(x) for x in rng.sample(range(150), 25)]
    got = best_paths(ties, sources, targets, floor=1e-6)
    for s in sources:
        dist, path = nx.single_source_dijkstra(g, int(s), weight="cost")
        for t in targets:
            want = math.exp(-dist[int(t)]) if int(t) in dist else 0.0
            assert got.probability.at[s, t] == pytest.approx(want, rel=1e-9), (s, t)
            if int(t) in dist and s != t:
                inner = tuple(str(x) for x in path[int(t)][1:-1])
                # ties in cost are vanishingly unlikely with random strengths: the same path
                assert got.inside[(s, t)] == inner
    # the floor: paths less likely than it count as none
    cut = best_paths(ties, sources, targets, floor=0.2)
    assert ((cut.probability == 0) | (cut.probability >= 0.2 - 1e-12)).all().all()


def test_reach_counts_residents_at_the_level_median_and_bridges_by_hand() -> None:
    # r1 - f (0.9) - g1 (0.5): 0.45; r2 - f (0.8) - g1: 0.40; r3 - g2 (0.1) direct: 0.10; r4 nothing
    people = pd.DataFrame(
        [
            ("r1", "Res One", "resident", None, None, None, ""),
            ("r2", "Res Two", "resident", None, None, None, ""),
            ("r3", "Res Three", "resident", None, None, None, ""),
            ("r4", "Res Four", "resident", None, None, None, ""),
            ("f", "Fay Faculty", "faculty", None, "Cardiology", "home", "attending"),
            ("g1", "Gus Um", "alumnus", 2019, "Gastroenterology", "n", "GI attending"),
            ("g2", "Gia Staff", "faculty", None, "Gastroenterology", "n", "attending"),
        ],
        columns=["id", "name", "kind", "grad_year", "specialty", "institution_id", "role"],
    ).assign(opted_out=False)
    progs = pd.DataFrame(
        [("gi", "GI fellowship at North", "n", "Gastroenterology", "fellowship")],
        columns=["id", "name", "institution_id", "specialty", "level"],
    )
    insts = pd.DataFrame([("n", "North", "Boston"), ("home", "Home", "Albany")], columns=["id", "name", "city"])
    aff = pd.DataFrame([("g1", "gi", "faculty"), ("g1", "home", "alumnus")], columns=["person", "program", "role"])
    ties = pd.DataFrame(
        [("r1", "f", 0.9), ("r2", "f", 0.8), ("f", "g1", 0.5), ("r3", "g2", 0.1)], columns=["a", "b", "strength"]
    ).assign(last_contact="2026-01-01", reasons="x")
    rep = alumni_reach(people, aff, progs, insts, ties, level=0.2)
    row = rep.programs.iloc[0]
    # members: the alum on the program (affiliation) and Gia (GI at North, not a resident); not one alone
    assert row["members"] == 2 and row["alumni"] == 1
    assert row["residents_reach"] == 2  # r1 0.45, r2 0.40; r3 0.10 is below 0.2
    assert row["median_reach"] == pytest.approx((0.40 + 0.10) / 2)  # r1 .45, r2 .40, r3 .10, r4 0
    assert row["bridges"] == [("Fay Faculty", 2)]
    assert row["residents_within_2"] == 3 and row["city"] == "Boston"
    names = rep.alumni.set_index("name")
    assert names.loc["Gus Um", "warmest_resident"] == "Res One" and names.loc["Gus Um", "via"] == "Fay Faculty"
    assert names.loc["Gus Um", "probability"] == pytest.approx(0.45)
    assert names.loc["Gus Um", "program"] == "GI fellowship at North" and names.loc["Gus Um", "city"] == "Boston"
    assert alumni_reach(people, aff, progs, insts, ties, city="Albany").alumni.empty


def test_within_hops_matches_bfs() -> None:
    g = nx.gnm_random_graph(120, 200, seed=4)
    ties = pd.DataFrame([(str(u), str(v), 0.5) for u, v in g.edges()], columns=["a", "b", "strength"])
    rng = random.Random(1)
    sources = [str(x) for x in rng.sample(range(120), 15)]
    targets = [str(x) for x in rng.sample(range(120), 20)]
    got = within_hops(ties, sources, targets, hops=2)
    for s in sources:
        near = nx.single_source_shortest_path_length(g, int(s), cutoff=2) if int(s) in g else {int(s): 0}
        for t in targets:
            assert bool(got.at[s, t]) == (int(t) in near), (s, t)


def test_report_counts_programs_and_reach() -> None:
    people = pd.DataFrame(
        [
            ("r1", "Res One", "resident", None, None, None, ""),
            ("r2", "Res Two", "resident", None, None, None, ""),
            ("a1", "Al Um", "alumnus", 2018, "Gastroenterology", "n", "GI Fellow"),
            ("a2", "Bo Um", "alumnus", 2015, "Cardiology", "n", "Cardiology Attending"),
            ("m", "Mid Dle", "faculty", None, None, "home", "attending"),
        ],
        columns=["id", "name", "kind", "grad_year", "specialty", "institution_id", "role"],
    ).assign(opted_out=False)
    progs = pd.DataFrame(
        [
            ("gi", "Gastroenterology fellowship at North", "n", "Gastroenterology", "fellowship"),
            ("cv", "Cardiology fellowship at North", "n", "Cardiology", "fellowship"),
            ("home", "Internal Medicine residency at Home", "home", "Internal Medicine", "residency"),
        ],
        columns=["id", "name", "institution_id", "specialty", "level"],
    )
    insts = pd.DataFrame([("n", "North"), ("home", "Home")], columns=["id", "name"])
    aff = pd.DataFrame(
        [("a1", "gi", "fellow"), ("a2", "cv", "faculty"), ("a1", "home", "alumnus"), ("a2", "home", "alumnus")],
        columns=["person", "program", "role"],
    )
    ties = pd.DataFrame(
        [
            ("r1", "m", 0.5, "2026-01-01", "x"),
            ("m", "a1", 0.5, "2026-01-01", "y"),
            ("r2", "a2", 0.9, "2026-02-01", "z"),
        ],
        columns=["a", "b", "strength", "last_contact", "reasons"],
    )
    rep = alumni_reach(people, aff, progs, insts, ties)
    by = rep.programs.set_index("specialty")
    assert by.loc["Gastroenterology", "residents_within_2"] == 1  # r1 via m
    assert by.loc["Cardiology", "residents_within_2"] == 1  # r2 directly
    assert by.loc["Gastroenterology", "residents_reach"] == 1  # r1 via m: 0.25
    assert by.loc["Cardiology", "residents_reach"] == 1  # r2: 0.9
    assert rep.by_institution.set_index("institution").loc["North", "alumni"] == 2
    assert rep.bridges["alumnus"].tolist() == ["Bo Um"]
    html = render_html(rep)
    assert html.startswith("<!doctype html>") and "Plotly" in html and "&lt;5" in html
    assert "<script src=" not in html  # self-contained
    # plain words, not column names
    assert "<th>Our alumni there</th>" in html and "<th>Fellows and faculty</th>" in html
    assert "residents_within" not in html and "grad_year" not in html and "Number of alumni" in html
    hostile = alumni_reach(people.assign(name=people["name"].replace("Al Um", "<b>Al</b>")), aff, progs, insts, ties)
    assert "<b>Al</b>" not in render_html(hostile, title="<i>x</i>") and "&lt;i&gt;x&lt;/i&gt;" in render_html(
        hostile, title="<i>x</i>"
    )
    recent = alumni_reach(people, aff, progs, insts, ties, year_from=2017)
    assert recent.alumni["name"].tolist() == ["Al Um"]


def test_small_cells_are_suppressed() -> None:
    f = pd.DataFrame({"x": ["a", "b", "c"], "n": [0, 3, 7]})
    assert suppress_small(f, ["n"])["n"].tolist() == ["0", "<5", "7"]


@pytest.mark.parametrize("numbered", [False, True], ids=["own numbering", "the tie graph's"])
def test_report_reach_equals_networkx_brute_force_on_a_random_program(numbered: bool) -> None:
    # 300 people: 40 residents, 60 alumni, 200 staff; 6 fellowships of 8-20 people each
    rng = random.Random(11)
    g = nx.gnm_random_graph(300, 900, seed=5)
    for u, v in g.edges():
        g[u][v]["s"] = rng.uniform(0.1, 0.99)
        g[u][v]["cost"] = -math.log(g[u][v]["s"])
    kind = ["resident"] * 40 + ["alumnus"] * 60 + ["faculty"] * 200
    people = pd.DataFrame(
        [(f"p{i}", f"Name {i:03d}", kind[i], 2010 + i % 10, None, None, "") for i in range(300)],
        columns=["id", "name", "kind", "grad_year", "specialty", "institution_id", "role"],
    ).assign(opted_out=False)
    progs = pd.DataFrame(
        [(f"f{j}", f"Fellowship {j}", "n", "Cardiology", "fellowship") for j in range(6)],
        columns=["id", "name", "institution_id", "specialty", "level"],
    )
    insts = pd.DataFrame([("n", "North", "Boston")], columns=["id", "name", "city"])
    members = {f"f{j}": {40 + j, *rng.sample(range(100, 300), rng.randint(8, 20))} for j in range(6)}
    aff = pd.DataFrame(
        [(f"p{i}", p, "faculty") for p, mem in members.items() for i in mem], columns=["person", "program", "role"]
    )
    ties = pd.DataFrame(
        [(f"p{u}", f"p{v}", d["s"], "2026-01-01", "x") for u, v, d in g.edges(data=True)],
        columns=["a", "b", "strength", "last_contact", "reasons"],
    )
    numbering = tie_graph(ties, people["id"].tolist()[::-1]) if numbered else None  # people first, reversed
    rep = alumni_reach(people, aff, progs, insts, ties, level=0.2, graph=numbering)
    dist = {r: nx.single_source_dijkstra(g, r, weight="cost") for r in range(40)}
    hops = {r: nx.single_source_shortest_path_length(g, r, cutoff=2) for r in range(40)}

    def prob(r: int, t: int) -> float:
        p = math.exp(-dist[r][0][t]) if t in dist[r][0] else 0.0
        return p if p >= 0.01 else 0.0

    by = rep.programs.set_index("program_id")
    for p, mem in members.items():
        best = {r: max((prob(r, t), t) for t in mem) for r in range(40)}
        reaching = [r for r in range(40) if best[r][0] >= 0.2]
        assert by.loc[p, "residents_reach"] == len(reaching), p
        assert by.loc[p, "median_reach"] == pytest.approx(round(float(np.median([b[0] for b in best.values()])), 3))
        assert by.loc[p, "residents_within_2"] == sum(any(t in hops[r] for t in mem) for r in range(40)), p
        through: Counter[str] = Counter()
        for r in reaching:
            through.update(f"Name {x:03d}" for x in dist[r][1][best[r][1]][1:-1])
        want = sorted(through.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        assert by.loc[p, "bridges"] == want, p
    directory = rep.alumni.set_index("id")
    for a in range(40, 100):
        p, r = max((prob(r, a), -r) for r in range(40))
        row = directory.loc[f"p{a}"]
        if p == 0:
            assert pd.isna(row["warmest_resident"]) and row["probability"] == 0
            continue
        path = dist[-r][1][a]
        assert row["warmest_resident"] == f"Name {-r:03d}" and row["probability"] == pytest.approx(round(p, 3))
        assert row["via"] == f"Name {path[1]:03d}" if len(path) > 2 else pd.isna(row["via"])


def test_reach_on_a_long_chain_equals_networkx_where_programs_lie_near_and_far() -> None:
    # a chain of 50,000 people (node numbers past 46,341, whose squares overflow 32 bits), residents on its
    # last 60; the first program sits among them and the second 15 ties before them, so the second's median
    # lies farther than the first's and its search widens to the floor
    n = 50_000
    rng = random.Random(2)
    strength = [rng.uniform(0.9, 0.99) for _ in range(n - 1)]
    ties = pd.DataFrame(
        {"a": [f"p{i}" for i in range(n - 1)], "b": [f"p{i + 1}" for i in range(n - 1)], "strength": strength}
    ).assign(last_contact="2026-01-01", reasons="x")
    residents = list(range(n - 60, n, 3))
    far = [n - 75, n - 78]
    near = [n - 29, n - 28]
    kind = (
        {i: "resident" for i in residents}
        | {i: "faculty" for i in far + near}
        | {near[1]: "alumnus", far[1]: "alumnus"}
    )
    people = pd.DataFrame(
        [(f"p{i}", f"Name {i}", k, None, None, None, "") for i, k in sorted(kind.items())],
        columns=["id", "name", "kind", "grad_year", "specialty", "institution_id", "role"],
    ).assign(opted_out=False)
    progs = pd.DataFrame(
        [
            ("near", "Near fellowship", "n", "Cardiology", "fellowship"),
            ("far", "Far fellowship", "n", "Cardiology", "fellowship"),
        ],
        columns=["id", "name", "institution_id", "specialty", "level"],
    )
    insts = pd.DataFrame([("n", "North", "Boston")], columns=["id", "name", "city"])
    aff = pd.DataFrame(
        [(f"p{i}", "near", "faculty") for i in near] + [(f"p{i}", "far", "faculty") for i in far],
        columns=["person", "program", "role"],
    )
    g = nx.Graph()
    g.add_weighted_edges_from((i, i + 1, -math.log(s)) for i, s in enumerate(strength))
    rep = alumni_reach(people, aff, progs, insts, ties, level=0.3).programs.set_index("program_id")
    for prog, mem in (("near", near), ("far", far)):
        dist, path = nx.multi_source_dijkstra(g, set(mem), cutoff=-math.log(0.01))
        best = {r: math.exp(-dist[r]) if r in dist else 0.0 for r in residents}
        reaching = [r for r in residents if best[r] >= 0.3]
        assert rep.loc[prog, "residents_reach"] == len(reaching) > 0, prog
        assert rep.loc[prog, "median_reach"] == pytest.approx(round(float(np.median(list(best.values()))), 3)), prog
        through = Counter(f"p{x}" for r in reaching for x in path[r][1:-1])
        name = {f"p{i}": f"Name {i}" for i in kind}  # people not in the frame are shown by id
        want = sorted(through.items(), key=lambda kv: (-kv[1], name.get(kv[0], kv[0])))[:3]
        assert rep.loc[prog, "bridges"] == [(name.get(p, p), c) for p, c in want], prog
