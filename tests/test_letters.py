"""Letter writers ranked by hand-computed components, the 6-8 week timeline by the calendar, requests in both stores."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from graph.analytics.letters import WEIGHTS, letter_request, letter_timeline, rank_letter_writers
from graph.errors import InputError
from graph.model import LetterRequest, Person

PEOPLE = pd.DataFrame(
    [
        ("r", "Rae Resident", "resident", "resident"),
        ("pd", "Pat Director", "faculty", "PD"),
        ("att", "Ann Attending", "faculty", "attending"),
        ("fel", "Fin Fellow", "fellow", ""),
        ("peer", "Pia Peer", "resident", "resident"),
        ("rn", "Nel Nurse", "nurse", "nurse"),
    ],
    columns=["id", "name", "kind", "role"],
)
TIES = pd.DataFrame(
    [("r", "pd", 0.4), ("att", "r", 0.8), ("r", "fel", 0.5), ("r", "peer", 0.9), ("r", "rn", 0.9)],
    columns=["a", "b", "strength"],
)
INTER = pd.DataFrame(
    [
        # Ann: 12 ward days over 2025-01-10..2026-03-10 (424 days), 6 of them scheduled; Pat: one meeting
        *[("r", "att", f"2025-{m:02d}-10", "wards", m <= 6, False) for m in range(1, 13)],
        ("att", "r", "2026-03-10", "clinic", False, False),
        ("pd", "r", "2026-02-01", "meeting", False, False),
        ("r", "fel", "2026-01-05", "consult", True, False),
        ("r", "fel", "2026-03-05", "consult", False, False),
        ("r", "fel", "2027-01-01", "clinic", False, True),  # planned: not yet seen
    ],
    columns=["a", "b", "date", "context", "scheduled", "planned"],
)
AUTH = pd.DataFrame(
    [("r", "p1"), ("pd", "p1"), ("r", "p2"), ("pd", "p2"), ("fel", "p2"), ("att", "p3")],
    columns=["person", "publication"],
)


def test_writers_ranked_by_the_weighted_components_computed_by_hand() -> None:
    got = rank_letter_writers("r", PEOPLE, TIES, INTER, AUTH).set_index("person")
    assert set(got.index) == {"pd", "att", "fel"}  # peers and nurses do not write fellowship letters
    w = WEIGHTS
    ann = w["strength"] * 0.8 + w["clinical"] * 1.0 + w["over_time"] * 1.0 + w["seniority"] * 0.6
    ann += w["shared_service"] * 1.0 + w["research"] * 0
    pat = w["strength"] * 0.4 + w["seniority"] * 1.0 + w["research"] * 1.0  # two papers together
    fin = w["strength"] * 0.5 + w["clinical"] * 0.2 + w["over_time"] * 59 / 365 + w["seniority"] * 0.3
    fin += w["shared_service"] * 0.2 + w["research"] * 0.5
    assert got.loc["att", "score"] == pytest.approx(ann, abs=1e-4)
    assert got.loc["pd", "score"] == pytest.approx(pat, abs=1e-4)
    assert got.loc["fel", "score"] == pytest.approx(fin, abs=1e-4)
    assert got.index.tolist() == ["att", "pd", "fel"]
    assert (got.loc["att", "clinical_contacts"], got.loc["att", "days_known"], got.loc["att", "shared_contacts"]) == (
        13,
        424,
        6,
    )
    assert got.loc["fel", "days_known"] == 59  # the planned meeting is not counted
    assert got.loc["pd", "papers"] == 2 and got.loc["att", "papers"] == 0


def test_timeline_asks_six_to_eight_weeks_before_and_reminds_after() -> None:
    steps = letter_timeline(date(2027, 7, 1), today=date(2027, 5, 10))
    assert [s.on for s in steps] == ["2027-05-06", "2027-05-20", "2027-06-03", "2027-06-17", "2027-06-24", "2027-07-01"]
    assert [s.status for s in steps] == ["due", "upcoming", "upcoming", "upcoming", "upcoming", "upcoming"]
    late = letter_timeline(date(2027, 7, 1), today=date(2027, 6, 20))
    assert [s.status for s in late] == ["past", "past", "past", "due", "upcoming", "upcoming"]
    done = letter_timeline(date(2027, 7, 1), today=date(2027, 6, 20), state="submitted")
    assert len(done) == 2  # no reminders once submitted


def test_a_request_keeps_its_id_through_its_states_and_refuses_bad_ones() -> None:
    asked = letter_request("r", "pd", state="asked", cycle="2027", deadline="2027-07-01", today=date(2027, 5, 6))
    agreed = letter_request(
        "r", "pd", state="agreed", cycle="2027", deadline="2027-07-01", today=date(2027, 5, 9), asked_on="2027-05-06"
    )
    assert asked.id == agreed.id and (agreed.asked_on, agreed.updated_on) == ("2027-05-06", "2027-05-09")
    with pytest.raises(InputError, match="asked, agreed, submitted, declined, not 'maybe'"):
        letter_request("r", "pd", state="maybe", cycle="", deadline="2027-07-01", today=date(2027, 5, 6))
    with pytest.raises(InputError, match="not YYYY-MM-DD"):
        letter_request("r", "pd", state="asked", cycle="", deadline="July", today=date(2027, 5, 6))


def test_letter_requests_round_trip_in_both_stores(store) -> None:
    store.upsert("person", [Person(id="r", name="Rae"), Person(id="pd", name="Pat")])
    rec = letter_request("r", "pd", state="asked", cycle="2027", deadline="2027-07-01", today=date(2027, 5, 6))
    store.upsert("letter_request", [rec])
    later = letter_request(
        "r", "pd", state="submitted", cycle="2027", deadline="2027-07-01", today=date(2027, 6, 1), asked_on="2027-05-06"
    )
    store.upsert("letter_request", [later])
    assert store.records("letter_request") == [later]
    assert isinstance(store.get("letter_request", rec.id), LetterRequest)
    assert store.find("letter_request", "resident", ["r"])[0].state == "submitted"
