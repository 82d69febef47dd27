"""HTTP: the programme administrator's pages for a new series of sessions and for cancelling one."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cecto.core.models import AuditEvent
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import AttendanceRecord, Session
from cecto.scheduling.tests.factories import SessionFactory

NEW_YORK = ZoneInfo("America/New_York")


def series_url(cohort) -> str:
    return reverse("web:session-series-create", args=[cohort.slug])


def cancel_url(session) -> str:
    return reverse("web:session-cancel", args=[session.uuid])


def calendar_url(cohort) -> str:
    return reverse("web:cohort-calendar", args=[cohort.slug])


def series_data(**changes) -> dict[str, str]:
    data = {
        "title": "Leadership seminar",
        "mode": Session.Mode.IN_PERSON,
        "audience": "joint",
        "first_on": "2026-02-10",  # the second Tuesday of February
        "first_time": "09:00",
        "duration_minutes": "420",
        "contact_minutes": "360",
        "days": "2",
        "repeat": "monthly_weekday",
        "count": "3",
        "rrule": "",
        "location": "Friday Institute, Raleigh",
        "meeting_url": "",
        "is_required": "on",
    }
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def session(cast):
    return SessionFactory(
        cohort=cast.cohort,
        title="Snow-risk joint day",
        starts_at=dt.datetime(2026, 3, 3, 9, tzinfo=NEW_YORK),
        ends_at=dt.datetime(2026, 3, 3, 16, tzinfo=NEW_YORK),
    )


# --- a new series -------------------------------------------------------------------------------


def test_the_form_has_a_label_for_every_field_and_says_the_time_zone(client, cast):
    client.force_login(cast.admin)

    response = client.get(series_url(cast.cohort))

    assert response.status_code == 200
    html = response.content.decode()
    for field in response.context["form"]:
        assert f'<label for="{field.auto_id}"' in html
    assert "In the programme's time zone, America/New_York." in html
    assert 'aria-describedby="id_first_time_helptext"' in html
    assert "Joint (every track)" in html
    assert cast.participant_enrollment.track.name in html


def test_a_monthly_two_day_series_stays_at_9_local_across_the_clock_change(client, cast):
    client.force_login(cast.admin)

    response = client.post(series_url(cast.cohort), series_data())

    assert response.status_code == 302
    assert response["Location"] == calendar_url(cast.cohort)
    sessions = list(Session.objects.filter(cohort=cast.cohort).order_by("starts_at"))
    assert len(sessions) == 6  # three occurrences of two days each
    local = [s.starts_at.astimezone(NEW_YORK) for s in sessions]
    assert [moment.date() for moment in local] == [
        dt.date(2026, 2, 10),
        dt.date(2026, 2, 11),
        dt.date(2026, 3, 10),  # after the March 8 clock change
        dt.date(2026, 3, 11),
        dt.date(2026, 4, 14),
        dt.date(2026, 4, 15),
    ]
    assert {moment.time() for moment in local} == {dt.time(9, 0)}
    assert [s.starts_at.astimezone(dt.UTC).hour for s in sessions] == [14, 14, 13, 13, 13, 13]
    assert sessions[0].title == "Leadership seminar (day 1 of 2)"
    assert all(s.is_required and s.track is None and s.contact_minutes == 360 for s in sessions)
    assert len({s.series_ref for s in sessions}) == 1
    assert messages_of(response) == ["6 sessions created, from Tue Feb 10, 2026 to Wed Apr 15, 2026."]
    event = AuditEvent.objects.get(verb="session_series.created")
    assert event.data["rrule"] == "FREQ=MONTHLY;BYDAY=2TU;COUNT=3"


def test_a_weekly_series_for_one_track_uses_its_audience(client, cast):
    client.force_login(cast.admin)
    track = cast.participant_enrollment.track

    response = client.post(
        series_url(cast.cohort),
        series_data(
            repeat="weekly",
            days="1",
            audience=track.slug,
            mode=Session.Mode.ONLINE_LIVE,
            location="",
            meeting_url="meet.example/w",
        ),
    )

    assert response.status_code == 302
    sessions = list(Session.objects.filter(cohort=cast.cohort).order_by("starts_at"))
    assert [s.starts_at.astimezone(NEW_YORK).date().day for s in sessions] == [10, 17, 24]
    assert {s.track for s in sessions} == {track}
    assert {s.meeting_url for s in sessions} == {"https://meet.example/w"}


def test_the_advanced_rule_replaces_the_pattern_and_keeps_its_own_end(client, cast):
    client.force_login(cast.admin)

    response = client.post(
        series_url(cast.cohort), series_data(days="1", rrule="FREQ=WEEKLY;INTERVAL=2;COUNT=2")
    )

    assert response.status_code == 302
    days = [s.starts_at.astimezone(NEW_YORK).date() for s in Session.objects.filter(cohort=cast.cohort)]
    assert sorted(days) == [dt.date(2026, 2, 10), dt.date(2026, 2, 24)]


def test_a_bad_rrule_is_shown_at_the_top_with_the_form_kept_filled(client, cast):
    client.force_login(cast.admin)

    response = client.post(series_url(cast.cohort), series_data(rrule="FREQ=FORTNIGHTLY;COUNT=3"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="form-problem" role="alert">' in html
    assert "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY." in html
    assert 'value="Leadership seminar"' in html
    assert 'value="FREQ=FORTNIGHTLY;COUNT=3"' in html
    assert not Session.objects.filter(cohort=cast.cohort).exists()


def test_an_occurrence_after_graduation_refuses_the_whole_series(client, cast):
    client.force_login(cast.admin)

    # Oct 13 and Nov 10 fit; Dec 8 falls after the graduation on Dec 3.
    response = client.post(series_url(cast.cohort), series_data(first_on="2026-10-13"))

    assert response.status_code == 200
    expected = (
        f"The rule's session on Tue Dec 8, 2026 falls after the graduation of {cast.cohort.name} "
        "(Thu Dec 3, 2026)."
    )
    assert escape(expected) in response.content.decode()
    assert not Session.objects.filter(cohort=cast.cohort).exists()


def test_a_missing_field_is_described_by_its_error(client, cast):
    client.force_login(cast.admin)

    response = client.post(series_url(cast.cohort), series_data(title="", count="0"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_title_error"' in html
    assert 'aria-describedby="id_title_error"' in html
    assert "id_count_helptext id_count_error" in html
    assert not Session.objects.exists()


# --- cancelling a session --------------------------------------------------------------------------


def test_the_cancel_page_says_what_when_and_how_many_people(client, cast, session):
    client.force_login(cast.admin)

    response = client.get(cancel_url(session))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Cancel Snow-risk joint day</h1>" in html
    assert "Tue Mar 3, 2026, 9:00 AM" in html
    assert "2 members of the class" in html  # joint: the participant and the superintendent
    assert '<label for="id_reason">' in html
    assert "required" in html


def test_cancelling_marks_the_session_bumps_its_sequence_and_audits_it(client, cast, session):
    client.force_login(cast.admin)

    response = client.post(cancel_url(session), {"reason": "Roads closed by snow"})

    assert response.status_code == 302
    assert response["Location"] == calendar_url(cast.cohort)
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert session.sequence == 1
    event = AuditEvent.objects.get(verb="session.cancelled", subject_id=str(session.uuid))
    assert event.data["reason"] == "Roads closed by snow"
    assert event.actor == cast.admin
    assert messages_of(response) == [
        "Snow-risk joint day on Tue Mar 3, 2026 is cancelled; calendars show it with the reason."
    ]


def test_cancelling_needs_a_reason(client, cast, session):
    client.force_login(cast.admin)

    response = client.post(cancel_url(session), {"reason": "   "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a reason for the cancellation: participants see it on their calendar." in html
    assert 'aria-describedby="id_reason_helptext id_reason_error"' in html
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_a_session_with_attendance_cannot_be_cancelled(client, cast, session):
    attendance_record(
        enrollment=cast.participant_enrollment,
        session=session,
        status=AttendanceRecord.Status.PRESENT,
        source_kind="roll_call",
        by=None,
    )
    client.force_login(cast.admin)

    response = client.post(cancel_url(session), {"reason": "Too late"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "a session that took place cannot be cancelled" in html
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED


def test_a_cancelled_session_cannot_be_cancelled_again(client, cast, session):
    client.force_login(cast.admin)
    client.post(cancel_url(session), {"reason": "Snow"})

    response = client.post(cancel_url(session), {"reason": "Snow again"})

    assert response.status_code == 200
    assert "Snow-risk joint day is already cancelled." in response.content.decode()
    session.refresh_from_db()
    assert session.sequence == 1


# --- links -----------------------------------------------------------------------------------------


def test_the_calendar_offers_managers_a_new_series_and_cancel_links(client, cast, session):
    attended = SessionFactory(
        cohort=cast.cohort,
        title="Taken place",
        starts_at=dt.datetime(2026, 2, 10, 9, tzinfo=NEW_YORK),
        ends_at=dt.datetime(2026, 2, 10, 16, tzinfo=NEW_YORK),
    )
    attendance_record(
        enrollment=cast.participant_enrollment,
        session=attended,
        status=AttendanceRecord.Status.PRESENT,
        source_kind="roll_call",
        by=None,
    )
    client.force_login(cast.admin)

    html = client.get(calendar_url(cast.cohort)).content.decode()

    assert series_url(cast.cohort) in html
    assert cancel_url(session) in html
    assert cancel_url(attended) not in html


def test_the_calendar_offers_participants_no_scheduling_links(client, cast, session):
    client.force_login(cast.participant)

    html = client.get(calendar_url(cast.cohort)).content.decode()

    assert series_url(cast.cohort) not in html
    assert cancel_url(session) not in html


def test_the_cohort_page_links_managers_to_a_new_series(client, cast):
    client.force_login(cast.admin)

    html = client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])).content.decode()

    assert series_url(cast.cohort) in html


# --- access ----------------------------------------------------------------------------------------


@pytest.fixture(params=["series", "cancel"])
def url_of(request, session):
    return (
        (lambda cast: series_url(cast.cohort))
        if request.param == "series"
        else (lambda cast: cancel_url(session))
    )


def test_outsider_gets_404(client, cast, url_of):
    client.force_login(cast.outsider)

    assert client.get(url_of(cast)).status_code == 404
    assert client.post(url_of(cast), {}).status_code == 404


@pytest.mark.parametrize("who", ["participant", "instructor", "superintendent"])
def test_members_and_instructors_get_403(client, cast, url_of, who):
    client.force_login(getattr(cast, who))

    assert client.get(url_of(cast)).status_code == 403
    assert client.post(url_of(cast), series_data(reason="Snow")).status_code == 403
    assert Session.objects.filter(status=Session.Status.SCHEDULED).count() == 1


def test_anonymous_is_sent_to_log_in(client, cast, url_of):
    response = client.get(url_of(cast))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_posting_needs_a_csrf_token(cast, session):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)

    assert client.post(cancel_url(session), {"reason": "Snow"}).status_code == 403
    assert client.post(series_url(cast.cohort), series_data()).status_code == 403
    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert Session.objects.count() == 1


def test_the_managers_calendar_costs_the_same_queries_for_5_and_50_sessions(
    client, cast, django_assert_num_queries
):
    def add(count):
        for day in range(count):
            SessionFactory(
                cohort=cast.cohort,
                starts_at=dt.datetime(2026, 3, 1, 9, tzinfo=NEW_YORK) + dt.timedelta(days=day),
                ends_at=dt.datetime(2026, 3, 1, 16, tzinfo=NEW_YORK) + dt.timedelta(days=day),
            )

    add(5)
    client.force_login(cast.admin)
    client.get(calendar_url(cast.cohort))  # the session and the messages settle on the first request
    with CaptureQueriesContext(connection) as small:
        client.get(calendar_url(cast.cohort))
    add(45)
    with django_assert_num_queries(len(small)):
        response = client.get(calendar_url(cast.cohort))
    assert response.content.decode().count("/cancel/") == 50
