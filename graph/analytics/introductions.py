"""Introduction requests: the loop after a warm path is found (ask, track, follow up, learn).

A request records who asked whom, for which target, through which path and when
(:class:`graph.model.IntroRequest`).  Its state moves through ``drafted``,
``asked``, ``introduced``, ``met``, ``declined`` and ``no_answer``; an ask left
without an answer for :data:`FOLLOW_UP_DAYS` days falls due for a follow-up.
Answered requests are the outcomes ``tiegraph calibrate`` learns tie weights
from: the first contact carried the ask (introduced, met) or did not
(declined, no answer).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from graph.errors import InputError
from graph.model import IntroRequest, IntroState, stable_id

__all__ = ["ANSWERED", "CARRIED", "FOLLOW_UP_DAYS", "advance", "new_request", "request_table"]

FOLLOW_UP_DAYS = 7
"""Days after an ask without an answer when a follow-up falls due."""
CARRIED = frozenset({IntroState.INTRODUCED.value, IntroState.MET.value})
"""States saying the first contact passed the introduction on."""
ANSWERED = CARRIED | {IntroState.DECLINED.value, IntroState.NO_ANSWER.value}
"""States with an outcome (the labels calibration learns from)."""


def new_request(
    people: tuple[str, ...],
    target: str,
    target_label: str,
    *,
    at: datetime,
    by: str,
    source: str,
    message: str = "",
    state: str = IntroState.ASKED.value,
) -> IntroRequest:
    """A request along ``people`` (resident first), in ``state``; one per resident, first contact and target."""
    req = IntroRequest(
        id=stable_id("ir", people[0], people[1], target_label),
        source=source,
        ingested_at=at.isoformat(timespec="seconds"),
        requester=people[0],
        first_contact=people[1],
        target=target,
        target_label=target_label,
        path=" > ".join(people),
        message=message,
        state=IntroState.DRAFTED.value,
    )
    return advance(req, state, at=at, by=by, source=source)


def advance(
    request: IntroRequest, state: str, *, at: datetime, by: str, source: str, note: str | None = None
) -> IntroRequest:
    """The request in a new state, its history extended; asking sets ``asked_at`` (once).

    Raises
    ------
    InputError
        ``state`` is not one of :class:`graph.model.IntroState`.
    """
    states = [s.value for s in IntroState]
    wanted = state.strip().lower().replace(" ", "_")
    if wanted not in states:
        raise InputError(f"state {state!r} is not one of {', '.join(states)}")
    day = at.date().isoformat()
    asked = request.asked_at or (day if wanted != IntroState.DRAFTED.value else "")
    history = "; ".join(x for x in (request.history, f"{wanted} {day} by {by}") if x)
    return IntroRequest(
        **{
            **{f: getattr(request, f) for f in request.__dataclass_fields__},
            "state": wanted,
            "asked_at": asked,
            "updated_at": at.isoformat(timespec="seconds"),
            "history": history,
            "source": source,
            "note": request.note if note is None else note,
        }
    )


def request_table(requests: pd.DataFrame, names: dict[str, str], *, today: date) -> pd.DataFrame:
    """A person's requests for a page or the CLI, newest first, with when a follow-up falls due.

    Returns
    -------
    pandas.DataFrame
        ``id, target_label, first_contact, asked, via, state, asked_at,
        follow_up_by, follow_up_due, history`` (``asked``: the first contact's
        name; ``via``: the chain by name).
    """
    cols = ["id", "target_label", "first_contact", "asked", "via", "state", "asked_at", "follow_up_by"]
    cols += ["follow_up_due", "history", "note"]
    if requests.empty:
        return pd.DataFrame(columns=cols)
    r = requests.copy()
    r["asked"] = r["first_contact"].map(names)
    r["via"] = r["path"].map(lambda p: " → ".join(names.get(x, x) for x in str(p).split(" > ")))
    asked = pd.to_datetime(r["asked_at"].replace("", None), format="%Y-%m-%d", errors="coerce")
    by = asked + timedelta(days=FOLLOW_UP_DAYS)
    r["follow_up_by"] = by.dt.strftime("%Y-%m-%d").where(r["state"] == IntroState.ASKED.value, "")
    r["follow_up_due"] = (r["state"] == IntroState.ASKED.value) & (by <= pd.Timestamp(today))
    return r.sort_values(["follow_up_due", "updated_at"], ascending=[False, False])[cols].reset_index(drop=True)
