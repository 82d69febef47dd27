"""Self-paced modules: submit within the window, approve (credits the seat time) or return."""

from __future__ import annotations

import datetime as dt

import pytest

from cecto.core.models import AuditEvent
from cecto.ledger.api import balance_for
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.attendance import AttendanceRefused
from cecto.scheduling.models import AttendanceRecord, Enrollment, SelfPacedCompletion, Session
from cecto.scheduling.self_paced import (
    CompletionRefused,
    completion_approve,
    completion_return,
    completion_submit,
    completions_decided_for,
    completions_of,
    completions_pending_for,
)
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

C = SelfPacedCompletion.Status
OPENS = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)  # midnight in New York
CLOSES = dt.datetime(2026, 3, 30, 3, 59, tzinfo=dt.UTC)  # 11:59 PM on Mar 29
DURING = dt.datetime(2026, 3, 15, 18, 0, tzinfo=dt.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return SessionFactory(
        cohort=CohortFactory(),
        title="Month 2: self-paced module",
        mode=Session.Mode.ONLINE_SELF_PACED,
        location="",
        starts_at=OPENS,
        ends_at=CLOSES,
        contact_minutes=270,
    )


@pytest.fixture
def enrollment(module):
    return EnrollmentFactory(cohort=module.cohort, person=PersonFactory(full_name="Pat Participant"))


@pytest.fixture
def instructor():
    return UserFactory(username="priya")


@pytest.fixture
def submitted(module, enrollment):
    return completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


# --- submitting --------------------------------------------------------------------------------


def test_it_submits_a_completion_for_approval(module, enrollment):
    completion = completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)

    assert (completion.status, completion.submitted_at) == (C.SUBMITTED, DURING)
    assert balance_for(enrollment.uuid).instruction_minutes == 0  # nothing until approved
    assert AuditEvent.objects.get(verb="completion.submitted").subject_id == str(completion.uuid)


@pytest.mark.parametrize(
    ("now", "message"),
    [
        (OPENS - dt.timedelta(seconds=1), r"^Month 2: self-paced module opens on Mar 2, 2026\.$"),
        (CLOSES + dt.timedelta(seconds=1), r"^Month 2: self-paced module closed on Mar 29, 2026: ask your"),
    ],
)
def test_it_is_only_submitted_within_the_module_window(module, enrollment, now, message):
    with pytest.raises(CompletionRefused, match=message):
        completion_submit(enrollment=enrollment, session=module, by=None, now=now)


def test_the_window_includes_its_ends(module, enrollment):
    completion_submit(enrollment=enrollment, session=module, by=None, now=OPENS)


def test_it_is_only_for_self_paced_modules(module, enrollment):
    module.mode = Session.Mode.IN_PERSON
    module.save()

    with pytest.raises(CompletionRefused, match="is not a self-paced module"):
        completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


def test_it_is_only_for_the_participants_track(module, enrollment):
    module.track = TrackFactory(program=module.cohort.program, name="Superintendents")
    module.save()

    with pytest.raises(AttendanceRefused, match="is for Superintendents, not for Pat Participant's track"):
        completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


def test_a_withdrawn_participant_cannot_submit(module, enrollment):
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save()

    with pytest.raises(CompletionRefused, match="enrollment is withdrawn"):
        completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


def test_it_cannot_be_submitted_twice(module, enrollment, submitted):
    with pytest.raises(CompletionRefused, match="already marked complete and waiting for approval"):
        completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


def test_an_approved_module_cannot_be_submitted_again(module, enrollment, submitted, instructor):
    completion_approve(completion=submitted, by=instructor)

    with pytest.raises(CompletionRefused, match="is already approved"):
        completion_submit(enrollment=enrollment, session=module, by=None, now=DURING)


def test_a_returned_module_is_submitted_again(module, enrollment, submitted, instructor):
    completion_return(completion=submitted, by=instructor, note="Attach the district plan.")
    later = DURING + dt.timedelta(days=2)

    again = completion_submit(enrollment=enrollment, session=module, by=None, now=later)

    assert again.pk == submitted.pk
    assert (again.status, again.submitted_at, again.decided_at, again.decided_by, again.note) == (
        C.SUBMITTED,
        later,
        None,
        None,
        "",
    )
    event = AuditEvent.objects.filter(verb="completion.submitted").first()
    assert event is not None
    assert event.data["after_return"] == "Attach the district plan."


# --- deciding ----------------------------------------------------------------------------------


def test_approval_credits_the_declared_seat_time(module, enrollment, submitted, instructor):
    approved = completion_approve(completion=submitted, by=instructor, note=" Well done ")

    assert (approved.status, approved.decided_by, approved.note) == (C.APPROVED, instructor, "Well done")
    assert approved.decided_at is not None
    record = AttendanceRecord.objects.get(enrollment=enrollment, session=module)
    assert (record.status, record.minutes_attended, record.source_kind) == ("present", 270, "self_paced")
    assert balance_for(enrollment.uuid).instruction_minutes == 270
    event = AuditEvent.objects.get(verb="completion.approved")
    assert (event.actor, event.data["minutes"]) == (instructor, 270)


def test_a_completion_is_approved_once(module, enrollment, submitted, instructor):
    completion_approve(completion=submitted, by=instructor)

    with pytest.raises(CompletionRefused, match=r"Pat Participant's completion of .* is already approved\."):
        completion_approve(completion=submitted, by=instructor)
    assert balance_for(enrollment.uuid).instruction_minutes == 270


def test_returning_needs_a_note_and_credits_nothing(module, enrollment, submitted, instructor):
    with pytest.raises(CompletionRefused, match="Say what to change"):
        completion_return(completion=submitted, by=instructor, note="  ")

    returned = completion_return(completion=submitted, by=instructor, note="Attach the district plan.")

    assert (returned.status, returned.note, returned.decided_by) == (
        C.REJECTED,
        "Attach the district plan.",
        instructor,
    )
    assert not AttendanceRecord.objects.exists()
    assert balance_for(enrollment.uuid).instruction_minutes == 0
    assert AuditEvent.objects.get(verb="completion.returned").data["note"] == "Attach the district plan."


def test_an_approved_completion_cannot_be_returned(submitted, instructor):
    completion_approve(completion=submitted, by=instructor)

    with pytest.raises(CompletionRefused, match="is already approved"):
        completion_return(completion=submitted, by=instructor, note="Oops")


def test_approval_of_a_module_cancelled_since_is_refused(module, submitted, instructor):
    module.status = Session.Status.CANCELLED
    module.save()

    with pytest.raises(AttendanceRefused, match="was cancelled"):
        completion_approve(completion=submitted, by=instructor)
    submitted.refresh_from_db()
    assert submitted.status == C.SUBMITTED


# --- lists -------------------------------------------------------------------------------------


def test_the_lists_of_a_class(module, enrollment, submitted, instructor):
    other = EnrollmentFactory(cohort=module.cohort, track=enrollment.track)
    approved = completion_submit(enrollment=other, session=module, by=None, now=DURING - dt.timedelta(days=1))
    completion_approve(completion=approved, by=instructor)
    elsewhere = SessionFactory(
        mode=Session.Mode.ONLINE_SELF_PACED, location="", starts_at=OPENS, ends_at=CLOSES, contact_minutes=60
    )
    completion_submit(
        enrollment=EnrollmentFactory(cohort=elsewhere.cohort), session=elsewhere, by=None, now=DURING
    )

    assert list(completions_pending_for(cohort=module.cohort)) == [submitted]
    assert completions_decided_for(cohort=module.cohort) == [approved]
    assert completions_of(enrollment=enrollment) == {module.pk: submitted}
