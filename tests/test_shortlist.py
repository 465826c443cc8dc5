"""Fellowship shortlist: TF-IDF fit against a hand-written formula, a planted best program ranks first."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from graph.analytics.shortlist import ShortlistReason, fellowship_shortlist, research_fit


def tfidf_cosine(docs: list[list[str]]) -> list[float]:
    """Smoothed idf ln((1 + n) / (1 + df)) + 1, raw counts, l2 norm; cosine of doc 0 with each other (by hand)."""
    n = len(docs)
    vocab = sorted({t for d in docs for t in d})
    df = {t: sum(t in d for d in docs) for t in vocab}
    vecs = []
    for d in docs:
        c = Counter(d)
        v = np.array([c[t] * (math.log((1 + n) / (1 + df[t])) + 1) for t in vocab])
        vecs.append(v / np.linalg.norm(v) if np.linalg.norm(v) else v)
    return [float(vecs[0] @ v) for v in vecs[1:]]


def test_research_fit_is_the_tfidf_cosine_by_hand() -> None:
    mine = ["Liver Cirrhosis", "Liver Cirrhosis", "Endoscopy"]
    theirs = [["Liver Cirrhosis", "Sepsis"], ["Heart Failure"], ["Endoscopy", "Liver Cirrhosis", "Endoscopy"], []]
    sims, shared = research_fit(mine, theirs)
    assert sims == pytest.approx(tfidf_cosine([mine, *theirs]), abs=1e-12)
    assert shared[1] == [] and set(shared[2]) == {"Endoscopy", "Liver Cirrhosis"}


PEOPLE = pd.DataFrame(
    [
        ("r", "Rae Resident", "resident", "Gastroenterology", "home"),
        ("m", "Max Mentor", "faculty", "Gastroenterology", "home"),
        ("a1", "Ava Alum", "alumnus", "Gastroenterology", "best"),
        ("b1", "Ben Far", "faculty", "Gastroenterology", "far"),
        ("c1", "Cy Cardio", "faculty", "Cardiology", "best"),
        ("b2", "Bea Alum", "alumnus", "Gastroenterology", "far"),
    ],
    columns=["id", "name", "kind", "specialty", "institution_id"],
).assign(opted_out=False, role="")
PROGRAMS = pd.DataFrame(
    [
        ("g-best", "GI fellowship at Best", "best", "Gastroenterology", "fellowship"),
        ("g-far", "GI fellowship at Far", "far", "Gastroenterology", "fellowship"),
        ("c-best", "Cardiology fellowship at Best", "best", "Cardiology", "fellowship"),
        ("home", "IM residency at Home", "home", "Internal Medicine", "residency"),
    ],
    columns=["id", "name", "institution_id", "specialty", "level"],
)
INSTITUTIONS = pd.DataFrame(
    [("best", "Best Hospital", "Boston"), ("far", "Far Clinic", "Fargo"), ("home", "Home", "Albany")],
    columns=["id", "name", "city"],
)
AFFILIATIONS = pd.DataFrame(
    [("a1", "g-best", "faculty"), ("a1", "home", "alumnus"), ("b2", "g-far", "fellow"), ("b2", "home", "alumnus")],
    columns=["person", "program", "role"],
)
TIES = pd.DataFrame(
    [("r", "m", 0.8), ("m", "a1", 0.7), ("r", "b1", 0.1), ("r", "c1", 0.95)], columns=["a", "b", "strength"]
)
PUBS = pd.DataFrame(
    [
        ("p1", "Liver Cirrhosis; Humans"),
        ("p2", "Liver Cirrhosis; Endoscopy, Gastrointestinal"),
        ("p3", "Heart Failure; Humans"),
        ("p4", "Colonic Polyps"),
    ],
    columns=["id", "mesh"],
)
AUTH = pd.DataFrame(
    [("r", "p1"), ("r", "p2"), ("a1", "p2"), ("b1", "p4"), ("c1", "p3"), ("c1", "p1")],
    columns=["person", "publication"],
)


def test_the_planted_program_with_warm_reach_and_research_fit_ranks_first() -> None:
    got = fellowship_shortlist("r", PEOPLE, PROGRAMS, INSTITUTIONS, AFFILIATIONS, TIES, AUTH, PUBS)
    assert got["program_id"].tolist() == ["g-best", "g-far"]  # GI only: Cardiology's strong tie does not count
    best = got.iloc[0]
    assert best["reach"] == pytest.approx(0.8 * 0.7) and best["alumni"] == 1 and best["fit"] > 0
    assert best["reasons"][0] == ShortlistReason("reach", round(0.56, 3), ("Max Mentor", "Ava Alum"))
    assert best["reasons"][1] == ShortlistReason("alumni", 1.0, ("Ava Alum",))
    assert best["reasons"][2].kind == "research_fit" and "Liver Cirrhosis" in best["reasons"][2].people
    far = got.iloc[1]
    # far: reach 0.1 to Ben (Bea is not tied), 1 alum (Bea), no shared headings
    assert far["reach"] == pytest.approx(0.1) and far["alumni"] == 1 and far["fit"] == 0
    assert [len(r) for r in got["reasons"]] == [3, 3]
    assert got["score"].is_monotonic_decreasing
    assert got.loc[0, "city"] == "Boston"


def test_another_specialty_of_interest_and_none_at_all() -> None:
    card = fellowship_shortlist(
        "r", PEOPLE, PROGRAMS, INSTITUTIONS, AFFILIATIONS, TIES, AUTH, PUBS, specialty="Cardiology"
    )
    assert card["program_id"].tolist() == ["c-best"] and card.loc[0, "reach"] == pytest.approx(0.95)
    none = fellowship_shortlist(
        "r", PEOPLE, PROGRAMS, INSTITUTIONS, AFFILIATIONS, TIES, AUTH, PUBS, specialty="Nephrology"
    )
    assert none.empty
