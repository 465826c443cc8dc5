"""Alumni reach: two-hop reach against networkx BFS, small-cell suppression, the HTML report."""

from __future__ import annotations

import random

import networkx as nx
import pandas as pd

from graph.analytics.alumni import alumni_reach, render_html, suppress_small, within_hops


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
    assert rep.by_institution.set_index("institution").loc["North", "alumni"] == 2
    assert rep.bridges["alumnus"].tolist() == ["Bo Um"]
    html = render_html(rep)
    assert html.startswith("<!doctype html>") and "Plotly" in html and "&lt;5" in html
    assert "<script src=" not in html  # self-contained
    recent = alumni_reach(people, aff, progs, insts, ties, year_from=2017)
    assert recent.alumni["name"].tolist() == ["Al Um"]


def test_small_cells_are_suppressed() -> None:
    f = pd.DataFrame({"x": ["a", "b", "c"], "n": [0, 3, 7]})
    assert suppress_small(f, ["n"])["n"].tolist() == ["0", "<5", "7"]
