"""iCalendar feeds: valid RFC 5545, parsed back with icalendar, and the calendar reads they use."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from icalendar import Calendar

from cecto.people.tests.factories import PersonFactory
from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.calendars import (
    calendar_months_for,
    calendar_sessions_of_cohort,
    calendar_sessions_of_user,
    cancellation_reasons_for,
)
from cecto.scheduling.ical import PRODID, calendar_ics, cohort_calendar_ics, person_calendar_ics
from cecto.scheduling.models import Session
from cecto.scheduling.series import session_series_create
from cecto.scheduling.services import session_cancel, session_update
from cecto.scheduling.tests.factories import CohortFactory, SessionFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
CREATED = dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC)


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture
def cohort():
    program = ProgramFactory(short_name="CeCTO", time_zone="America/New_York")
    return CohortFactory(program=program, name="Class of 2026", slug="class-of-2026")


@pytest.fixture
def track(cohort):
    return TrackFactory(program=cohort.program, name="CeCTO candidate")


@pytest.fixture
def sessions(cohort, track):
    with time_machine.travel(CREATED, tick=False):
        kickoff = SessionFactory(
            cohort=cohort,
            title="Kick-off: transformational leadership in K-12 (joint)",
            description="Bring your district's technology plan.",
            mode=Session.Mode.IN_PERSON,
            location="MCNC, 3021 Cornwallis Road, Research Triangle Park, NC",
            starts_at=local(2026, 2, 10, 9),
            ends_at=local(2026, 2, 10, 16),
            contact_minutes=360,
            is_required=True,
        )
        webinar = SessionFactory(
            cohort=cohort,
            track=track,
            title="Month 2: live webinar 1",
            mode=Session.Mode.ONLINE_LIVE,
            location="",
            meeting_url="https://meet.cecto.example/cecto",
            starts_at=local(2026, 3, 11, 15),
            ends_at=local(2026, 3, 11, 17),
            contact_minutes=90,
        )
        module = SessionFactory(
            cohort=cohort,
            track=track,
            title="Month 2: self-paced module",
            mode=Session.Mode.ONLINE_SELF_PACED,
            location="",
            starts_at=local(2026, 3, 2, 0),
            ends_at=local(2026, 3, 29, 23, 59),
            contact_minutes=270,
        )
    return kickoff, webinar, module


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def events_by_summary(calendar: Calendar) -> dict[str, object]:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def cohort_feed(cohort) -> bytes:
    sessions = list(calendar_sessions_of_cohort(cohort=cohort))
    return cohort_calendar_ics(
        cohort=cohort, sessions=sessions, reasons=cancellation_reasons_for(sessions=sessions)
    )


# --- the calendar ------------------------------------------------------------------------------


def test_the_cohort_feed_is_a_calendar_with_its_name_and_time_zone(cohort, sessions):
    body = cohort_feed(cohort)
    calendar = parse(body)

    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == PRODID
    assert str(calendar["X-WR-CALNAME"]) == "CeCTO Class of 2026"
    assert str(calendar["X-WR-TIMEZONE"]) == "America/New_York"
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=1)
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()
    assert len(calendar.walk("VEVENT")) == 3


def test_the_vtimezone_describes_both_clock_changes(cohort, sessions):
    (timezone,) = parse(cohort_feed(cohort)).walk("VTIMEZONE")

    offsets = {(str(part["TZNAME"]), part["TZOFFSETTO"].td) for part in timezone.subcomponents}
    assert offsets == {("EST", dt.timedelta(hours=-5)), ("EDT", dt.timedelta(hours=-4))}
    assert timezone.to_tz().utcoffset(dt.datetime(2026, 7, 1, 12)) == dt.timedelta(hours=-4)  # noqa: DTZ001


def test_a_timed_session_is_an_event_in_its_time_zone(cohort, sessions):
    kickoff, webinar, _module = sessions

    events = events_by_summary(parse(cohort_feed(cohort)))

    event = events[kickoff.title]
    assert str(event["UID"]) == f"{kickoff.uuid}@cecto"
    assert event["DTSTAMP"].dt == CREATED
    assert event["DTSTART"].dt == local(2026, 2, 10, 9)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTEND"].dt == local(2026, 2, 10, 16)
    assert event["DTEND"].params["TZID"] == "America/New_York"
    assert str(event["LOCATION"]) == kickoff.location
    assert "URL" not in event
    assert event["SEQUENCE"] == 0
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["DESCRIPTION"]) == (
        "In person · 6 contact hours\n"
        "For: joint session of every track (required)\n"
        "Class: CeCTO Class of 2026\n"
        "\n"
        "Bring your district's technology plan."
    )

    online = events[webinar.title]
    assert str(online["URL"]) == "https://meet.cecto.example/cecto"
    assert "LOCATION" not in online
    assert online["DTSTART"].dt == local(2026, 3, 11, 15)
    assert str(online["DESCRIPTION"]) == (
        "Live online · 1.5 contact hours\n"
        "For: CeCTO candidate track\n"
        "Class: CeCTO Class of 2026\n"
        "Join: https://meet.cecto.example/cecto"
    )


def test_a_self_paced_module_is_an_all_day_event_spanning_its_window(cohort, sessions):
    _kickoff, _webinar, module = sessions

    event = events_by_summary(parse(cohort_feed(cohort)))[module.title]

    assert event["DTSTART"].dt == dt.date(2026, 3, 2)
    assert event["DTEND"].dt == dt.date(2026, 3, 30)  # exclusive: it closes at the end of March 29
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert str(event["DESCRIPTION"]).startswith("Self-paced online · 4.5 contact hours\n")


def test_lines_end_in_crlf_and_are_folded_at_75_octets(cohort, sessions):
    kickoff, _webinar, _module = sessions
    long_title = "Évaluer la stratégie numérique du district — " * 4
    session_update(session=kickoff, by=None, title=long_title.strip())

    body = cohort_feed(cohort)

    assert body.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert any(line.startswith(b" ") for line in lines), "the long title is folded"
    for line in lines:
        line.decode("utf-8")  # folding never splits a multi-byte character
    assert long_title.strip() in events_by_summary(parse(body))


def test_an_empty_calendar_is_still_valid(cohort):
    calendar = parse(cohort_feed(cohort))

    assert calendar.walk("VEVENT") == []
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_a_session_in_another_zone_brings_its_own_vtimezone(cohort):
    SessionFactory(
        cohort=cohort, time_zone="America/Chicago", starts_at=local(2026, 4, 1), ends_at=local(2026, 4, 1, 12)
    )

    calendar = parse(cohort_feed(cohort))

    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"America/New_York", "America/Chicago"}
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "America/Chicago"
    assert event["DTSTART"].dt.hour == 8


# --- changes and cancellations -----------------------------------------------------------------


def test_a_changed_session_keeps_its_uid_and_bumps_its_sequence(cohort, sessions):
    kickoff, _webinar, _module = sessions
    session_update(session=kickoff, by=None, starts_at=local(2026, 2, 10, 10))

    event = events_by_summary(parse(cohort_feed(cohort)))[kickoff.title]

    assert str(event["UID"]) == f"{kickoff.uuid}@cecto"
    assert event["SEQUENCE"] == 1
    assert event["DTSTART"].dt == local(2026, 2, 10, 10)


def test_a_cancelled_session_stays_in_the_feed_as_cancelled_with_the_reason(cohort, sessions):
    _kickoff, webinar, _module = sessions
    session_update(session=webinar, by=None, title="Month 2: live webinar 1 (new time)")
    session_cancel(session=webinar, reason="The speaker is ill.", by=None)

    event = events_by_summary(parse(cohort_feed(cohort)))["Month 2: live webinar 1 (new time)"]

    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["DESCRIPTION"]).startswith("CANCELLED: The speaker is ill.\nLive online")


def test_a_cancelled_session_without_an_audit_reason_is_still_marked(cohort):
    session = SessionFactory(cohort=cohort, status=Session.Status.CANCELLED)

    (event,) = parse(
        calendar_ics(name="x", time_zone="America/New_York", sessions=[session], reasons={})
    ).walk("VEVENT")

    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["DESCRIPTION"]).startswith("CANCELLED\n")


def test_a_series_stays_at_nine_local_in_the_feed_across_the_clock_change(cohort):
    session_series_create(
        cohort=cohort,
        title="Weekly call",
        mode=Session.Mode.ONLINE_LIVE,
        rrule="FREQ=WEEKLY;COUNT=3",
        first_starts_at=local(2026, 3, 1),
        duration_minutes=60,
        contact_minutes=60,
        meeting_url="https://meet.cecto.example/weekly",
        by=None,
    )

    body = cohort_feed(cohort)

    assert body.count(b"DTSTART;TZID=America/New_York:") == 3
    for day in ("20260301", "20260308", "20260315"):
        assert f"DTSTART;TZID=America/New_York:{day}T090000".encode() in body


# --- the person's feed -------------------------------------------------------------------------


def test_the_person_feed_is_named_for_them_in_their_programmes_zone(cast):
    SessionFactory(cohort=cast.cohort, title="Joint day")
    person = cast.participant.person
    sessions = list(calendar_sessions_of_user(user=cast.participant))

    calendar = parse(person_calendar_ics(person=person, sessions=sessions, reasons={}))

    assert str(calendar["X-WR-CALNAME"]) == "cecto sessions of Pat Participant"
    assert str(calendar["X-WR-TIMEZONE"]) == cast.cohort.program.time_zone
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Joint day"]


def test_an_empty_person_feed_uses_the_site_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"

    calendar = parse(
        person_calendar_ics(person=PersonFactory.build(full_name="Nobody"), sessions=[], reasons={})
    )

    assert str(calendar["X-WR-TIMEZONE"]) == "America/Chicago"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


# --- calendar reads ----------------------------------------------------------------------------


def test_sessions_are_grouped_by_month_in_the_programmes_zone(cohort):
    # 03:30 UTC on April 1 is still March 31 in New York.
    late = SessionFactory(
        cohort=cohort,
        title="Late",
        starts_at=dt.datetime(2026, 4, 1, 1, 30, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 4, 1, 3, 30, tzinfo=dt.UTC),
        contact_minutes=60,
    )
    april = SessionFactory(
        cohort=cohort, title="April", starts_at=local(2026, 4, 2), ends_at=local(2026, 4, 2, 12)
    )
    session_cancel(session=april, reason="Spring break", by=None)

    months = calendar_months_for(sessions=list(calendar_sessions_of_cohort(cohort=cohort)))

    assert [(m.month, m.anchor, [e.session.title for e in m.entries]) for m in months] == [
        (dt.date(2026, 3, 1), "month-2026-03", ["Late"]),
        (dt.date(2026, 4, 1), "month-2026-04", ["April"]),
    ]
    assert months[0].entries[0].session == late
    assert months[0].entries[0].is_cancelled is False
    cancelled = months[1].entries[0]
    assert (cancelled.is_cancelled, cancelled.cancellation_reason, cancelled.zone) == (
        True,
        "Spring break",
        "America/New_York",
    )


def test_cancellation_reasons_cost_no_query_when_nothing_is_cancelled(
    cohort, sessions, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert cancellation_reasons_for(sessions=sessions) == {}
