"""Who may see or change cohorts and enrollments. Every view gets its objects through here."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from cecto.core.types import AnyUser as User
from cecto.scheduling.models import Cohort, Enrollment, Session


def get_cohort_for(user: User, slug: str, *, write: bool = False) -> Cohort:
    """The cohort, if the user may see it (404 otherwise) and, with write, manage it (403)."""
    cohort = Cohort.objects.visible_to(user).select_related("program").filter(slug=slug).first()
    if cohort is None:
        raise Http404("No such cohort.")
    if write and not can_manage_cohort(user, cohort):
        raise PermissionDenied
    return cohort


def get_enrollment_for(user: User, enrollment_uuid: UUID) -> Enrollment:
    enrollment = (
        Enrollment.objects.visible_to(user)
        .select_related("person__organization", "cohort__program", "track")
        .filter(uuid=enrollment_uuid)
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    return enrollment


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Programme administrators (and superusers) admit, withdraw and schedule."""
    if not user.is_authenticated:
        return False
    return Cohort.objects.administered_by(user).filter(pk=cohort.pk).exists()


def can_see_roster_details(user: User, cohort: Cohort) -> bool:
    """Staff see status, e-mail and enrollment dates; classmates see names and districts only."""
    if can_manage_cohort(user, cohort):
        return True
    return Cohort.objects.taught_by(user).filter(pk=cohort.pk).exists()


def can_take_attendance(user: User, cohort: Cohort) -> bool:
    """The class's instructors and its programme's administrators (superusers too): one query."""
    if not user.is_authenticated:
        return False
    staff = Q(pk__in=Cohort.objects.taught_by(user).values("pk"))
    staff |= Q(pk__in=Cohort.objects.administered_by(user).values("pk"))
    return Cohort.objects.filter(staff, pk=cohort.pk).exists()


def get_session_for(
    user: User, session_uuid: UUID, *, take_attendance: bool = False, manage: bool = False
) -> Session:
    """The session, if the user may see its class (404 otherwise); with take_attendance, if they
    may mark who attended it, and with manage, if they may manage its class (403 otherwise)."""
    session = (
        Session.objects.visible_to(user)
        .select_related("cohort__program", "track")
        .filter(uuid=session_uuid)
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    if take_attendance and not can_take_attendance(user, session.cohort):
        raise PermissionDenied
    if manage and not can_manage_cohort(user, session.cohort):
        raise PermissionDenied
    return session


def get_cohort_to_take_attendance_for(user: User, slug: str) -> Cohort:
    """The cohort, if the user may see it (404) and take its attendance (403)."""
    cohort = Cohort.objects.visible_to(user).select_related("program").filter(slug=slug).first()
    if cohort is None:
        raise Http404("No such cohort.")
    if not can_take_attendance(user, cohort):
        raise PermissionDenied
    return cohort
