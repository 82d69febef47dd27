"""Use cases that change cohorts and enrollments."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser
from cecto.people.api import Person
from cecto.programs.api import Track
from cecto.programs.eligibility import Eligibility
from cecto.programs.selectors import eligibility_for
from cecto.scheduling.models import Cohort, Enrollment, EnrollmentStatusChange
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
        enrollment=enrollment, from_status="", to_status=status, at=now, by=_user(by), reason=reason
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
    locked = Enrollment.objects.select_for_update().select_related("cohort").get(pk=enrollment.pk)
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
        enrollment=locked, from_status=from_status, to_status=to_status, at=now, by=_user(by), reason=reason
    )
    audit_event_record(
        actor=by,
        verb="enrollment.status_changed",
        subject_kind="enrollment",
        subject_id=locked.uuid,
        data={"from": from_status, "to": to_status, "reason": reason},
    )
    return locked


def _user(actor: Actor) -> User | None:
    if isinstance(actor, User) and actor.is_authenticated:
        return actor
    return None
