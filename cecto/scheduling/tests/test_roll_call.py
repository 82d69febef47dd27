"""Roll call: who is expected, all-or-nothing saving, and two instructors on one roll call."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from cecto.core.models import AuditEvent
from cecto.ledger.api import balance_for
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, TrackFactory
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.roll_call import (
    RollCallMark,
    RollCallRefused,
    RollCallResult,
    roll_call_check,
    roll_call_for,
    roll_call_save,
    roll_call_sessions_on,
)
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)

A = AttendanceRecord.Status
S = Enrollment.Status
STARTS = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)  # 10:00 AM in New York
DURING = STARTS + dt.timedelta(hours=1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return CohortFactory()


@pytest.fixture
def track(cohort):
    return TrackFactory(program=cohort.program, name="Candidate")


@pytest.fixture
def other_track(cohort):
    return TrackFactory(program=cohort.program, name="Superintendent")


@pytest.fixture
def instructor(cohort):
    user = UserFactory(username="priya")
    CohortInstructorFactory(cohort=cohort, person=PersonFactory(user=user, full_name="Priya Raman"))
    return user


@pytest.fixture
def people(cohort, track, other_track):
    """Ana and Ben (candidates), Cy (superintendent), Dee (joined in April), and two who are not
    expected: an applicant and a withdrawn candidate."""

    def enroll(name, on_track, **kwargs):
        return EnrollmentFactory(
            cohort=cohort, track=on_track, person=PersonFactory(full_name=name), **kwargs
        )

    return {
        "ana": enroll("Ana Alvarez", track),
        "ben": enroll("Ben Brooks", track),
        "cy": enroll("Cy Chen", other_track),
        "dee": enroll("Dee Diaz", track, enrolled_on=dt.date(2026, 4, 1)),
        "applicant": enroll("Al Applicant", track, status=S.APPLIED),
        "withdrawn": enroll("Wanda Withdrawn", track, status=S.WITHDRAWN),
    }


@pytest.fixture
def session(cohort):
    return SessionFactory(
        cohort=cohort, title="Kick-off", starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=7)
    )


def mark(enrollment, status=A.PRESENT, minutes=None, note="", version=0):
    return RollCallMark(
        enrollment_uuid=enrollment.uuid, status=status, minutes_attended=minutes, note=note, version=version
    )


def everyone_present(session):
    return [
        mark(row.enrollment, version=row.version) for row in roll_call_for(session) if not row.joined_later
    ]


def names(rows):
    return [row.enrollment.person.full_name for row in rows]


# --- who is expected ---------------------------------------------------------------------------


def test_a_joint_session_expects_every_current_member_by_name(session, people):
    rows = roll_call_for(session)

    assert names(rows) == ["Ana Alvarez", "Ben Brooks", "Cy Chen", "Dee Diaz"]
    assert [row.joined_later for row in rows] == [False, False, False, True]


def test_a_track_session_expects_only_that_track(session, people, track):
    session.track = track
    session.save()

    assert names(roll_call_for(session)) == ["Ana Alvarez", "Ben Brooks", "Dee Diaz"]


def test_a_row_without_a_record_is_present_for_the_full_contact_minutes(session, people):
    row = roll_call_for(session)[0]

    assert row.record is None
    assert (row.status, row.minutes_attended, row.note, row.version) == (A.PRESENT, 360, "", 0)


def test_a_row_with_a_record_shows_it(session, people, instructor):
    attendance_record(
        enrollment=people["ana"],
        session=session,
        status=A.LATE,
        minutes_attended=300,
        note="Traffic",
        source_kind="roll_call",
        by=instructor,
    )

    row = roll_call_for(session)[0]

    assert (row.status, row.minutes_attended, row.note, row.version) == (A.LATE, 300, "Traffic", 1)


def test_the_roll_call_takes_two_queries_whatever_the_class_size(session, people, django_assert_num_queries):
    attendance_record(
        enrollment=people["ana"], session=session, status=A.PRESENT, source_kind="roll_call", by=None
    )
    EnrollmentFactory.create_batch(20, cohort=session.cohort, track=people["ana"].track)

    with django_assert_num_queries(2):
        rows = roll_call_for(session)
        _ = [(row.enrollment.person.full_name, row.enrollment.track.name, row.status) for row in rows]

    assert len(rows) == 24


# --- saving ------------------------------------------------------------------------------------


def test_it_records_everyone_with_the_exceptions_and_credits_the_ledger(session, people, instructor):
    marks = [
        mark(people["ana"]),
        mark(people["ben"], A.LATE, 60),
        mark(people["cy"], A.ABSENT),
    ]

    with_result = roll_call_save(session=session, rows=marks, by=instructor, now=DURING)

    assert with_result.counts == {"present": 1, "late": 1, "left_early": 0, "absent": 1, "excused": 0}
    assert with_result.summary == "Roll call saved: 1 present, 1 late, 1 absent."
    records = {
        r.enrollment.person.full_name: r
        for r in AttendanceRecord.objects.select_related("enrollment__person")
    }
    assert {name: (r.status, r.minutes_attended, r.source_kind) for name, r in records.items()} == {
        "Ana Alvarez": (A.PRESENT, 360, "roll_call"),
        "Ben Brooks": (A.LATE, 60, "roll_call"),
        "Cy Chen": (A.ABSENT, 0, "roll_call"),
    }
    assert records["Ben Brooks"].recorded_by == instructor
    assert balance_for(people["ana"].uuid).instruction_minutes == 360
    assert balance_for(people["ben"].uuid).instruction_minutes == 60
    assert balance_for(people["cy"].uuid).instruction_minutes == 0
    event = AuditEvent.objects.get(verb="session.roll_call_saved")
    assert event.subject_id == str(session.uuid)
    assert event.data["counts"]["late"] == 1


def test_an_absence_ignores_the_minutes_the_form_still_shows(session, people, instructor):
    roll_call_save(
        session=session, rows=[mark(people["ana"], A.EXCUSED, 360, "Ill")], by=instructor, now=DURING
    )

    record = AttendanceRecord.objects.get()
    assert (record.status, record.minutes_attended, record.note) == (A.EXCUSED, 0, "Ill")


def test_a_second_roll_call_corrects_the_first_without_counting_twice(session, people, instructor):
    roll_call_save(session=session, rows=everyone_present(session), by=instructor, now=DURING)

    rows = everyone_present(session)
    rows[1] = mark(people["ben"], A.LEFT_EARLY, 200, version=1)
    result = roll_call_save(session=session, rows=rows, by=instructor, now=DURING)

    assert result.summary == "Roll call saved: 2 present, 1 left early."
    ben = AttendanceRecord.objects.get(enrollment=people["ben"])
    assert (ben.status, ben.version) == (A.LEFT_EARLY, 2)
    assert balance_for(people["ben"].uuid).instruction_minutes == 200
    assert AttendanceRecord.objects.get(enrollment=people["ana"]).version == 1  # unchanged rows stay


def test_nobody_expected_saves_nothing():
    assert RollCallResult(records=()).summary == "Roll call saved: nobody is expected."


@pytest.mark.parametrize(
    ("status", "minutes", "message"),
    [
        (A.LATE, None, "Give the minutes Ben Brooks attended (late)."),
        (A.LEFT_EARLY, 360, "Ben Brooks is marked left early: give the minutes they attended, fewer than"),
        (
            A.LATE,
            400,
            "Ben Brooks is marked late: give the minutes they attended, fewer than the session's 360",
        ),
        (A.PRESENT, 400, "400 minutes is more than the session's 360 contact minutes."),
    ],
)
def test_one_wrong_row_saves_nothing_and_says_why_next_to_the_person(
    session, people, instructor, status, minutes, message
):
    marks = [mark(people["ana"]), mark(people["ben"], status, minutes), mark(people["cy"], A.ABSENT)]

    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=marks, by=instructor, now=DURING)

    assert str(refused.value) == "Nothing was saved: 1 row needs a correction (marked below)."
    assert list(refused.value.problems) == [people["ben"].uuid]
    assert refused.value.problems[people["ben"].uuid].startswith(message)
    assert refused.value.stale == frozenset()
    assert not AttendanceRecord.objects.exists()
    assert balance_for(people["ana"].uuid).instruction_minutes == 0
    assert not AuditEvent.objects.filter(verb="session.roll_call_saved").exists()


def test_several_wrong_rows_are_counted(session, people, instructor):
    marks = [mark(people["ana"], A.LATE), mark(people["ben"], A.LATE)]

    with pytest.raises(RollCallRefused, match=r"^Nothing was saved: 2 rows need a correction"):
        roll_call_save(session=session, rows=marks, by=instructor, now=DURING)


def test_it_refuses_someone_who_joined_after_the_session(session, people, instructor):
    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=[mark(people["dee"])], by=instructor, now=DURING)

    assert "enrolled on Apr 1, 2026, after Kick-off" in refused.value.problems[people["dee"].uuid]


@pytest.mark.parametrize("who", ["applicant", "withdrawn"])
def test_it_refuses_an_enrollment_that_is_not_expected(session, people, instructor, who):
    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=[mark(people[who])], by=instructor, now=DURING)

    assert refused.value.problems == {people[who].uuid: "This enrollment is not expected at this session."}


def test_it_refuses_an_unknown_enrollment(session, people, instructor):
    stranger = RollCallMark(
        enrollment_uuid=uuid.uuid4(), status=A.PRESENT, minutes_attended=None, note="", version=0
    )

    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=[stranger], by=instructor, now=DURING)

    assert refused.value.problems == {
        stranger.enrollment_uuid: "This enrollment is not expected at this session."
    }


def test_it_refuses_a_person_twice(session, people, instructor):
    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(
            session=session,
            rows=[mark(people["ana"]), mark(people["ana"], A.ABSENT)],
            by=instructor,
            now=DURING,
        )

    assert refused.value.problems == {people["ana"].uuid: "Ana Alvarez appears twice in the roll call."}
    assert not AttendanceRecord.objects.exists()


# --- two instructors, one roll call ------------------------------------------------------------


def test_the_second_of_two_forms_opened_at_one_version_saves_nothing_and_names_whose_record_changed(
    session, people, instructor, cohort
):
    colleague = UserFactory(username="sam")
    CohortInstructorFactory(cohort=cohort, person=PersonFactory(user=colleague, full_name="Sam Okafor"))
    first_form = everyone_present(session)  # both open the roll call at version 0
    second_form = everyone_present(session)

    first_form[1] = mark(people["ben"], A.LATE, 45, "Bus was late")
    roll_call_save(session=session, rows=first_form, by=colleague, now=DURING)

    second_form[1] = mark(people["ben"], A.ABSENT)
    second_form[2] = mark(people["cy"], A.EXCUSED)
    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=second_form, by=instructor, now=DURING)

    message = str(refused.value)
    assert message.startswith(
        "Nothing was saved: someone changed the attendance of Ana Alvarez, Ben Brooks, Cy Chen"
    )
    assert refused.value.stale == {people["ana"].uuid, people["ben"].uuid, people["cy"].uuid}
    assert refused.value.problems[people["ben"].uuid] == (
        "Ben Brooks's attendance was changed by Sam Okafor while you were editing: "
        'it is now late, 45 minutes ("Bus was late").'
    )
    # The first save stands, whole; nothing of the second was applied.
    ben = AttendanceRecord.objects.get(enrollment=people["ben"])
    assert (ben.status, ben.minutes_attended, ben.version, ben.recorded_by) == (A.LATE, 45, 1, colleague)
    assert AttendanceRecord.objects.get(enrollment=people["cy"]).status == A.PRESENT
    assert balance_for(people["ben"].uuid).instruction_minutes == 45


def test_a_stale_row_stops_the_save_even_when_other_rows_are_wrong_too(session, people, instructor):
    attendance_record(
        enrollment=people["ana"], session=session, status=A.PRESENT, source_kind="qr_check_in", by=None
    )

    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(
            session=session,
            rows=[mark(people["ana"]), mark(people["ben"], A.LATE)],
            by=instructor,
            now=DURING,
        )

    assert refused.value.stale == {people["ana"].uuid}
    assert refused.value.problems[people["ana"].uuid] == (
        "Ana Alvarez's attendance was changed by someone while you were editing: "
        "it is now present, 360 minutes."
    )
    assert "Give the minutes Ben Brooks attended" in refused.value.problems[people["ben"].uuid]


def test_a_login_without_a_profile_is_named_by_its_user_name(session, people, instructor):
    robot = UserFactory(username="import-bot")
    attendance_record(
        enrollment=people["ana"], session=session, status=A.ABSENT, source_kind="csv_import", by=robot
    )

    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=[mark(people["ana"])], by=instructor, now=DURING)

    assert "changed by import-bot while" in refused.value.problems[people["ana"].uuid]


def test_a_form_newer_than_the_record_is_stale_too(session, people, instructor):
    with pytest.raises(RollCallRefused) as refused:
        roll_call_save(session=session, rows=[mark(people["ana"], version=3)], by=instructor, now=DURING)

    assert (
        refused.value.problems[people["ana"].uuid]
        == "Ana Alvarez's attendance was removed while you were editing."
    )


# --- when a roll call can be taken -------------------------------------------------------------


def test_it_opens_half_an_hour_before_the_start(session):
    roll_call_check(session=session, now=STARTS - dt.timedelta(minutes=30))

    with pytest.raises(RollCallRefused, match=r"^The roll call of Kick-off opens at 9:30 AM on Mar 10, 2026"):
        roll_call_check(session=session, now=STARTS - dt.timedelta(minutes=31))


def test_a_self_paced_module_takes_no_roll_call(session, people, instructor):
    session.mode = Session.Mode.ONLINE_SELF_PACED
    session.save()

    with pytest.raises(RollCallRefused, match="self-paced module: approve its completions"):
        roll_call_save(session=session, rows=[mark(people["ana"])], by=instructor, now=DURING)


def test_a_cancelled_session_takes_no_roll_call(session):
    session.status = Session.Status.CANCELLED
    session.save()

    with pytest.raises(RollCallRefused, match="was cancelled"):
        roll_call_check(session=session, now=DURING)


# --- today's sessions --------------------------------------------------------------------------


def test_todays_sessions_are_those_of_the_classes_one_teaches_or_administers(session, cohort, instructor):
    day = dt.date(2026, 3, 10)
    online = SessionFactory(
        cohort=cohort,
        mode=Session.Mode.ONLINE_LIVE,
        meeting_url="https://meet.example/x",
        starts_at=STARTS + dt.timedelta(hours=8),
        ends_at=STARTS + dt.timedelta(hours=9),
    )
    SessionFactory(
        cohort=cohort,
        mode=Session.Mode.ONLINE_SELF_PACED,
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(days=3),
    )
    SessionFactory(
        cohort=cohort,
        status=Session.Status.CANCELLED,
        starts_at=STARTS,
        ends_at=STARTS + dt.timedelta(hours=1),
    )
    SessionFactory(
        cohort=cohort, starts_at=STARTS + dt.timedelta(days=1), ends_at=STARTS + dt.timedelta(days=1, hours=1)
    )
    SessionFactory(cohort=CohortFactory(), starts_at=STARTS, ends_at=STARTS + dt.timedelta(hours=1))
    admin = UserFactory()
    ProgramAdministratorFactory(program=cohort.program, person=PersonFactory(user=admin))

    assert list(roll_call_sessions_on(user=instructor, day=day)) == [session, online]
    assert list(roll_call_sessions_on(user=admin, day=day)) == [session, online]
    assert list(roll_call_sessions_on(user=UserFactory(), day=day)) == []
