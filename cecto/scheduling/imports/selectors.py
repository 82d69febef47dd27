"""Reads for imports and their review queue."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet

from cecto.people.api import Person
from cecto.scheduling.models import (
    AttendanceImport,
    AttendanceRecord,
    Enrollment,
    Session,
    UnmatchedParticipant,
)


def enrollments_for_session(*, session: Session) -> QuerySet[Enrollment]:
    """Who may attend the session: the class's current enrollments on its track (or any, if joint)."""
    enrollments = Enrollment.objects.current().filter(cohort_id=session.cohort_id)
    if session.track_id is not None:
        enrollments = enrollments.filter(track_id=session.track_id)
    return enrollments.select_related("person", "track").order_by("person__full_name", "pk")


def staff_emails_for(*, session: Session) -> set[str]:
    """The e-mails of the class's instructors, the session's and the programme's administrators:
    they appear in meeting reports but take no attendance credit."""
    emails = Person.objects.filter(
        Q(cohort_instructor_roles__cohort_id=session.cohort_id)
        | Q(taught_sessions=session)
        | Q(program_administrator_roles__program_id=session.cohort.program_id)
    ).values_list("email", flat=True)
    return {email.casefold() for email in emails}


def review_queue_for(*, session: Session) -> QuerySet[UnmatchedParticipant]:
    return (
        UnmatchedParticipant.objects.filter(session=session, status=UnmatchedParticipant.Status.PENDING)
        .select_related("attendance_import")
        .order_by("name", "email", "pk")
    )


def imports_for(*, session: Session, limit: int = 20) -> QuerySet[AttendanceImport]:
    return (
        AttendanceImport.objects.filter(session=session)
        .select_related("imported_by")
        .order_by("-imported_at", "-pk")[:limit]
    )


def unmatched_for(*, session: Session, unmatched_uuid: UUID) -> UnmatchedParticipant | None:
    return (
        UnmatchedParticipant.objects.filter(session=session, uuid=unmatched_uuid)
        .select_related("attendance_import")
        .first()
    )


def attendance_record_for(*, session: Session, enrollment_id: int | None) -> AttendanceRecord | None:
    if enrollment_id is None:
        return None
    return (
        AttendanceRecord.objects.filter(session=session, enrollment_id=enrollment_id)
        .select_related("enrollment__person")
        .first()
    )
