"""Who may run the matching, see a match, log its meetings and fill in an intake.

Every view gets its objects through here: 404 when the user may not see the object at all, 403 when
they may see it but not change it.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cecto.core.types import AnyUser
from cecto.mentoring.models import Goal, Match, MenteeIntake, MentoringSettings, MentorProfile, Proposal
from cecto.mentoring.querysets import MATCHABLE_STATUSES
from cecto.scheduling.api import Cohort, Enrollment


def can_manage_matching(user: AnyUser, cohort: Cohort) -> bool:
    """The administrators of the cohort's programme (and superusers) run and accept the matching."""
    if not user.is_authenticated:
        return False
    return Cohort.objects.administered_by(user).filter(pk=cohort.pk).exists()


def get_cohort_for_matching(user: AnyUser, slug: str) -> Cohort:
    """The cohort, if the user may see it (404) and administers its programme (403)."""
    cohort = Cohort.objects.visible_to(user).select_related("program").filter(slug=slug).first()
    if cohort is None:
        raise Http404("No such cohort.")
    if not can_manage_matching(user, cohort):
        raise PermissionDenied
    return cohort


def takes_part_in(user: AnyUser, match: Match) -> bool:
    """The match's mentor or mentee (an administrator reads it, but does not write in it)."""
    if not user.is_authenticated:
        return False
    return Match.objects.of_user(user).filter(pk=match.pk).exists()


def get_match_for(user: AnyUser, match_uuid: UUID, *, write: bool = False) -> Match:
    """A match its pair and its programme's administrators may see (404 for everyone else);
    with write, only the pair may change it (403 for an administrator)."""
    match = (
        Match.objects.visible_to(user)
        .select_related("cohort__program", "mentor__person", "mentor__renewal_enrollment__person")
        .select_related("mentee__enrollment__person")
        .filter(uuid=match_uuid)
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    if write and not takes_part_in(user, match):
        raise PermissionDenied
    return match


def get_goal_for(user: AnyUser, goal_uuid: UUID) -> Goal:
    """A goal of one of the user's own matches (404 otherwise, administrators included)."""
    goal = (
        Goal.objects.filter(match__in=Match.objects.of_user(user))
        .select_related("match__cohort__program")
        .filter(uuid=goal_uuid)
        .first()
    )
    if goal is None:
        raise Http404("No such goal.")
    return goal


def get_enrollment_for_intake(user: AnyUser, enrollment_uuid: UUID) -> Enrollment:
    """The user's own enrollment, as a member of a class whose programme runs mentoring (404 otherwise)."""
    enrollment = (
        Enrollment.objects.of_person_user(user)
        .filter(uuid=enrollment_uuid, status__in=MATCHABLE_STATUSES)
        .select_related("cohort__program", "person")
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrollment.")
    if not MentoringSettings.objects.filter(program_id=enrollment.cohort.program_id).exists():
        raise Http404("This programme has no mentoring.")
    if MentorProfile.objects.filter(
        program_id=enrollment.cohort.program_id, person=enrollment.person
    ).exists():
        raise Http404("A mentor of the programme is not matched as a mentee.")
    return enrollment


def get_pair_in(cohort: Cohort, mentor_uuid: UUID, intake_uuid: UUID) -> tuple[MentorProfile, MenteeIntake]:
    """A mentor of the cohort's programme and a mentee of the cohort (404 for anything else)."""
    mentor = (
        MentorProfile.objects.filter(program_id=cohort.program_id, uuid=mentor_uuid)
        .select_related("person__organization")
        .first()
    )
    intake = (
        MenteeIntake.objects.filter(enrollment__cohort=cohort, uuid=intake_uuid)
        .select_related("enrollment__person__organization", "enrollment__cohort")
        .first()
    )
    if mentor is None or intake is None:
        raise Http404("No such mentor or mentee in this class.")
    return mentor, intake


def get_proposal_in(cohort: Cohort, proposal_uuid: UUID) -> Proposal:
    proposal = Proposal.objects.filter(run__cohort=cohort, uuid=proposal_uuid).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal
