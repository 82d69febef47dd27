"""Reads for mentoring: the matching input of a cohort, the administrator's board, a person's home."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Prefetch, Q, QuerySet

from cecto.core.types import AnyUser
from cecto.mentoring.data import Forbid, MatchingResult, MenteeCandidate, MentorCandidate, Pin, Rules
from cecto.mentoring.matching import match_cohort
from cecto.mentoring.models import (
    DEFAULT_QUIET_AFTER_DAYS,
    ForbiddenPair,
    Goal,
    Match,
    MatchingRun,
    MeetingLog,
    MenteeIntake,
    MentoringSettings,
    MentorProfile,
    PinnedPair,
    Proposal,
)
from cecto.mentoring.querysets import MATCHABLE_STATUSES
from cecto.people.api import Person
from cecto.programs.api import Program
from cecto.scheduling.api import Cohort, Enrollment


def settings_for(program: Program) -> MentoringSettings:
    """The programme's mentoring settings, or the defaults (unsaved) when it has none yet."""
    found = MentoringSettings.objects.filter(program=program).first()
    return found if found is not None else MentoringSettings(program=program)


# --- building the pure input ----------------------------------------------------------------------


def _mentor_profiles(program: Program) -> QuerySet[MentorProfile]:
    return (
        MentorProfile.objects.filter(program=program)
        .select_related("person__organization")
        .prefetch_related("avoid_people")
        .annotate(taken=Count("matches", filter=Q(matches__status=Match.Status.ACTIVE)))
        .order_by("person__full_name", "pk")
    )


def _intakes(cohort: Cohort) -> QuerySet[MenteeIntake]:
    return (
        MenteeIntake.objects.matchable_in(cohort)
        .without_active_match()
        .select_related("enrollment__person__organization")
        .prefetch_related("preferred_mentors", "avoid_mentors")
        .order_by("enrollment__person__full_name", "pk")
    )


def _district(person: Person) -> tuple[int | None, int | None]:
    district = person.district
    return (district.pk, district.enrollment) if district is not None else (None, None)


def mentor_candidate(profile: MentorProfile, *, taken: int) -> MentorCandidate:
    person = profile.person
    district_id, enrollment = _district(person)
    return MentorCandidate(
        key=profile.pk,
        person_id=person.pk,
        name=person.full_name,
        years_as_cto=profile.years_as_cto,
        strands=frozenset(profile.strands),
        capacity=profile.capacity - taken,
        district_id=district_id,
        district_enrollment=enrollment,
        region=profile.region,
        is_sitting_cto=person.district_role == Person.DistrictRole.TECHNOLOGY_DIRECTOR
        and district_id is not None,
        is_available=profile.is_available,
        avoid_person_ids=frozenset(p.pk for p in profile.avoid_people.all()),
    )


def mentee_candidate(intake: MenteeIntake) -> MenteeCandidate:
    person = intake.enrollment.person
    district_id, enrollment = _district(person)
    return MenteeCandidate(
        key=intake.pk,
        person_id=person.pk,
        name=person.full_name,
        strands_wanted=frozenset(intake.strands_wanted),
        years_in_role=person.years_in_role or 0,
        district_id=district_id,
        district_enrollment=enrollment,
        region=intake.region,
        preferred_mentor_keys=frozenset(m.pk for m in intake.preferred_mentors.all()),
        preferred_regions=frozenset(intake.preferred_regions),
        avoid_mentor_keys=frozenset(m.pk for m in intake.avoid_mentors.all()),
    )


@dataclass(frozen=True)
class MatchingInput:
    cohort: Cohort
    rules: Rules
    mentors: tuple[MentorCandidate, ...]
    mentees: tuple[MenteeCandidate, ...]
    pins: tuple[Pin, ...]
    forbids: tuple[Forbid, ...]
    profiles: dict[int, MentorProfile] = field(repr=False)
    intakes: dict[int, MenteeIntake] = field(repr=False)


def matching_input_for(*, cohort: Cohort) -> MatchingInput:
    """Everything the matching needs, as plain data: six queries whatever the cohort's size."""
    profiles = list(_mentor_profiles(cohort.program))
    intakes = list(_intakes(cohort))
    waiting = {intake.pk for intake in intakes}
    pins = tuple(
        Pin(mentor_key=mentor_id, mentee_key=mentee_id)
        for mentor_id, mentee_id in PinnedPair.objects.filter(cohort=cohort).values_list(
            "mentor_id", "mentee_id"
        )
        if mentee_id in waiting  # a pin of someone matched since has done its work
    )
    forbids = tuple(
        Forbid(mentor_key=mentor_id, mentee_key=mentee_id)
        for mentor_id, mentee_id in ForbiddenPair.objects.filter(cohort=cohort).values_list(
            "mentor_id", "mentee_id"
        )
    )
    return MatchingInput(
        cohort=cohort,
        rules=settings_for(cohort.program).rules,
        mentors=tuple(mentor_candidate(p, taken=p.taken) for p in profiles),  # type: ignore[attr-defined]  # annotated
        mentees=tuple(mentee_candidate(i) for i in intakes),
        pins=pins,
        forbids=forbids,
        profiles={p.pk: p for p in profiles},
        intakes={i.pk: i for i in intakes},
    )


def pair_candidates_for(
    *, mentor: MentorProfile, intake: MenteeIntake
) -> tuple[MentorCandidate, MenteeCandidate, tuple[Forbid, ...]]:
    """One pair as plain data (with the mentor's places left), to check it against the constraints."""
    taken = Match.objects.active().filter(mentor=mentor).count()
    forbids = tuple(
        Forbid(mentor_key=mentor.pk, mentee_key=intake.pk)
        for _ in ForbiddenPair.objects.filter(mentor=mentor, mentee=intake)[:1]
    )
    return mentor_candidate(mentor, taken=taken), mentee_candidate(intake), forbids


@dataclass(frozen=True)
class MatchingPreview:
    input: MatchingInput
    result: MatchingResult
    duration_ms: int


def matching_preview_for(*, cohort: Cohort) -> MatchingPreview:
    """Run the matching over the cohort without writing anything (what `--dry-run` prints)."""
    data = matching_input_for(cohort=cohort)
    start = time.perf_counter()
    result = match_cohort(data.mentors, data.mentees, rules=data.rules, pins=data.pins, forbids=data.forbids)
    return MatchingPreview(data, result, round((time.perf_counter() - start) * 1000))


# --- the administrator's board --------------------------------------------------------------------


@dataclass(frozen=True)
class MatchingBoard:
    cohort: Cohort
    settings: MentoringSettings
    run: MatchingRun | None
    proposals: tuple[Proposal, ...]
    open_proposals: int
    pins: tuple[PinnedPair, ...]
    forbids: tuple[ForbiddenPair, ...]
    matches: tuple[Match, ...]
    waiting: tuple[MenteeIntake, ...]
    mentors: tuple[MentorProfile, ...]


def matching_board_for(*, cohort: Cohort) -> MatchingBoard:
    """The latest run with its proposals, pins, forbids, current matches and who waits: 8 queries."""
    run = MatchingRun.objects.filter(cohort=cohort).select_related("created_by").first()
    proposals: tuple[Proposal, ...] = ()
    if run is not None:
        proposals = tuple(
            run.proposals.select_related(
                "mentor__person__organization", "mentee__enrollment__person__organization"
            )
        )
    people = ("mentor__person", "mentee__enrollment__person")
    return MatchingBoard(
        cohort=cohort,
        settings=settings_for(cohort.program),
        run=run,
        proposals=proposals,
        open_proposals=sum(1 for p in proposals if p.status == Proposal.Status.PROPOSED),
        pins=tuple(PinnedPair.objects.filter(cohort=cohort).select_related(*people)),
        forbids=tuple(ForbiddenPair.objects.filter(cohort=cohort).select_related(*people)),
        matches=tuple(
            Match.objects.active()
            .filter(cohort=cohort)
            .select_related(*people)
            .order_by("mentor__person__full_name")
        ),
        waiting=tuple(
            MenteeIntake.objects.matchable_in(cohort)
            .without_active_match()
            .select_related("enrollment__person")
            .order_by("enrollment__person__full_name")
        ),
        mentors=tuple(
            MentorProfile.objects.filter(program=cohort.program)
            .select_related("person")
            .order_by("person__full_name")
        ),
    )


# --- a mentor's or mentee's own page ----------------------------------------------------------------


@dataclass(frozen=True)
class MatchView:
    match: Match
    role: str  # "mentor" or "mentee": the viewer's side
    partner: Person
    meetings: tuple[MeetingLog, ...]
    goals: tuple[Goal, ...]
    minutes: int
    last_met_on: date | None


def _match_views(matches: Iterable[Match], user: AnyUser) -> list[MatchView]:
    views = []
    for match in matches:
        meetings = tuple(match.meetings.all())
        is_mentor = match.mentor.person.user_id == user.pk
        views.append(
            MatchView(
                match=match,
                role="mentor" if is_mentor else "mentee",
                partner=match.mentee.enrollment.person if is_mentor else match.mentor.person,
                meetings=meetings,
                goals=tuple(match.goals.all()),
                minutes=sum(m.minutes for m in meetings),
                last_met_on=max((m.held_on for m in meetings), default=None),
            )
        )
    return views


def _with_details(matches: QuerySet[Match]) -> QuerySet[Match]:
    return matches.select_related(
        "cohort__program",
        "mentor__person__organization",
        "mentee__enrollment__person__organization",
        "mentee__enrollment__track",
    ).prefetch_related(
        Prefetch("meetings", queryset=MeetingLog.objects.order_by("-held_on", "-id")),
        Prefetch("goals", queryset=Goal.objects.prefetch_related("milestones")),
    )


@dataclass(frozen=True)
class MentoringHome:
    as_mentor: tuple[MatchView, ...]
    as_mentee: tuple[MatchView, ...]
    profiles: tuple[MentorProfile, ...]
    waiting: tuple[MenteeIntake, ...]  # intakes sent, no match yet
    without_intake: tuple[Enrollment, ...]  # enrollments in a mentoring programme with no intake yet

    @property
    def is_empty(self) -> bool:
        return not (self.as_mentor or self.as_mentee or self.profiles or self.waiting or self.without_intake)


def mentoring_home_for(*, user: AnyUser) -> MentoringHome:
    """The matches this user is in (either side), their profiles and intakes: a fixed number of queries."""
    matches = _match_views(
        _with_details(Match.objects.active().of_user(user)).order_by("mentee__enrollment__person__full_name"),
        user,
    )
    profiles = tuple(MentorProfile.objects.of_user(user).select_related("program"))
    mentor_programs = [p.program_id for p in profiles]
    enrollments = (
        Enrollment.objects.of_person_user(user)
        .filter(status__in=MATCHABLE_STATUSES, cohort__program__mentoring_settings__isnull=False)
        .exclude(cohort__program__in=mentor_programs)
        .select_related("cohort__program", "mentee_intake")
        .order_by("-cohort__starts_on")
    )
    matched_intakes = {view.match.mentee_id for view in matches if view.role == "mentee"}
    waiting, without = [], []
    for enrollment in enrollments:
        intake = getattr(enrollment, "mentee_intake", None)
        if intake is None:
            without.append(enrollment)
        elif intake.pk not in matched_intakes:
            waiting.append(intake)
    return MentoringHome(
        as_mentor=tuple(v for v in matches if v.role == "mentor"),
        as_mentee=tuple(v for v in matches if v.role == "mentee"),
        profiles=profiles,
        waiting=tuple(waiting),
        without_intake=tuple(without),
    )


def match_view_for(*, match: Match, user: AnyUser) -> MatchView:
    """One match with its meetings and goals, from the user's side (an administrator sees the mentee's)."""
    return _match_views(_with_details(Match.objects.filter(pk=match.pk)), user)[0]


def intake_choices_for(*, enrollment: Enrollment) -> Sequence[MentorProfile]:
    """The mentors a mentee may prefer or avoid: the programme's."""
    return list(
        MentorProfile.objects.filter(program_id=enrollment.cohort.program_id)
        .select_related("person__organization")
        .order_by("person__full_name")
    )


def quiet_matches_for(*, today: date) -> list[tuple[Match, date]]:
    """Active matches with no meeting for their programme's quiet period, not reminded within it.

    Returns each with the day it last had news (its last meeting, or its start).
    """
    matches = (
        Match.objects.active()
        .select_related("cohort__program__mentoring_settings", "mentor__person", "mentee__enrollment__person")
        .annotate(last_met_on=Max("meetings__held_on"))
        .order_by("pk")
    )
    quiet = []
    for match in matches:
        days = _quiet_after(match.cohort.program)
        last = match.last_met_on or match.started_on  # type: ignore[attr-defined]  # annotated
        reminded = match.last_reminded_on
        if (today - last).days >= days and (reminded is None or (today - reminded).days >= days):
            quiet.append((match, last))
    return quiet


def _quiet_after(program: Program) -> int:
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    found = getattr(program, "mentoring_settings", None)
    return found.quiet_after_days if isinstance(found, MentoringSettings) else DEFAULT_QUIET_AFTER_DAYS
