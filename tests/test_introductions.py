"""Introduction requests: states, history, and when a follow-up falls due (by hand)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from graph.analytics.introductions import FOLLOW_UP_DAYS, advance, new_request, request_table
from graph.errors import InputError
from graph.model import KINDS

AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
NAMES = {"r": "Rita Res", "m": "Mona Mentor", "f": "Fay Fellow", "g": "Gil Guide"}


def frame(*reqs) -> pd.DataFrame:
    k = KINDS["intro_request"]
    return pd.DataFrame([k.to_row(r) for r in reqs], columns=list(k.fields))


def test_states_and_history() -> None:
    drafted = new_request(("r", "m", "f"), "GI", "GI fellowship", at=AT, by="rita", source="dashboard", state="drafted")
    assert drafted.state == "drafted" and drafted.asked_at == ""
    asked = advance(drafted, "asked", at=datetime(2026, 11, 21, tzinfo=UTC), by="rita", source="cli")
    assert asked.asked_at == "2026-11-21" and asked.id == drafted.id
    answered = advance(asked, "No answer", at=datetime(2026, 12, 1, tzinfo=UTC), by="rita", source="cli")
    assert answered.state == "no_answer" and answered.asked_at == "2026-11-21"
    assert answered.history == "drafted 2026-11-20 by rita; asked 2026-11-21 by rita; no_answer 2026-12-01 by rita"
    with pytest.raises(InputError, match="'maybe' is not one of drafted, asked, introduced, met, declined, no_answer"):
        advance(asked, "maybe", at=AT, by="rita", source="cli")


@pytest.mark.parametrize(("today", "due"), [(date(2026, 11, 26), False), (date(2026, 11, 27), True)])
def test_a_follow_up_falls_due_seven_days_after_an_unanswered_ask(today: date, due: bool) -> None:
    asked = new_request(("r", "m", "f"), "GI", "GI fellowship", at=AT, by="rita", source="dashboard")
    met = advance(
        new_request(("r", "g", "f"), "GI", "GI fellowship", at=AT, by="rita", source="dashboard"),
        "met",
        at=AT,
        by="rita",
        source="dashboard",
    )
    t = request_table(frame(met, asked), NAMES, today=today)
    assert FOLLOW_UP_DAYS == 7
    row = t[t["asked"] == "Mona Mentor"].iloc[0]
    assert bool(row["follow_up_due"]) is due and row["follow_up_by"] == "2026-11-27"
    assert row["via"] == "Rita Res → Mona Mentor → Fay Fellow"
    assert not t[t["asked"] == "Gil Guide"]["follow_up_due"].iloc[0]  # answered: nothing to follow up
    if due:
        assert t["asked"].iloc[0] == "Mona Mentor"  # follow-ups first
