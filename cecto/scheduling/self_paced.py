"""Self-paced modules: a participant marks one complete, an instructor approves or returns it.

Approval credits the module's declared seat time (its contact minutes) through `attendance_record`;
returning it credits nothing and says what to change, and the participant may then submit again.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser, login_of
from cecto.scheduling.attendance import attendance_check, attendance_record
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, SelfPacedCompletion, Session
from cecto.scheduling.querysets import CURRENT_STATUSES

C = SelfPacedCompletion.Status


class CompletionRefused(DomainError):
    pass


def completion_check(*, enrollment: Enrollment, session: Session, now: datetime) -> None:
    """Raise CompletionRefused (or AttendanceRefused) when this enrollment may not mark this module
    complete now."""
    if session.mode != Session.Mode.ONLINE_SELF_PACED:
        raise CompletionRefused(f"{session.title} is not a self-paced module.")
    if enrollment.status not in CURRENT_STATUSES:
        raise CompletionRefused(
            f"{enrollment.person}'s enrollment is {enrollment.get_status_display().lower()}: "
            "only members of the class complete its modules."
        )
    # The class, the track, a cancelled module and a late enrollment: as for any attendance.
    attendance_check(
        enrollment=enrollment,
        session=session,
        status=AttendanceRecord.Status.PRESENT,
        minutes_attended=None,
    )
    if now < session.starts_at:
        opens = timezone.localtime(session.starts_at, session.zone)
        raise CompletionRefused(f"{session.title} opens on {opens:%b %-d, %Y}.")
    if now > session.ends_at:
        closed = timezone.localtime(session.ends_at, session.zone)
        raise CompletionRefused(
            f"{session.title} closed on {closed:%b %-d, %Y}: ask your instructor to record it."
        )


@transaction.atomic
def completion_submit(
    *, enrollment: Enrollment, session: Session, by: AnyUser | None, now: datetime | None = None
) -> SelfPacedCompletion:
    """Claim the module complete, for an instructor to approve; a returned claim is submitted again."""
    now = now or timezone.now()
    completion_check(enrollment=enrollment, session=session, now=now)
    completion = (
        SelfPacedCompletion.objects.select_for_update().filter(enrollment=enrollment, session=session).first()
    )
    if completion is not None and completion.status == C.SUBMITTED:
        raise CompletionRefused(f"{session.title} is already marked complete and waiting for approval.")
    if completion is not None and completion.status == C.APPROVED:
        raise CompletionRefused(f"{session.title} is already approved.")
    if completion is None:
        completion = SelfPacedCompletion(enrollment=enrollment, session=session)
    returned_note = completion.note
    completion.status = C.SUBMITTED
    completion.submitted_at = now
    completion.decided_at = None
    completion.decided_by = None
    completion.note = ""
    completion.full_clean()
    completion.save()
    audit_event_record(
        actor=by,
        verb="completion.submitted",
        subject_kind="completion",
        subject_id=completion.uuid,
        data={"session": str(session.uuid), "after_return": returned_note},
    )
    return completion


def _locked(completion: SelfPacedCompletion) -> SelfPacedCompletion:
    locked = (
        SelfPacedCompletion.objects.select_for_update()
        .select_related("enrollment__person", "enrollment__track", "session")
        .get(pk=completion.pk)
    )
    if locked.status != C.SUBMITTED:
        raise CompletionRefused(
            f"{locked.enrollment.person}'s completion of {locked.session.title} is already "
            f"{locked.get_status_display().lower()}."
        )
    return locked


@transaction.atomic
def completion_approve(
    *, completion: SelfPacedCompletion, by: AnyUser | None, note: str = ""
) -> SelfPacedCompletion:
    """Approve it and credit the module's declared seat time."""
    locked = _locked(completion)
    session = locked.session
    record = attendance_record(
        enrollment=locked.enrollment,
        session=session,
        status=AttendanceRecord.Status.PRESENT,
        minutes_attended=session.contact_minutes,
        source_kind="self_paced",
        by=by,
        note=note.strip(),
    )
    locked.status = C.APPROVED
    locked.decided_at = timezone.now()
    locked.decided_by = login_of(by)
    locked.note = note.strip()
    locked.save()
    audit_event_record(
        actor=by,
        verb="completion.approved",
        subject_kind="completion",
        subject_id=locked.uuid,
        data={"session": str(session.uuid), "minutes": record.minutes_attended, "note": locked.note},
    )
    return locked


@transaction.atomic
def completion_return(
    *, completion: SelfPacedCompletion, by: AnyUser | None, note: str
) -> SelfPacedCompletion:
    """Send it back with a note saying what to change; nothing is credited."""
    if not note.strip():
        raise CompletionRefused("Say what to change: the participant sees your note.")
    locked = _locked(completion)
    locked.status = C.REJECTED
    locked.decided_at = timezone.now()
    locked.decided_by = login_of(by)
    locked.note = note.strip()
    locked.full_clean()
    locked.save()
    audit_event_record(
        actor=by,
        verb="completion.returned",
        subject_kind="completion",
        subject_id=locked.uuid,
        data={"session": str(locked.session.uuid), "note": locked.note},
    )
    return locked


def completions_pending_for(*, cohort: Cohort) -> QuerySet[SelfPacedCompletion]:
    """Completions waiting for approval in a class, oldest first, with what the list shows."""
    return (
        SelfPacedCompletion.objects.filter(session__cohort=cohort, status=C.SUBMITTED)
        .select_related("enrollment__person", "enrollment__track", "session")
        .order_by("submitted_at", "pk")
    )


def completions_decided_for(*, cohort: Cohort, limit: int = 20) -> list[SelfPacedCompletion]:
    """The latest decisions in a class, newest first."""
    return list(
        SelfPacedCompletion.objects.filter(session__cohort=cohort)
        .exclude(status=C.SUBMITTED)
        .select_related("enrollment__person", "session", "decided_by__person")
        .order_by("-decided_at", "-pk")[:limit]
    )


def completions_of(*, enrollment: Enrollment) -> dict[int, SelfPacedCompletion]:
    """An enrollment's completions by session id."""
    return {c.session_id: c for c in SelfPacedCompletion.objects.filter(enrollment=enrollment)}
