"""HTTP: the cached dashboard and progress page — the same page from the cache, for fewer queries,
and every change shown on the next request (decision 0008)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import AttendanceRecord, Enrollment
from cecto.scheduling.services import enrollment_status_change, session_update
from cecto.scheduling.tests.hours_case import NOW, HoursCase, build_hours_case

A = AttendanceRecord.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def page_of(response) -> str:
    """The page as served, but for the log-out form's CSRF token (new on every response)."""
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def dashboard_url(case: HoursCase, query: str = "") -> str:
    return reverse("web:cohort-dashboard", args=[case.cast.cohort.slug]) + (f"?{query}" if query else "")


def progress_url(enrollment: Enrollment) -> str:
    return reverse("web:enrollment-progress", args=[enrollment.uuid])


def credit(enrollment: Enrollment, minutes: int) -> None:
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=dt.date(2026, 5, 30),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Conference credit",
        by=None,
    )


def row_of(html: str, name: str) -> str:
    found = re.search(rf"<tr>\s*<th scope=\"row\"><a [^>]+>{name}</a></th>(.*?)</tr>", html, re.DOTALL)
    assert found is not None, name
    return found.group(1)


# --- the dashboard -----------------------------------------------------------------------------


def test_a_cached_dashboard_is_the_same_page_for_six_queries(client, case, django_assert_num_queries):
    client.force_login(case.cast.admin)
    first = client.get(dashboard_url(case))

    with django_assert_num_queries(6):  # session, user, person, cohort, can manage, the version
        again = client.get(dashboard_url(case))

    assert page_of(again) == page_of(first)


def test_each_query_of_the_dashboard_is_cached_apart(client, case):
    client.force_login(case.cast.admin)
    by_track = page_of(client.get(dashboard_url(case)))

    by_name = page_of(client.get(dashboard_url(case, "sort=name&dir=desc")))

    assert by_name != by_track
    assert by_name.index("Sam Superintendent") < by_name.index("Pat Participant")
    assert page_of(client.get(dashboard_url(case))) == by_track


def test_new_hours_show_on_the_dashboard_at_once(client, case):
    client.force_login(case.cast.admin)
    assert '<span class="nowrap">21 of 240</span>' in page_of(client.get(dashboard_url(case)))

    credit(case.cast.participant_enrollment, 600)

    assert '<span class="nowrap">31 of 240</span>' in page_of(client.get(dashboard_url(case)))


def test_an_excuse_withdrawn_shows_on_the_dashboard_at_once(client, case):
    sam = case.cast.superintendent_enrollment
    credit(sam, 240 * 60)  # the hours are done: only the excused kick-off is missing
    client.force_login(case.cast.admin)
    assert "Cannot finish" not in row_of(page_of(client.get(dashboard_url(case))), "Sam Superintendent")

    attendance_record(enrollment=sam, session=case.kickoff, status=A.ABSENT, source_kind="roll_call", by=None)

    assert "Cannot finish" in row_of(page_of(client.get(dashboard_url(case))), "Sam Superintendent")


def test_a_withdrawal_leaves_the_dashboard_at_once(client, case):
    client.force_login(case.cast.admin)
    assert "Pat Participant" in page_of(client.get(dashboard_url(case)))

    enrollment_status_change(
        enrollment=case.cast.participant_enrollment, to_status="withdrawn", by=None, reason="Moved away"
    )

    html = page_of(client.get(dashboard_url(case)))
    assert "Pat Participant" not in html
    assert "of the 1 current member of" in html


def test_a_download_after_the_page_writes_the_cached_rows(client, case):
    csv_url = reverse("web:cohort-dashboard-csv", args=[case.cast.cohort.slug])
    client.force_login(case.cast.admin)
    fresh = client.get(csv_url).content
    client.get(dashboard_url(case))

    assert client.get(csv_url).content == fresh
    credit(case.cast.participant_enrollment, 600)
    assert b",31.00," in client.get(csv_url).content


# --- the progress page -------------------------------------------------------------------------


def test_a_cached_progress_page_is_the_same_page_for_five_queries(client, case, django_assert_num_queries):
    client.force_login(case.cast.participant)
    url = progress_url(case.cast.participant_enrollment)
    first = client.get(url)

    with django_assert_num_queries(5):  # session, user, person, enrollment, the version
        again = client.get(url)

    assert page_of(again) == page_of(first)


def test_the_cached_progress_page_is_the_same_for_everyone_who_may_see_it(client, case):
    url = progress_url(case.cast.participant_enrollment)
    client.force_login(case.cast.participant)
    theirs = page_of(client.get(url))

    client.force_login(case.cast.admin)
    staffs = page_of(client.get(url))

    # Only the navigation differs (who is logged in); the content is the same cached fragment.
    main = re.compile(r"<main.*</main>", re.DOTALL)
    assert main.search(staffs).group(0) == main.search(theirs).group(0)


def test_new_hours_show_on_the_progress_page_at_once(client, case):
    client.force_login(case.cast.participant)
    url = progress_url(case.cast.participant_enrollment)
    assert "<strong>2.1</strong> CEUs" in page_of(client.get(url))

    credit(case.cast.participant_enrollment, 600)

    assert "<strong>3.1</strong> CEUs" in page_of(client.get(url))


def test_a_new_note_on_an_absence_shows_at_once(client, case):
    client.force_login(case.cast.participant)
    url = progress_url(case.cast.participant_enrollment)
    assert "Absent (Sick)." in page_of(client.get(url))

    attendance_record(
        enrollment=case.cast.participant_enrollment,
        session=case.webinar,
        status=A.ABSENT,
        source_kind="roll_call",
        by=None,
        note="Flu",
    )

    assert "Absent (Flu)." in page_of(client.get(url))


def test_a_renamed_session_shows_at_once(client, case):
    client.force_login(case.cast.participant)
    url = progress_url(case.cast.participant_enrollment)
    assert "Month 3: live webinar" in page_of(client.get(url))

    session_update(session=case.webinar, by=None, title="Month 3: security webinar")

    html = page_of(client.get(url))
    assert "Month 3: security webinar" in html
    assert "Month 3: live webinar" not in html


def test_a_status_change_shows_at_once(client, case):
    client.force_login(case.cast.participant)
    url = progress_url(case.cast.participant_enrollment)
    assert '<span class="badge status-active">Active</span>' in page_of(client.get(url))

    enrollment_status_change(
        enrollment=case.cast.participant_enrollment, to_status="withdrawn", by=None, reason="Moved away"
    )

    assert '<span class="badge status-withdrawn">Withdrawn</span>' in page_of(client.get(url))
