"""QR self check-in: signed codes that expire, and a check-in that never overwrites."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.signing import TimestampSigner

from cecto.ledger.api import balance_for
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling import check_in as check_in_module
from cecto.scheduling.attendance import AttendanceRefused, attendance_record
from cecto.scheduling.check_in import (
    AlreadyRecorded,
    CheckInCodeExpired,
    CheckInCodeInvalid,
    CheckInRefused,
    check_in_count_for,
    check_in_record,
    check_in_session_for,
    check_in_slot,
    check_in_token_for,
    check_in_window,
)
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

A = AttendanceRecord.Status
STARTS = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)  # 10:00 AM in New York
ENDS = STARTS + dt.timedelta(hours=7)
DURING = STARTS + dt.timedelta(minutes=5)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    return SessionFactory(cohort=CohortFactory(), title="Kick-off", starts_at=STARTS, ends_at=ENDS)


@pytest.fixture
def user():
    return UserFactory(username="pat")


@pytest.fixture
def enrollment(session, user):
    return EnrollmentFactory(
        cohort=session.cohort, person=PersonFactory(user=user, full_name="Pat Participant")
    )


# --- codes -------------------------------------------------------------------------------------


def test_a_code_names_its_session_and_current_slot(session):
    with time_machine.travel(DURING, tick=False):
        token = check_in_token_for(session)

        assert check_in_session_for(token) == session
    value = TimestampSigner(salt="cecto.scheduling.check-in").unsign(token)
    assert value == f"{session.uuid}.{check_in_slot(DURING)}"
    assert check_in_slot(DURING + dt.timedelta(seconds=30)) == check_in_slot(DURING) + 1


def test_a_code_is_accepted_for_90_seconds_then_expires(session):
    with time_machine.travel(DURING, tick=False) as traveller:
        token = check_in_token_for(session)
        traveller.shift(90)
        assert check_in_session_for(token) == session

        traveller.shift(1)
        with pytest.raises(CheckInCodeExpired, match=r"^This code has expired: scan the new one"):
            check_in_session_for(token)


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # a changed signature
        lambda token: token.replace(token.split(".")[0], "00000000-0000-0000-0000-000000000000", 1),
        lambda token: TimestampSigner(salt="another-purpose").sign(token.split(":")[0]),
        lambda token: "not-a-code",
    ],
)
def test_a_forged_code_is_refused(session, forge):
    with time_machine.travel(DURING, tick=False):
        token = check_in_token_for(session)

        with pytest.raises(CheckInCodeInvalid, match=r"^This is not a cecto check-in code\."):
            check_in_session_for(forge(token))


def test_a_code_for_a_deleted_session_is_refused(session):
    with time_machine.travel(DURING, tick=False):
        token = check_in_token_for(session)
        session.delete()

        with pytest.raises(CheckInCodeInvalid, match="no longer exists"):
            check_in_session_for(token)


def test_the_window_runs_from_half_an_hour_before_the_start_to_the_end(session):
    assert check_in_window(session) == (STARTS - dt.timedelta(minutes=30), ENDS)


# --- checking in -------------------------------------------------------------------------------


def test_it_records_the_person_present_and_credits_the_session(session, enrollment, user):
    record = check_in_record(session=session, user=user, now=DURING)

    assert (record.status, record.minutes_attended, record.source_kind) == (A.PRESENT, 360, "qr_check_in")
    assert record.recorded_by == user
    assert balance_for(enrollment.uuid).instruction_minutes == 360
    assert check_in_count_for(session) == 1


def test_a_second_scan_says_when_they_checked_in(session, enrollment, user):
    with time_machine.travel(dt.datetime(2026, 3, 10, 13, 50, tzinfo=dt.UTC), tick=False):
        check_in_record(session=session, user=user)

    with pytest.raises(AlreadyRecorded, match=r"^You already checked in at 9:50 AM\.$"):
        check_in_record(session=session, user=user, now=DURING)
    assert AttendanceRecord.objects.get().version == 1


def test_it_never_overwrites_a_roll_call(session, enrollment, user):
    attendance_record(
        enrollment=enrollment,
        session=session,
        status=A.LATE,
        minutes_attended=200,
        source_kind="roll_call",
        by=None,
    )

    with pytest.raises(
        AlreadyRecorded, match=r"^The roll call already has you as late: checking in changes nothing\."
    ):
        check_in_record(session=session, user=user, now=DURING)
    record = AttendanceRecord.objects.get()
    assert (record.status, record.minutes_attended, record.version) == (A.LATE, 200, 1)


def test_a_race_with_another_recording_is_told_and_changes_nothing(session, enrollment, user, monkeypatch):
    # Someone records the person after the check passed but before the write: the version guard
    # (expected_version=0) refuses to overwrite them.
    monkeypatch.setattr(check_in_module, "check_in_check", lambda **kwargs: None)
    attendance_record(
        enrollment=enrollment, session=session, status=A.ABSENT, source_kind="roll_call", by=None
    )

    with pytest.raises(AlreadyRecorded, match="recorded a moment ago"):
        check_in_record(session=session, user=user, now=DURING)
    assert AttendanceRecord.objects.get().status == A.ABSENT


def test_it_opens_half_an_hour_before_the_start(session, enrollment, user):
    with pytest.raises(CheckInRefused, match=r"^Check-in for Kick-off opens at 9:30 AM, half an hour before"):
        check_in_record(session=session, user=user, now=STARTS - dt.timedelta(minutes=31))

    check_in_record(session=session, user=user, now=STARTS - dt.timedelta(minutes=30))


def test_it_closes_at_the_end(session, enrollment, user):
    with pytest.raises(
        CheckInRefused, match=r"^Kick-off ended at 5:00 PM: ask the instructor to mark you on the roll"
    ):
        check_in_record(session=session, user=user, now=ENDS + dt.timedelta(seconds=1))

    check_in_record(session=session, user=user, now=ENDS)


@pytest.mark.parametrize("status", [Enrollment.Status.APPLIED, Enrollment.Status.WITHDRAWN])
def test_only_a_current_member_checks_in(session, enrollment, user, status):
    enrollment.status = status
    enrollment.save()

    with pytest.raises(CheckInRefused, match=r"^You are not enrolled in Class of \d+: only its participants"):
        check_in_record(session=session, user=user, now=DURING)


def test_a_member_of_another_class_is_refused(session, enrollment):
    outsider = UserFactory()
    EnrollmentFactory(person=PersonFactory(user=outsider))

    with pytest.raises(CheckInRefused, match="You are not enrolled"):
        check_in_record(session=session, user=outsider, now=DURING)


def test_a_session_of_another_track_is_refused(session, enrollment, user):
    session.track = TrackFactory(program=session.cohort.program, name="Superintendents")
    session.save()

    with pytest.raises(AttendanceRefused, match="is for Superintendents, not for Pat Participant's track"):
        check_in_record(session=session, user=user, now=DURING)
    assert not AttendanceRecord.objects.exists()


def test_only_an_in_person_session_takes_check_ins(session, enrollment, user):
    session.mode = Session.Mode.ONLINE_LIVE
    session.save()

    with pytest.raises(CheckInRefused, match="is not held in person"):
        check_in_record(session=session, user=user, now=DURING)
