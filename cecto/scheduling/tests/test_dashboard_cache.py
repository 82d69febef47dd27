"""The hours pages' versions (what they are cached by): the same while nothing changes, new as soon
as anything the page shows changes — whatever the clock says, as time stands still here."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from cecto.ledger.api import HoursEntry, hours_entry_record, hours_entry_reverse
from cecto.people.tests.factories import PersonFactory
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.dashboard import (
    dashboard_cached,
    dashboard_for,
    dashboard_version,
    progress_page_version,
)
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment
from cecto.scheduling.services import enrollment_status_change, session_cancel, session_update
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory
from cecto.scheduling.tests.hours_case import NOW, HoursCase, build_hours_case, session

A = AttendanceRecord.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def of_dashboard(cohort: Cohort, now: dt.datetime = NOW) -> str:
    """As the dashboard reads it: the cohort with its programme, fresh from the database."""
    return dashboard_version(cohort=Cohort.objects.select_related("program").get(pk=cohort.pk), now=now)


def of_progress(enrollment: Enrollment, now: dt.datetime = NOW) -> str:
    """As the progress page reads it: the enrollment with what get_enrollment_for loads."""
    fresh = Enrollment.objects.select_related("person__organization", "cohort__program", "track").get(
        pk=enrollment.pk
    )
    return progress_page_version(enrollment=fresh, now=now)


def versions(case: HoursCase) -> tuple[str, str]:
    return of_dashboard(case.cast.cohort), of_progress(case.cast.participant_enrollment)


def assert_both_change(case: HoursCase, before: tuple[str, str]) -> None:
    after = versions(case)
    assert after[0] != before[0]
    assert after[1] != before[1]


def test_it_stays_the_same_while_nothing_changes(case):
    assert versions(case) == versions(case)


def test_each_class_and_each_enrollment_has_its_own(case):
    other = CohortFactory(program=case.cast.cohort.program)

    assert of_dashboard(other) != of_dashboard(case.cast.cohort)
    assert of_progress(case.cast.participant_enrollment) != of_progress(case.cast.superintendent_enrollment)


def test_it_is_one_query_whatever_the_size(case, django_assert_num_queries):
    cohort = Cohort.objects.select_related("program").get(pk=case.cast.cohort.pk)
    enrollment = Enrollment.objects.select_related("person__organization", "cohort__program", "track").get(
        pk=case.cast.participant_enrollment.pk
    )

    with django_assert_num_queries(1):
        dashboard_version(cohort=cohort, now=NOW)
    with django_assert_num_queries(1):
        progress_page_version(enrollment=enrollment, now=NOW)


def test_new_hours_change_both(case):
    before = versions(case)

    hours_entry_record(
        person=case.cast.participant_enrollment.person,
        enrollment_ref=case.cast.participant_enrollment.uuid,
        minutes=60,
        occurred_on=dt.date(2026, 5, 30),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Conference credit",
        by=None,
    )

    assert_both_change(case, before)


def test_a_reversal_changes_both(case):
    before = versions(case)

    hours_entry_reverse(entry=case.adjustment, reason="Not transferable", by=None)

    assert_both_change(case, before)


def test_hours_of_another_class_leave_the_dashboard_alone(case):
    elsewhere = EnrollmentFactory(cohort=CohortFactory(program=case.cast.cohort.program))
    before = of_dashboard(case.cast.cohort)

    hours_entry_record(
        person=elsewhere.person,
        enrollment_ref=elsewhere.uuid,
        minutes=60,
        occurred_on=dt.date(2026, 5, 30),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Conference credit",
        by=None,
    )

    assert of_dashboard(case.cast.cohort) == before


def test_an_excuse_that_changes_no_hours_changes_both(case):
    before = versions(case)

    # Absent, now excused: no credit either way, so no ledger entry.
    attendance_record(
        enrollment=case.cast.participant_enrollment,
        session=case.webinar,
        status=A.EXCUSED,
        source_kind="roll_call",
        by=None,
        note="Sick",
    )

    assert HoursEntry.objects.filter(session_ref=case.webinar.uuid).count() == 0
    assert_both_change(case, before)


def test_an_excuse_withdrawn_changes_the_dashboard(case):
    before = of_dashboard(case.cast.cohort)

    attendance_record(
        enrollment=case.cast.superintendent_enrollment,
        session=case.kickoff,
        status=A.ABSENT,
        source_kind="roll_call",
        by=None,
    )

    assert of_dashboard(case.cast.cohort) != before


def test_a_new_note_on_an_absence_changes_the_progress_page(case):
    before = of_progress(case.cast.participant_enrollment)

    attendance_record(
        enrollment=case.cast.participant_enrollment,
        session=case.webinar,
        status=A.ABSENT,
        source_kind="roll_call",
        by=None,
        note="Flu",
    )

    assert of_progress(case.cast.participant_enrollment) != before


def test_a_status_change_changes_both(case):
    before = versions(case)

    enrollment_status_change(
        enrollment=case.cast.participant_enrollment, to_status="withdrawn", by=None, reason="Moved away"
    )

    assert_both_change(case, before)


def test_a_new_member_changes_the_dashboard(case):
    before = of_dashboard(case.cast.cohort)

    EnrollmentFactory(cohort=case.cast.cohort, track=case.cast.participant_enrollment.track)

    assert of_dashboard(case.cast.cohort) != before


def test_a_changed_session_changes_both(case):
    before = versions(case)

    session_update(session=case.september, by=None, title="September joint session (moved)")

    assert_both_change(case, before)


def test_a_cancelled_session_changes_both(case):
    before = versions(case)

    session_cancel(session=case.september, reason="Storm", by=None)

    assert_both_change(case, before)


def test_a_new_session_changes_both(case):
    before = versions(case)

    session(case.cast.cohort, "Extra joint session", dt.datetime(2026, 10, 1, 14, tzinfo=dt.UTC), 7, 360)

    assert_both_change(case, before)


def test_a_session_ending_changes_both(case):
    # Held on the same day, June 1 (the programme's zone): only the session's end lies between.
    session(case.cast.cohort, "June joint session", dt.datetime(2026, 6, 1, 13, tzinfo=dt.UTC), 2, 120)
    cohort, enrollment = case.cast.cohort, case.cast.participant_enrollment

    assert of_dashboard(cohort, NOW) == of_dashboard(cohort, NOW + dt.timedelta(hours=2))
    assert of_dashboard(cohort, NOW + dt.timedelta(hours=2)) != of_dashboard(
        cohort, NOW + dt.timedelta(hours=4)
    )
    assert of_progress(enrollment, NOW + dt.timedelta(hours=2)) != of_progress(
        enrollment, NOW + dt.timedelta(hours=4)
    )


def test_a_new_day_changes_both(case):
    cohort, enrollment = case.cast.cohort, case.cast.participant_enrollment
    next_day = NOW + dt.timedelta(days=1)

    assert of_dashboard(cohort, next_day) != of_dashboard(cohort)
    assert of_progress(enrollment, next_day) != of_progress(enrollment)


def test_a_track_edited_later_changes_both(case):
    before = versions(case)
    track = case.cast.participant_enrollment.track

    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        track.required_contact_minutes = 200 * 60
        track.save()

    assert_both_change(case, before)


def test_a_renamed_person_changes_their_progress_page(case):
    before = of_progress(case.cast.participant_enrollment)
    person = case.cast.participant_enrollment.person

    person.full_name = "Pat Renamed"
    person.save()

    assert of_progress(case.cast.participant_enrollment) != before


def test_cached_rows_are_read_once_per_version(case, django_assert_num_queries):
    cohort = Cohort.objects.select_related("program").get(pk=case.cast.cohort.pk)
    version = dashboard_version(cohort=cohort, now=NOW)

    rows = dashboard_cached(cohort=cohort, version=version, now=NOW)
    with django_assert_num_queries(0):
        again = dashboard_cached(cohort=cohort, version=version, now=NOW)
    EnrollmentFactory(cohort=cohort, track=case.cast.participant_enrollment.track, person=PersonFactory())
    fresh = dashboard_cached(cohort=cohort, version=dashboard_version(cohort=cohort, now=NOW), now=NOW)

    assert [(r.enrollment.pk, r.done_minutes, r.flags) for r in again] == [
        (r.enrollment.pk, r.done_minutes, r.flags) for r in rows
    ]
    assert len(rows) == 2
    assert len(fresh) == 3
    assert len(dashboard_for(cohort=cohort, now=NOW)) == 3
