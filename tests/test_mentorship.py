"""Mentorship assessment on hand-built programs whose answers can be read off the input."""

from __future__ import annotations

from datetime import date

import networkx as nx
import pandas as pd
import pytest

from graph.analytics.mentorship import assess_mentorship, network_type, suggest_mentors

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
    assert row["missing_roles"] == "" and row["stale"] == ""
    # systems: Gil and Ada own program, Rae another department (Cardiology), Sol another institution
    assert row["systems"] == "other departments, other institutions, own program"
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
    assert "clinical mentor" in thin["missing_roles"] and "research/QI" in thin["missing_roles"]
    assert bool(thin["thin"])
    stale = table.loc["stale"]
    assert "Cal Cardio (clinical, last contact 34 months ago)" in stale["stale"]
    assert "not touched in 12 months" in stale["reasons"]
    assert table.index[0] in {"thin", "stale"}  # thinnest first
    assert "below the PGY-2 median" in thin["reasons"]


def test_clinical_mentor_outside_the_area_does_not_count() -> None:
    m = pd.DataFrame([("card", "thin", "clinical")], columns=["mentor", "mentee", "type"])
    row = assess_mentorship(PEOPLE, m, TIES, today=TODAY).set_index("person").loc["thin"]
    assert "clinical mentor in the area of interest" in row["missing_roles"]
    assert "is in Cardiology, not Gastroenterology" in row["reasons"]


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
    assert "Rae Research (research/QI mentor, via Gil GI" in s["thin"]
    assert "Gil GI (clinical mentor in the area of interest, direct tie" in s["thin"]
    assert s["full"] == ""
