"""Recording attendance: the one way minutes reach the ledger for a session.

Every source (roll call, QR check-in, meeting reports, our CSV, self-paced approval) calls
`attendance_record`, which keeps one AttendanceRecord per enrollment and session and makes the
ledger credit exactly what the track's partial-credit policy gives for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.models import AuditEvent
from cecto.core.types import AnyUser, login_of
from cecto.ledger.api import (
    SessionCredit,
    TrackPolicy,
    credit_for,
    session_credit_set,
    session_credits_set_many,
)
from cecto.programs.api import Track
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session

A = AttendanceRecord.Status
SOURCES = ("roll_call", "qr_check_in", "meeting_report", "self_paced", "csv_import", "manual")


class AttendanceRefused(DomainError):
    pass


class StaleAttendance(AttendanceRefused):
    """Someone else changed the record since the form was opened: reload, don't overwrite."""


def policy_for(track: Track) -> TrackPolicy:
    return TrackPolicy(
        required_minutes=track.required_contact_minutes,
        required_sessions=track.required_sessions,
        partial_credit=track.partial_credit,
        threshold_percent=track.partial_credit_threshold_percent,
        required_session_min_percent=track.required_session_min_percent,
        awards_ceus=track.ceu_policy != Track.CeuPolicy.NONE,
    )


def attendance_check(
    *, enrollment: Enrollment, session: Session, status: str, minutes_attended: int | None
) -> int:
    """Raise AttendanceRefused when this attendance cannot be recorded; return the minutes to store."""
    person = enrollment.person
    if enrollment.cohort_id != session.cohort_id:
        raise AttendanceRefused(f"{person} is not in the class of {session.title}.")
    if session.track_id is not None and session.track_id != enrollment.track_id:
        raise AttendanceRefused(f"{session.title} is for {session.track}, not for {person}'s track.")
    if session.status == Session.Status.CANCELLED:
        raise AttendanceRefused(f"{session.title} was cancelled: there is no attendance to take.")
    if enrollment.status == Enrollment.Status.APPLIED:
        raise AttendanceRefused(f"{person} has only applied and is not yet in the class.")
    held_on = timezone.localdate(session.starts_at, session.zone)
    if held_on < enrollment.enrolled_on:
        raise AttendanceRefused(
            f"{person} enrolled on {enrollment.enrolled_on:%b %-d, %Y}, after {session.title} "
            f"({held_on:%b %-d}); earlier sessions are not theirs to attend."
        )
    if status not in A.values:
        raise AttendanceRefused(f"{status!r} is not an attendance status.")
    if status in (A.ABSENT, A.EXCUSED):
        if minutes_attended:
            raise AttendanceRefused(f"{person} is {A(status).label.lower()}: minutes attended must be 0.")
        return 0
    if minutes_attended is None:
        if status != A.PRESENT:
            raise AttendanceRefused(f"Give the minutes {person} attended ({A(status).label.lower()}).")
        return session.contact_minutes
    if minutes_attended < 0:
        raise AttendanceRefused("Minutes attended cannot be negative.")
    if minutes_attended > session.contact_minutes:
        raise AttendanceRefused(
            f"{minutes_attended} minutes is more than the session's "
            f"{session.contact_minutes} contact minutes."
        )
    return minutes_attended


@transaction.atomic
def attendance_record(
    *,
    enrollment: Enrollment,
    session: Session,
    status: str,
    source_kind: str,
    by: AnyUser | None,
    minutes_attended: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> AttendanceRecord:
    """Record (or correct) how an enrollment attended a session, and credit the ledger for it.

    `expected_version` is the record's version when the form was shown: if someone changed it
    since, StaleAttendance is raised instead of silently overwriting their change.
    """
    if source_kind not in SOURCES:
        raise AttendanceRefused(f"{source_kind!r} is not an attendance source.")
    minutes = attendance_check(
        enrollment=enrollment, session=session, status=status, minutes_attended=minutes_attended
    )
    # Writers for one enrollment take turns: before the first record exists there is no row to
    # lock, and two first writes (a QR check-in and the roll call) would collide on the unique pair.
    list(Enrollment.objects.select_for_update().filter(pk=enrollment.pk).order_by().values_list("pk"))
    record = (
        AttendanceRecord.objects.select_for_update().filter(enrollment=enrollment, session=session).first()
    )
    if expected_version is not None and (record.version if record else 0) != expected_version:
        changed_by = record.recorded_by if record and record.recorded_by else "someone"
        raise StaleAttendance(
            f"{enrollment.person}'s attendance was changed by {changed_by} while you were editing; "
            "reload to see it."
        )
    if record is None:
        record = AttendanceRecord(enrollment=enrollment, session=session, version=1)
        previous = None
    else:
        if (record.status, record.minutes_attended, record.note) == (status, minutes, note):
            return record  # the same again: nothing to change, nothing to credit twice
        previous = {"status": record.status, "minutes": record.minutes_attended}
        record.version += 1
    record.status = status
    record.minutes_attended = minutes
    record.source_kind = source_kind
    record.note = note
    record.recorded_by = login_of(by)
    record.save()

    credited = credit_for(
        policy_for(enrollment.track), contact_minutes=session.contact_minutes, attended_minutes=minutes
    )
    session_credit_set(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        session_ref=session.uuid,
        minutes=credited,
        occurred_on=timezone.localdate(session.starts_at, session.zone),
        source_kind=source_kind,
        source_id=str(record.uuid),
        by=by,
        reason=note,
    )
    if previous is not None:
        audit_event_record(
            actor=by,
            verb="attendance.corrected",
            subject_kind="attendance",
            subject_id=record.uuid,
            data={
                **{f"from_{k}": v for k, v in previous.items()},
                "to_status": status,
                "to_minutes": minutes,
            },
        )
    return record


@dataclass(frozen=True)
class AttendanceChange:
    """One person's attendance at the session, for attendance_record_many."""

    enrollment: Enrollment
    status: str
    minutes_attended: int | None = None
    note: str = ""


class AttendanceRowRefused(AttendanceRefused):
    """attendance_record_many refused one change; `index` says which."""

    def __init__(self, message: str, *, index: int) -> None:
        super().__init__(message)
        self.index = index


@transaction.atomic
def attendance_record_many(
    *, session: Session, changes: Sequence[AttendanceChange], source_kind: str, by: AnyUser | None
) -> list[AttendanceRecord]:
    """attendance_record for many people at one session, set-based (imports of whole reports).

    The same checks, the same one record per person and session, the same ledger credits,
    reversals and correction audit, but a fixed number of queries whatever the number of changes.
    A refused change raises AttendanceRowRefused with its index, and nothing is written.
    """
    if source_kind not in SOURCES:
        raise AttendanceRefused(f"{source_kind!r} is not an attendance source.")
    minutes: list[int] = []
    for index, change in enumerate(changes):
        try:
            minutes.append(
                attendance_check(
                    enrollment=change.enrollment,
                    session=session,
                    status=change.status,
                    minutes_attended=change.minutes_attended,
                )
            )
        except AttendanceRefused as error:
            raise AttendanceRowRefused(str(error), index=index) from error
    # The same lock as attendance_record takes, for all the enrollments at once, in a fixed order.
    pks = sorted({change.enrollment.pk for change in changes})
    list(Enrollment.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
    existing = {
        record.enrollment_id: record
        for record in AttendanceRecord.objects.select_for_update().filter(session=session, enrollment__in=pks)
    }
    recorder = login_of(by)
    now = timezone.now()
    created: list[AttendanceRecord] = []
    updated: list[AttendanceRecord] = []
    credits: list[SessionCredit] = []
    audits: list[AuditEvent] = []
    results: list[AttendanceRecord] = []
    for change, minutes_attended in zip(changes, minutes, strict=True):
        enrollment = change.enrollment
        record = existing.get(enrollment.pk)
        if record is not None and (record.status, record.minutes_attended, record.note) == (
            change.status,
            minutes_attended,
            change.note,
        ):
            results.append(record)  # the same again: nothing to change, nothing to credit twice
            continue
        if record is None:
            record = AttendanceRecord(enrollment=enrollment, session=session, version=1, created_at=now)
            existing[enrollment.pk] = record
            created.append(record)
        else:
            audits.append(
                AuditEvent(
                    actor=recorder,
                    verb="attendance.corrected",
                    subject_kind="attendance",
                    subject_id=str(record.uuid),
                    data={
                        "from_status": record.status,
                        "from_minutes": record.minutes_attended,
                        "to_status": change.status,
                        "to_minutes": minutes_attended,
                    },
                )
            )
            record.version += 1
            if record not in created:
                updated.append(record)
        record.status = change.status
        record.minutes_attended = minutes_attended
        record.source_kind = source_kind
        record.note = change.note
        record.recorded_by = recorder
        record.updated_at = now
        credits.append(
            SessionCredit(
                person_id=enrollment.person_id,
                enrollment_ref=enrollment.uuid,
                minutes=credit_for(
                    policy_for(enrollment.track),
                    contact_minutes=session.contact_minutes,
                    attended_minutes=minutes_attended,
                ),
                source_id=str(record.uuid),
                reason=change.note,
            )
        )
        results.append(record)
    AttendanceRecord.objects.bulk_create(created, batch_size=1000)
    AttendanceRecord.objects.bulk_update(
        [record for record in updated if record.pk is not None],
        ["status", "minutes_attended", "source_kind", "note", "recorded_by", "version", "updated_at"],
        batch_size=1000,
    )
    session_credits_set_many(
        session_ref=session.uuid,
        occurred_on=timezone.localdate(session.starts_at, session.zone),
        source_kind=source_kind,
        credits=credits,
        by=by,
    )
    AuditEvent.objects.bulk_create(audits, batch_size=1000)
    return results
