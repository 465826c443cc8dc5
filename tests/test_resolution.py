"""Record linkage measured: pairwise precision and recall of Resolver.resolve_all on three labelled sets.

The sets are built by :mod:`tools.labelled_sets`: (a) the sample program's labels; (b) the real
PubMed/MEDLINE records in ``tests/data/pubmed`` with ORCID as truth (ORCIDs removed from the input);
(c) the seeded stress set of ``tools.stress_names`` (>= 50,000 names).  Truth comes from the labels,
never from the resolver.  ``tools/splink_baseline.py`` measures Splink on the same sets.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from graph.model import Person
from graph.resolution.resolver import Mention, Resolver
from tools.labelled_sets import LABELS, pubmed, sample_labels
from tools.stress_names import generate, pairwise


def test_pairwise_measure_against_hand_counts() -> None:
    # clusters {a,a,b} vs truth {1,1,1}: 1 of 1 predicted pair right, 1 of 3 true pairs found
    assert pairwise(["a", "a", "b"], [1, 1, 1]) == (1.0, 1 / 3)
    assert pairwise(["a", "a", "a"], [1, 1, 2]) == (1 / 3, 1.0)


def test_sample_program_labels() -> None:
    """Every person of the sample and every row of both contact logs, resolved in one run.

    Truth: a labelled variant's ``true_person``; else the row's id or e-mail column names the person;
    rows with neither are resolved but not scored (nothing says who they are).
    """
    mentions, truth = sample_labels()
    labels = pd.read_csv(LABELS / "resolution.csv", dtype=str, keep_default_na=False)
    resolver = Resolver([])
    ids = resolver.resolve_all(mentions)
    scored = [(i, t) for i, t in zip(ids, truth, strict=True) if t is not None]
    precision, recall = pairwise([i for i, _ in scored], [t for _, t in scored])
    print(json.dumps({"set": "sample labels", "mentions": len(mentions), "scored": len(scored), "precision": precision,
                      "recall": recall, "review": len(resolver.review), "model": resolver.model.summary()}))  # fmt: skip
    assert len(labels) > 100 and len(scored) > 20_000
    assert precision >= 0.995, precision
    assert recall >= 0.98, recall
    distinct = pd.read_csv(LABELS / "distinct_people.csv", dtype=str)
    of = {t: i for i, t in scored}
    for row in distinct.itertuples(index=False):
        assert of[row.person_1] != of[row.person_2], row.name


def test_real_pubmed_records() -> None:
    mentions, truth, orcids = pubmed()
    ids = Resolver([]).resolve_all(mentions)
    precision, recall = pairwise(ids, truth)
    print(
        json.dumps(
            {"set": "pubmed", "mentions": len(mentions), "orcids": orcids, "precision": precision, "recall": recall}
        )
    )
    assert len(mentions) > 100 and orcids >= 3
    assert precision >= 0.995, precision
    assert recall >= 0.98, recall


STRESS_FLOOR = (0.995, 0.98)
"""The goal, on seeds 11, 12 and 13 (measured 0.9955 / 0.9885, 0.9960 / 0.9883 and 0.9962 / 0.9867).
Every mention carries co-authors (as real rows do), so no pair is unknowable.  The misses left: a
mention under a full name several people share that has nothing in common with one of them but the
name, and initial-only mentions ("Zhou W") without corroboration; both go to the review queue, as
issue 11 asks.  The false merges left: namesakes at one institution whose co-author circles touch."""


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_stress_set_of_50k_names(seed: int) -> None:
    mentions, truth = generate(seed, 12_000)
    r = Resolver([])
    ids = r.resolve_all(mentions)
    precision, recall = pairwise(ids, truth)
    print(json.dumps({"set": "stress", "seed": seed, "mentions": len(mentions), "precision": precision,
                      "recall": recall, "review": len(r.review), "model": r.model.summary()}))  # fmt: skip
    assert len(mentions) >= 50_000
    assert precision >= STRESS_FLOOR[0], precision
    assert recall >= STRESS_FLOOR[1], recall


def test_blocking_is_never_all_against_all() -> None:
    # 15,000 name-only rows whose surnames have no Latin letters or are numbers: comparisons stay near-linear
    names = [f"Участник {i}" for i in range(5000)] + [f"Patient {i:05d}" for i in range(5000)]
    names += [f"Ωμέγα Σ{i}" for i in range(5000)]
    r = Resolver([])
    ids = r.resolve_all([Mention(n) for n in names])
    assert len(set(ids)) == len(names)  # names differing in a digit are different people
    assert r.compared < 5 * len(names)


def test_different_linkedin_urls_never_merge_and_keys_are_normalised() -> None:
    r = Resolver([])
    a, b, c = r.resolve_all(
        [
            Mention("Jane Doe", linkedin_url="https://www.linkedin.com/in/jane-doe-1/"),
            Mention("Jane Doe", linkedin_url="linkedin.com/in/jane-doe-2"),
            Mention("Jane Doe", linkedin_url="http://linkedin.com/in/Jane-Doe-1?trk=x"),
        ]
    )
    assert a != b and a == c


def test_forenames_and_initials_need_corroboration() -> None:
    r = Resolver([])
    ids = r.resolve_all(
        [
            Mention("Wei Zhang", institution_id="pku"),
            Mention("Wen Zhang", institution_id="pku"),
            Mention("Chris Hobbs", institution_id="north"),
            Mention("Christie Hobbs", institution_id="south"),
            Mention("Zhang W"),
            Mention("Zhang W", institution_id="pku"),
        ]
    )
    wei, wen, chris, christie, bare, at_pku = ids
    assert len({wei, wen, chris, christie, bare}) == 5
    assert at_pku not in (wei, wen)  # fits both Wei and Wen at pku: a human decides
    assert {i.written_as for i in r.review} >= {"Zhang W", "Chris Hobbs"} or r.review


def test_resolve_all_then_resolve_is_a_cache_hit_and_known_people_are_found() -> None:
    r = Resolver([Person(id="p1", name="Ana Ruiz", email="ana@x.example")])
    ms = [Mention("Ana Ruiz", "ana@x.example"), Mention("Ruiz, Ana"), Mention("Иван Петров"), Mention("Petrov, Ivan")]
    ids = r.resolve_all(ms)
    assert ids[0] == ids[1] == "p1" and ids[2] == ids[3] != "p1"
    assert [r.resolve(m) for m in ms] == ids


def test_romanisation_variants_are_one_person_and_pinyin_forenames_are_not_variants() -> None:
    # Cyrillic reaches Latin by several systems: Yelena/Elena/Елена, Mikhaylov/Mikhailov/Михайлов are one
    # name each; "Ying" and "Yingyang" are two Chinese given names, whatever they share (bibliometrix 590)
    ids = Resolver([]).resolve_all(
        [
            Mention("Yelena Vasil'eva", institution_id="msu", context=("Olga Petrova",)),
            Mention("Елена Васильева", institution_id="msu", context=("Ольга Петрова",)),
            Mention("Mikhaylov, Sergey", institution_id="spb", context=("Ivan Popov",)),
            Mention("Михайлов, Сергей", institution_id="spb", context=("Иван Попов",)),
            Mention("Ying Zhou", institution_id="fudan", context=("Hao Zhang",)),
            Mention("Yingyang Zhou", institution_id="fudan", context=("Hao Zhang",)),
        ]
    )
    assert ids[0] == ids[1] and ids[2] == ids[3]
    assert ids[4] != ids[5]


def test_a_co_author_is_compared_by_full_forename_and_a_closed_circle_keeps_a_namesake_out() -> None:
    # "Seo-yeon Lee" and "So-woo Lee" are both "Lee S", yet two people: two Kims at two institutions
    # sharing them are not one person who moved
    a = Mention("Min-su Kim", institution_id="snu", context=("Seo-yeon Lee", "Hao Zhang"))
    b = Mention("Min-su Kim", institution_id="kaist", context=("So-woo Lee", "Hong Zhang"))
    assert len(set(Resolver([]).resolve_all([a, b]))) == 2
    # a team written again and again (a closed circle of four) and a namesake at the same institution
    # naming none of them: two people; a contact log's person meets someone new on most rows: one
    team = ("Ana Lopez", "Bo Li", "Carl Berg", "Dana Fox")
    rows = [Mention("Rui Liu", institution_id="x", context=(team[i % 4], team[(i + 1) % 4])) for i in range(6)]
    stranger = Mention("Rui Liu", institution_id="x", context=("Eve Stone",))
    ids = Resolver([]).resolve_all([*rows, stranger])
    assert len(set(ids[:6])) == 1 and ids[6] != ids[0]
    log = [Mention("Dana Fox", context=(f"Person{chr(65 + i)} Other{chr(65 + i)}",)) for i in range(12)]
    assert len(set(Resolver([]).resolve_all(log))) == 1
