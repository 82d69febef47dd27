"""A cohort's mentoring health: who is matched, meetings over time, stalled matches, strand coverage.

A fixed number of queries whatever the cohort's size (aggregates in the database, not loops over rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth

from cecto.mentoring.models import Goal, Match, MatchingRun, MeetingLog, MenteeIntake, MentorProfile, Strand
from cecto.mentoring.selectors import settings_for
from cecto.scheduling.api import Cohort

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class MonthMeetings:
    month: date  # the first day of the month
    meetings: int
    active_matches: int

    @property
    def per_match(self) -> Decimal:
        if not self.active_matches:
            return Decimal("0.00")
        return (Decimal(self.meetings) / self.active_matches).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StalledMatch:
    match: Match
    last_met_on: date | None
    quiet_days: int


@dataclass(frozen=True)
class StrandCoverage:
    strand: str
    label: str
    wanted: int  # mentees who asked for the strand
    covered: int  # of those, matched with a mentor who offers it
    mentors: int  # available mentors offering it
    meetings: int
    goals: int
    goals_done: int


@dataclass(frozen=True)
class UnmatchedPerson:
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MentoringHealth:
    cohort: Cohort
    quiet_after_days: int
    mentees: int
    matched: int
    unmatched: tuple[UnmatchedPerson, ...]
    mentors: int
    places: int
    places_taken: int
    meetings: int
    minutes: int
    months: tuple[MonthMeetings, ...]
    stalled: tuple[StalledMatch, ...]
    strands: tuple[StrandCoverage, ...]

    @property
    def meetings_per_match(self) -> Decimal:
        if not self.matched:
            return Decimal("0.00")
        return (Decimal(self.meetings) / self.matched).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], _month(first)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def mentoring_health_for(*, cohort: Cohort, today: date) -> MentoringHealth:
    settings = settings_for(cohort.program)
    quiet_after = settings.quiet_after_days
    active_match = Match.objects.filter(mentee=OuterRef("pk"), status=Match.Status.ACTIVE)
    intakes = list(
        MenteeIntake.objects.matchable_in(cohort)
        .select_related("enrollment__person")
        .annotate(is_matched=Exists(active_match))
        .order_by("enrollment__person__full_name")
    )
    matches = list(
        Match.objects.filter(cohort=cohort)
        .select_related("mentor__person", "mentee__enrollment__person")
        .annotate(last_met_on=Max("meetings__held_on"))
        .order_by("mentee__enrollment__person__full_name")
    )
    active = [m for m in matches if m.is_active]
    meetings = MeetingLog.objects.filter(match__cohort=cohort)
    by_month = {
        _month(row["month"]): row["count"]
        for row in meetings.annotate(month=TruncMonth("held_on")).values("month").annotate(count=Count("id"))
    }
    by_strand = {
        row["strand"]: row
        for row in meetings.values("strand").annotate(count=Count("id"), minutes=Sum("minutes")).order_by()
    }
    goals = {
        row["strand"]: row
        for row in Goal.objects.filter(match__cohort=cohort)
        .values("strand")
        .annotate(count=Count("id"), done=Count("id", filter=Q(is_done=True)))
        .order_by()
    }
    mentors = list(
        MentorProfile.objects.filter(program=cohort.program, is_available=True).values_list(
            "capacity", "strands"
        )
    )
    taken = Match.objects.active().filter(mentor__program=cohort.program).count()
    run = MatchingRun.objects.filter(cohort=cohort).first()
    reasons = {row["mentee"]: tuple(row["reasons"]) for row in (run.unmatched if run else [])}

    matched = {i.pk for i in intakes if i.is_matched}  # type: ignore[attr-defined]  # annotated above
    last_month = min(today, cohort.ends_on)
    months = tuple(
        MonthMeetings(
            month=month,
            meetings=by_month.get(month, 0),
            active_matches=sum(
                1
                for m in matches
                if m.started_on < _next_month(month) and (m.ended_on is None or m.ended_on >= month)
            ),
        )
        for month in (_months(cohort.starts_on, last_month) if today >= cohort.starts_on else [])
    )
    stalled = []
    for match in active:
        last = match.last_met_on or match.started_on  # type: ignore[attr-defined]  # annotated
        if (today - last).days >= quiet_after:
            stalled.append(StalledMatch(match, match.last_met_on, (today - last).days))  # type: ignore[attr-defined]
    mentor_of = {m.mentee_id: set(m.mentor.strands) for m in active}
    strands = tuple(
        StrandCoverage(
            strand=strand.value,
            label=str(strand.label),
            wanted=sum(1 for i in intakes if strand.value in i.strands_wanted),
            covered=sum(
                1
                for i in intakes
                if strand.value in i.strands_wanted and strand.value in mentor_of.get(i.pk, ())
            ),
            mentors=sum(1 for _, offered in mentors if strand.value in offered),
            meetings=int(by_strand.get(strand.value, {}).get("count", 0)),
            goals=int(goals.get(strand.value, {}).get("count", 0)),
            goals_done=int(goals.get(strand.value, {}).get("done", 0)),
        )
        for strand in Strand
    )
    return MentoringHealth(
        cohort=cohort,
        quiet_after_days=quiet_after,
        mentees=len(intakes),
        matched=len(matched),
        unmatched=tuple(
            UnmatchedPerson(
                i.enrollment.person.full_name, reasons.get(str(i.uuid), ("Not in a matching run yet.",))
            )
            for i in intakes
            if i.pk not in matched
        ),
        mentors=len(mentors),
        places=sum(capacity for capacity, _ in mentors),
        places_taken=taken,
        meetings=sum(by_month.values()),
        minutes=sum(int(row["minutes"] or 0) for row in by_strand.values()),
        months=months,
        stalled=tuple(sorted(stalled, key=lambda s: -s.quiet_days)),
        strands=strands,
    )
