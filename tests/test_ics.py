"""graph.sources.ics: .ics meetings to interactions, bad events to rejections, bad files to InputError."""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.model import Person, stable_id
from graph.resolution.resolver import Resolver
from graph.sources.ics import build_calendar

AT = "2025-01-01T00:00:00+00:00"
TODAY = date(2024, 6, 30)


def ics(*events: str) -> str:
    body = "".join(f"BEGIN:VEVENT\n{e.strip()}\nEND:VEVENT\n" for e in events)
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//tiegraph tests//EN\n{body}END:VCALENDAR\n"
    return text.replace("\n", "\r\n")


VIDEO = """
UID:ev-1@test
DTSTART;TZID=America/Chicago:20240311T090000
SUMMARY:Research check-in
LOCATION:https://us02web.zoom.us/j/123456789
ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@example.org
ATTENDEE;CN=Ben Okafor;PARTSTAT=ACCEPTED:mailto:ben.okafor@example.org
ATTENDEE;CN="Chen, Li":MAILTO:Li.Chen@Example.org
"""
IN_PERSON = """
UID:ev-2@test
DTSTART;VALUE=DATE:20240402
SUMMARY:QI committee
LOCATION:Room 4B\\, West Pavilion
ORGANIZER;CN=Ben Okafor:mailto:ben.okafor@example.org
ATTENDEE;CN=Ana Ruiz:mailto:ana.ruiz@example.org
"""
NO_DTSTART = """
UID:ev-3@test
SUMMARY:Lost meeting
ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@example.org
ATTENDEE;CN=Ben Okafor:mailto:ben.okafor@example.org
"""


def write(tmp_path: Path, text: str | bytes, name: str = "cal.ics") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def by_id(email: str) -> str:
    return stable_id("p", "email", email.lower())


def test_three_events_two_meetings_one_rejection(tmp_path):
    path = write(tmp_path, ics(VIDEO, IN_PERSON, NO_DTSTART))
    batch = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)

    ana, ben, li = by_id("ana.ruiz@example.org"), by_id("ben.okafor@example.org"), by_id("li.chen@example.org")
    got = {(i.a, i.b, i.date, i.channel, i.note) for i in batch.records["interaction"].values()}
    assert got == {
        (ana, ben, "2024-03-11", "video", "Research check-in"),
        (ana, li, "2024-03-11", "video", "Research check-in"),
        (ben, ana, "2024-04-02", "in_person", "QI committee"),
    }
    assert batch.read == 3
    assert [(r.file, r.row, r.field, r.value) for r in batch.rejections] == [("cal.ics", 3, "DTSTART", "")]
    assert batch.landed == 2
    assert {p.name for p in batch.records["person"].values()} == {"Ana Ruiz", "Ben Okafor", "Chen, Li"}


def test_interaction_fields(tmp_path):
    path = write(tmp_path, ics(VIDEO))
    batch = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)
    ana, ben = by_id("ana.ruiz@example.org"), by_id("ben.okafor@example.org")
    i = batch.records["interaction"][stable_id("i", "cal.ics", "ev-1@test", "ben.okafor@example.org")]
    assert (i.a, i.b, i.initiated_by) == (ana, ben, ana)
    assert (i.context, i.venue, i.note, i.scheduled) == ("meeting", "Research check-in", "Research check-in", False)
    assert (i.source, i.file, i.row, i.ingested_at) == ("calendar", "cal.ics", 1, AT)


def test_attendees_resolve_to_roster_people_by_email(tmp_path):
    roster = [
        Person(id="R-1", name="Ana Ruiz", email="Ana.Ruiz@example.org", kind="faculty"),
        Person(id="R-2", name="Benjamin Okafor", email="ben.okafor@example.org", kind="resident"),
    ]
    path = write(tmp_path, ics(IN_PERSON))
    batch = build_calendar(path, Resolver(roster), ingested_at=AT, today=TODAY)
    (i,) = batch.records["interaction"].values()
    assert (i.a, i.b, i.initiated_by) == ("R-2", "R-1", "R-2")
    assert batch.records["person"]["R-2"].kind == "resident"


@pytest.mark.parametrize(
    ("where", "channel"),
    [
        ("LOCATION:https://teams.microsoft.com/l/meetup-join/abc", "video"),
        ("LOCATION:Microsoft Teams Meeting", "video"),
        ("DESCRIPTION:Join with Google Meet: https://meet.google.com/abc-defg-hij", "video"),
        ("LOCATION:https://acme.webex.com/meet/ana", "video"),
        ("DESCRIPTION:Video call\\, link to follow", "video"),
        ("LOCATION:Conference room 3", "in_person"),
        ("DESCRIPTION:Meet at the nurses' station before the meeting", "in_person"),
    ],
)
def test_channel(tmp_path, where, channel):
    event = IN_PERSON.replace("LOCATION:Room 4B\\, West Pavilion", where)
    batch = build_calendar(write(tmp_path, ics(event)), Resolver([]), ingested_at=AT, today=TODAY)
    assert [i.channel for i in batch.records["interaction"].values()] == [channel]


def test_bad_dates_are_rejected_with_their_event_number(tmp_path):
    bad_date = IN_PERSON.replace("ev-2@test", "ev-5").replace("DTSTART;VALUE=DATE:20240402", "DTSTART:2024-13-45")
    future = IN_PERSON.replace("ev-2@test", "ev-6").replace("20240402", "20240702")
    tomorrow = IN_PERSON.replace("ev-2@test", "ev-7").replace("20240402", "20240701")
    twice = IN_PERSON.replace("ev-2@test", "ev-8").replace(
        "DTSTART;VALUE=DATE:20240402", "DTSTART:20240401T100000Z\nDTSTART:20240402T100000Z"
    )
    duration = IN_PERSON.replace("ev-2@test", "ev-9").replace("DTSTART;VALUE=DATE:20240402", "DTSTART:P1D")
    path = write(tmp_path, ics(VIDEO, bad_date, future, tomorrow, twice, duration))

    batch = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)

    rows = {r.row: r for r in batch.rejections}
    assert sorted(rows) == [2, 5, 6]  # the future event (3) is a planned meeting, not an error
    assert all(r.field == "DTSTART" for r in batch.rejections)
    assert rows[2].value == "2024-13-45"
    assert "more than once" in rows[5].reason
    got = {(i.date, i.planned) for i in batch.records["interaction"].values()}
    assert got == {("2024-03-11", False), ("2024-07-01", True), ("2024-07-02", True)}
    assert batch.read == 6 and batch.landed == 3


def test_events_without_attendees_are_skipped_not_rejected(tmp_path):
    alone = "UID:ev-10\nDTSTART:20240301T100000Z\nSUMMARY:Focus time\nORGANIZER:mailto:ana.ruiz@example.org"
    no_organizer = "UID:ev-11\nDTSTART:20240301T100000Z\nATTENDEE:mailto:ben.okafor@example.org"
    cancelled = IN_PERSON.replace("ev-2@test", "ev-12") + "\nSTATUS:CANCELLED"
    no_date_alone = "UID:ev-13\nSUMMARY:Lunch"
    path = write(tmp_path, ics(alone, no_organizer, cancelled, no_date_alone, IN_PERSON))

    batch = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)

    assert batch.rejections == []
    assert len(batch.records["interaction"]) == 1
    assert batch.stats == {"no attendees": 2, "no organizer": 1, "cancelled": 1}
    assert batch.read == 5


def test_organizer_and_decliners_are_not_their_own_interactions(tmp_path):
    event = VIDEO + "ATTENDEE;CN=Ana Ruiz:mailto:ana.ruiz@example.org\nATTENDEE;PARTSTAT=DECLINED:mailto:dd@example.org"
    batch = build_calendar(write(tmp_path, ics(event)), Resolver([]), ingested_at=AT, today=TODAY)
    assert len(batch.records["interaction"]) == 2  # Ben and Li, as in VIDEO
    assert by_id("dd@example.org") not in batch.records["person"]
    assert batch.stats == {"organizer as attendee": 1, "declined": 1}


def test_a_recurring_event_is_expanded_and_an_override_moves_its_occurrence(tmp_path):
    series = IN_PERSON + "\nRRULE:FREQ=WEEKLY;COUNT=10"
    moved = IN_PERSON.replace("20240402", "20240410") + "\nRECURRENCE-ID;VALUE=DATE:20240409"
    batch = build_calendar(write(tmp_path, ics(series, moved)), Resolver([]), ingested_at=AT, today=TODAY)
    weekly = [date(2024, 4, 2) + timedelta(weeks=k) for k in range(10)]
    want = sorted(d.isoformat() for d in weekly if d != date(2024, 4, 9)) + ["2024-04-10"]
    assert sorted(i.date for i in batch.records["interaction"].values()) == sorted(want)
    assert not any(i.planned for i in batch.records["interaction"].values())


def test_re_ingest_gives_the_same_ids(tmp_path):
    path = write(tmp_path, ics(VIDEO, IN_PERSON))
    one = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)
    two = build_calendar(path, Resolver([]), ingested_at="later", today=TODAY)
    assert set(one.records["interaction"]) == set(two.records["interaction"])
    assert set(one.records["person"]) == set(two.records["person"])


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"  \r\n\r\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "BEGIN:VCALENDAR\r\nSUMMARY:Caf\u00e9\r\nEND:VCALENDAR\r\n".encode("latin-1"),
        "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".encode("utf-16"),
        b"hello, world\n",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n",
        b"END:VCALENDAR\r\n",
        b"BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n",
        b"name,email\nAna,ana@example.org\n",
    ],
    ids=[
        "0-bytes",
        "blank",
        "binary",
        "latin-1",
        "utf-16",
        "text",
        "truncated",
        "end-only",
        "no-vcalendar",
        "csv",
    ],
)
def test_malformed_files_raise_input_error_naming_the_file(tmp_path, content):
    path = write(tmp_path, content, name="team meetings.ics")
    with pytest.raises(InputError, match=r"^team meetings\.ics: "):
        build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="nope.ics"):
        build_calendar(tmp_path / "nope.ics", Resolver([]), ingested_at=AT, today=TODAY)


def _outcome(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzz.ics"
        path.write_bytes(content)
        try:
            batch = build_calendar(path, Resolver([]), ingested_at=AT, today=TODAY)
        except InputError as exc:
            assert str(exc).startswith("fuzz.ics")
            return
        assert batch.read >= len({r.row for r in batch.rejections})
        for i in batch.records.get("interaction", {}).values():
            assert len(i.date) == 10 and (i.date <= "2024-06-30") != i.planned
            assert i.duration_min is None or 0 < i.duration_min <= 24 * 60


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_gives_a_batch_or_input_error(text):
    _outcome(text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary())
def test_arbitrary_bytes_give_a_batch_or_input_error(content):
    _outcome(content)


_LINE = st.one_of(
    st.sampled_from(
        [
            "DTSTART:20240301T100000Z",
            "DTSTART;VALUE=DATE:20240301",
            "DTSTART;TZID=Nowhere/Land:20240301T100000",
            "ORGANIZER;CN=Ana:mailto:ana@example.org",
            "ATTENDEE;CN=Ben:mailto:ben@example.org",
            "ATTENDEE:",
            "ORGANIZER:",
            "BEGIN:VALARM",
            "END:VALARM",
            "RRULE:FREQ=WEEKLY",
            "RRULE:FREQ=DAILY;COUNT=3",
            "RRULE:FREQ=MINUTELY",
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=31",
            "RDATE:20240305T100000Z",
            "EXDATE:20240308T100000Z",
            "DTEND:20240301T110000Z",
            "DURATION:PT45M",
            "RECURRENCE-ID:20240308T100000Z",
            "STATUS:CANCELLED",
            "UID:x",
        ]
    ),
    st.builds(
        lambda name, value: f"{name}:{value}",
        st.sampled_from(
            ["DTSTART", "DTEND", "ATTENDEE", "ORGANIZER", "SUMMARY", "UID", "RECURRENCE-ID", "RRULE", "RDATE", "X-Y"]
        ),
        st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), max_size=20),
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=8))
def test_arbitrary_event_lines_give_a_batch_or_input_error(lines):
    text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + "\r\n".join(lines) + "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    _outcome(text.encode())


COMMITTEE = """
UID:committee@test
DTSTART;TZID=America/Chicago:20240105T120000
DTEND;TZID=America/Chicago:20240105T133000
RRULE:FREQ=MONTHLY;COUNT=6
SUMMARY:Wellness committee
ORGANIZER;CN=Ana Ruiz:mailto:ana.ruiz@example.org
ATTENDEE;CN=Ben Okafor:mailto:ben.okafor@example.org
ATTENDEE;CN=Li Chen:mailto:li.chen@example.org
"""


def interactions(batch):
    return sorted(batch.records["interaction"].values(), key=lambda i: (i.date, i.b))


def test_a_monthly_meeting_with_count_6_gives_6_contacts_per_attendee_pair(tmp_path):
    batch = build_calendar(write(tmp_path, ics(COMMITTEE)), Resolver([]), ingested_at=AT, today=TODAY)
    pairs = Counter((i.a, i.b) for i in batch.records["interaction"].values())
    ana = by_id("ana.ruiz@example.org")
    assert pairs == {(ana, by_id("ben.okafor@example.org")): 6, (ana, by_id("li.chen@example.org")): 6}
    assert sorted({i.date for i in interactions(batch)}) == [f"2024-{m:02d}-05" for m in range(1, 7)]
    assert {i.duration_min for i in interactions(batch)} == {90.0}
    assert not any(i.planned for i in interactions(batch))
    assert (batch.read, batch.landed, batch.read_as["series"], batch.read_as["occurrences"]) == (1, 1, 1, 6)
    again = build_calendar(write(tmp_path, ics(COMMITTEE)), Resolver([]), ingested_at="later", today=TODAY)
    assert set(again.records["interaction"]) == set(batch.records["interaction"])


def test_a_series_runs_up_to_today_and_its_next_meeting_is_planned(tmp_path):
    batch = build_calendar(write(tmp_path, ics(COMMITTEE)), Resolver([]), ingested_at=AT, today=date(2024, 3, 20))
    got = sorted({(i.date, i.planned) for i in interactions(batch)})
    assert got == [("2024-01-05", False), ("2024-02-05", False), ("2024-03-05", False), ("2024-04-05", True)]
    assert batch.read_as["planned"] == 2  # one per attendee
    assert batch.read_as["expanded_until"] == "2024-03-20"


def test_exdate_and_a_cancelled_occurrence_give_nothing(tmp_path):
    series = COMMITTEE + "EXDATE;TZID=America/Chicago:20240205T120000"
    cancelled = (
        "UID:committee@test\nRECURRENCE-ID;TZID=America/Chicago:20240305T120000\n"
        "DTSTART;TZID=America/Chicago:20240305T120000\nSTATUS:CANCELLED\n"
        "ORGANIZER:mailto:ana.ruiz@example.org\nATTENDEE:mailto:ben.okafor@example.org"
    )
    batch = build_calendar(write(tmp_path, ics(series, cancelled)), Resolver([]), ingested_at=AT, today=TODAY)
    assert sorted({i.date for i in interactions(batch)}) == ["2024-01-05", "2024-04-05", "2024-05-05", "2024-06-05"]
    assert batch.stats == {"cancelled": 1}


def test_the_occurrence_cap_is_applied_and_reported(tmp_path):
    daily = IN_PERSON + "\nRRULE:FREQ=DAILY"
    batch = build_calendar(write(tmp_path, ics(daily)), Resolver([]), ingested_at=AT, today=TODAY, max_occurrences=10)
    assert [i.date for i in interactions(batch)] == [f"2024-04-{d:02d}" for d in range(2, 12)]
    assert (batch.read_as["capped_series"], batch.read_as["occurrence_cap"]) == (1, 10)
    full = build_calendar(write(tmp_path, ics(daily)), Resolver([]), ingested_at=AT, today=TODAY)
    days = (TODAY - date(2024, 4, 2)).days + 1
    assert len(full.records["interaction"]) == days + 1  # every day up to today, and tomorrow planned
    assert full.read_as["capped_series"] == 0


LATE_UTC = """
UID:late@test
DTSTART:20240312T030000Z
DTEND:20240312T040000Z
SUMMARY:Night handover
ORGANIZER:mailto:ana.ruiz@example.org
ATTENDEE:mailto:ben.okafor@example.org
"""


def test_a_utc_instant_late_in_the_evening_lands_on_the_calendars_local_date(tmp_path):
    def day(text, tz=None):
        batch = build_calendar(write(tmp_path, text), Resolver([]), ingested_at=AT, today=TODAY, tz=tz)
        (i,) = batch.records["interaction"].values()
        return i.date, batch.read_as["time_zone"]

    named = ics(LATE_UTC).replace("PRODID:-//tiegraph tests//EN", "PRODID:x\r\nX-WR-TIMEZONE:America/Chicago")
    assert day(named) == ("2024-03-11", "America/Chicago")  # 22:00 CDT on the 11th
    assert day(named, tz="Asia/Tokyo") == ("2024-03-11", "America/Chicago")  # the calendar's own zone wins
    assert day(ics(LATE_UTC), tz="America/Chicago") == ("2024-03-11", "America/Chicago")
    assert day(ics(LATE_UTC), tz="Asia/Tokyo") == ("2024-03-12", "Asia/Tokyo")
    assert day(ics(LATE_UTC)) == ("2024-03-12", "")  # no zone anywhere: as written (UTC)
    vtimezone = (
        "BEGIN:VTIMEZONE\nTZID:Pacific Standard Time\nBEGIN:STANDARD\nDTSTART:16010101T020000\n"
        "TZOFFSETFROM:-0700\nTZOFFSETTO:-0800\nEND:STANDARD\nEND:VTIMEZONE\n"
    ).replace("\n", "\r\n")
    outlook = ics(LATE_UTC).replace("BEGIN:VEVENT", vtimezone + "BEGIN:VEVENT", 1)
    assert day(outlook) == ("2024-03-11", "Pacific Standard Time")  # a Windows zone name, as Outlook writes
    with pytest.raises(InputError, match=r"^cal\.ics: the configured time zone 'Mars/Olympus'"):
        day(ics(LATE_UTC), tz="Mars/Olympus")


@pytest.mark.parametrize(
    ("lines", "minutes"),
    [
        ("DTSTART:20240301T100000Z\nDTEND:20240301T114500Z", 105.0),
        ("DTSTART:20240301T100000Z\nDURATION:PT45M", 45.0),
        ("DTSTART;TZID=Europe/Oslo:20240301T100000\nDTEND:20240301T100000Z", 60.0),
        ("DTSTART;VALUE=DATE:20240301\nDTEND;VALUE=DATE:20240302", None),
        ("DTSTART:20240301T100000Z\nDTEND:20240301T090000Z", None),
        ("DTSTART:20240301T100000Z\nDTEND:20240303T100000Z", None),
        ("DTSTART:20240301T100000Z", None),
    ],
    ids=["dtend", "duration", "zones", "all-day", "end-before-start", "two-days", "no-end"],
)
def test_dtend_minus_dtstart_is_the_duration(tmp_path, lines, minutes):
    event = f"UID:d@test\n{lines}\nORGANIZER:mailto:ana.ruiz@example.org\nATTENDEE:mailto:ben.okafor@example.org"
    batch = build_calendar(write(tmp_path, ics(event)), Resolver([]), ingested_at=AT, today=TODAY)
    (i,) = batch.records["interaction"].values()
    assert i.duration_min == minutes


def test_a_series_that_cannot_be_expanded_is_rejected_with_its_rule(tmp_path):
    broken = IN_PERSON.replace("ev-2@test", "ev-20") + "\nRRULE:FREQ=WEEKLY;UNTIL=notadate"
    batch = build_calendar(write(tmp_path, ics(VIDEO, broken)), Resolver([]), ingested_at=AT, today=TODAY)
    assert [(r.row, r.field, r.value) for r in batch.rejections] == [(2, "RRULE", "FREQ=WEEKLY;UNTIL=notadate")]
    assert "cannot be expanded" in batch.rejections[0].reason
    assert {i.date for i in batch.records["interaction"].values()} == {"2024-03-11"}
