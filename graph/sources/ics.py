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
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import recurring_ical_events
from icalendar import Calendar, Component
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from graph.errors import InputError
from graph.model import Channel, Context, Interaction, stable_id
from graph.resolution.resolver import Mention, Resolver
from graph.sources.batch import Batch, Prov, person
from graph.sources.tabular import Rejection

__all__ = ["MAX_OCCURRENCES", "build_calendar"]

log = logging.getLogger(__name__)

_VIDEO = re.compile(
    r"\b(?:zoom|webex|video|jitsi|skype)\b|zoom\.us|meet\.google|google meet|teams\.microsoft|"
    r"\b(?:microsoft|ms) teams\b|\bteams meeting\b",
    re.IGNORECASE,
)
_VIDEO_FIELDS = ("LOCATION", "DESCRIPTION", "URL", "CONFERENCE", "X-GOOGLE-CONFERENCE")
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


MAX_OCCURRENCES = 1000
"""Occurrences of one recurring series taken up to today; a series with more is cut there and reported."""


def build_calendar(
    path: Path,
    resolver: Resolver,
    *,
    ingested_at: str,
    today: date | None = None,
    tz: str | None = None,
    max_occurrences: int = MAX_OCCURRENCES,
    name: str | None = None,
) -> Batch:
    """Turn the meetings of an ``.ics`` file into interactions.

    Each event with an organizer and attendees gives one interaction per
    attendee (``id`` from file name, ``UID``, ``RECURRENCE-ID`` if any, and
    the attendee's address): dated by ``DTSTART`` on the calendar's own
    day, context ``meeting``, venue and note the ``SUMMARY``, initiated by
    the organizer, ``duration_min`` from ``DTEND`` - ``DTSTART`` (or
    ``DURATION``; none for all-day events or beyond 24 hours), channel
    ``video`` when a video link or word (Zoom, Teams, Meet, Webex,
    "video") is in ``LOCATION``, ``DESCRIPTION``, ``URL`` or
    ``CONFERENCE``, else ``in_person``.

    Times are dated in the calendar's time zone: ``X-WR-TIMEZONE``, else
    the one ``VTIMEZONE`` it defines, else ``tz``; a UTC instant late in
    the evening lands on the local day.  With none of those, a time's date
    is taken as written.

    Recurring events (``RRULE``, ``RDATE``, with ``EXDATE`` and overridden
    occurrences) are expanded with recurring-ical-events [2]_: each
    occurrence up to ``today`` is one meeting, at most ``max_occurrences``
    a series (the cut is counted in ``batch.read_as``), and the series'
    next occurrence after ``today`` one planned meeting.  A single event
    after ``today`` is a planned meeting too (``planned=True``: it feeds
    stay-in-touch, not tie strength).  Cancelled events, events without an
    organizer or attendees, and attendees who declined or are the
    organizer give nothing; they are counted in ``batch.stats``, not
    rejected.

    Parameters
    ----------
    path : pathlib.Path
        An iCalendar file in UTF-8; it may hold several ``VCALENDAR`` sections.
    resolver : Resolver
        Knows the people already stored; learns the new ones.
    ingested_at : str
        Provenance time stamp.
    today : datetime.date, optional
        Meetings after it are planned.  Default: today in the calendar's zone.
    tz : str, optional
        IANA time zone for calendars that name none (``TIEGRAPH_TIMEZONE``).
    max_occurrences : int, default :data:`MAX_OCCURRENCES`
        Occurrences taken from one series.
    name : str, optional
        The file's path relative to the folder ingested (provenance and ids); by default its name.

    Returns
    -------
    Batch
        ``read`` is the number of events; an event without a usable
        ``DTSTART`` (or a series that cannot be expanded) is a rejection
        whose ``row`` is its 1-based place among the file's events.
        ``read_as`` holds the time zone, ``expanded_until``,
        ``occurrence_cap``, ``capped_series``, ``occurrences`` (of series)
        and ``planned``.

    Raises
    ------
    InputError
        If the file is missing, empty, binary, not UTF-8, or not iCalendar,
        or ``tz`` is not a time zone; the message names the file.

    References
    ----------
    .. [2] Niccokunzmann et al. recurring-ical-events: repeating events of
       RFC 5545 calendars. https://github.com/niccokunzmann/python-recurring-ical-events
    """
    batch = Batch("calendar", path, name=name or path.name)
    calendars = _calendars(path)
    zone, zone_name = _zone(calendars, tz, path.name)
    cut = _Cut(zone, today or (datetime.now(zone).date() if zone else date.today()), max_occurrences)
    skipped: Counter[str] = Counter()
    emit = _Emitter(batch, resolver, Prov("calendar", batch.name, ingested_at), skipped)
    singles, series = _group(batch, calendars, skipped)
    for index, event in singles:
        start = _dtstart(event)
        if start is None:  # rejected by _start_date
            continue
        key = [_text(event, "UID") or f"#{index}"]
        if "RECURRENCE-ID" in event:
            key.append(_text(event, "RECURRENCE-ID"))
        emit(event, index, key, cut.day(start), cut.day(start) > cut.today, _minutes(event, start))
    for index, uid, cal in series:
        occurrences = _expand(batch, cal, index, cut)
        for occ in occurrences:
            start = _dtstart(occ)
            if start is None:  # left out by _expand
                continue
            rid = getattr(_first(occ, "RECURRENCE-ID"), "dt", start)
            day = cut.day(start)
            emit(occ, index, [uid, _iso(rid)], day, day > cut.today, _minutes(occ, start))
    batch.stats = dict(skipped)
    batch.read_as = {
        "time_zone": zone_name,
        "expanded_until": cut.today.isoformat(),
        "occurrence_cap": max_occurrences,
        "capped_series": cut.capped,
        "series": len(series),
        "occurrences": cut.taken,
        "planned": emit.planned,
    }
    log.info(
        "%s: %d events, %d interactions (%d planned), skipped %s",
        path.name,
        batch.read,
        len(batch.records["interaction"]),
        emit.planned,
        dict(skipped),
    )
    return batch


@dataclass
class _Cut:
    """Where a series stops: its occurrences up to today, at most ``cap``, then its next one."""

    zone: tzinfo | None
    today: date
    cap: int
    capped: int = 0
    taken: int = 0

    def day(self, start: date | datetime) -> date:
        """The calendar's day of a start: an instant with a zone is moved into the calendar's zone first."""
        if isinstance(start, datetime):
            if start.tzinfo is not None and self.zone is not None:
                return start.astimezone(self.zone).date()
            return start.date()
        return start


@dataclass
class _Emitter:
    """One interaction per attendee of an event or occurrence."""

    batch: Batch
    resolver: Resolver
    prov: Prov
    skipped: Counter[str]
    planned: int = 0

    def __call__(
        self, event: Component, index: int, key: list[str], day: date, planned: bool, minutes: float | None
    ) -> None:
        why_not = _skip_reason(event)
        if why_not:
            self.skipped[why_not] += 1
            return
        p = self.prov(index)
        host = _mention(_first(event, "ORGANIZER"))
        organizer = person(self.resolver, self.batch, host, p)
        summary = " ".join(_text(event, "SUMMARY").split())
        channel = _channel(event)
        for attendee in _attendees(event):
            guest = _mention(attendee)
            if (guest.email or guest.name) == (host.email or host.name):
                self.skipped["organizer as attendee"] += 1
                continue
            if _param(attendee, "PARTSTAT").upper() == "DECLINED":
                self.skipped["declined"] += 1
                continue
            self.planned += planned
            self.batch.add(
                "interaction",
                Interaction(
                    id=stable_id("i", self.prov.file, *key, guest.email or guest.name),
                    a=organizer,
                    b=person(self.resolver, self.batch, guest, p),
                    date=day.isoformat(),
                    channel=channel,
                    context=Context.MEETING.value,
                    venue=summary,
                    initiated_by=organizer,
                    scheduled=False,
                    note=summary,
                    duration_min=minutes,
                    planned=planned,
                    **p,
                ),
            )


def _group(
    batch: Batch, calendars: list[Component], skipped: Counter[str]
) -> tuple[list[tuple[int, Component]], list[tuple[int, str, Component]]]:
    """Events with a usable start: single events, and recurring series as one small calendar each.

    A series is a ``VEVENT`` with ``RRULE`` or ``RDATE`` and the events
    overriding its occurrences (same ``UID``, with ``RECURRENCE-ID``);
    each series calendar carries the file's ``VTIMEZONE`` definitions.
    An event that gives nothing (cancelled, no organizer or attendees) is
    counted in ``skipped`` before its start is checked; an override is
    judged per occurrence, after expansion, since it may cancel one.
    """
    zones = {str(t.get("TZID")): t for c in calendars for t in c.walk("VTIMEZONE")}
    events = [e for c in calendars for e in c.walk("VEVENT")]
    usable: list[tuple[int, Component]] = []
    for index, event in enumerate(events, 1):
        batch.read += 1
        why_not = None if "RECURRENCE-ID" in event else _skip_reason(event)
        if why_not:
            skipped[why_not] += 1
        elif _start_date(batch, event, index):
            usable.append((index, event))
    masters: dict[str, int] = {}
    for index, event in usable:
        uid = _text(event, "UID")
        if uid and ("RRULE" in event or "RDATE" in event) and "RECURRENCE-ID" not in event:
            masters.setdefault(uid, index)
    members: dict[str, list[Component]] = defaultdict(list)
    singles = []
    for index, event in usable:
        uid = _text(event, "UID")
        if uid in masters and (masters[uid] == index or "RECURRENCE-ID" in event):
            members[uid].append(event)
        else:
            singles.append((index, event))
    series: list[tuple[int, str, Component]] = []
    for uid, index in masters.items():
        cal = Calendar()
        for part in (*zones.values(), *members[uid]):
            cal.add_component(part)
        series.append((index, uid, cal))
    return singles, series


def _expand(batch: Batch, cal: Component, index: int, cut: _Cut) -> list[Component]:
    """A series' occurrences up to ``cut.today`` (at most ``cut.cap``), then its next one; [] and a rejection if it cannot be expanded."""
    taken: list[Component] = []
    try:
        for occ in recurring_ical_events.of(cal).all():
            start = _dtstart(occ)
            if start is None:
                continue
            if cut.day(start) > cut.today:
                taken.append(occ)  # the next meeting: planned
                break
            if len(taken) == cut.cap:
                cut.capped += 1
                break
            taken.append(occ)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:  # bad RRULE, RDATE or EXDATE
        master = next(e for e in cal.walk("VEVENT") if "RECURRENCE-ID" not in e)
        rule = ", ".join(_ical(v) for name in ("RRULE", "RDATE", "EXDATE") for v in _all(master, name))
        reason = " ".join(str(exc).split())[:100] or type(exc).__name__
        name = next((n for n in ("RRULE", "RDATE", "EXDATE") if n in master), "RRULE")
        batch.rejections.append(Rejection(batch.name, index, name, rule, f"cannot be expanded ({reason})"))
        return []
    cut.taken += len(taken)
    return taken


def _zone(calendars: list[Component], tz: str | None, file: str) -> tuple[tzinfo | None, str]:
    """The calendar's time zone (``X-WR-TIMEZONE``, else its one ``VTIMEZONE``), else ``tz``; with its name."""
    named = [str(c.get("X-WR-TIMEZONE")) for c in calendars if c.get("X-WR-TIMEZONE")]
    if not named:
        defined = {str(t.get("TZID")) for c in calendars for t in c.walk("VTIMEZONE")}
        named = list(defined) if len(defined) == 1 else []
    for name in named:
        zone = _zoneinfo(WINDOWS_TO_OLSON.get(name, name))
        if zone is not None:
            return zone, name
    if tz:
        zone = _zoneinfo(tz)
        if zone is None:
            raise InputError(f"{file}: the configured time zone {tz!r} (TIEGRAPH_TIMEZONE) is not an IANA zone name")
        return zone, tz
    return None, ""


def _zoneinfo(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):  # not a zone name (or not a safe path)
        return None


def _minutes(event: Component, start: object) -> float | None:
    """``DTEND`` - ``DTSTART`` (or ``DURATION``) in minutes; None for all-day events and for what is not a time span."""
    if not isinstance(start, datetime):
        return None
    try:
        end = getattr(_first(event, "DTEND"), "dt", None)
        length = getattr(_first(event, "DURATION"), "dt", None)
    except ValueError:  # icalendar's BrokenCalendarProperty
        return None
    if isinstance(end, datetime) and (end.tzinfo is None) == (start.tzinfo is None):
        length = end - start
    if not isinstance(length, timedelta):
        return None
    minutes = length.total_seconds() / 60
    return minutes if 0 < minutes <= 24 * 60 else None


def _iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _calendars(path: Path) -> list[Component]:
    """The file's ``VCALENDAR`` sections; :class:`InputError` if it is not iCalendar."""
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
    return list(calendars)


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


def _dtstart(event: Component) -> date | None:
    """``DTSTART`` as a date or date-time (a ``datetime`` is a ``date``); None if it is neither."""
    start = getattr(_first(event, "DTSTART"), "dt", None)
    return start if isinstance(start, date) else None


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


def _start_date(batch: Batch, event: Component, index: int) -> bool:
    """Whether ``DTSTART`` is one date or date-time; if not, a rejection is added."""
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
        if isinstance(value, date):
            return True
        reason = "is not a date or date-time"
    raw = ", ".join(_ical(v) for v in given)
    batch.rejections.append(Rejection(batch.name, index, "DTSTART", raw, reason))
    return False


def _channel(event: Component) -> str:
    text = " ".join(str(v) for f in _VIDEO_FIELDS for v in _all(event, f))
    return Channel.VIDEO.value if _VIDEO.search(text) else Channel.IN_PERSON.value
