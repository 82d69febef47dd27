"""Recurring series (session_series_create), and the session services every calendar follows:
session_update and session_cancel bump the SEQUENCE; the calendar feed token is made and rotated."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cecto.core.models import AuditEvent
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.models import AttendanceRecord, CalendarFeedToken, Cohort, Session
from cecto.scheduling.series import MAX_OCCURRENCES, session_series_create
from cecto.scheduling.services import (
    SessionRefused,
    calendar_feed_token_get_or_create,
    calendar_feed_token_rotate,
    session_cancel,
    session_update,
)
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC
MONTHLY = "FREQ=MONTHLY;BYDAY=3TH;COUNT=10"
VENUE = "MCNC, Research Triangle Park"


@pytest.fixture
def cohort():
    program = ProgramFactory(short_name="CeCTO", time_zone="America/New_York")
    return CohortFactory(
        program=program,
        name="Class of 2026",
        slug="class-of-2026",
        starts_on=dt.date(2026, 2, 10),
        ends_on=dt.date(2026, 12, 3),
    )


@pytest.fixture
def track(cohort):
    return TrackFactory(program=cohort.program, name="CeCTO candidate", slug="candidate")


@pytest.fixture
def scheduler():
    return UserFactory(username="scheduler")


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def create(cohort, by=None, **overrides):
    arguments = {
        "cohort": cohort,
        "title": "Monthly session",
        "mode": Session.Mode.IN_PERSON,
        "rrule": MONTHLY,
        "first_starts_at": local(2026, 2, 19),
        "duration_minutes": 7 * 60,
        "contact_minutes": 6 * 60,
        "location": VENUE,
        "by": by,
    }
    return session_series_create(**{**arguments, **overrides})


def refusal(cohort, **overrides) -> str:
    with pytest.raises(SessionRefused) as refused:
        create(cohort, **overrides)
    assert not Session.objects.exists(), "a refused series must create nothing"
    return str(refused.value)


# --- session_series_create: the happy paths ----------------------------------------------------


def test_it_creates_a_monthly_series_sharing_one_series_ref(cohort, track, scheduler):
    sessions = create(cohort, by=scheduler, track=track, is_required=True)

    assert len(sessions) == 10
    stored = list(Session.objects.order_by("starts_at"))
    assert [s.pk for s in stored] == [s.pk for s in sessions]
    assert len({s.series_ref for s in stored}) == 1
    assert stored[0].series_ref is not None
    assert [s.starts_at.astimezone(NEW_YORK).date() for s in stored] == [
        dt.date(2026, 2, 19),
        dt.date(2026, 3, 19),
        dt.date(2026, 4, 16),
        dt.date(2026, 5, 21),
        dt.date(2026, 6, 18),
        dt.date(2026, 7, 16),
        dt.date(2026, 8, 20),
        dt.date(2026, 9, 17),
        dt.date(2026, 10, 15),
        dt.date(2026, 11, 19),
    ]
    first = stored[0]
    assert (first.title, first.mode, first.location, first.track, first.is_required) == (
        "Monthly session",
        Session.Mode.IN_PERSON,
        VENUE,
        track,
        True,
    )
    assert (first.time_zone, first.contact_minutes, first.scheduled_minutes, first.sequence) == (
        "America/New_York",
        360,
        420,
        0,
    )
    event = AuditEvent.objects.get(verb="session_series.created")
    assert event.actor == scheduler
    assert event.subject_id == str(first.series_ref)
    assert event.data["rrule"] == MONTHLY
    assert event.data["sessions"] == 10


def test_it_keeps_local_time_across_both_clock_changes(cohort):
    # Weekly on Thursdays from late February to mid-November: EST, then EDT from March 8, then EST
    # again from November 1. Every session starts at 9:00 in New York.
    sessions = create(cohort, rrule="FREQ=WEEKLY;UNTIL=20261112", first_starts_at=local(2026, 2, 26))

    local_starts = {s.starts_at.astimezone(NEW_YORK).time() for s in sessions}
    assert local_starts == {dt.time(9, 0)}
    by_day = {s.starts_at.astimezone(NEW_YORK).date(): s.starts_at.astimezone(UTC) for s in sessions}
    assert by_day[dt.date(2026, 3, 5)] == dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)  # EST, UTC-5
    assert by_day[dt.date(2026, 3, 12)] == dt.datetime(2026, 3, 12, 13, 0, tzinfo=UTC)  # EDT, UTC-4
    assert by_day[dt.date(2026, 10, 29)] == dt.datetime(2026, 10, 29, 13, 0, tzinfo=UTC)
    assert by_day[dt.date(2026, 11, 5)] == dt.datetime(2026, 11, 5, 14, 0, tzinfo=UTC)
    # UNTIL as a date includes that day.
    assert max(by_day) == dt.date(2026, 11, 12)


def test_it_accepts_the_first_start_in_another_zone(cohort):
    sessions = create(
        cohort, first_starts_at=dt.datetime(2026, 2, 19, 14, 0, tzinfo=UTC), rrule="FREQ=DAILY;COUNT=1"
    )

    assert sessions[0].starts_at.astimezone(NEW_YORK) == local(2026, 2, 19)


def test_a_two_day_session_makes_two_consecutive_days_per_occurrence(cohort, track):
    sessions = create(
        cohort,
        title="Two-day session",
        track=track,
        rrule="FREQ=MONTHLY;BYDAY=3TH;COUNT=3",
        first_starts_at=local(2026, 2, 19, 8, 30),
        duration_minutes=8 * 60,
        contact_minutes=7 * 60,
        days=2,
    )

    assert [(s.title, s.starts_at.astimezone(NEW_YORK)) for s in sessions] == [
        ("Two-day session (day 1 of 2)", local(2026, 2, 19, 8, 30)),
        ("Two-day session (day 2 of 2)", local(2026, 2, 20, 8, 30)),
        ("Two-day session (day 1 of 2)", local(2026, 3, 19, 8, 30)),
        ("Two-day session (day 2 of 2)", local(2026, 3, 20, 8, 30)),
        ("Two-day session (day 1 of 2)", local(2026, 4, 16, 8, 30)),
        ("Two-day session (day 2 of 2)", local(2026, 4, 17, 8, 30)),
    ]
    assert {s.ends_at.astimezone(NEW_YORK).time() for s in sessions} == {dt.time(16, 30)}
    assert len({s.series_ref for s in sessions}) == 1


def test_it_creates_live_online_and_self_paced_series(cohort):
    webinars = create(
        cohort,
        title="Webinar",
        mode=Session.Mode.ONLINE_LIVE,
        location="",
        meeting_url="https://meet.example/cecto",
        rrule="RRULE:FREQ=MONTHLY;BYDAY=2WE,4WE;UNTIL=20260331T235959Z",
        first_starts_at=local(2026, 2, 11, 15),
        duration_minutes=120,
        contact_minutes=120,
    )
    modules = create(
        cohort,
        title="Module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        rrule="FREQ=MONTHLY;BYDAY=1MO;COUNT=2",
        first_starts_at=local(2026, 3, 2, 0),
        duration_minutes=28 * 24 * 60 - 1,
        contact_minutes=270,
    )

    assert [w.starts_at.astimezone(NEW_YORK).day for w in webinars] == [11, 25, 11, 25]
    assert webinars[0].series_ref != modules[0].series_ref
    assert [(m.starts_at.astimezone(NEW_YORK), m.ends_at.astimezone(NEW_YORK)) for m in modules] == [
        (local(2026, 3, 2, 0), local(2026, 3, 29, 23, 59)),
        (local(2026, 4, 6, 0), local(2026, 5, 3, 23, 59)),
    ]


# --- session_series_create: what it refuses ----------------------------------------------------


def test_it_refuses_an_occurrence_after_graduation(cohort):
    message = refusal(cohort, rrule="FREQ=MONTHLY;BYDAY=3TH;COUNT=11")

    assert message == (
        "The rule's session on Thu Dec 17, 2026 falls after the graduation of "
        "Class of 2026 (Thu Dec 3, 2026)."
    )
    assert refusal(cohort, rrule="FREQ=MONTHLY;BYDAY=3TH;UNTIL=20270101") == message
    assert refusal(cohort, rrule="FREQ=DAILY;COUNT=2", first_starts_at=local(2026, 12, 17)) == message


def test_it_refuses_a_session_that_starts_on_graduation_day_but_ends_after(cohort):
    message = refusal(
        cohort,
        rrule="FREQ=WEEKLY;COUNT=1",
        first_starts_at=local(2026, 12, 3),
        days=2,
        duration_minutes=60,
        contact_minutes=60,
    )

    assert message == (
        "Fri Dec 4, 2026: Monthly session (day 2 of 2) would end on Dec 4, 2026, after the graduation "
        "of Class of 2026 (Dec 3, 2026)."
    )


def test_a_rule_that_runs_out_before_graduation_says_so(cohort):
    message = refusal(cohort, rrule="FREQ=YEARLY;INTERVAL=5;COUNT=2")

    assert (
        message
        == "Only 1 of the rule's 2 sessions fall before the graduation of Class of 2026 (Thu Dec 3, 2026)."
    )


def test_it_refuses_a_series_that_starts_before_the_kick_off(cohort):
    message = refusal(cohort, rrule="FREQ=MONTHLY;BYDAY=3TH;COUNT=2", first_starts_at=local(2026, 1, 15))

    assert "before the kick-off of Class of 2026 (Feb 10, 2026)" in message


def test_it_refuses_more_than_sixty_occurrences(cohort):
    message = refusal(cohort, rrule="FREQ=DAILY;COUNT=61")

    assert message.startswith(f"The recurrence rule makes more than {MAX_OCCURRENCES} sessions")
    assert refusal(cohort, rrule="FREQ=DAILY;UNTIL=20260501") == message


def test_sixty_occurrences_are_allowed(cohort):
    assert len(create(cohort, rrule="FREQ=DAILY;COUNT=60")) == 60


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("", "Give a recurrence rule, such as FREQ=MONTHLY;BYDAY=3TH;COUNT=10."),
        ("BYDAY=TH;COUNT=3", "The recurrence rule needs a FREQ, such as FREQ=MONTHLY;BYDAY=3TH;COUNT=10."),
        ("FREQ=HOURLY;COUNT=3", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."),
        ("FREQ=WEEKLY", "The recurrence rule must end: give COUNT (how many) or UNTIL (the last date)."),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20260401", "Give COUNT or UNTIL in the recurrence rule, not both."),
        ("FREQ=WEEKLY;COUNT=0", "COUNT must be a whole number above zero, not '0'."),
        ("FREQ=WEEKLY;COUNT=3;INTERVAL=-1", "INTERVAL must be a whole number above zero, not '-1'."),
        ("FREQ=WEEKLY;COUNT=3;FREQ=DAILY", "The recurrence rule gives FREQ twice."),
        ("FREQ=WEEKLY;COUNT", "'COUNT' in the recurrence rule is not of the form NAME=VALUE."),
        ("FREQ=WEEKLY;COUNT=3;COLOR=RED", "COLOR is not a part of a recurrence rule a series can use."),
        (
            "FREQ=WEEKLY;COUNT=3;BYHOUR=9",
            "The recurrence rule may not use BYHOUR: the series takes its time of day "
            "from the first session.",
        ),
        (
            "FREQ=WEEKLY;COUNT=3\nDTSTART:20200101T090000",
            "Give only the rule itself, such as FREQ=MONTHLY;BYDAY=3TH;COUNT=10, on one line.",
        ),
        (
            "FREQ=WEEKLY;UNTIL=next-june",
            "UNTIL must be a date such as 20261203 or a time such as 20261203T170000Z, not 'NEXT-JUNE'.",
        ),
        (
            "FREQ=MONTHLY;BYDAY=3TX;COUNT=3",
            "BYDAY '3TX' is not a weekday such as TH, 3TH (the third) or -1FR (the last).",
        ),
        (
            # (dateutil searches a rule that never matches until the year 9999: about 0.1 s yearly,
            # 3 s daily, which only a programme administrator can ask for.)
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20991231",
            "The recurrence rule makes no session at all: check its BY… parts and its end.",
        ),
        ("FREQ=MONTHLY;BYDAY=9MO;COUNT=2", "BYDAY 9MO: a month has at most 5 of each weekday."),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=-6MO;COUNT=2", "BYDAY -6MO: a month has at most 5 of each weekday."),
        ("FREQ=YEARLY;BYDAY=54MO;COUNT=2", "BYDAY 54MO: a year has at most 53 of each weekday."),
        ("FREQ=WEEKLY;BYDAY=2TH;COUNT=2", "BYDAY 2TH: a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY."),
        (
            "FREQ=WEEKLY;BYDAY=TH,,FR;COUNT=2",
            "BYDAY '' is not a weekday such as TH, 3TH (the third) or -1FR (the last).",
        ),
        (
            "FREQ=WEEKLY;BYDAY=THURSDAY;COUNT=2",
            "BYDAY 'THURSDAY' is not a weekday such as TH, 3TH (the third) or -1FR (the last).",
        ),
        ("FREQ=YEARLY;BYWEEKNO=0;COUNT=2", "BYWEEKNO '0' must be a number from 1 to 53"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=0;COUNT=2",
            "BYMONTHDAY '0' must be a number from 1 to 31 (or -31 to -1, counting from the end).",
        ),
        ("FREQ=YEARLY;BYMONTH=13;COUNT=2", "BYMONTH '13' must be a number from 1 to 12."),
        ("FREQ=YEARLY;BYMONTH=-1;COUNT=2", "BYMONTH '-1' must be a number from 1 to 12."),
        ("FREQ=YEARLY;BYWEEKNO=8,x;COUNT=2", "BYWEEKNO 'X' must be a number from 1 to 53"),
        ("FREQ=YEARLY;BYYEARDAY=-367;COUNT=2", "BYYEARDAY '-367' must be a number from 1 to 366"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0;COUNT=2", "BYSETPOS '0' must be a number from 1 to 366"),
        ("FREQ=WEEKLY;WKST=XX;COUNT=2", "WKST 'XX' is not a weekday such as MO."),
    ],
)
def test_it_says_what_is_wrong_with_a_bad_rule(cohort, rule, expected):
    assert refusal(cohort, rrule=rule).startswith(expected)


def test_it_refuses_a_first_start_that_is_not_a_date_of_the_rule(cohort):
    message = refusal(cohort, first_starts_at=local(2026, 2, 17))

    assert message == (
        f"The first session (Tue Feb 17, 2026) is not a date of the rule {MONTHLY}: "
        "its first date is Thu Feb 19, 2026."
    )


def test_it_refuses_a_local_time_the_clocks_skip(cohort):
    message = refusal(
        cohort, rrule="FREQ=DAILY;COUNT=3", first_starts_at=dt.datetime(2026, 3, 7, 7, 30, tzinfo=UTC)
    )

    assert (
        message == "02:30 does not exist on Sun Mar 8, 2026 in America/New_York: the clocks go forward then."
    )


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"first_starts_at": dt.datetime(2026, 2, 19, 9, 0)}, "The first session's start needs a time zone"),  # noqa: DTZ001 (naive on purpose)
        ({"duration_minutes": 0}, "A session must last at least one minute."),
        ({"days": 0}, "A session lasts from 1 to 7 days, not 0."),
        ({"days": 8}, "A session lasts from 1 to 7 days, not 8."),
        ({"days": 2, "duration_minutes": 24 * 60, "contact_minutes": 60}, "must be shorter than a day"),
        (
            {"days": 2, "mode": Session.Mode.ONLINE_SELF_PACED, "location": ""},
            "A self-paced module is one window",
        ),
        ({"location": ""}, "Thu Feb 19, 2026: Location: An in-person session needs a location."),
        (
            {"contact_minutes": 480},
            "Thu Feb 19, 2026: Contact minutes: 480 contact minutes do not fit in a 420-minute session.",
        ),
        (
            {"mode": Session.Mode.ONLINE_LIVE, "meeting_url": "not a url"},
            "Meeting url: Enter a valid URL.",
        ),
    ],
)
def test_it_refuses_a_session_that_would_be_invalid(cohort, overrides, expected):
    assert expected in refusal(cohort, **overrides)


def test_it_refuses_a_track_of_another_programme(cohort):
    other = TrackFactory()

    assert "The track belongs to another programme." in refusal(cohort, track=other)


@pytest.mark.parametrize("status", [Cohort.Status.CANCELLED, Cohort.Status.COMPLETED])
def test_it_refuses_to_schedule_in_a_finished_cohort(cohort, status):
    cohort.status = status
    cohort.save()

    assert refusal(cohort).startswith(f"Class of 2026 is {cohort.get_status_display().lower()}")


# --- session_update ----------------------------------------------------------------------------


@pytest.fixture
def session(cohort):
    return SessionFactory(
        cohort=cohort,
        title="Kick-off",
        starts_at=local(2026, 3, 10, 9),
        ends_at=local(2026, 3, 10, 16),
        contact_minutes=360,
    )


def test_an_update_bumps_the_sequence_and_is_audited(session, scheduler, track):
    updated = session_update(
        session=session,
        by=scheduler,
        starts_at=local(2026, 3, 10, 10),
        location="Room 2",
        track=track,
    )

    updated.refresh_from_db()
    assert (updated.sequence, updated.location, updated.track) == (1, "Room 2", track)
    assert updated.starts_at == local(2026, 3, 10, 10)
    event = AuditEvent.objects.get(verb="session.updated")
    assert event.actor == scheduler
    assert event.subject_id == str(session.uuid)
    assert event.data == {
        "changes": {
            "starts_at": ["2026-03-10T13:00:00+00:00", "2026-03-10T10:00:00-04:00"],
            "location": ["Raleigh", "Room 2"],
            "track": [None, "candidate"],
        },
        "sequence": 1,
    }

    again = session_update(session=updated, by=scheduler, title="Kick-off (moved)")
    assert again.sequence == 2


def test_an_update_that_changes_nothing_keeps_the_sequence(session, scheduler):
    unchanged = session_update(session=session, by=scheduler, title="Kick-off", location="Raleigh")

    assert unchanged.sequence == 0
    assert not AuditEvent.objects.filter(verb="session.updated").exists()


def test_an_update_refuses_fields_it_does_not_own(session, scheduler):
    with pytest.raises(SessionRefused, match=r"A session's sequence, status cannot be changed this way\."):
        session_update(session=session, by=scheduler, status="cancelled", sequence=9)


def test_an_invalid_update_is_refused_and_changes_nothing(session, scheduler):
    with pytest.raises(SessionRefused, match=r"Ends at: The session must end after it starts\."):
        session_update(session=session, by=scheduler, ends_at=local(2026, 3, 10, 8))
    with pytest.raises(SessionRefused, match="after the graduation of Class of 2026"):
        session_update(session=session, by=scheduler, ends_at=local(2026, 12, 4, 16))

    session.refresh_from_db()
    assert (session.sequence, session.ends_at) == (0, local(2026, 3, 10, 16))


def test_a_cancelled_session_cannot_be_updated(session, scheduler):
    session_cancel(session=session, reason="Snow", by=scheduler)

    with pytest.raises(
        SessionRefused, match=r"Kick-off is cancelled: a cancelled session cannot be changed\."
    ):
        session_update(session=session, by=scheduler, title="Back on")


# --- session_cancel ----------------------------------------------------------------------------


def test_cancelling_marks_the_session_bumps_the_sequence_and_records_the_reason(session, scheduler):
    cancelled = session_cancel(session=session, reason="  Building closed for snow ", by=scheduler)

    cancelled.refresh_from_db()
    assert (cancelled.status, cancelled.sequence) == (Session.Status.CANCELLED, 1)
    event = AuditEvent.objects.get(verb="session.cancelled")
    assert (event.actor, event.subject_id) == (scheduler, str(session.uuid))
    assert event.data == {"reason": "Building closed for snow", "sequence": 1}


def test_cancelling_needs_a_reason(session, scheduler):
    with pytest.raises(SessionRefused, match="Give a reason for the cancellation"):
        session_cancel(session=session, reason="  ", by=scheduler)

    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_a_session_cannot_be_cancelled_twice(session, scheduler):
    session_cancel(session=session, reason="Snow", by=scheduler)

    with pytest.raises(SessionRefused, match=r"Kick-off is already cancelled\."):
        session_cancel(session=session, reason="Snow again", by=scheduler)
    assert Session.objects.get(pk=session.pk).sequence == 1


def test_a_session_with_attendance_cannot_be_cancelled(session, scheduler):
    enrollment = EnrollmentFactory(cohort=session.cohort)
    AttendanceRecord.objects.create(
        enrollment=enrollment,
        session=session,
        status="present",
        minutes_attended=360,
        source_kind="roll_call",
    )

    with pytest.raises(SessionRefused, match="Attendance has been recorded for Kick-off"):
        session_cancel(session=session, reason="Oops", by=scheduler)


# --- calendar feed tokens ----------------------------------------------------------------------


def test_the_feed_token_is_made_once_and_is_long_and_url_safe():
    person = PersonFactory()

    first = calendar_feed_token_get_or_create(person=person)
    second = calendar_feed_token_get_or_create(person=person)

    assert first.pk == second.pk
    assert first.token == second.token
    assert len(first.token) >= 43
    assert set(first.token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_rotating_replaces_the_token_and_is_audited(scheduler):
    person = PersonFactory()
    old = calendar_feed_token_get_or_create(person=person).token

    rotated = calendar_feed_token_rotate(person=person, by=scheduler)

    assert rotated.token != old
    assert CalendarFeedToken.objects.get(person=person).token == rotated.token
    assert not CalendarFeedToken.objects.filter(token=old).exists()
    event = AuditEvent.objects.get(verb="calendar_feed.rotated")
    assert (event.subject_kind, event.subject_id) == ("person", str(person.uuid))
    assert old not in str(event.data)
    assert rotated.token not in str(event.data)


def test_rotating_without_a_token_makes_one(scheduler):
    person = PersonFactory()

    assert calendar_feed_token_rotate(person=person, by=scheduler).token
