"""Use cases that change enrollments, sessions and calendar feed tokens."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser, login_of
from cecto.people.api import Person
from cecto.programs.api import Track
from cecto.programs.eligibility import Eligibility
from cecto.programs.selectors import eligibility_for
from cecto.scheduling.models import CalendarFeedToken, Cohort, Enrollment, EnrollmentStatusChange, Session
from cecto.scheduling.querysets import CURRENT_STATUSES

Actor = AnyUser | None

S = Enrollment.Status
# The lifecycle: which status may follow which. Certified is final here; revoking a credential
# is the credentials app's business and does not rewrite the enrollment's history.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.ADMITTED, S.WITHDRAWN}),
    S.ADMITTED: frozenset({S.ACTIVE, S.WITHDRAWN}),
    S.ACTIVE: frozenset({S.COMPLETED, S.WITHDRAWN}),
    S.WITHDRAWN: frozenset({S.ADMITTED}),
    S.COMPLETED: frozenset({S.CERTIFIED, S.ACTIVE}),
    S.CERTIFIED: frozenset(),
}


class EnrollmentRefused(DomainError):
    pass


def _check_capacity(cohort: Cohort, *, adding: int = 1) -> None:
    if cohort.capacity is None:
        return
    taken = cohort.enrollments.filter(status__in=CURRENT_STATUSES).count()
    if taken + adding > cohort.capacity:
        raise EnrollmentRefused(f"{cohort.name} is full: {taken} of {cohort.capacity} places taken.")


def enrollment_check(
    *, person: Person, cohort: Cohort, track: Track, status: str, eligibility_waiver: str = ""
) -> Eligibility:
    """Raise EnrollmentRefused if this enrollment may not be made; return the eligibility."""
    if track.program_id != cohort.program_id:
        raise EnrollmentRefused(f"The track {track.name} is not part of {cohort.program}.")
    if Enrollment.objects.filter(person=person, cohort=cohort).exists():
        raise EnrollmentRefused(f"{person} is already enrolled in {cohort.name}.")
    eligibility = eligibility_for(program=cohort.program, person=person)
    if not eligibility.is_eligible and not eligibility_waiver.strip():
        raise EnrollmentRefused(
            f"{person} is not eligible: "
            + " ".join(eligibility.reasons)
            + " Give a waiver reason to admit them anyway."
        )
    if status in CURRENT_STATUSES:
        _check_capacity(cohort)
    return eligibility


@transaction.atomic
def enrollment_create(
    *,
    person: Person,
    cohort: Cohort,
    track: Track,
    by: Actor,
    status: str = S.APPLIED,
    enrolled_on: date | None = None,
    eligibility_waiver: str = "",
) -> Enrollment:
    """Enroll a person; refuses an ineligible one unless a waiver gives the reason."""
    if status in CURRENT_STATUSES:
        # Lock the cohort row so two admissions cannot both take the last place.
        Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    eligibility = enrollment_check(
        person=person, cohort=cohort, track=track, status=status, eligibility_waiver=eligibility_waiver
    )
    now = timezone.now()
    enrollment = Enrollment(
        person=person,
        cohort=cohort,
        track=track,
        status=status,
        enrolled_on=enrolled_on or timezone.localdate(now),
        status_changed_at=now,
    )
    enrollment.full_clean()
    enrollment.save()
    reason = f"Eligibility waived: {eligibility_waiver}" if not eligibility.is_eligible else ""
    EnrollmentStatusChange.objects.create(
        enrollment=enrollment, from_status="", to_status=status, at=now, by=login_of(by), reason=reason
    )
    audit_event_record(
        actor=by,
        verb="enrollment.created",
        subject_kind="enrollment",
        subject_id=enrollment.uuid,
        data={"cohort": cohort.slug, "track": track.slug, "status": status, "reason": reason},
    )
    return enrollment


@transaction.atomic
def enrollment_status_change(
    *, enrollment: Enrollment, to_status: str, by: Actor, reason: str = ""
) -> Enrollment:
    if to_status not in S.values:
        raise EnrollmentRefused(f"{to_status!r} is not an enrollment status.")
    # Re-read under a lock: two administrators changing one enrollment must not both win.
    locked = Enrollment.objects.select_for_update(of=("self",)).select_related("cohort").get(pk=enrollment.pk)
    if to_status not in TRANSITIONS.get(locked.status, frozenset()):
        raise EnrollmentRefused(
            f"An enrollment that is {locked.get_status_display().lower()} cannot become "
            f"{S(to_status).label.lower()}."
        )
    if to_status == S.WITHDRAWN and not reason.strip():
        raise EnrollmentRefused("Give a reason for the withdrawal.")
    if to_status in CURRENT_STATUSES and locked.status not in CURRENT_STATUSES:
        Cohort.objects.select_for_update().filter(pk=locked.cohort_id).first()
        _check_capacity(locked.cohort)
    now = timezone.now()
    from_status = locked.status
    locked.status = to_status
    locked.status_changed_at = now
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    EnrollmentStatusChange.objects.create(
        enrollment=locked,
        from_status=from_status,
        to_status=to_status,
        at=now,
        by=login_of(by),
        reason=reason,
    )
    audit_event_record(
        actor=by,
        verb="enrollment.status_changed",
        subject_kind="enrollment",
        subject_id=locked.uuid,
        data={"from": from_status, "to": to_status, "reason": reason},
    )
    return locked


# --- Sessions: change and cancel (each bumps the iCalendar SEQUENCE); calendar feed tokens -------

# What session_update may change; the rest (cohort, series, status, sequence) has its own use case.
SESSION_CHANGEABLE_FIELDS = frozenset(
    {
        "title",
        "description",
        "mode",
        "starts_at",
        "ends_at",
        "time_zone",
        "contact_minutes",
        "track",
        "is_required",
        "location",
        "meeting_url",
    }
)


class SessionRefused(DomainError):
    pass


def _session_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def session_check(session: Session) -> None:
    """Raise SessionRefused unless the session is valid and falls within its cohort's dates."""
    try:
        session.full_clean(exclude=["uuid"], validate_unique=False)
    except ValidationError as error:
        raise SessionRefused(_messages_of(error)) from error
    cohort = session.cohort
    zone = ZoneInfo(cohort.program.time_zone)
    starts_on = _session_day(session.starts_at, zone)
    ends_on = _session_day(session.ends_at, zone)
    if starts_on < cohort.starts_on:
        raise SessionRefused(
            f"{session.title} would start on {starts_on:%b} {starts_on.day}, {starts_on.year}, "
            f"before the kick-off of {cohort.name} ({cohort.starts_on:%b} {cohort.starts_on.day}, "
            f"{cohort.starts_on.year})."
        )
    if ends_on > cohort.ends_on:
        raise SessionRefused(
            f"{session.title} would end on {ends_on:%b} {ends_on.day}, {ends_on.year}, after the "
            f"graduation of {cohort.name} ({cohort.ends_on:%b} {cohort.ends_on.day}, {cohort.ends_on.year})."
        )


def _messages_of(error: ValidationError) -> str:
    messages: list[str] = []
    for name, field_messages in error.message_dict.items():
        label = "" if name == NON_FIELD_ERRORS else f"{name.replace('_', ' ').capitalize()}: "
        messages.extend(f"{label}{message}" for message in field_messages)
    return " ".join(messages)


def _audit_value(value: Any) -> Any:
    """A session field as JSON for the audit trail: times in ISO 8601, a track by its slug."""
    if isinstance(value, Track):
        return value.slug
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def session_update(*, session: Session, by: Actor, **changes: Any) -> Session:
    """Change a scheduled session; returns it as saved, with its SEQUENCE bumped if anything changed."""
    unknown = sorted(set(changes) - SESSION_CHANGEABLE_FIELDS)
    if unknown:
        raise SessionRefused(f"A session's {', '.join(unknown)} cannot be changed this way.")
    # Re-read under a lock: two changes at once must both bump the sequence.
    locked = (
        Session.objects.select_for_update(of=("self",))
        .select_related("cohort__program", "track")
        .get(pk=session.pk)
    )
    if locked.status == Session.Status.CANCELLED:
        raise SessionRefused(f"{locked.title} is cancelled: a cancelled session cannot be changed.")
    changed = {name: value for name, value in changes.items() if getattr(locked, name) != value}
    if not changed:
        return locked
    before = {name: _audit_value(getattr(locked, name)) for name in changed}
    for name, value in changed.items():
        setattr(locked, name, value)
    session_check(locked)
    locked.sequence += 1
    locked.save()
    audit_event_record(
        actor=by,
        verb="session.updated",
        subject_kind="session",
        subject_id=locked.uuid,
        data={
            "changes": {name: [before[name], _audit_value(value)] for name, value in changed.items()},
            "sequence": locked.sequence,
        },
    )
    return locked


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by: Actor) -> Session:
    """Cancel a session: it stays on every calendar, marked cancelled, with the reason."""
    if not reason.strip():
        raise SessionRefused("Give a reason for the cancellation: participants see it on their calendar.")
    locked = Session.objects.select_for_update().get(pk=session.pk)
    if locked.status == Session.Status.CANCELLED:
        raise SessionRefused(f"{locked.title} is already cancelled.")
    if locked.attendance.exists():
        raise SessionRefused(
            f"Attendance has been recorded for {locked.title}: a session that took place cannot be cancelled."
        )
    locked.status = Session.Status.CANCELLED
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    audit_event_record(
        actor=by,
        verb="session.cancelled",
        subject_kind="session",
        subject_id=locked.uuid,
        data={"reason": reason.strip(), "sequence": locked.sequence},
    )
    return locked


def calendar_feed_token_get_or_create(*, person: Person) -> CalendarFeedToken:
    """The secret of the person's calendar feed URL, made the first time it is asked for."""
    token, _created = CalendarFeedToken.objects.get_or_create(
        person=person, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def calendar_feed_token_rotate(*, person: Person, by: Actor) -> CalendarFeedToken:
    """A new secret for the person's feed: the old URL stops working at once (404)."""
    token = CalendarFeedToken.objects.select_for_update().filter(person=person).first()
    if token is None:
        token = CalendarFeedToken(person=person)
    token.token = secrets.token_urlsafe(32)
    token.save()
    audit_event_record(
        actor=by, verb="calendar_feed.rotated", subject_kind="person", subject_id=person.uuid, data={}
    )
    return token
