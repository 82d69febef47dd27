"""Visibility lives here: who may see which cohorts, enrollments and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q

from cecto.core.types import AnyUser as User

if TYPE_CHECKING:
    from cecto.scheduling.models import Cohort, Enrollment, Session  # noqa: F401 (forward references)

# Statuses of an enrollment that make someone a member of the class (an applicant is not yet).
MEMBER_STATUSES = ("admitted", "active", "completed", "certified")
# Statuses that count against a cohort's capacity and appear on the current roster.
CURRENT_STATUSES = ("admitted", "active", "completed", "certified")


def _is_superuser(user: User) -> bool:
    return user.is_superuser


class CohortQuerySet(models.QuerySet["Cohort"]):
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
        return self.filter(enrollments__person__user=user, enrollments__status__in=MEMBER_STATUSES)

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


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
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


class SessionQuerySet(models.QuerySet["Session"]):
    def scheduled(self) -> SessionQuerySet:
        return self.filter(status="scheduled")

    def upcoming(self, now: datetime) -> SessionQuerySet:
        return self.scheduled().filter(ends_at__gte=now)

    def visible_to(self, user: User) -> SessionQuerySet:
        from cecto.scheduling.models import Cohort

        return self.filter(cohort__in=Cohort.objects.visible_to(user))

    def on_calendar_of(self, user: User) -> SessionQuerySet:
        """The sessions this user takes part in: as a member, only their own track's and the
        joint ones; as an instructor or administrator, every session of the cohort."""
        if not user.is_authenticated:
            return self.none()
        from cecto.scheduling.models import Cohort, Enrollment

        membership = Enrollment.objects.filter(
            person__user=user, status__in=MEMBER_STATUSES, cohort_id=OuterRef("cohort_id")
        )
        return self.filter(
            (Q(track__isnull=True) & Exists(membership))
            | Exists(membership.filter(track_id=OuterRef("track_id")))
            | Q(cohort__in=Cohort.objects.taught_by(user).values("pk"))
            | Q(cohort__in=Cohort.objects.administered_by(user).values("pk"))
        )
