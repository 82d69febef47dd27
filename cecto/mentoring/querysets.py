"""Visibility and reusable filters for mentoring: who sees which match."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from cecto.core.types import AnyUser
from cecto.scheduling.api import Cohort

if TYPE_CHECKING:
    from cecto.mentoring.models import Match, MenteeIntake, MentorProfile  # noqa: F401 (forward references)

# An enrollment in one of these statuses takes part in matching (an applicant does not yet).
MATCHABLE_STATUSES = ("admitted", "active")


class MentorProfileQuerySet(models.QuerySet["MentorProfile"]):
    def of_user(self, user: AnyUser) -> MentorProfileQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(person__user=user)


class MenteeIntakeQuerySet(models.QuerySet["MenteeIntake"]):
    def matchable_in(self, cohort: Cohort) -> MenteeIntakeQuerySet:
        """Intakes of the cohort's members who may be matched (admitted or active)."""
        return self.filter(enrollment__cohort=cohort, enrollment__status__in=MATCHABLE_STATUSES)

    def without_active_match(self) -> MenteeIntakeQuerySet:
        return self.exclude(matches__status="active")


class MatchQuerySet(models.QuerySet["Match"]):
    def active(self) -> MatchQuerySet:
        return self.filter(status="active")

    def of_user(self, user: AnyUser) -> MatchQuerySet:
        """The matches this user is in, as the mentor or as the mentee."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(mentor__person__user=user) | Q(mentee__enrollment__person__user=user))

    def visible_to(self, user: AnyUser) -> MatchQuerySet:
        """Its mentor and mentee, and the administrators of its cohort's programme."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            Q(mentor__person__user=user)
            | Q(mentee__enrollment__person__user=user)
            | Q(cohort__in=Cohort.objects.administered_by(user).values("pk"))
        )
