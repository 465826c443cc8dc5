"""Tie strength against a table computed by hand from the documented formula."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analytics.ties import TieWeights, score_ties, to_ties
from graph.model import stable_id

TODAY = date(2026, 11, 1)
EMPTY_AUTH = pd.DataFrame(columns=["person", "publication", "position", "n_authors"])
EMPTY_MENT = pd.DataFrame(columns=["mentor", "mentee", "type"])
EMPTY_INTER = pd.DataFrame(columns=["a", "b", "date", "scheduled", "initiated_by", "note", "context", "venue"])


def inter(rows: list[tuple]) -> pd.DataFrame:
    cols = ["a", "b", "date", "scheduled", "initiated_by", "note", "context", "venue"]
    return pd.DataFrame(rows, columns=cols)


def test_hand_computed_table() -> None:
    # x-y: one chosen contact exactly one half-life ago (180 days before today), initiated by x,
    #      plus one scheduled contact on the same day 360 days ago in another context, note says thanks.
    # x-z: only co-authors: a 3-author paper, x first and z last.
    # y-z: y mentors z (career), no contact at all.
    i = inter(
        [
            ("x", "y", "2026-05-05", False, "x", "thanks!", "clinic", ""),
            ("y", "x", "2025-11-06", True, None, "", "wards", ""),
        ]
    )
    a = pd.DataFrame(
        [("x", "p1", 1, 3), ("q", "p1", 2, 3), ("z", "p1", 3, 3)],
        columns=["person", "publication", "position", "n_authors"],
    )
    m = pd.DataFrame([("y", "z", "career")], columns=["mentor", "mentee", "type"])
    t = score_ties(i, a, m, as_of=TODAY).set_index(["a", "b"])
    # x-y by hand
    minutes = (0.5 ** (180 / 180) + 0.35 * 0.5 ** (360 / 180)) * 30  # (0.5 + 0.0875) x 30 min, no durations given
    intensity = minutes / (minutes + 60)
    structure = 2 / 4
    reciprocity = 0.0  # x initiated 1, y 0
    duration = 180 / 365
    intimacy = 1.0
    collab_xy = 0.0
    expected_xy = (
        0.35 * intensity + 0.10 * structure + 0.15 * collab_xy + 0.08 * reciprocity + 0.07 * duration + 0.05 * intimacy
    )
    assert t.loc[("x", "y"), "strength"] == pytest.approx(expected_xy, abs=1e-9)
    # x-z: Newman weight 1/(3-1) = 0.5, times 1.5 for first+last author
    assert t.loc[("x", "z"), "strength"] == pytest.approx(0.15 * (1 - math.exp(-0.75)), abs=1e-9)
    # x-q: 0.5, no first/last bonus
    assert t.loc[("q", "x"), "strength"] == pytest.approx(0.15 * (1 - math.exp(-0.5)), abs=1e-9)
    # y-z: mentorship only (0.20) plus the y-z co-authorship? y is not an author: mentorship only
    assert t.loc[("y", "z"), "strength"] == pytest.approx(0.20, abs=1e-9)
    assert not t["transactional"].any()


def test_scheduled_contact_counts_less_than_chosen() -> None:
    chosen = score_ties(
        inter([("a", "b", "2026-10-01", False, None, "", "wards", "")]), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY
    )
    forced = score_ties(
        inter([("a", "b", "2026-10-01", True, None, "", "wards", "")]), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY
    )
    assert forced["strength"].iloc[0] < chosen["strength"].iloc[0]


def test_one_sided_asking_is_transactional_and_explained() -> None:
    rows = [("a", "b", f"2026-0{k}-01", False, "a", "asked for a letter", "other", "") for k in range(1, 5)]
    s = score_ties(inter(rows), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY)
    assert bool(s["transactional"].iloc[0]) and s["reciprocity"].iloc[0] == 0
    ties = to_ties(s, EMPTY_MENT, {"a": "Ana", "b": "Ben"}, today=TODAY, computed_at="now")
    assert "one-sided: Ana initiated all 4 contacts" in ties[0].reasons
    mutual = rows + [("b", "a", "2026-06-01", False, "b", "", "other", "")] * 4
    s2 = score_ties(inter(mutual), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY)
    assert s2["reciprocity"].iloc[0] == 1.0 and s2["strength"].iloc[0] > s["strength"].iloc[0]


def test_same_institution_is_not_discounted() -> None:
    rows = [("res@lakeside.example", "pd@lakeside.example", "2026-10-01", False, None, "", "clinic", "")]
    other = [("res@lakeside.example", "x@elsewhere.example", "2026-10-01", False, None, "", "clinic", "")]
    a = score_ties(inter(rows), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY)["strength"].iloc[0]
    b = score_ties(inter(other), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY)["strength"].iloc[0]
    assert a == b > 0


def test_half_life_is_configurable() -> None:
    i = inter([("a", "b", "2026-05-05", False, None, "", "", "")])
    short = score_ties(i, EMPTY_AUTH, EMPTY_MENT, as_of=TODAY, weights=TieWeights(half_life_days=30))
    long = score_ties(i, EMPTY_AUTH, EMPTY_MENT, as_of=TODAY, weights=TieWeights(half_life_days=365))
    assert short["strength"].iloc[0] < long["strength"].iloc[0]


def test_reasons_in_words() -> None:
    i = inter([("a", "b", "2026-10-11", False, None, "", "clinic", "")] * 12)
    a = pd.DataFrame(
        [("a", "p1", 1, 2), ("b", "p1", 2, 2), ("a", "p2", 1, 2), ("b", "p2", 2, 2)],
        columns=["person", "publication", "position", "n_authors"],
    )
    m = pd.DataFrame([("b", "a", "career")], columns=["mentor", "mentee", "type"])
    s = score_ties(i, a, m, as_of=TODAY)
    [tie] = to_ties(s, m, {"a": "Ana Ruiz", "b": "Ben Ode"}, today=TODAY, computed_at="now")
    assert tie.reasons == "12 contacts, last 3 weeks ago; co-authors on 2 papers; Ben Ode mentors Ana Ruiz (career)"


rows = st.lists(
    st.tuples(
        st.sampled_from("abcd"),
        st.sampled_from("abcd"),
        st.dates(date(2020, 1, 1), TODAY).map(str),
        st.booleans(),
        st.sampled_from([None, "a", "b"]),
        st.sampled_from(["", "thanks", "x"]),
        st.sampled_from(["wards", "icu", "clinic"]),
        st.just(""),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_scores_are_in_unit_interval(data: list[tuple]) -> None:
    s = score_ties(inter(data), EMPTY_AUTH, EMPTY_MENT, as_of=TODAY)
    assert ((s["strength"] >= 1e-6) & (s["strength"] <= 1.0)).all()
    assert (s["a"] < s["b"]).all()


def _papers_with_one_150_author_paper() -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """40 small papers (2-5 authors) among 60 people, and one 150-author paper that 10 of them are on."""
    import random

    rng = random.Random(7)
    small = [tuple(rng.sample([f"s{i:02d}" for i in range(60)], rng.randint(2, 5))) for _ in range(40)]
    big = tuple([f"s{i:02d}" for i in range(10)] + [f"h{i:03d}" for i in range(140)])
    rows = [(p, f"small{k}", pos + 1, len(authors)) for k, authors in enumerate(small) for pos, p in enumerate(authors)]
    rows += [(p, "consortium", pos + 1, len(big)) for pos, p in enumerate(big)]
    return pd.DataFrame(rows, columns=["person", "publication", "position", "n_authors"]), small


def test_a_150_author_paper_ties_no_one_by_itself() -> None:
    import itertools

    import networkx as nx

    auth, small = _papers_with_one_150_author_paper()
    pairs = {tuple(sorted(p)) for authors in small for p in itertools.combinations(authors, 2)}
    oracle = nx.Graph(list(pairs))  # who wrote a small paper with whom, built by hand
    scored = score_ties(EMPTY_INTER, auth, EMPTY_MENT, as_of=TODAY)
    assert set(zip(scored["a"], scored["b"], strict=True)) == pairs  # the consortium adds no pair of its own
    got = nx.Graph(list(zip(scored["a"], scored["b"], strict=True)))
    assert dict(got.degree()) == dict(oracle.degree())  # so its 140 other authors are not in the degree ranking
    # small papers' ties keep their strengths; a pair also on the consortium paper gains its 1/(n-1) evidence
    alone = score_ties(EMPTY_INTER, auth[auth["publication"] != "consortium"], EMPTY_MENT, as_of=TODAY)
    both = scored.set_index(["a", "b"])["strength"] - alone.set_index(["a", "b"])["strength"]
    on_big = {f"s{i:02d}" for i in range(10)}
    inside = [a in on_big and b in on_big for a, b in both.index]
    assert (both[[not x for x in inside]].abs() < 1e-12).all()
    assert (both[inside] > 0).all() and (both[inside] < 0.15 / 149 * 1.5 + 1e-12).all()
    # the cutoff is what does it: raised above 150, the consortium's clique fills the top of the ranking
    raised = score_ties(EMPTY_INTER, auth, EMPTY_MENT, as_of=TODAY, max_authors=200)
    top = nx.Graph(list(zip(raised["a"], raised["b"], strict=True))).degree()
    assert all(p.startswith("h") or p in on_big for p, _ in sorted(top, key=lambda x: -x[1])[:20])


def _words_row_by_row(scored: pd.DataFrame, mentorships: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """The reasons as the per-tie loop wrote them before they were vectorised: the oracle, one tie at a time."""

    def ago(days: float) -> str:
        if days < 14:
            return f"{int(days)} days ago"
        if days < 60:
            return f"{int(days // 7)} weeks ago"
        if days < 730:
            return f"{int(days // 30)} months ago"
        return f"{days / 365:.0f} years ago"

    who = {(m.mentor, m.mentee): m.type for m in mentorships.itertuples(index=False)}
    out = []
    for t in scored.itertuples(index=False):
        said = []
        last = None if pd.isna(t.last_contact) else pd.Timestamp(t.last_contact)
        if t.n_interactions:
            sched = f" ({t.n_scheduled} on shared rotations)" if t.n_scheduled else ""
            when = f", last {ago((pd.Timestamp(TODAY) - last).days)}" if last is not None else ""
            said.append(f"{t.n_interactions} contact{'s' if t.n_interactions != 1 else ''}{sched}{when}")
        if t.papers:
            said.append(f"co-authors on {t.papers} paper{'s' if t.papers != 1 else ''}")
        for mentor, mentee in ((t.a, t.b), (t.b, t.a)):
            if (mentor, mentee) in who:
                said.append(
                    f"{names.get(mentor, mentor)} mentors {names.get(mentee, mentee)} ({who[(mentor, mentee)]})"
                )
        if t.transactional:
            asker = t.a if t.initiated_a > t.initiated_b else t.b
            said.append(
                f"one-sided: {names.get(asker, asker)} initiated all {max(t.initiated_a, t.initiated_b)} contacts"
            )
        out.append("; ".join(said))
    return out


dated_rows = st.lists(
    st.tuples(
        st.sampled_from("abcde"),
        st.sampled_from("abcde"),
        st.one_of(st.dates(date(2015, 1, 1), date(2026, 12, 31)).map(str), st.just("")),
        st.booleans(),
        st.sampled_from([None, "a", "b", "c"]),
        st.just(""),
        st.sampled_from(["wards", "icu"]),
        st.just(""),
    ),
    max_size=40,
)
papers = st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from(["p1", "p2", "p3"])), max_size=12)
mentors = st.lists(
    st.tuples(st.sampled_from("abcdef"), st.sampled_from("abcdef"), st.sampled_from(["career", "sponsor"])),
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(dated_rows, papers, mentors)
def test_reasons_match_the_row_by_row_wording(data: list[tuple], authored: list[tuple], declared: list[tuple]) -> None:
    auth = pd.DataFrame(sorted(set(authored)), columns=["person", "publication"])
    auth = auth.assign(position=auth.groupby("publication").cumcount() + 1)
    auth["n_authors"] = auth.groupby("publication")["person"].transform("size")
    m = pd.DataFrame([d for d in declared if d[0] != d[1]], columns=["mentor", "mentee", "type"])
    s = score_ties(inter(data), auth if len(auth) else EMPTY_AUTH, m, as_of=TODAY)
    names = {"a": "Ana Ruiz", "b": "Ben Ode", "c": "Cy Li"}  # d, e, f unnamed: shown as their ids
    ties = to_ties(s, m, names, today=TODAY, computed_at="now")
    assert [t.reasons for t in ties] == _words_row_by_row(s, m, names)
    assert [(t.id, t.a, t.b) for t in ties] == [
        (stable_id("t", a, b), a, b) for a, b in zip(s["a"], s["b"], strict=True)
    ]


def test_evidence_per_pair_matches_a_row_by_row_count() -> None:
    # ids that sort differently as strings and as numbers, repeated notes, a pair declared three times
    people = ["p10", "p2", "p1", "q", "P3"]
    rows = [
        (people[i % 5], people[(i * 3 + 1) % 5], f"2026-0{1 + i % 9}-1{i % 10}", i % 3 == 0, None, note, "c", "")
        for i, note in enumerate(["Thanks!", "", "ward", "coffee soon", "", "Thanks!", "x", "ward"] * 3)
    ]
    rows = [r for r in rows if r[0] != r[1]]
    m = pd.DataFrame(
        [("p2", "p10", "research"), ("p10", "p2", "career"), ("p2", "p10", "research"), ("q", "p1", "career")],
        columns=["mentor", "mentee", "type"],
    )
    got = score_ties(inter(rows), EMPTY_AUTH, m, as_of=TODAY).set_index(["a", "b"])
    assert list(got.index) == sorted(got.index)  # one row per pair, a < b, in order
    for (a, b), row in got.iterrows():
        mine = [r for r in rows if {r[0], r[1]} == {a, b}]
        assert a < b and row["n_interactions"] == len(mine)
        close = sum(any(w in r[5].lower() for w in ("thank", "coffee")) for r in mine)
        assert row["close_notes"] == close
        kinds = sorted({t for x, y, t in m.itertuples(index=False) if {x, y} == {a, b}})
        assert row["mentor_types"] == ", ".join(kinds)
    assert got.loc[("p10", "p2"), "mentor_types"] == "career, research"
    assert got.loc[("p1", "q"), "mentor_types"] == "career"


def test_records_of_equals_building_each_record_and_leaves_the_collector_as_it_was() -> None:
    import gc

    from graph.analytics.steps import records_of
    from graph.model import Metrics

    table = pd.DataFrame(
        {
            "id": ["mx-1", "mx-2"],
            "person": ["p1", "p2"],
            "degree": [3, 0],
            "weighted_degree": [1.5, 0.0],
            "pagerank": [0.2, 0.1],
            "betweenness": [0.0, 0.5],
            "closeness": [None, None],
            "community": [1, None],
            "burt_constraint": [0.25, None],
            "effective_size": [2.0, None],
            "computed_at": ["t", "t"],
            "source": ["analyze", "analyze"],
            "file": ["", ""],
            "row": [None, None],
            "ingested_at": ["", ""],
            "extra": ["ignored", "ignored"],
        }
    ).astype(object)
    table = table.where(table.notna(), None)
    want = [Metrics(**{k: v for k, v in row.items() if k != "extra"}) for row in table.to_dict("records")]
    assert records_of(Metrics, table) == want
    assert gc.isenabled()
    gc.disable()
    try:
        assert records_of(Metrics, table) == want
        assert not gc.isenabled()
    finally:
        gc.enable()
