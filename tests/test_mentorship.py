"""Mentorship assessment on hand-built programs whose answers can be read off the input."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest

from graph.analytics.mentorship import (
    THIN_BELOW,
    Reason,
    StaleTie,
    Suggestion,
    assess_mentorship,
    assessment_table,
    network_type,
    suggest_mentors,
    tie_index,
    to_assessments,
)

TODAY = date(2026, 11, 1)
PEOPLE = pd.DataFrame(
    [
        # id, name, kind, role, specialty, pgy, institution_id
        ("full", "Fay Full", "resident", "", "Gastroenterology", 2, "home"),
        ("thin", "Tim Thin", "resident", "", "Gastroenterology", 2, "home"),
        ("stale", "Sam Stale", "resident", "", "Cardiology", 2, "home"),
        ("gi", "Gil GI", "faculty", "attending", "Gastroenterology", None, "home"),
        ("res", "Rae Research", "faculty", "attending", "Cardiology", None, "home"),
        ("apd", "Ada APD", "faculty", "APD", "General Internal Medicine", None, "home"),
        ("spo", "Sol Sponsor", "faculty", "division chief", "Gastroenterology", None, "other"),
        ("card", "Cal Cardio", "faculty", "attending", "Cardiology", None, "home"),
    ],
    columns=["id", "name", "kind", "role", "specialty", "pgy", "institution_id"],
)
MENTORS = pd.DataFrame(
    [
        ("gi", "full", "clinical"),
        ("res", "full", "research_qi"),
        ("apd", "full", "career"),
        ("spo", "full", "sponsor"),
        ("card", "stale", "clinical"),
    ],
    columns=["mentor", "mentee", "type"],
)
TIES = pd.DataFrame(
    [
        ("full", "gi", 0.6, "2026-10-01"),
        ("full", "res", 0.5, "2026-09-01"),
        ("apd", "full", 0.5, "2026-06-01"),
        ("full", "spo", 0.4, "2026-08-01"),
        ("gi", "res", 0.3, "2026-01-01"),
        ("card", "stale", 0.3, "2024-01-01"),
        ("gi", "thin", 0.35, "2026-10-20"),
    ],
    columns=["a", "b", "strength", "last_contact"],
).assign(reasons="")


@pytest.fixture
def table() -> pd.DataFrame:
    return assess_mentorship(PEOPLE, MENTORS, TIES, today=TODAY).set_index("person")


def test_full_team_has_nothing_missing(table: pd.DataFrame) -> None:
    row = table.loc["full"]
    assert row["missing_roles"] == [] and row["stale"] == [] and row["single_thread"] == []
    # systems: Gil and Ada own program, Rae another department (Cardiology), Sol another institution
    assert row["systems"] == ["other departments", "other institutions", "own program"]
    assert row["score"] == pytest.approx(25 + 20 + 20 + 10 + 15 + 10 * 3 / 4)
    assert row["network_range"] == 3


def test_density_matches_networkx(table: pd.DataFrame) -> None:
    devs = {"gi", "res", "apd", "spo"}
    g = nx.Graph()
    g.add_nodes_from(devs)
    g.add_edges_from((a, b) for a, b in zip(TIES["a"], TIES["b"], strict=True) if a in devs and b in devs)
    assert table.loc["full", "density"] == pytest.approx(nx.density(g), abs=1e-3)


def test_thin_and_stale_residents_are_named_with_reasons(table: pd.DataFrame) -> None:
    thin = table.loc["thin"]
    assert thin["missing_roles"] == ["clinical", "research_qi", "career", "sponsor"]
    assert bool(thin["thin"]) and thin["score"] < THIN_BELOW and not table.loc["full", "thin"]
    stale = table.loc["stale"]
    assert stale["stale"] == [StaleTie("card", "Cal Cardio", "clinical", (TODAY - date(2024, 1, 1)).days)]
    assert Reason("stale_ties", number=1) in stale["reasons"]
    assert table.index[0] in {"thin", "stale"}  # thinnest first
    # the PGY comparison is its own fact: PGY2 scores are full 93.5, stale 46, thin 5 (median 46)
    assert thin["pgy_median"] == stale["score"] and bool(thin["below_pgy_median"])
    assert Reason("below_pgy_median", detail="2", number=thin["score"], median=stale["score"]) in thin["reasons"]


def test_clinical_mentor_outside_the_area_does_not_count() -> None:
    m = pd.DataFrame([("card", "thin", "clinical")], columns=["mentor", "mentee", "type"])
    row = assess_mentorship(PEOPLE, m, TIES, today=TODAY).set_index("person").loc["thin"]
    assert "clinical" in row["missing_roles"]
    assert (
        Reason("off_specialty", role="clinical", person="card", name="Cal Cardio", detail="Cardiology")
        in row["reasons"]
    )


def test_single_thread_a_lone_research_mentor_gone_quiet_or_left() -> None:
    people = pd.concat(
        [
            PEOPLE,
            pd.DataFrame(
                [("old", "Olive Old", "faculty", "attending", "Cardiology", None, "home")], columns=PEOPLE.columns
            ),
        ]
    )
    m = pd.concat([MENTORS, pd.DataFrame([("old", "thin", "research_qi")], columns=MENTORS.columns)])
    ties = pd.concat([TIES, pd.DataFrame([("old", "thin", 0.4, "2025-01-05", "")], columns=TIES.columns)])
    row = assess_mentorship(people, m, ties, today=TODAY).set_index("person").loc["thin"]
    assert row["single_thread"] == ["research_qi"]  # touched 22 months ago: quiet
    assert Reason("single_thread", role="research_qi", person="old", name="Olive Old", detail="quiet") in row["reasons"]
    fresh = pd.concat([TIES, pd.DataFrame([("old", "thin", 0.4, "2026-10-05", "")], columns=TIES.columns)])
    assert assess_mentorship(people, m, fresh, today=TODAY).set_index("person").loc["thin", "single_thread"] == []
    left = assess_mentorship(people, m, fresh, today=TODAY, departed={"old"}).set_index("person").loc["thin"]
    assert left["single_thread"] == ["research_qi"]
    assert Reason("single_thread", role="research_qi", person="old", name="Olive Old", detail="left") in left["reasons"]
    # a second research mentor who is active: no single thread
    two = pd.concat([m, pd.DataFrame([("res", "thin", "research_qi")], columns=MENTORS.columns)])
    both = pd.concat([ties, pd.DataFrame([("res", "thin", 0.4, "2026-10-05", "")], columns=TIES.columns)])
    assert assess_mentorship(people, two, both, today=TODAY).set_index("person").loc["thin", "single_thread"] == []


def test_stored_assessments_read_back_as_the_same_data(table: pd.DataFrame) -> None:
    frame = table.reset_index()
    sugg = {"thin": [Suggestion("gi", "Gil GI", "clinical", 0.35)]}
    stored = pd.DataFrame([vars(a) for a in to_assessments(frame, sugg, computed_at="c")])
    stored = stored.merge(PEOPLE[["id", "name", "specialty"]], left_on="person", right_on="id", suffixes=("_x", ""))
    back = assessment_table(stored).set_index("person")
    for col in ("missing_roles", "stale", "reasons", "thin", "below_pgy_median"):
        assert back[col].tolist() == table.loc[back.index, col].tolist(), col
    assert back.loc["thin", "suggestions"] == sugg["thin"] and back.loc["full", "suggestions"] == []


@pytest.mark.parametrize(
    ("strength", "systems", "kind"),
    [
        (0.6, 4, "entrepreneurial"),
        (0.6, 1, "traditional"),
        (0.1, 3, "opportunistic"),
        (0.1, 2, "receptive"),
    ],
)
def test_higgins_kram_types(strength: float, systems: int, kind: str) -> None:
    assert network_type(strength, systems) == kind


def test_suggestions_fill_gaps_through_warm_paths(table: pd.DataFrame) -> None:
    auth = pd.DataFrame(
        [("res", "p1", 1, 2), ("res", "p2", 1, 2)], columns=["person", "publication", "position", "n_authors"]
    )
    s = suggest_mentors(table.reset_index(), PEOPLE, TIES, MENTORS, auth)
    assert Suggestion("res", "Rae Research", "research_qi", round(0.35 * 0.3, 3), "gi", "Gil GI") in s["thin"]
    assert Suggestion("gi", "Gil GI", "clinical", 0.35) in s["thin"]
    assert s["full"] == []


def _random_program(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, nx.Graph]:
    """40 residents and 60 faculty of three specialties, random ties and declared mentors."""
    import random

    rng = random.Random(seed)
    specialties = ["Cardiology", "Gastroenterology", "Nephrology"]
    people = [
        (f"r{i:02d}", f"Res {i:02d}", "resident", "", rng.choice(specialties), 1 + i % 3, "home") for i in range(40)
    ]
    people += [
        (
            f"f{i:02d}",
            f"Fac {i:02d}",
            "faculty",
            rng.choice(["attending", "APD", "chair"]),
            rng.choice(specialties),
            None,
            rng.choice(["home", "away"]),
        )
        for i in range(60)
    ]
    frame = pd.DataFrame(people, columns=["id", "name", "kind", "role", "specialty", "pgy", "institution_id"])
    g = nx.gnm_random_graph(100, 700, seed=seed)
    ids = frame["id"].tolist()
    G = nx.Graph()
    for u, v in g.edges:
        G.add_edge(ids[u], ids[v], strength=round(rng.uniform(0.05, 0.9), 3))
    ties = pd.DataFrame(
        [(u, v, d["strength"], f"2026-0{rng.randint(1, 9)}-01") for u, v, d in G.edges(data=True)],
        columns=["a", "b", "strength", "last_contact"],
    ).assign(reasons="")
    mentors = pd.DataFrame(
        [
            (f"f{rng.randrange(60):02d}", f"r{i:02d}", rng.choice(["clinical", "research_qi", "career", "sponsor"]))
            for i in range(40)
            for _ in range(rng.randint(0, 2))
        ],
        columns=["mentor", "mentee", "type"],
    ).drop_duplicates(["mentor", "mentee"])
    return frame, mentors, ties, G


@pytest.mark.parametrize("seed", [1, 2])
def test_developers_and_suggestions_match_networkx_brute_force(seed: int) -> None:
    people, mentors, ties, G = _random_program(seed)
    table = assess_mentorship(people, mentors, ties, today=TODAY).set_index("person")
    kind = dict(zip(people["id"], people["kind"], strict=True))
    for res, row in table.iterrows():
        declared = set(mentors.loc[mentors["mentee"] == res, "mentor"])
        strong = {p for p in G[res] if G[res][p]["strength"] >= 0.3 and kind[p] != "resident"} if res in G else set()
        devs = (declared | strong) - {res}
        assert row["developers"] == len(devs)
        H = nx.Graph(G.subgraph(devs))
        H.add_nodes_from(devs)
        assert row["density"] == pytest.approx(round(nx.density(H), 3) if len(devs) > 1 else 0.0)
        mean = sum(G[res][d]["strength"] if G.has_edge(res, d) else 0.0 for d in devs) / len(devs) if devs else 0.0
        assert row["mean_strength"] == pytest.approx(mean, abs=5e-4 + 1e-12)  # rounded to 3 places
    auth = pd.DataFrame(
        [(f"f{i:02d}", f"p{k}", 1, 2) for i in range(0, 60, 2) for k in range(2)],
        columns=["person", "publication", "position", "n_authors"],
    )
    suggested = suggest_mentors(table.reset_index(), people, ties, mentors, auth)
    checked = 0
    for res, picks in suggested.items():
        for s in picks:
            direct = G[res][s.person]["strength"] if G.has_edge(res, s.person) else 0.0
            hops = {
                m: G[res][m]["strength"] * G[m][s.person]["strength"] for m in nx.common_neighbors(G, res, s.person)
            }
            best = max([direct, *hops.values()])
            assert s.warmth == round(best, 3)
            if s.via is None:
                assert best == 0.0 or direct == best
            else:
                assert hops[s.via] == best and hops[s.via] > direct
            checked += 1
    assert checked > 40


def test_tie_index_lists_neighbours_ascending_and_a_repeated_pair_by_its_last_tie() -> None:
    # rows 0 and 2 are the pair x-y (row 1 the same pair the other way round): the last given, row 2, answers
    ties = pd.DataFrame(
        {"a": ["x", "y", "x", "z", "y"], "b": ["y", "x", "y", "x", "z"], "strength": [0.1, 0.2, 0.3, 0.4, 0.5]}
    )
    index = tie_index(ties)
    assert index.tie("x", "y") == 2 and index.tie("y", "x") == 2
    assert index.tie("x", "z") == 3 and index.tie("z", "y") == 4 and index.tie("x", "q") == -1
    for person, want in (("x", ["y", "y", "y", "z"]), ("y", ["x", "x", "x", "z"]), ("z", ["x", "y"])):
        i = index.code[person]
        got = index.ids[index.indices[index.indptr[i] : index.indptr[i + 1]]].tolist()
        assert got == want, person
        neighbours, rows = index.row(i)
        assert rows.tolist() == sorted(rows.tolist())  # in the order the ties came
