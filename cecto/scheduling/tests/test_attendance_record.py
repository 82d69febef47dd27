"""attendance_record: one record per enrollment and session, the ledger following it, and no lost update."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from cecto.core.models import AuditEvent
from cecto.ledger.api import HoursEntry, credit_for, net_minutes
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.models import Track
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.attendance import (
    AttendanceRefused,
    StaleAttendance,
    attendance_check,
    attendance_record,
    policy_for,
)
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

A = AttendanceRecord.Status
CONTACT = 360


@pytest.fixture
def cohort(db):
    return CohortFactory(slug="class-of-2026", name="Class of 2026")


@pytest.fixture
def track(cohort):
    return TrackFactory(program=cohort.program, slug="candidate", name="CeCTO candidate")


@pytest.fixture
def enrollment(cohort, track):
    return EnrollmentFactory(
        cohort=cohort,
        track=track,
        person=PersonFactory(full_name="Nora Carolina"),
        enrolled_on=dt.date(2026, 2, 10),
    )


@pytest.fixture
def session(cohort):
    # 14:00 UTC on March 10, 2026 is 10:00 in New York (daylight saving time began on March 8).
    return SessionFactory(cohort=cohort, title="Strategic planning", contact_minutes=CONTACT)


@pytest.fixture
def clerk(db):
    return UserFactory(username="clerk")


def take(enrollment, session, status=A.PRESENT, minutes=None, **kwargs):
    values = {"source_kind": "roll_call", "by": None, **kwargs}
    return attendance_record(
        enrollment=enrollment, session=session, status=status, minutes_attended=minutes, **values
    )


def net(enrollment, session):
    return net_minutes(enrollment_ref=enrollment.uuid, session_ref=session.uuid)


def ledger_rows(enrollment, session):
    return HoursEntry.objects.filter(enrollment_ref=enrollment.uuid, session_ref=session.uuid).count()


def nothing_recorded():
    return not AttendanceRecord.objects.exists() and not HoursEntry.objects.exists()


# --- each status ---------------------------------------------------------------------------------


def test_present_without_minutes_is_the_whole_session(enrollment, session, clerk):
    record = take(enrollment, session, A.PRESENT, by=clerk)

    record.refresh_from_db()
    assert (record.status, record.minutes_attended, record.version) == (A.PRESENT, CONTACT, 1)
    assert (record.source_kind, record.recorded_by) == ("roll_call", clerk)
    entry = HoursEntry.objects.get()
    assert (entry.minutes, entry.source_kind, entry.source_id) == (CONTACT, "roll_call", str(record.uuid))
    assert (entry.enrollment_ref, entry.session_ref) == (enrollment.uuid, session.uuid)
    assert entry.person == enrollment.person
    assert entry.occurred_on == dt.date(2026, 3, 10)
    assert entry.recorded_by == clerk


def test_the_ledger_date_is_the_sessions_local_day(enrollment, cohort):
    # 02:00 UTC on March 11 is still March 10 in New York.
    evening = SessionFactory(
        cohort=cohort,
        starts_at=dt.datetime(2026, 3, 10, 22, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 11, 2, 0, tzinfo=dt.UTC),
        contact_minutes=120,
    )

    take(enrollment, evening)

    assert HoursEntry.objects.get().occurred_on == dt.date(2026, 3, 10)


def test_present_with_minutes_keeps_them(enrollment, session):
    assert take(enrollment, session, A.PRESENT, 300).minutes_attended == 300
    assert net(enrollment, session) == 300


@pytest.mark.parametrize("status", [A.LATE, A.LEFT_EARLY])
def test_late_or_left_early_needs_the_minutes(enrollment, session, status):
    with pytest.raises(AttendanceRefused, match="Give the minutes Nora Carolina attended"):
        take(enrollment, session, status)

    assert nothing_recorded()


@pytest.mark.parametrize("status", [A.LATE, A.LEFT_EARLY])
def test_late_or_left_early_is_credited_the_minutes(enrollment, session, status):
    record = take(enrollment, session, status, 200)

    assert (record.status, record.minutes_attended) == (status, 200)
    assert net(enrollment, session) == 200


@pytest.mark.parametrize("status", [A.ABSENT, A.EXCUSED])
@pytest.mark.parametrize("minutes", [None, 0])
def test_absent_or_excused_is_zero_minutes(enrollment, session, status, minutes):
    record = take(enrollment, session, status, minutes)

    assert (record.status, record.minutes_attended) == (status, 0)
    assert net(enrollment, session) == 0
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(("status", "label"), [(A.ABSENT, "absent"), (A.EXCUSED, "excused")])
def test_absent_or_excused_refuses_minutes(enrollment, session, status, label):
    with pytest.raises(AttendanceRefused, match=f"is {label}: minutes attended must be 0"):
        take(enrollment, session, status, 30)

    assert nothing_recorded()


def test_it_refuses_more_minutes_than_the_contact_minutes(enrollment, session):
    with pytest.raises(AttendanceRefused, match="361 minutes is more than the session's 360 contact minutes"):
        take(enrollment, session, A.LATE, CONTACT + 1)

    assert nothing_recorded()


def test_it_accepts_exactly_the_contact_minutes(enrollment, session):
    assert take(enrollment, session, A.LATE, CONTACT).minutes_attended == CONTACT


def test_it_refuses_negative_minutes(enrollment, session):
    with pytest.raises(AttendanceRefused, match="cannot be negative"):
        take(enrollment, session, A.LEFT_EARLY, -1)

    assert nothing_recorded()


# --- who and what may be recorded ----------------------------------------------------------------


def test_it_refuses_another_cohorts_session(enrollment):
    elsewhere = SessionFactory(title="Elsewhere kick-off")

    with pytest.raises(AttendanceRefused, match="Nora Carolina is not in the class of Elsewhere kick-off"):
        take(enrollment, elsewhere)

    assert nothing_recorded()


def test_it_refuses_a_session_for_another_track(enrollment, cohort):
    superintendents = TrackFactory(program=cohort.program, name="Leaders for the 21st Century")
    course = SessionFactory(cohort=cohort, title="Superintendent course", track=superintendents)

    with pytest.raises(AttendanceRefused, match="Superintendent course is for Leaders for the 21st Century"):
        take(enrollment, course)

    assert nothing_recorded()


def test_it_accepts_a_session_for_the_enrollments_own_track(enrollment, cohort, track):
    own = SessionFactory(cohort=cohort, track=track)

    assert take(enrollment, own).status == A.PRESENT


def test_it_refuses_a_cancelled_session(enrollment, cohort):
    cancelled = SessionFactory(cohort=cohort, title="Snow day", status=Session.Status.CANCELLED)

    with pytest.raises(AttendanceRefused, match="Snow day was cancelled"):
        take(enrollment, cancelled)

    assert nothing_recorded()


def test_it_refuses_an_applicant(enrollment, session):
    enrollment.status = Enrollment.Status.APPLIED
    enrollment.save()

    with pytest.raises(AttendanceRefused, match="has only applied"):
        take(enrollment, session)

    assert nothing_recorded()


@pytest.mark.parametrize("status", [Enrollment.Status.ADMITTED, Enrollment.Status.ACTIVE])
def test_it_accepts_a_member_of_the_class(enrollment, session, status):
    enrollment.status = status
    enrollment.save()

    assert take(enrollment, session).status == A.PRESENT


def test_it_refuses_a_session_before_the_person_enrolled(enrollment, session):
    enrollment.enrolled_on = dt.date(2026, 3, 20)
    enrollment.save()

    with pytest.raises(AttendanceRefused) as caught:
        take(enrollment, session)

    assert "Mar 20, 2026" in str(caught.value)
    assert "Mar 10" in str(caught.value)
    assert nothing_recorded()


def test_a_session_on_the_day_they_enrolled_is_theirs(enrollment, session):
    enrollment.enrolled_on = dt.date(2026, 3, 10)
    enrollment.save()

    assert take(enrollment, session).status == A.PRESENT


def test_it_refuses_an_unknown_status(enrollment, session):
    with pytest.raises(AttendanceRefused, match="'asleep' is not an attendance status"):
        take(enrollment, session, "asleep", 0)

    assert nothing_recorded()


def test_it_refuses_an_unknown_source(enrollment, session):
    with pytest.raises(AttendanceRefused, match="'carrier_pigeon' is not an attendance source"):
        take(enrollment, session, source_kind="carrier_pigeon")

    assert nothing_recorded()


def test_a_reversal_is_not_an_attendance_source(enrollment, session):
    with pytest.raises(AttendanceRefused, match="not an attendance source"):
        take(enrollment, session, source_kind="reversal")


def test_attendance_check_returns_the_minutes_to_store_without_writing(enrollment, session):
    minutes = attendance_check(
        enrollment=enrollment, session=session, status=A.PRESENT, minutes_attended=None
    )

    assert minutes == CONTACT
    assert nothing_recorded()


# --- the ledger follows the record ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("partial_credit", "threshold", "status", "minutes", "credited"),
    [
        (Track.PartialCredit.PROPORTIONAL, None, A.LEFT_EARLY, 200, 200),
        (Track.PartialCredit.PROPORTIONAL, None, A.PRESENT, None, 360),
        (Track.PartialCredit.THRESHOLD, 75, A.LATE, 270, 360),
        (Track.PartialCredit.THRESHOLD, 75, A.LATE, 269, 0),
        (Track.PartialCredit.NONE, None, A.LEFT_EARLY, 359, 0),
        (Track.PartialCredit.NONE, None, A.PRESENT, None, 360),
        (Track.PartialCredit.NONE, None, A.ABSENT, None, 0),
    ],
)
def test_the_ledger_credits_what_the_tracks_policy_gives(
    enrollment, session, track, partial_credit, threshold, status, minutes, credited
):
    track.partial_credit = partial_credit
    track.partial_credit_threshold_percent = threshold
    track.save()

    record = take(enrollment, session, status, minutes)

    expected = credit_for(
        policy_for(track), contact_minutes=session.contact_minutes, attended_minutes=record.minutes_attended
    )
    assert expected == credited
    assert net(enrollment, session) == credited


def test_policy_for_copies_the_tracks_settings(track):
    track.required_contact_minutes = 1200
    track.required_sessions = Track.RequiredSessions.ALL_JOINT
    track.partial_credit = Track.PartialCredit.THRESHOLD
    track.partial_credit_threshold_percent = 80
    track.required_session_min_percent = 90
    track.ceu_policy = Track.CeuPolicy.NONE

    policy = policy_for(track)

    assert (policy.required_minutes, policy.required_sessions) == (1200, "all_joint")
    assert (policy.partial_credit, policy.threshold_percent) == ("threshold", 80)
    assert (policy.required_session_min_percent, policy.awards_ceus) == (90, False)
    track.ceu_policy = Track.CeuPolicy.IACET
    assert policy_for(track).awards_ceus is True


def test_a_correction_reverses_the_old_entry_and_posts_the_new(enrollment, session, clerk):
    first = take(enrollment, session, A.PRESENT)
    original = HoursEntry.objects.get()

    corrected = take(enrollment, session, A.LEFT_EARLY, 60, by=clerk, note="Left at 11")

    assert corrected.pk == first.pk
    assert AttendanceRecord.objects.count() == 1
    corrected.refresh_from_db()
    assert (corrected.status, corrected.minutes_attended, corrected.version) == (A.LEFT_EARLY, 60, 2)
    assert (corrected.note, corrected.recorded_by) == ("Left at 11", clerk)
    entries = list(HoursEntry.objects.order_by("id"))
    assert [e.minutes for e in entries] == [CONTACT, -CONTACT, 60]
    assert entries[0] == original
    assert entries[1].reverses == original
    assert entries[1].reason == "Left at 11"
    assert net(enrollment, session) == 60

    event = AuditEvent.objects.get(verb="attendance.corrected")
    assert (event.subject_kind, event.subject_id, event.actor) == ("attendance", str(first.uuid), clerk)
    assert event.data == {
        "from_status": "present",
        "from_minutes": 360,
        "to_status": "left_early",
        "to_minutes": 60,
    }


def test_a_first_record_is_not_a_correction(enrollment, session):
    take(enrollment, session)

    assert not AuditEvent.objects.filter(verb="attendance.corrected").exists()


def test_correcting_to_absent_withdraws_the_credit(enrollment, session):
    take(enrollment, session, A.PRESENT)

    take(enrollment, session, A.ABSENT)

    assert net(enrollment, session) == 0
    assert ledger_rows(enrollment, session) == 2


def test_the_same_call_twice_changes_nothing(enrollment, session, clerk):
    take(enrollment, session, A.LATE, 300, note="Traffic")

    again = take(enrollment, session, A.LATE, 300, note="Traffic", by=clerk, source_kind="csv_import")

    again.refresh_from_db()
    assert again.version == 1
    assert again.source_kind == "roll_call"
    assert ledger_rows(enrollment, session) == 1
    assert not AuditEvent.objects.exists()


def test_present_twice_without_minutes_changes_nothing(enrollment, session):
    take(enrollment, session, A.PRESENT)
    take(enrollment, session, A.PRESENT)

    assert AttendanceRecord.objects.get().version == 1
    assert ledger_rows(enrollment, session) == 1


def test_changing_only_the_note_bumps_the_version_but_not_the_ledger(enrollment, session):
    take(enrollment, session, A.LATE, 300)

    record = take(enrollment, session, A.LATE, 300, note="Traffic on I-40")

    assert (record.version, record.note) == (2, "Traffic on I-40")
    assert ledger_rows(enrollment, session) == 1


# --- optimistic concurrency ----------------------------------------------------------------------


def test_a_stale_editor_is_refused_and_nothing_changes(enrollment, session):
    first_editor, second_editor = UserFactory(username="first-editor"), UserFactory(username="second-editor")
    take(enrollment, session, A.PRESENT)
    shown = AttendanceRecord.objects.get().version  # both forms opened at version 1
    assert shown == 1

    saved = take(enrollment, session, A.LEFT_EARLY, 120, by=first_editor, expected_version=shown)
    assert saved.version == 2
    rows = ledger_rows(enrollment, session)

    with pytest.raises(StaleAttendance, match="changed by first-editor while you were editing"):
        take(enrollment, session, A.LATE, 300, by=second_editor, expected_version=shown)

    record = AttendanceRecord.objects.get()
    assert (record.status, record.minutes_attended, record.version) == (A.LEFT_EARLY, 120, 2)
    assert record.recorded_by == first_editor
    assert ledger_rows(enrollment, session) == rows
    assert net(enrollment, session) == 120
    assert AuditEvent.objects.filter(verb="attendance.corrected").count() == 1


def test_stale_is_a_refusal(enrollment, session):
    assert issubclass(StaleAttendance, AttendanceRefused)


def test_a_new_record_is_expected_at_version_zero(enrollment, session):
    record = take(enrollment, session, A.PRESENT, expected_version=0)

    assert record.version == 1


def test_a_new_record_expected_at_version_one_is_stale(enrollment, session):
    with pytest.raises(StaleAttendance, match="changed by someone"):
        take(enrollment, session, A.PRESENT, expected_version=1)

    assert nothing_recorded()


def test_the_current_version_is_accepted(enrollment, session):
    take(enrollment, session, A.PRESENT)

    record = take(enrollment, session, A.LEFT_EARLY, 90, expected_version=1)

    assert record.version == 2
    assert net(enrollment, session) == 90


# --- no lost update between two concurrent requests ------------------------------------------------
#
# On PostgreSQL the calls really race: each runs in its own thread and connection, released together,
# and the row locks decide the order. SQLite has one writer at a time anyway, and its shared in-memory
# test database answers a second writer with "database table is locked" instead of waiting, so there
# the same calls run one after the other: the outcome every interleaving must reach is the same.


def run_concurrently(*calls):
    """Run the calls at once (one thread and connection each) and return their outcomes in order."""
    outcomes: list[object] = [None] * len(calls)
    if connection.vendor == "sqlite":
        for index, call in enumerate(calls):
            outcomes[index] = outcome_of(call)
        return outcomes
    barrier = threading.Barrier(len(calls))

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = outcome_of(call)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def outcome_of(call):
    try:
        return call()
    except Exception as error:  # the outcome, error or not, is what the test inspects
        return error


def assert_ledger_follows(enrollment, session, record):
    credited = credit_for(
        policy_for(enrollment.track), contact_minutes=CONTACT, attended_minutes=record.minutes_attended
    )
    assert net(enrollment, session) == credited
    live = HoursEntry.objects.filter(
        enrollment_ref=enrollment.uuid,
        session_ref=session.uuid,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).exclude(source_kind=HoursEntry.Source.REVERSAL)
    assert [entry.minutes for entry in live] == [credited]


@pytest.mark.django_db(transaction=True)
def test_two_editors_at_once_one_wins_and_the_other_is_told(enrollment, session):
    take(enrollment, session, A.PRESENT)

    outcomes = run_concurrently(
        lambda: take(enrollment, session, A.LEFT_EARLY, 60, expected_version=1),
        lambda: take(enrollment, session, A.LATE, 300, expected_version=1),
    )

    winners = [o for o in outcomes if isinstance(o, AttendanceRecord)]
    losers = [o for o in outcomes if isinstance(o, StaleAttendance)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    record = AttendanceRecord.objects.get()
    assert (record.version, record.status, record.minutes_attended) == (
        2,
        winners[0].status,
        winners[0].minutes_attended,
    )
    assert_ledger_follows(enrollment, session, record)
    assert ledger_rows(enrollment, session) == 3  # the original, its reversal, the winner's


@pytest.mark.django_db(transaction=True)
def test_two_sources_at_once_are_applied_in_turn(enrollment, session):
    take(enrollment, session, A.PRESENT)

    outcomes = run_concurrently(
        lambda: take(enrollment, session, A.LEFT_EARLY, 60, source_kind="qr_check_in"),
        lambda: take(enrollment, session, A.LATE, 300, source_kind="meeting_report"),
    )

    assert all(isinstance(o, AttendanceRecord) for o in outcomes), outcomes
    record = AttendanceRecord.objects.get()
    assert record.version == 3  # both applied, one after the other
    assert record.minutes_attended in (60, 300)
    assert_ledger_follows(enrollment, session, record)
    assert ledger_rows(enrollment, session) == 5
    assert AuditEvent.objects.filter(verb="attendance.corrected").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_first_records_at_once_are_applied_in_turn(enrollment, session):
    # A QR check-in and the roll call at the start of a session: there is no record yet to lock.
    outcomes = run_concurrently(
        lambda: take(enrollment, session, A.LEFT_EARLY, 60, source_kind="qr_check_in"),
        lambda: take(enrollment, session, A.LATE, 300, source_kind="roll_call"),
    )

    assert all(isinstance(o, AttendanceRecord) for o in outcomes), outcomes
    record = AttendanceRecord.objects.get()
    assert record.version == 2
    assert record.minutes_attended in (60, 300)
    assert_ledger_follows(enrollment, session, record)
