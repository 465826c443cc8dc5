"""From an iCalendar file (RFC 5545) to meetings between people.

Every ``VEVENT`` with an ``ORGANIZER`` and at least one ``ATTENDEE`` becomes
one :class:`~graph.model.Interaction` between the organizer and each attendee
who did not decline, resolved by e-mail address (and ``CN`` name) through the
same :class:`~graph.resolution.resolver.Resolver` as every other input.

References
----------
.. [1] Desruisseaux, B. (ed.). Internet Calendaring and Scheduling Core
   Object Specification (iCalendar). RFC 5545, 2009.
   https://doi.org/10.17487/RFC5545
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Component

from graph.errors import InputError
from graph.ingest import Batch, _person, _Prov
from graph.model import Channel, Context, Interaction, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.tabular import Rejection

__all__ = ["build_calendar"]

log = logging.getLogger(__name__)

_VIDEO = re.compile(
    r"\b(?:zoom|webex|video|jitsi|skype)\b|zoom\.us|meet\.google|google meet|teams\.microsoft|"
    r"\b(?:microsoft|ms) teams\b|\bteams meeting\b",
    re.IGNORECASE,
)
_VIDEO_FIELDS = ("LOCATION", "DESCRIPTION", "URL", "CONFERENCE", "X-GOOGLE-CONFERENCE")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def build_calendar(path: Path, resolver: Resolver, *, ingested_at: str, today: date | None = None) -> Batch:
    """Turn the meetings of an ``.ics`` file into interactions.

    Each event with an organizer and attendees gives one interaction per
    attendee (``id`` from file name, ``UID``, ``RECURRENCE-ID`` if any, and
    the attendee's address): dated by ``DTSTART`` (its date as written, in
    the event's own time zone), context ``meeting``, venue and note the
    ``SUMMARY``, initiated by the organizer, channel ``video`` when a video
    link or word (Zoom, Teams, Meet, Webex, "video") is in ``LOCATION``,
    ``DESCRIPTION``, ``URL`` or ``CONFERENCE``, else ``in_person``.

    Recurring events are not expanded: an ``RRULE`` series is one
    interaction, dated by its first occurrence, and each overridden
    occurrence (a ``VEVENT`` with ``RECURRENCE-ID``) one more.  Cancelled
    events, events without an organizer or attendees, and attendees who
    declined or are the organizer give nothing; they are counted in
    ``batch.stats``, not rejected.

    Parameters
    ----------
    path : pathlib.Path
        An iCalendar file in UTF-8; it may hold several ``VCALENDAR`` sections.
    resolver : Resolver
        Knows the people already stored; learns the new ones.
    ingested_at : str
        Provenance time stamp.
    today : datetime.date, optional
        Events starting after ``today`` + 1 day are refused.  Default: today.

    Returns
    -------
    Batch
        ``read`` is the number of events; an event without a usable
        ``DTSTART`` is a rejection whose ``row`` is its 1-based place among
        the file's events.

    Raises
    ------
    InputError
        If the file is missing, empty, binary, not UTF-8, or not iCalendar;
        the message names the file.
    """
    batch = Batch("calendar", path)
    prov = _Prov("calendar", path.name, ingested_at)
    limit = (today or date.today()) + timedelta(days=1)
    skipped: Counter[str] = Counter()
    for index, event in enumerate(_events(path), 1):
        batch.read += 1
        p = prov(index)
        why_not = _skip_reason(event)
        if why_not:
            skipped[why_not] += 1
            continue
        day = _start_date(batch, event, index, limit)
        if day is None:
            continue
        host = _mention(_first(event, "ORGANIZER"))
        organizer = _person(resolver, batch, host, p)
        key = [_text(event, "UID") or f"#{index}"]
        if "RECURRENCE-ID" in event:
            key.append(_text(event, "RECURRENCE-ID"))
        summary = " ".join(_text(event, "SUMMARY").split())
        channel = _channel(event)
        for attendee in _attendees(event):
            guest = _mention(attendee)
            if (guest.email or guest.name) == (host.email or host.name):
                skipped["organizer as attendee"] += 1
                continue
            if _param(attendee, "PARTSTAT").upper() == "DECLINED":
                skipped["declined"] += 1
                continue
            batch.add(
                "interaction",
                Interaction(
                    id=stable_id("i", path.name, *key, guest.email or guest.name),
                    a=organizer,
                    b=_person(resolver, batch, guest, p),
                    date=day,
                    channel=channel,
                    context=Context.MEETING.value,
                    venue=summary,
                    initiated_by=organizer,
                    scheduled=False,
                    note=summary,
                    **p,  # type: ignore[arg-type]
                ),
            )
    batch.stats = dict(skipped)
    log.info(
        "%s: %d events, %d interactions, skipped %s",
        path.name,
        batch.read,
        len(batch.records["interaction"]),
        dict(skipped),
    )
    return batch


def _events(path: Path) -> list[Component]:
    """The file's events in file order; :class:`InputError` if it is not iCalendar."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read: {exc.strerror or exc}") from exc
    if not raw.strip():
        raise InputError(f"{path.name}: the file is empty")
    if b"\x00" in raw:
        raise InputError(f"{path.name}: not an iCalendar file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 text as iCalendar requires (byte {exc.start})") from exc
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as exc:  # icalendar's parse errors
        reason = " ".join(str(exc).split())[:120]
        raise InputError(f"{path.name}: not a readable iCalendar file ({reason})") from exc
    roots = {c.name for c in calendars}
    if not calendars or roots != {"VCALENDAR"}:
        found = ", ".join(sorted(str(r) for r in roots)) or "nothing"
        raise InputError(f"{path.name}: not an iCalendar file (found {found}, expected VCALENDAR)")
    return [e for c in calendars for e in c.walk("VEVENT")]


def _skip_reason(event: Component) -> str | None:
    if _text(event, "STATUS").upper() == "CANCELLED":
        return "cancelled"
    if not _attendees(event):
        return "no attendees"
    organizer = _first(event, "ORGANIZER")
    if not isinstance(organizer, str) or not organizer.strip():
        return "no organizer"
    return None


def _all(event: Component, name: str) -> list[object]:
    value = event.get(name)
    return value if isinstance(value, list) else [] if value is None else [value]


def _attendees(event: Component) -> list[str]:
    return [a for a in _all(event, "ATTENDEE") if isinstance(a, str) and a.strip()]


def _first(event: Component, name: str) -> object:
    """A property's value; the first one if it is given more than once."""
    value = event.get(name)
    return value[0] if isinstance(value, list) and value else value


def _text(event: Component, name: str) -> str:
    """A property as text; dates and addresses as written in the file."""
    value = _first(event, name)
    return "" if value is None else _ical(value)


def _ical(value: object) -> str:
    if isinstance(value, str):
        return str(value)
    to_ical = getattr(value, "to_ical", None)
    return to_ical().decode(errors="replace") if to_ical else str(value)


def _mention(address: object) -> Mention:
    """``mailto:ana@x.org`` with ``CN=Ana Ruiz`` -> a mention with e-mail and name."""
    value = str(address).strip()
    email = _MAILTO.sub("", value).strip().lower() if "@" in value else None
    cn = " ".join(_param(address, "CN").split()).strip('"')
    return Mention(name=cn or email or value, email=email)


def _param(value: object, name: str) -> str:
    params = getattr(value, "params", None) or {}
    return str(params.get(name, ""))


def _start_date(batch: Batch, event: Component, index: int, limit: date) -> str | None:
    """``DTSTART`` as YYYY-MM-DD, or None after adding a rejection."""
    given = _all(event, "DTSTART")
    value: object = None
    reason = None
    if not given:
        reason = "is required"
    elif len(given) > 1:
        reason = "is given more than once"
    else:
        try:
            value = getattr(given[0], "dt", None)
        except ValueError as exc:  # icalendar's BrokenCalendarProperty
            reason = f"is not a date or date-time ({' '.join(str(exc).split())[:80]})"
    if reason is None:
        if not isinstance(value, date):
            reason = "is not a date or date-time"
        elif (day := value.date() if isinstance(value, datetime) else value) > limit:
            reason = f"is in the future (after {(limit - timedelta(days=1)).isoformat()})"
        else:
            return day.isoformat()
    raw = ", ".join(_ical(v) for v in given)
    batch.rejections.append(Rejection(batch.file.name, index, "DTSTART", raw, reason))
    return None


def _channel(event: Component) -> str:
    text = " ".join(str(v) for f in _VIDEO_FIELDS for v in _all(event, f))
    return Channel.VIDEO.value if _VIDEO.search(text) else Channel.IN_PERSON.value
