"""graph.views.Views.target_options: every option resolves back to what it says."""

from __future__ import annotations

import math
from pathlib import Path

from graph.store import Store
from graph.views import Views


def test_target_options_kinds_labels_and_order(targets_store: Store) -> None:
    options = Views(targets_store).target_options()
    assert options[["kind", "label"]].to_records(index=False).tolist() == [
        ("program", "Gastroenterology fellowship at Northfield University Hospital"),
        ("program", "Hematology/Oncology fellowship at Lakeside Medical Center"),
        ("institution", "Lakeside Medical Center (institution)"),
        ("institution", "Northfield University Hospital (institution)"),  # Nowhere Clinic: nobody works there
        # Cardiology: only a resident; Pulmonary/Critical Care: only someone who opted out
        ("specialty", "Gastroenterology (anyone in the specialty)"),
        ("specialty", "Hematology/Oncology (anyone in the specialty)"),
        ("person", "Ana Ruiz: PGY2 resident, Lakeside Medical Center"),
        ("person", "Ben Okafor: faculty, APD, Lakeside Medical Center"),
        ("person", "Chloe Zhang: alum, Northfield University Hospital"),
        ("person", "Dev Patel: PGY1 resident, Lakeside Medical Center"),
        ("person", "Hank Moss: faculty, Lakeside Medical Center"),
        ("person", "Sam Quinn"),  # Olga Berg opted out
    ]


def test_every_target_option_resolves_to_itself(targets_store: Store) -> None:
    v = Views(targets_store)
    for kind, label, value in v.target_options()[["kind", "label", "value"]].itertuples(index=False):
        target = v.target(value)
        assert target.kind == kind, (label, target)
        assert label.startswith(target.label), (label, target)
        if kind == "person":
            assert target.id == value
    assert v.target("Northfield University Hospital").members == {"p-chl"}
    assert v.target("Gastroenterology").members == {"p-ben", "p-chl"}  # residents are peers, not the door


def test_draft_message_asks_the_first_contact_for_the_next_person() -> None:
    from graph.analytics.paths import Hop, IntroPath
    from graph.analytics.targets import Target
    from graph.views import IntroAnswer

    names = {"r": "Rita Res", "m": "Mona Mentor", "f": "Fay Fellow"}
    target = Target("program", "gi", "Gastroenterology fellowship at North", frozenset({"f"}))
    two = IntroPath(("r", "m", "f"), (Hop("r", "m", 0.5, None, ""), Hop("m", "f", 0.5, None, "")), 1.0)
    one = IntroPath(("r", "f"), (Hop("r", "f", 0.5, None, ""),), 0.7)
    ans = IntroAnswer("r", target, [two, one], names)
    assert ans.draft(two) == (
        "Hi Mona, I hope you are well. I am interested in the Gastroenterology fellowship at North. I understand "
        "you know Fay Fellow. Would you be willing to introduce me to Fay? I would value 15 minutes of advice on "
        "the program. Thank you! Rita Res"
    )
    assert ans.draft(one).startswith("Hi Fay, I hope you are well. I am interested in the Gastroenterology fellowship")
    assert "Could I ask you for 15 minutes of advice on the program?" in ans.draft(one)
    # three hops: the chain, the final person and who they are, the shared context of the first hop
    names["c"] = "Cal Chief"
    three = IntroPath(
        ("r", "m", "c", "f"), (*two.hops[:1], Hop("m", "c", 0.5, None, ""), Hop("c", "f", 0.5, None, "")), 2.0
    )
    ans = IntroAnswer("r", target, [three], names, {"f": "GI fellow, North"}, {"m": "on the wards"})
    assert ans.draft(three) == (
        "Hi Mona, I hope you are well since we worked together on the wards. I am interested in the "
        "Gastroenterology fellowship at North. I understand you know Cal Chief, who knows Fay Fellow (GI fellow, "
        "North). Would you be willing to introduce me to Cal, so that I might reach Fay? I would value 15 minutes "
        "of advice on the program. Thank you! Rita Res"
    )


def test_weak_ties_are_the_strongest_bridges_between_communities_with_their_spans(dashboard_env: Path) -> None:
    import networkx as nx

    from dashboards.data import views

    with views() as v:
        shown = v.weak_ties(top=5)
        people, ties, names = v.people, v.ties, v.names
    p = people[~people["opted_out"]].dropna(subset=["community"])
    member = dict(zip(p["id"], p["community"].astype(int), strict=True))
    g = nx.Graph()
    for a, b, s in ties[["a", "b", "strength"]].itertuples(index=False):
        if a in member and b in member:
            g.add_edge(a, b, strength=s)
    across = [(u, w, span) for u, w, span in nx.local_bridges(g, with_span=True) if member[u] != member[w]]
    assert len(across) >= 3 and any(math.isinf(s) for *_, s in across)  # fewer than top: all shown
    across.sort(key=lambda t: -g[t[0]][t[1]]["strength"])
    want = {frozenset((names[u], names[w])): span for u, w, span in across[:5]}
    got = {frozenset((a, b)): span for a, b, span in shown[["a_name", "b_name", "span"]].itertuples(index=False)}
    assert got == want
    assert (shown["overlap"] == 0).all()
    assert list(shown["strength"]) == sorted((g[u][w]["strength"] for u, w, _ in across[:5]), reverse=True)
