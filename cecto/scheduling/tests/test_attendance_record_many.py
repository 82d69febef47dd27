"""attendance_record_many: attendance_record's rules and ledger result, set-based."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cecto.core.models import AuditEvent
from cecto.ledger.api import HoursEntry, net_minutes
from cecto.people.tests.factories import PersonFactory
from cecto.scheduling.attendance import (
    AttendanceChange,
    AttendanceRefused,
    AttendanceRowRefused,
    attendance_record,
    attendance_record_many,
)
from cecto.scheduling.models import AttendanceRecord
from cecto.scheduling.tests.factories import EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cast):
    return SessionFactory(cohort=cast.cohort, contact_minutes=360)


def class_of(cast, size):
    track = cast.participant_enrollment.track
    return [EnrollmentFactory(cohort=cast.cohort, track=track, person=PersonFactory()) for _ in range(size)]


def many(session, changes, by=None):
    return attendance_record_many(session=session, changes=changes, source_kind="csv_import", by=by)


def test_it_records_and_credits_like_the_one_at_a_time_service(cast, session):
    one, other = class_of(cast, 2)
    attendance_record(enrollment=one, session=session, status="present", source_kind="roll_call", by=None)

    records = many(
        session,
        [
            AttendanceChange(one, "left_early", 200, "left for a board meeting"),
            AttendanceChange(other, "present"),
        ],
        by=cast.admin,
    )

    assert [(r.status, r.minutes_attended, r.version) for r in records] == [
        ("left_early", 200, 2),
        ("present", 360, 1),
    ]
    assert net_minutes(enrollment_ref=one.uuid, session_ref=session.uuid) == 200
    assert net_minutes(enrollment_ref=other.uuid, session_ref=session.uuid) == 360
    # The roll call's entry was reversed, not edited: original, reversal, new figure.
    assert list(
        HoursEntry.objects.filter(enrollment_ref=one.uuid)
        .order_by("id")
        .values_list("minutes", "source_kind")
    ) == [(360, "roll_call"), (-360, "reversal"), (200, "csv_import")]
    correction = AuditEvent.objects.get(verb="attendance.corrected")
    assert correction.data == {
        "from_status": "present",
        "from_minutes": 360,
        "to_status": "left_early",
        "to_minutes": 200,
    }
    assert correction.actor == cast.admin


def test_the_same_changes_again_write_nothing(cast, session):
    people = class_of(cast, 3)
    changes = [AttendanceChange(e, "present") for e in people]
    many(session, changes)
    counts = (AttendanceRecord.objects.count(), HoursEntry.objects.count(), AuditEvent.objects.count())

    records = many(session, changes)

    assert (
        AttendanceRecord.objects.count(),
        HoursEntry.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    assert {r.version for r in records} == {1}


def test_a_refused_change_names_its_index_and_nothing_is_written(cast, session):
    people = class_of(cast, 3)

    with pytest.raises(AttendanceRowRefused, match="minutes attended must be 0") as refused:
        many(session, [AttendanceChange(people[0], "present"), AttendanceChange(people[1], "absent", 30)])

    assert refused.value.index == 1
    assert isinstance(refused.value, AttendanceRefused)
    assert AttendanceRecord.objects.count() == 0
    assert HoursEntry.objects.count() == 0


def test_an_unknown_source_is_refused(cast, session):
    with pytest.raises(AttendanceRefused, match="not an attendance source"):
        attendance_record_many(session=session, changes=[], source_kind="telepathy", by=None)


def test_it_runs_the_same_number_of_queries_for_5_and_50_people(cast, session, django_assert_num_queries):
    small, large = class_of(cast, 5), class_of(cast, 50)
    for people in (small, large):  # existing records to correct, and new ones, in both
        many(session, [AttendanceChange(e, "present") for e in people[:2]])
    with CaptureQueriesContext(connection) as measured:
        many(session, [AttendanceChange(e, "late", 300) for e in small])

    with django_assert_num_queries(len(measured.captured_queries)):
        many(session, [AttendanceChange(e, "late", 300) for e in large])
