"""HTTP: the class calendar, "My calendar", the iCalendar feeds and the feed address's rotation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.models import CalendarFeedToken, Session
from cecto.scheduling.services import calendar_feed_token_get_or_create, session_cancel
from cecto.scheduling.tests.factories import SessionFactory

NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 4, 1, 12, 0, tzinfo=dt.UTC)
ICS = "text/calendar; charset=utf-8"


def local(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


def page(response) -> str:
    return response.content.decode()


def cohort_calendar_url(cohort) -> str:
    return reverse("web:cohort-calendar", args=[cohort.slug])


def cohort_feed_url(cohort) -> str:
    return reverse("web:cohort-calendar-feed", args=[cohort.slug])


def feed_url_of(user) -> str:
    token = calendar_feed_token_get_or_create(person=user.person)
    return reverse("web:person-calendar-feed", args=[token.token])


def summaries(response) -> list[str]:
    assert response["Content-Type"] == ICS
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


@pytest.fixture
def calendar(cast):
    """A joint kick-off, a candidate webinar and module, a superintendents' evening; one cancelled."""
    candidate = cast.participant_enrollment.track
    superintendents = cast.superintendent_enrollment.track
    kickoff = SessionFactory(
        cohort=cast.cohort,
        title="Kick-off (joint)",
        starts_at=local(2026, 2, 10, 9),
        ends_at=local(2026, 2, 10, 16),
        is_required=True,
    )
    webinar = SessionFactory(
        cohort=cast.cohort,
        track=candidate,
        title="Candidate webinar",
        mode=Session.Mode.ONLINE_LIVE,
        location="",
        meeting_url="https://meet.example/w",
        starts_at=local(2026, 4, 8, 15),
        ends_at=local(2026, 4, 8, 17),
        contact_minutes=120,
    )
    module = SessionFactory(
        cohort=cast.cohort,
        track=candidate,
        title="Candidate module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        starts_at=local(2026, 4, 6, 0),
        ends_at=local(2026, 5, 3, 23, 59),
        contact_minutes=270,
    )
    evening = SessionFactory(
        cohort=cast.cohort,
        track=superintendents,
        title="Superintendents' evening",
        starts_at=local(2026, 5, 11, 18),
        ends_at=local(2026, 5, 11, 21),
        contact_minutes=180,
    )
    snowed = SessionFactory(
        cohort=cast.cohort,
        title="Snowed-out joint day",
        starts_at=local(2026, 3, 3, 9),
        ends_at=local(2026, 3, 3, 16),
    )
    session_cancel(session=snowed, reason="Roads closed by snow", by=cast.admin)
    return {"kickoff": kickoff, "webinar": webinar, "module": module, "evening": evening, "snowed": snowed}


# --- the class calendar page -------------------------------------------------------------------


def test_the_class_calendar_groups_sessions_by_month_in_the_programmes_zone(client, cast, calendar):
    client.force_login(cast.participant)

    response = client.get(cohort_calendar_url(cast.cohort))

    assert response.status_code == 200
    html = page(response)
    assert f"<h1>Calendar of {cast.cohort.name}</h1>" in html
    headings = [m.month.strftime("%B %Y") for m in response.context["months"]]
    assert headings == ["February 2026", "March 2026", "April 2026", "May 2026"]
    for anchor in ("month-2026-02", "month-2026-03", "month-2026-04", "month-2026-05"):
        assert f'id="{anchor}"' in html
        assert f'role="region" aria-labelledby="{anchor}" tabindex="0"' in html
    assert "Tue Feb 10, 9:00 AM" in html
    assert "4:00 PM EST" in html
    assert "5:00 PM EDT" in html  # the April webinar, after the clocks changed
    assert "Open <time" in html  # the self-paced module's window
    assert "Superintendents&#x27; evening" in html  # the class calendar shows every track
    assert cohort_feed_url(cast.cohort) in html


def test_a_cancelled_session_is_struck_through_with_its_reason(client, cast, calendar):
    client.force_login(cast.participant)

    html = page(client.get(cohort_calendar_url(cast.cohort)))

    assert "<s>Snowed-out joint day</s>" in html
    assert "Reason: Roads closed by snow" in html


def test_the_class_calendar_says_when_nothing_is_scheduled(client, cast):
    client.force_login(cast.instructor)

    response = client.get(cohort_calendar_url(cast.cohort))

    assert response.status_code == 200
    assert "No session is scheduled yet." in page(response)


def test_the_cohort_page_links_to_its_calendar_and_feed(client, cast):
    client.force_login(cast.participant)

    html = page(client.get(reverse("web:cohort-detail", args=[cast.cohort.slug])))

    assert cohort_calendar_url(cast.cohort) in html
    assert cohort_feed_url(cast.cohort) in html


@pytest.mark.parametrize("url_of", [cohort_calendar_url, cohort_feed_url])
def test_outsider_gets_404_on_the_class_calendar_and_feed(client, cast, calendar, url_of):
    client.force_login(cast.outsider)

    assert client.get(url_of(cast.cohort)).status_code == 404


@pytest.mark.parametrize("url_of", [cohort_calendar_url, cohort_feed_url])
def test_anonymous_is_sent_to_log_in_for_the_class_calendar_and_feed(client, cast, url_of):
    url = url_of(cast.cohort)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- the class feed ----------------------------------------------------------------------------


def test_the_class_feed_has_every_session_with_cancelled_ones_marked(client, cast, calendar):
    client.force_login(cast.admin)

    response = client.get(cohort_feed_url(cast.cohort))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'inline; filename="class-of-2026.ics"'
    assert sorted(summaries(response)) == sorted(s.title for s in calendar.values())
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    snowed = events["Snowed-out joint day"]
    assert (str(snowed["STATUS"]), snowed["SEQUENCE"]) == ("CANCELLED", 1)
    assert "Roads closed by snow" in str(snowed["DESCRIPTION"])


# --- My calendar -------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_my_calendar_shows_upcoming_sessions_of_my_track_and_a_link_to_the_past(client, cast, calendar):
    client.force_login(cast.participant)

    response = client.get(reverse("web:person-calendar"))

    assert response.status_code == 200
    html = page(response)
    assert "<h1>My calendar</h1>" in html
    titles = [e.session.title for m in response.context["months"] for e in m.entries]
    assert titles == ["Candidate module", "Candidate webinar"]  # upcoming first, in order
    assert f"{reverse('web:person-calendar')}?past=1" in html
    assert 'aria-current="page">My calendar</a>' in html


@time_machine.travel(NOW, tick=False)
def test_my_past_sessions_come_most_recent_first(client, cast, calendar):
    client.force_login(cast.participant)

    response = client.get(reverse("web:person-calendar"), {"past": "1"})

    titles = [e.session.title for m in response.context["months"] for e in m.entries]
    assert titles == ["Snowed-out joint day", "Kick-off (joint)"]
    assert "Reason: Roads closed by snow" in page(response)


@time_machine.travel(NOW, tick=False)
def test_my_calendar_makes_my_feed_address_once_and_shows_it(client, cast):
    client.force_login(cast.participant)

    first = page(client.get(reverse("web:person-calendar")))
    token = CalendarFeedToken.objects.get(person__user=cast.participant)
    second = page(client.get(reverse("web:person-calendar")))

    address = f"http://testserver{reverse('web:person-calendar-feed', args=[token.token])}"
    assert f'value="{address}"' in first
    assert f'value="{address}"' in second
    assert f'href="webcal://testserver{reverse("web:person-calendar-feed", args=[token.token])}"' in first
    assert '<label for="feed-url">Your calendar address</label>' in first
    assert CalendarFeedToken.objects.count() == 1
    assert "No upcoming session." in first


def test_a_login_without_a_profile_gets_a_calendar_without_a_feed(client, django_user_model, db):
    client.force_login(django_user_model.objects.create_user("bare"))

    response = client.get(reverse("web:person-calendar"))

    assert response.status_code == 200
    assert "has no calendar address" in page(response)
    assert not CalendarFeedToken.objects.exists()
    assert client.post(reverse("web:person-calendar-rotate")).status_code == 404


def test_anonymous_is_sent_to_log_in_for_my_calendar(client, db):
    response = client.get(reverse("web:person-calendar"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_navigation_offers_my_calendar_to_people_who_are_logged_in(client, cast):
    assert reverse("web:person-calendar") not in page(client.get(reverse("web:home")))

    client.force_login(cast.participant)

    assert reverse("web:person-calendar") in page(client.get(reverse("web:home")))


# --- rotating the feed address -----------------------------------------------------------------


def test_rotating_gives_a_new_address_and_the_old_one_404s(client, cast, calendar):
    old = feed_url_of(cast.participant)
    client.force_login(cast.participant)

    response = client.post(reverse("web:person-calendar-rotate"), follow=True)

    assert response.redirect_chain == [(f"{reverse('web:person-calendar')}?rotated=1", 302)]
    assert "the old one no longer works" in page(response)
    new = feed_url_of(cast.participant)
    assert new != old
    anonymous = Client()
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_rotating_needs_a_post_with_a_csrf_token(cast):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.participant)
    old = feed_url_of(cast.participant)

    assert browser.get(reverse("web:person-calendar-rotate")).status_code == 405
    assert browser.post(reverse("web:person-calendar-rotate")).status_code == 403
    assert feed_url_of(cast.participant) == old


def test_anonymous_cannot_rotate(client, cast):
    response = client.post(reverse("web:person-calendar-rotate"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- the person feed ---------------------------------------------------------------------------


def test_the_person_feed_needs_no_login_and_has_my_track_and_joint_sessions(cast, calendar):
    response = Client().get(feed_url_of(cast.participant))

    assert response.status_code == 200
    assert response["Content-Type"] == ICS
    assert response["Cache-Control"] == "private, max-age=0"
    assert sorted(summaries(response)) == [
        "Candidate module",
        "Candidate webinar",
        "Kick-off (joint)",
        "Snowed-out joint day",
    ]


def test_the_superintendents_feed_excludes_candidate_track_sessions(cast, calendar):
    response = Client().get(feed_url_of(cast.superintendent))

    assert sorted(summaries(response)) == [
        "Kick-off (joint)",
        "Snowed-out joint day",
        "Superintendents' evening",
    ]


def test_the_instructors_feed_has_every_session_of_their_class(cast, calendar):
    response = Client().get(feed_url_of(cast.instructor))

    assert sorted(summaries(response)) == sorted(s.title for s in calendar.values())


def test_the_outsiders_feed_has_none_of_the_class(cast, calendar):
    assert summaries(Client().get(feed_url_of(cast.outsider))) == []


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43])
def test_an_unknown_token_gets_404(client, db, token):
    assert client.get(reverse("web:person-calendar-feed", args=[token])).status_code == 404


def test_the_feed_of_a_switched_off_login_gets_404(cast, calendar):
    url = feed_url_of(cast.participant)
    cast.participant.is_active = False
    cast.participant.save()

    assert Client().get(url).status_code == 404


# --- query budgets -----------------------------------------------------------------------------


def add_sessions(cast, count: int) -> None:
    tracks = [None, cast.participant_enrollment.track, cast.superintendent_enrollment.track, TrackFactory()]
    for index in range(count):
        track = tracks[index % 3]
        day = dt.date(2026, 4, 2) + dt.timedelta(days=index * 5)  # after NOW: upcoming
        session = SessionFactory(
            cohort=cast.cohort,
            track=track,
            starts_at=local(day.year, day.month, day.day, 9),
            ends_at=local(day.year, day.month, day.day, 16),
        )
        if index % 4 == 0:
            session_cancel(session=session, reason=f"Reason {index}", by=None)


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@time_machine.travel(NOW, tick=False)
def test_the_person_feed_costs_the_same_queries_for_5_and_50_sessions(cast, django_assert_num_queries):
    add_sessions(cast, 5)
    url = feed_url_of(cast.participant)
    anonymous = Client()
    small = queries_of(anonymous, url)

    add_sessions(cast, 45)
    with django_assert_num_queries(small):
        response = anonymous.get(url)
    assert len(summaries(response)) > 20


@time_machine.travel(NOW, tick=False)
def test_the_class_calendar_costs_the_same_queries_for_5_and_50_sessions(
    client, cast, django_assert_num_queries
):
    add_sessions(cast, 5)
    client.force_login(cast.participant)
    url = cohort_calendar_url(cast.cohort)
    small = queries_of(client, url)

    add_sessions(cast, 45)
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.context["count"] == 50


@time_machine.travel(NOW, tick=False)
def test_my_calendar_costs_the_same_queries_for_5_and_50_sessions(client, cast, django_assert_num_queries):
    add_sessions(cast, 5)
    client.force_login(cast.participant)
    url = reverse("web:person-calendar")
    client.get(url)  # the first visit makes the feed address
    small = queries_of(client, url)

    add_sessions(cast, 45)
    with django_assert_num_queries(small):
        client.get(url)
