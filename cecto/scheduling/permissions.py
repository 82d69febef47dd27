"""Who may see or change cohorts and enrollments. Every view gets its objects through here.

Each helper loads the object by its key and decides with the user's roles (`roles.py`, one query
per request), so that a page pays for one simple lookup, not a visibility query per check.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cecto.core.types import AnyUser as User
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.roles import roles_of


def get_cohort_for(user: User, slug: str, *, write: bool = False) -> Cohort:
    """The cohort, if the user may see it (404 otherwise) and, with write, manage it (403)."""
    if not user.is_authenticated:  # no query for a visitor: every cohort page is private
        raise Http404("No such cohort.")
    cohort = Cohort.objects.select_related("program").filter(slug=slug).first()
    roles = roles_of(user)
    if cohort is None or not roles.sees_cohort(cohort):
        raise Http404("No such cohort.")
    if write and not roles.administers(cohort):
        raise PermissionDenied
    return cohort


def get_enrollment_for(user: User, enrollment_uuid: UUID) -> Enrollment:
    """The enrollment with what its pages show, if the user may see it (404 otherwise)."""
    if not user.is_authenticated:
        raise Http404("No such enrollment.")
    enrollment = (
        Enrollment.objects.select_related("person__organization", "cohort__program", "track")
        .filter(uuid=enrollment_uuid)
        .first()
    )
    # One's own enrollment needs no roles (and so no second query).
    if enrollment is None or (
        enrollment.person.user_id != user.pk and not roles_of(user).sees_enrollment(enrollment)
    ):
        raise Http404("No such enrollment.")
    return enrollment


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Programme administrators (and superusers) admit, withdraw and schedule."""
    return roles_of(user).administers(cohort)


def can_see_roster_details(user: User, cohort: Cohort) -> bool:
    """Staff see status, e-mail and enrollment dates; classmates see names and districts only."""
    return roles_of(user).staffs(cohort)


def can_take_attendance(user: User, cohort: Cohort) -> bool:
    """The class's instructors and its programme's administrators (superusers too)."""
    return roles_of(user).staffs(cohort)


def get_session_for(
    user: User, session_uuid: UUID, *, take_attendance: bool = False, manage: bool = False
) -> Session:
    """The session, if the user may see its class (404 otherwise); with take_attendance, if they
    may mark who attended it, and with manage, if they may manage its class (403 otherwise)."""
    if not user.is_authenticated:
        raise Http404("No such session.")
    session = Session.objects.select_related("cohort__program", "track").filter(uuid=session_uuid).first()
    if session is None or not roles_of(user).sees_cohort(session.cohort):
        raise Http404("No such session.")
    if take_attendance and not can_take_attendance(user, session.cohort):
        raise PermissionDenied
    if manage and not can_manage_cohort(user, session.cohort):
        raise PermissionDenied
    return session


def get_cohort_to_take_attendance_for(user: User, slug: str) -> Cohort:
    """The cohort, if the user may see it (404) and take its attendance (403)."""
    cohort = get_cohort_for(user, slug)
    if not can_take_attendance(user, cohort):
        raise PermissionDenied
    return cohort
