"""Stay in touch: which of a person's ties are due for attention, and by when.

Rules of the field, all configurable in :class:`TouchRules`:

* key mentors and sponsors need a touch every 6-12 months: due after 6,
  overdue after 12;
* a contact first met at a conference needs a follow-up within 3-5 days;
  without one it is a missed follow-up;
* letters of recommendation must be requested 6-8 weeks before the deadline
  they are for: a resident with a fellowship interest sees, 10 weeks before
  the application deadline, which mentors to ask.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

__all__ = ["TouchRules", "due_list"]

log = logging.getLogger(__name__)

NO_FELLOWSHIP = {"General Internal Medicine", "Hospital Medicine", None, ""}

_Row = tuple[object, ...]  # who, name, why, last_contact, due_by, status


@dataclass(frozen=True)
class TouchRules:
    """Intervals of the stay-in-touch rules."""

    due_days: int = 183  # 6 months
    overdue_days: int = 365  # 12 months
    followup_days: int = 5  # conference follow-ups within 3-5 days
    letter_weeks: tuple[int, int] = (8, 6)  # ask 8 to 6 weeks ahead
    warn_weeks: int = 10
    fellowship_deadline: tuple[int, int] = (7, 15)  # month, day: fellowship applications (ERAS) due


def due_list(
    person: str,
    people: pd.DataFrame,
    mentorships: pd.DataFrame,
    interactions: pd.DataFrame,
    *,
    today: date,
    rules: TouchRules | None = None,
) -> pd.DataFrame:
    """Ties of ``person`` that are due, most urgent first.

    Every rule reads contacts as they are stored, so a contact just logged
    restarts that person's cadence at once.  Planned contacts (``planned``:
    a future calendar meeting, a snooze) are not contacts; one still ahead
    keeps the person off the list until its date.

    Returns
    -------
    pandas.DataFrame
        ``who, name, why, last_contact, due_by, status`` where status is
        ``overdue``, ``due`` or ``upcoming``.
    """
    r = rules or TouchRules()
    names = dict(zip(people["id"], people["name"], strict=True))
    mine = interactions[(interactions["a"] == person) | (interactions["b"] == person)].copy()
    mine["other"] = mine["b"].where(mine["a"] == person, mine["a"])
    mine["when"] = pd.to_datetime(mine["date"].replace("", None), format="%Y-%m-%d", errors="coerce")
    planned = mine["planned"].fillna(False).astype(bool) if "planned" in mine else pd.Series(False, index=mine.index)
    # a planned touch still ahead (a meeting in the calendar, a snooze) means nothing is due until then
    ahead = set(mine.loc[planned & (mine["when"] > pd.Timestamp(today)), "other"])
    mine = mine[~planned]
    last = mine.groupby("other")["when"].max()
    rows: list[_Row] = []
    rows += _key_ties(person, mentorships, last, names, today, r)
    rows += _followups(mine, names, today, r)
    rows += _letters(person, people, mentorships, names, today, r)
    out = pd.DataFrame(rows, columns=["who", "name", "why", "last_contact", "due_by", "status"])
    out = out[~out["who"].isin(ahead)]
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    return out.sort_values(["status", "due_by"], key=lambda s: s.map(order) if s.name == "status" else s).reset_index(
        drop=True
    )


def _key_ties(
    person: str, mentorships: pd.DataFrame, last: pd.Series, names: dict[str, str], today: date, r: TouchRules
) -> list[_Row]:
    rows: list[_Row] = []
    key = mentorships[(mentorships["mentee"] == person) | (mentorships["mentor"] == person)]
    for m in key.itertuples(index=False):
        other = m.mentor if m.mentee == person else m.mentee
        seen = last.get(other)
        role = (
            f"your {m.type.replace('_', '/')} mentor"
            if m.mentee == person
            else f"your mentee ({m.type.replace('_', '/')})"
        )
        if m.type == "sponsor":
            role = "your sponsor" if m.mentee == person else "someone you sponsor"
        if seen is None or pd.isna(seen):
            rows.append(
                (other, names.get(other, other), f"{role}: no contact on record", None, today.isoformat(), "overdue")
            )
            continue
        age = (pd.Timestamp(today) - seen).days
        if age >= r.due_days:
            status = "overdue" if age >= r.overdue_days else "due"
            due_by = (seen + timedelta(days=r.overdue_days if status == "due" else r.due_days)).date().isoformat()
            rows.append(
                (
                    other,
                    names.get(other, other),
                    f"{role}: last touch {age // 30} months ago",
                    seen.date().isoformat(),
                    due_by,
                    status,
                )
            )
    return rows


def _followups(mine: pd.DataFrame, names: dict[str, str], today: date, r: TouchRules) -> list[_Row]:
    rows: list[_Row] = []
    conf = mine[mine["context"] == "conference"].dropna(subset=["when"])
    for other, group in conf.groupby("other"):
        met = group["when"].min()
        history = mine[(mine["other"] == other) & mine["when"].notna()]
        if (history["when"] < met).any():
            continue  # knew them before the conference
        followed = ((history["when"] > met) & (history["when"] <= met + timedelta(days=r.followup_days))).any()
        if followed:
            continue
        due_by = (met + timedelta(days=r.followup_days)).date()
        venue = group.loc[group["when"] == met, "venue"].iloc[0] or "a conference"
        later = (history["when"] > met + timedelta(days=r.followup_days)).any()
        if due_by >= today:
            rows.append(
                (
                    other,
                    names.get(other, other),
                    f"met at {venue}: follow up within {r.followup_days} days",
                    met.date().isoformat(),
                    due_by.isoformat(),
                    "upcoming",
                )
            )
        elif not later and (today - due_by).days <= 120:
            rows.append(
                (
                    other,
                    names.get(other, other),
                    f"met at {venue}: follow-up missed",
                    met.date().isoformat(),
                    due_by.isoformat(),
                    "overdue",
                )
            )
    return rows


def _letters(
    person: str, people: pd.DataFrame, mentorships: pd.DataFrame, names: dict[str, str], today: date, r: TouchRules
) -> list[_Row]:
    me = people[people["id"] == person]
    if me.empty or me["kind"].iloc[0] != "resident" or me["specialty"].iloc[0] in NO_FELLOWSHIP:
        return []
    month, day = r.fellowship_deadline
    deadline = date(today.year, month, day)
    if deadline < today:
        deadline = date(today.year + 1, month, day)
    if (deadline - today).days > r.warn_weeks * 7:
        return []
    ask_from, ask_by = deadline - timedelta(weeks=r.letter_weeks[0]), deadline - timedelta(weeks=r.letter_weeks[1])
    writers = mentorships[
        (mentorships["mentee"] == person) & mentorships["type"].isin(["clinical", "sponsor", "research_qi", "career"])
    ]
    status = "overdue" if today > ask_by else ("due" if today >= ask_from else "upcoming")
    return [
        (
            w,
            names.get(w, w),
            f"ask for a letter for the fellowship application due {deadline.isoformat()} "
            f"(6-8 weeks ahead: {ask_from.isoformat()} to {ask_by.isoformat()})",
            None,
            ask_by.isoformat(),
            status,
        )
        for w in sorted(set(writers["mentor"]))
    ]
