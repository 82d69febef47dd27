"""Visibility lives here: who may see which cohorts, enrollments and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from cecto.scheduling.models import Cohort, Enrollment, Session

    _CohortBase = models.QuerySet[Cohort]
    _EnrollmentBase = models.QuerySet[Enrollment]
    _SessionBase = models.QuerySet[Session]
else:
    _CohortBase = _EnrollmentBase = _SessionBase = models.QuerySet

User = AbstractBaseUser | AnonymousUser

# Statuses of an enrollment that make someone a member of the class (an applicant is not yet).
MEMBER_STATUSES = ("admitted", "active", "completed", "certified")
# Statuses that count against a cohort's capacity and appear on the current roster.
CURRENT_STATUSES = ("admitted", "active", "completed", "certified")


def _is_superuser(user: User) -> bool:
    return bool(getattr(user, "is_superuser", False))


class CohortQuerySet(_CohortBase):
    def administered_by(self, user: User) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        if _is_superuser(user):
            return self.all()
        return self.filter(program__administrator_roles__person__user=user)

    def taught_by(self, user: User) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(instructor_roles__person__user=user)

    def attended_by(self, user: User) -> CohortQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            enrollments__person__user=user, enrollments__status__in=MEMBER_STATUSES
        )

    def visible_to(self, user: User) -> CohortQuerySet:
        """Cohorts whose page and roster this user may open."""
        if not user.is_authenticated:
            return self.none()
        if _is_superuser(user):
            return self.all()
        model = self.model
        return self.filter(
            Q(pk__in=model.objects.administered_by(user).values("pk"))
            | Q(pk__in=model.objects.taught_by(user).values("pk"))
            | Q(pk__in=model.objects.attended_by(user).values("pk"))
        )


class EnrollmentQuerySet(_EnrollmentBase):
    def current(self) -> EnrollmentQuerySet:
        return self.filter(status__in=CURRENT_STATUSES)

    def of_person_user(self, user: User) -> EnrollmentQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)

    def visible_to(self, user: User) -> EnrollmentQuerySet:
        """Enrollments whose details (status, history) this user may see.

        The person themself; the cohort's programme administrators and instructors; and the
        superintendent of a district team, who sees the enrollments of their district in any
        cohort they are themselves a member of.
        """
        if not user.is_authenticated:
            return self.none()
        if _is_superuser(user):
            return self.all()
        from cecto.scheduling.models import Cohort, Enrollment

        leads_district_team = Exists(
            Enrollment.objects.filter(
                person__user=user,
                person__district_role="superintendent",
                person__organization__kind="school_district",
                person__organization_id=OuterRef("person__organization_id"),
                cohort_id=OuterRef("cohort_id"),
                status__in=MEMBER_STATUSES,
            )
        )
        return self.filter(
            Q(person__user=user)
            | Q(cohort__in=Cohort.objects.administered_by(user).values("pk"))
            | Q(cohort__in=Cohort.objects.taught_by(user).values("pk"))
            | leads_district_team
        )


class SessionQuerySet(_SessionBase):
    def scheduled(self) -> SessionQuerySet:
        return self.filter(status="scheduled")

    def upcoming(self, now: datetime) -> SessionQuerySet:
        return self.scheduled().filter(ends_at__gte=now)

    def visible_to(self, user: User) -> SessionQuerySet:
        from cecto.scheduling.models import Cohort

        return self.filter(cohort__in=Cohort.objects.visible_to(user))
