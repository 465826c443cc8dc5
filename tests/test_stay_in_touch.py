"""Stay-in-touch rules: 6-12 month touches, 3-5 day conference follow-ups, 6-8 week letter requests."""

from __future__ import annotations

from datetime import date

import pandas as pd

from graph.analytics.stay_in_touch import due_list

PEOPLE = pd.DataFrame(
    [
        ("me", "Me Res", "resident", "Gastroenterology"),
        ("m1", "Mo Mentor", "faculty", None),
        ("m2", "Old Mentor", "faculty", None),
        ("c1", "Con Contact", "faculty", None),
        ("c2", "Fol Lowed", "faculty", None),
    ],
    columns=["id", "name", "kind", "specialty"],
)
MENT = pd.DataFrame([("m1", "me", "clinical"), ("m2", "me", "sponsor")], columns=["mentor", "mentee", "type"])


def inter(rows):  # noqa: ANN001, ANN201
    return pd.DataFrame(rows, columns=["a", "b", "date", "context", "venue"])


LOG = inter(
    [
        ("me", "m1", "2026-03-01", "clinic", ""),  # 8 months before today: due
        ("me", "m2", "2025-06-01", "clinic", ""),  # 17 months: overdue
        ("me", "c1", "2026-10-20", "conference", "ACG"),  # no follow-up: missed
        ("me", "c2", "2026-10-20", "conference", "ACG"),
        ("c2", "me", "2026-10-23", "other", ""),  # followed up in 3 days
    ]
)


def test_key_ties_and_followups() -> None:
    d = due_list("me", PEOPLE, MENT, LOG, today=date(2026, 11, 1)).set_index("who")
    assert d.loc["m1", "status"] == "due" and d.loc["m2", "status"] == "overdue"
    assert d.loc["c1", "why"] == "met at ACG: follow-up missed" and d.loc["c1", "due_by"] == "2026-10-25"
    assert "c2" not in d.index
    assert list(d["status"]) == sorted(d["status"], key=["overdue", "due", "upcoming"].index)


def test_followup_still_open_is_upcoming() -> None:
    d = due_list("me", PEOPLE, MENT, LOG, today=date(2026, 10, 22)).set_index("who")
    assert d.loc["c1", "status"] == "upcoming" and "within 5 days" in d.loc["c1", "why"]


def test_letters_asked_6_to_8_weeks_before_the_deadline() -> None:
    d = due_list("me", PEOPLE, MENT, LOG, today=date(2026, 5, 25))  # deadline 2026-07-15, 7 weeks ahead
    letters = d[d["why"].str.startswith("ask for a letter")]
    assert set(letters["who"]) == {"m1", "m2"} and set(letters["status"]) == {"due"}
    assert letters["due_by"].iloc[0] == "2026-06-03"  # 6 weeks before
    early = due_list("me", PEOPLE, MENT, LOG, today=date(2026, 3, 1))
    assert not early["why"].str.startswith("ask for a letter").any()
