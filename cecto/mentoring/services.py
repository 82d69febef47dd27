"""Use cases that change mentoring: runs, proposals, pins and forbids, matches, meetings, goals."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser, login_of
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.mentoring.data import MILLI, STRANDS, MatchingResult, PairScore
from cecto.mentoring.matching import hard_constraints
from cecto.mentoring.models import (
    ForbiddenPair,
    Goal,
    Match,
    MatchingRun,
    MeetingLog,
    MenteeIntake,
    MentorProfile,
    Milestone,
    PinnedPair,
    Proposal,
)
from cecto.mentoring.selectors import (
    MatchingInput,
    matching_preview_for,
    pair_candidates_for,
    settings_for,
)
from cecto.scheduling.api import Cohort, Enrollment

Actor = AnyUser | None
CLOSED_COHORT_STATUSES = (Cohort.Status.COMPLETED, Cohort.Status.CANCELLED)


class MentoringRefused(DomainError):
    pass


def _today(cohort: Cohort, today: date | None) -> date:
    return today if today is not None else timezone.localdate(timezone.now(), cohort.program.zone)


def _breakdown(pair: PairScore) -> list[dict[str, object]]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "weight": c.weight,
            "fraction": c.fraction,
            "points": c.points,
            "detail": c.detail,
        }
        for c in pair.breakdown
    ]


def _check_open(cohort: Cohort) -> None:
    if cohort.status in CLOSED_COHORT_STATUSES:
        raise MentoringRefused(
            f"{cohort.name} is {cohort.get_status_display().lower()}: it is matched no more."
        )


# --- matching runs and proposals --------------------------------------------------------------------


@transaction.atomic
def matching_run_create(*, cohort: Cohort, by: Actor) -> MatchingRun:
    """Run the matching over everyone in the cohort still waiting for a mentor; keep its proposals.

    Proposals of earlier runs still open are superseded: only the latest run's can be accepted.
    """
    _check_open(cohort)
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # one run at a time per cohort
    preview = matching_preview_for(cohort=cohort)
    data, result = preview.input, preview.result
    Proposal.objects.filter(run__cohort=cohort, status=Proposal.Status.PROPOSED).update(
        status=Proposal.Status.SUPERSEDED
    )
    run = MatchingRun.objects.create(
        cohort=cohort,
        created_by=login_of(by),
        rules={
            "min_years_as_cto": data.rules.min_years_as_cto,
            "weights": data.rules.weights.as_dict(),
            "objective": data.rules.objective.value,
        },
        mentors_count=len(data.mentors),
        mentees_count=len(data.mentees),
        matched_count=result.matched_count,
        total_score=Decimal(result.total_milli) / MILLI,
        unmatched=_unmatched_rows(data, result),
        refused_pins=[
            {
                "mentor": data.profiles[r.pin.mentor_key].person.full_name,
                "mentee": data.intakes[r.pin.mentee_key].enrollment.person.full_name,
                "reason": r.reason,
            }
            for r in result.refused_pins
            if r.pin.mentor_key in data.profiles and r.pin.mentee_key in data.intakes
        ],
        duration_ms=preview.duration_ms,
    )
    Proposal.objects.bulk_create(
        Proposal(
            run=run,
            mentor_id=pair.mentor_key,
            mentee_id=pair.mentee_key,
            score=Decimal(str(pair.total)),
            breakdown=_breakdown(pair),
            is_pinned=pair.is_pinned,
        )
        for pair in result.pairs
    )
    audit_event_record(
        actor=by,
        verb="mentoring.matching_run",
        subject_kind="cohort",
        subject_id=cohort.uuid,
        data={"run": str(run.uuid), "matched": run.matched_count, "unmatched": len(run.unmatched)},
    )
    return run


def _unmatched_rows(data: MatchingInput, result: MatchingResult) -> list[dict[str, object]]:
    return [
        {
            "mentee": str(data.intakes[u.mentee_key].uuid),
            "name": data.intakes[u.mentee_key].enrollment.person.full_name,
            "kind": u.kind,
            "reasons": list(u.reasons),
        }
        for u in result.unmatched
    ]


def _check_pair(*, mentor: MentorProfile, intake: MenteeIntake, cohort: Cohort) -> None:
    """Refuse a pair that breaks a hard constraint now (the mentor's places as they are today)."""
    if mentor.program_id != cohort.program_id or intake.enrollment.cohort_id != cohort.pk:
        raise MentoringRefused("The mentor and the mentee must belong to this cohort's programme and class.")
    mentor_c, mentee_c, forbids = pair_candidates_for(mentor=mentor, intake=intake)
    broken = hard_constraints(mentor_c, mentee_c, rules=settings_for(cohort.program).rules, forbids=forbids)
    if broken:
        raise MentoringRefused("This pair breaks a hard constraint: " + "; ".join(broken) + ".")


@transaction.atomic
def proposal_accept(*, proposal: Proposal, by: Actor, today: date | None = None) -> Match:
    """Make a proposed pair a match, if nothing has changed that forbids it since the run.

    Only the latest run's proposals are open: a new run supersedes the ones before it.
    """
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("run__cohort__program")
        .get(pk=proposal.pk)
    )
    cohort = proposal.run.cohort
    if proposal.status != Proposal.Status.PROPOSED:
        raise MentoringRefused(
            f"This proposal is {proposal.get_status_display().lower()}: it cannot be accepted."
        )
    _check_open(cohort)
    mentor = MentorProfile.objects.select_related("person__organization").get(pk=proposal.mentor_id)
    intake = MenteeIntake.objects.select_related("enrollment__person__organization").get(
        pk=proposal.mentee_id
    )
    if Match.objects.active().filter(mentee=intake).exists():
        raise MentoringRefused(f"{intake.enrollment.person} already has a mentor.")
    _check_pair(mentor=mentor, intake=intake, cohort=cohort)
    match = Match.objects.create(
        cohort=cohort,
        mentor=mentor,
        mentee=intake,
        proposal=proposal,
        score=proposal.score,
        breakdown=proposal.breakdown,
        started_on=_today(cohort, today),
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.decided_at = timezone.now()
    proposal.decided_by = login_of(by)
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    audit_event_record(
        actor=by,
        verb="mentoring.match_created",
        subject_kind="match",
        subject_id=match.uuid,
        data={"mentor": mentor.person.full_name, "mentee": intake.enrollment.person.full_name},
    )
    return match


@transaction.atomic
def proposals_accept_all(*, run: MatchingRun, by: Actor, today: date | None = None) -> list[Match]:
    """Accept every open proposal of the run: all of them, or (if one is refused) none."""
    return [
        proposal_accept(proposal=proposal, by=by, today=today)
        for proposal in run.proposals.filter(status=Proposal.Status.PROPOSED).order_by("pk")
    ]


# --- pins and forbids ---------------------------------------------------------------------------------


@transaction.atomic
def pair_pin(
    *, cohort: Cohort, mentor: MentorProfile, intake: MenteeIntake, by: Actor, reason: str = ""
) -> PinnedPair:
    """This mentee gets this mentor in every run (it replaces the mentee's earlier pin, and a forbid)."""
    _check_open(cohort)
    ForbiddenPair.objects.filter(cohort=cohort, mentor=mentor, mentee=intake).delete()
    _check_pair(mentor=mentor, intake=intake, cohort=cohort)
    pinned_elsewhere = PinnedPair.objects.filter(cohort=cohort, mentor=mentor).exclude(mentee=intake).count()
    places = mentor.capacity - Match.objects.active().filter(mentor=mentor).count()
    if pinned_elsewhere >= places:
        raise MentoringRefused(f"{mentor.person} has no place left for another pinned mentee.")
    pin, _ = PinnedPair.objects.update_or_create(
        cohort=cohort, mentee=intake, defaults={"mentor": mentor, "by": login_of(by), "reason": reason}
    )
    _audit_pair(by, "mentoring.pair_pinned", cohort, mentor, intake, reason)
    return pin


@transaction.atomic
def pair_unpin(*, cohort: Cohort, intake: MenteeIntake, by: Actor) -> None:
    for pin in PinnedPair.objects.filter(cohort=cohort, mentee=intake).select_related("mentor__person"):
        pin.delete()
        _audit_pair(by, "mentoring.pair_unpinned", cohort, pin.mentor, intake, "")


@transaction.atomic
def pair_forbid(
    *, cohort: Cohort, mentor: MentorProfile, intake: MenteeIntake, by: Actor, reason: str = ""
) -> ForbiddenPair:
    """This mentee never gets this mentor in the cohort (and a pin of the same pair goes)."""
    _check_open(cohort)
    if mentor.program_id != cohort.program_id or intake.enrollment.cohort_id != cohort.pk:
        raise MentoringRefused("The mentor and the mentee must belong to this cohort's programme and class.")
    PinnedPair.objects.filter(cohort=cohort, mentor=mentor, mentee=intake).delete()
    forbid, _ = ForbiddenPair.objects.get_or_create(
        cohort=cohort, mentor=mentor, mentee=intake, defaults={"by": login_of(by), "reason": reason}
    )
    _audit_pair(by, "mentoring.pair_forbidden", cohort, mentor, intake, reason)
    return forbid


@transaction.atomic
def pair_unforbid(*, cohort: Cohort, mentor: MentorProfile, intake: MenteeIntake, by: Actor) -> None:
    if ForbiddenPair.objects.filter(cohort=cohort, mentor=mentor, mentee=intake).delete()[0]:
        _audit_pair(by, "mentoring.pair_unforbidden", cohort, mentor, intake, "")


def _audit_pair(
    by: Actor, verb: str, cohort: Cohort, mentor: MentorProfile, intake: MenteeIntake, reason: str
) -> None:
    audit_event_record(
        actor=by,
        verb=verb,
        subject_kind="cohort",
        subject_id=cohort.uuid,
        data={"mentor": str(mentor.uuid), "mentee": str(intake.uuid), "reason": reason},
    )


# --- intakes, matches, meetings, goals ------------------------------------------------------------------


@transaction.atomic
def mentee_intake_save(
    *,
    enrollment: Enrollment,
    by: Actor,
    strands_wanted: Sequence[str],
    goals: str,
    region: str = "",
    preferred_regions: Sequence[str] = (),
    preferred_mentors: Collection[MentorProfile] = (),
    avoid_mentors: Collection[MentorProfile] = (),
) -> MenteeIntake:
    """Create or replace what a member wants from mentoring."""
    program_id = enrollment.cohort.program_id
    if any(m.program_id != program_id for m in [*preferred_mentors, *avoid_mentors]):
        raise MentoringRefused("Choose mentors of this programme only.")
    if set(preferred_mentors) & set(avoid_mentors):
        raise MentoringRefused("A mentor cannot be both preferred and avoided.")
    unknown = sorted(set(strands_wanted) - set(STRANDS))
    if unknown:
        raise MentoringRefused(
            f"Unknown strand(s): {', '.join(unknown)}. The strands are {', '.join(STRANDS)}."
        )
    intake = MenteeIntake.objects.filter(enrollment=enrollment).first() or MenteeIntake(enrollment=enrollment)
    intake.strands_wanted = [s for s in STRANDS if s in strands_wanted]
    intake.goals = goals.strip()
    intake.region = region.strip()
    intake.preferred_regions = sorted({r.strip() for r in preferred_regions if r.strip()})
    intake.full_clean()
    intake.save()
    intake.preferred_mentors.set(preferred_mentors)
    intake.avoid_mentors.set(avoid_mentors)
    audit_event_record(
        actor=by, verb="mentoring.intake_saved", subject_kind="enrollment", subject_id=enrollment.uuid
    )
    return intake


@transaction.atomic
def match_end(*, match: Match, by: Actor, ended_on: date | None = None, reason: str = "") -> Match:
    if not match.is_active:
        raise MentoringRefused("This match has ended already.")
    match.status = Match.Status.ENDED
    match.ended_on = _today(match.cohort, ended_on)
    match.full_clean()
    match.save(update_fields=["status", "ended_on", "updated_at"])
    audit_event_record(
        actor=by,
        verb="mentoring.match_ended",
        subject_kind="match",
        subject_id=match.uuid,
        data={"reason": reason},
    )
    return match


@transaction.atomic
def meeting_log(
    *,
    match: Match,
    held_on: date,
    minutes: int,
    strand: str,
    by: Actor,
    notes: str = "",
    today: date | None = None,
) -> MeetingLog:
    """Log a meeting and credit its minutes as mentoring in the ledger: the mentee's, and the mentor's
    own renewal enrollment when the profile names one. Mentoring never counts as instruction here."""
    if not match.is_active:
        raise MentoringRefused("This match has ended: no more meetings can be logged.")
    if held_on < match.started_on:
        raise MentoringRefused(
            f"The match started on {match.started_on:%b %-d, %Y}: log meetings from then on."
        )
    if held_on > _today(match.cohort, today):
        raise MentoringRefused("A meeting cannot be logged before it is held.")
    meeting = MeetingLog(
        match=match,
        held_on=held_on,
        minutes=minutes,
        strand=strand,
        notes=notes.strip(),
        logged_by=login_of(by),
    )
    meeting.full_clean()
    meeting.save()
    reason = f"Mentoring meeting {held_on.isoformat()}"
    enrollment = match.mentee.enrollment
    meeting.mentee_entry_ref = _credit(enrollment, meeting, reason, by)
    renewal = match.mentor.renewal_enrollment
    if renewal is not None:
        meeting.mentor_entry_ref = _credit(renewal, meeting, reason, by)
    meeting.save(update_fields=["mentee_entry_ref", "mentor_entry_ref"])
    audit_event_record(
        actor=by,
        verb="mentoring.meeting_logged",
        subject_kind="match",
        subject_id=match.uuid,
        data={"meeting": str(meeting.uuid), "minutes": minutes, "held_on": held_on.isoformat()},
    )
    return meeting


def _credit(enrollment: Enrollment, meeting: MeetingLog, reason: str, by: Actor) -> UUID:
    entry = hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=meeting.minutes,
        occurred_on=meeting.held_on,
        source_kind=HoursEntry.Source.MANUAL,
        source_id=str(meeting.uuid),
        reason=reason,
        category=HoursEntry.Category.MENTORING,
        by=by,
    )
    return entry.uuid


@transaction.atomic
def goal_create(*, match: Match, strand: str, text: str, by: Actor, milestones: Sequence[str] = ()) -> Goal:
    if not match.is_active:
        raise MentoringRefused("This match has ended: its goals are closed.")
    goal = Goal(match=match, strand=strand, text=text.strip())
    goal.full_clean()
    goal.save()
    steps = [step.strip() for step in milestones if step.strip()]
    for position, step in enumerate(steps):
        milestone = Milestone(goal=goal, text=step, position=position)
        milestone.full_clean(exclude=["goal"])
        milestone.save()
    audit_event_record(
        actor=by,
        verb="mentoring.goal_created",
        subject_kind="match",
        subject_id=match.uuid,
        data={"goal": goal.text},
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    by: Actor,
    text: str | None = None,
    is_done: bool | None = None,
    milestones_done: Collection[UUID] | None = None,
    today: date | None = None,
) -> Goal:
    """Change a goal's text, mark it done or not, and set which of its milestones are done."""
    day = _today(goal.match.cohort, today)
    if text is not None:
        goal.text = text.strip()
    if is_done is not None and is_done != goal.is_done:
        goal.is_done = is_done
        goal.done_on = day if is_done else None
    goal.full_clean()
    goal.save()
    if milestones_done is not None:
        for milestone in goal.milestones.all():
            done = milestone.uuid in milestones_done
            if done != milestone.is_done:
                milestone.is_done = done
                milestone.done_on = day if done else None
                milestone.save(update_fields=["is_done", "done_on"])
    audit_event_record(
        actor=by,
        verb="mentoring.goal_updated",
        subject_kind="match",
        subject_id=goal.match.uuid,
        data={"goal": str(goal.uuid), "is_done": goal.is_done},
    )
    return goal


@transaction.atomic
def match_remind(*, match: Match, last_met_on: date, today: date) -> Match:
    """E-mail the pair of a quiet match (one message to both) and note that they were reminded."""
    mentor, mentee = match.mentor.person, match.mentee.enrollment.person
    days = (today - last_met_on).days
    send_mail(
        subject=f"Mentoring: time to meet again ({match.cohort.program})",
        message=(
            f"Dear {mentor.full_name} and {mentee.full_name},\n\n"
            f"Your mentoring pair has not logged a meeting for {days} days "
            f"(since {last_met_on:%B %-d, %Y}). Find a time to meet, then log the meeting on "
            f"{settings.SITE_URL}/mentoring/ so that it counts towards your hours.\n\n"
            f"— {match.cohort.program} {match.cohort.name}\n"
        ),
        from_email=None,
        recipient_list=[mentor.email, mentee.email],
    )
    match.last_reminded_on = today
    match.save(update_fields=["last_reminded_on", "updated_at"])
    audit_event_record(
        actor=None,
        verb="mentoring.match_reminded",
        subject_kind="match",
        subject_id=match.uuid,
        data={"days": days},
    )
    return match
