"""Letters of recommendation: whom a resident should ask, by when, and where each request stands.

Program directors read letters for how well and how long the writer knows the
applicant, in which setting, and the writer's standing [1]_ [2]_.  Each
candidate (faculty, fellows and program leadership the resident has a tie with)
gets six components in [0, 1], and a weighted sum:

=====================  ======  ===============================================
component              weight  measure
=====================  ======  ===============================================
tie strength           0.30    the scored tie (:mod:`graph.analytics.ties`)
seen clinically        0.20    contacts on wards, ICU, clinic or consults, /10
seen over time         0.15    days from first to last contact, /365
seniority              0.15    PD, chair, dean 1; APD, chiefs 0.8; attending,
                               subspecialist, hospitalist 0.6; fellow 0.3
shared service         0.10    contacts on a shared (scheduled) service, /5
research together      0.10    co-authored publications, /2
=====================  ======  ===============================================

(each ratio capped at 1).  The timeline follows the usual advice: ask 6-8
weeks before the deadline, then remind at 4, 2 and 1 week(s) out until the
letter is submitted.

References
----------
.. [1] DeZee, K. J., Thomas, M. R., Mintz, M. and Durning, S. J. Letters of
   recommendation: rating, writing, and reading by clerkship directors of
   internal medicine. Teaching and Learning in Medicine 21(2):153-158, 2009.
.. [2] Association of American Medical Colleges. ERAS: letters of
   recommendation (applicant guidance on whom to ask and when).
   https://students-residents.aamc.org/applying-residencies-eras/
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from graph.errors import InputError
from graph.model import LetterRequest, stable_id

__all__ = [
    "CLINICAL_CONTEXTS",
    "LETTER_STATES",
    "WEIGHTS",
    "Step",
    "letter_request",
    "letter_timeline",
    "rank_letter_writers",
    "seniority",
]

log = logging.getLogger(__name__)

WEIGHTS = {
    "strength": 0.30,
    "clinical": 0.20,
    "over_time": 0.15,
    "seniority": 0.15,
    "shared_service": 0.10,
    "research": 0.10,
}
"""Weights of the six components (they sum to 1)."""
CLINICAL_CONTEXTS = frozenset({"wards", "icu", "clinic", "consult"})
LETTER_STATES = ("asked", "agreed", "submitted", "declined")
"""Where a letter request stands, in order; declined ends it."""
_SENIORITY = {
    "pd": 1.0,
    "program director": 1.0,
    "chair": 1.0,
    "vice chair": 1.0,
    "dean": 1.0,
    "apd": 0.8,
    "associate program director": 0.8,
    "division chief": 0.8,
    "chief": 0.8,
    "attending": 0.6,
    "subspecialist": 0.6,
    "hospitalist": 0.6,
    "fellow": 0.3,
}
_WRITER_KINDS = frozenset({"faculty", "fellow", "alumnus"})


@dataclass(frozen=True)
class Step:
    """One step of a letter timeline: a date, what to do, and whether it is past, due or upcoming."""

    on: str
    what: str
    status: str  # past | due | upcoming


def seniority(role: object, kind: object = None) -> float:
    """A writer's standing in [0, 1] from their role (and kind when the role is silent).

    >>> seniority("PD"), seniority("attending"), seniority("", "fellow")
    (1.0, 0.6, 0.3)
    """
    r = str(role or "").strip().lower()
    if r in _SENIORITY:
        return _SENIORITY[r]
    return {"faculty": 0.6, "fellow": 0.3, "alumnus": 0.6}.get(str(kind or ""), 0.0)


def rank_letter_writers(
    resident: str,
    people: pd.DataFrame,
    ties: pd.DataFrame,
    interactions: pd.DataFrame,
    authorships: pd.DataFrame,
    *,
    top: int = 10,
) -> pd.DataFrame:
    """Rank the people who could write a resident's letters [1]_.

    Parameters
    ----------
    resident : str
        The resident's person id.
    people, ties, interactions, authorships : pandas.DataFrame
        Frames as the store returns them (ties scored by ``analyze``).
    top : int, default 10
        How many to return.

    Returns
    -------
    pandas.DataFrame
        ``person, name, role, score`` and the six components ``strength,
        clinical, over_time, seniority, shared_service, research`` in [0, 1],
        with the raw counts ``clinical_contacts, days_known, shared_contacts,
        papers``; best first.
    """
    mine = ties[(ties["a"] == resident) | (ties["b"] == resident)]
    other = mine["b"].where(mine["a"] == resident, mine["a"])
    strength = dict(zip(other, mine["strength"], strict=True))
    writers = people[people["id"].isin(strength) & people["kind"].isin(_WRITER_KINDS)]
    if writers.empty:
        return pd.DataFrame(columns=_COLUMNS)
    seen = interactions[
        ((interactions["a"] == resident) | (interactions["b"] == resident))
        & ~interactions.get("planned", pd.Series(False, index=interactions.index)).fillna(False).astype(bool)
    ]
    seen = seen.assign(other=seen["b"].where(seen["a"] == resident, seen["a"]), day=pd.to_datetime(seen["date"]))
    clinical = seen[seen["context"].isin(CLINICAL_CONTEXTS)].groupby("other").size()
    shared = seen[seen["scheduled"].fillna(False).astype(bool)].groupby("other").size()
    span = seen.groupby("other")["day"].agg(lambda d: (d.max() - d.min()).days)
    papers_of = authorships.groupby("publication")["person"].agg(set)
    together = papers_of[papers_of.map(lambda s: resident in s)]
    coauthored: dict[str, int] = {}
    for authors in together:
        for p in authors - {resident}:
            coauthored[p] = coauthored.get(p, 0) + 1
    rows = []
    for w in writers.itertuples(index=False):
        counts = (int(clinical.get(w.id, 0)), int(span.get(w.id, 0)), int(shared.get(w.id, 0)), coauthored.get(w.id, 0))
        parts = {
            "strength": float(strength[w.id]),
            "clinical": min(counts[0] / 10, 1.0),
            "over_time": min(counts[1] / 365, 1.0),
            "seniority": seniority(w.role, w.kind),
            "shared_service": min(counts[2] / 5, 1.0),
            "research": min(counts[3] / 2, 1.0),
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items())
        rows.append((w.id, w.name, w.role or w.kind, round(score, 4), *(round(v, 4) for v in parts.values()), *counts))
    out = pd.DataFrame(rows, columns=_COLUMNS)
    return out.sort_values(["score", "name"], ascending=[False, True]).head(top).reset_index(drop=True)


_COLUMNS = [
    "person",
    "name",
    "role",
    "score",
    *WEIGHTS,
    "clinical_contacts",
    "days_known",
    "shared_contacts",
    "papers",
]


def letter_timeline(deadline: date, *, today: date, state: str | None = None) -> list[Step]:
    """Ask 8 to 6 weeks before ``deadline``; remind at 4, 2 and 1 week(s) out; a submitted letter needs no reminder.

    >>> [s.what for s in letter_timeline(date(2027, 7, 1), today=date(2027, 5, 1))][:2]
    ['ask from today (8 weeks before the deadline)', 'ask by now at the latest (6 weeks before)']
    """
    plan = [
        (deadline - timedelta(weeks=8), "ask from today (8 weeks before the deadline)"),
        (deadline - timedelta(weeks=6), "ask by now at the latest (6 weeks before)"),
        (deadline - timedelta(weeks=4), "first reminder, with your CV and personal statement (4 weeks before)"),
        (deadline - timedelta(weeks=2), "second reminder (2 weeks before)"),
        (deadline - timedelta(weeks=1), "last reminder (1 week before)"),
        (deadline, "deadline: letters submitted"),
    ]
    if state == "submitted":
        plan = [plan[0], plan[-1]]
    out = []
    for i, (on, what) in enumerate(plan):
        nxt = plan[i + 1][0] if i + 1 < len(plan) else on + timedelta(days=1)
        status = "past" if today >= nxt else "due" if today >= on else "upcoming"
        out.append(Step(on.isoformat(), what, status))
    return out


def letter_request(
    resident: str, writer: str, *, state: str, cycle: str, deadline: str, today: date, asked_on: str | None = None
) -> LetterRequest:
    """The record of a letter request in a state (one per resident, writer and cycle; updating it keeps its id).

    Raises
    ------
    InputError
        ``state`` is not one of :data:`LETTER_STATES`, or ``deadline`` is not ``YYYY-MM-DD``.
    """
    if state not in LETTER_STATES:
        raise InputError(f"a letter request is {', '.join(LETTER_STATES)}, not {state!r}")
    try:
        date.fromisoformat(deadline)
    except ValueError:
        raise InputError(f"deadline {deadline!r} is not YYYY-MM-DD") from None
    return LetterRequest(
        id=stable_id("lr", resident, writer, cycle),
        resident=resident,
        writer=writer,
        cycle=cycle,
        deadline=deadline,
        state=state,
        asked_on=asked_on or today.isoformat(),
        updated_on=today.isoformat(),
        source="letters",
    )
