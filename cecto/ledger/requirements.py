"""A track's requirements evaluated from the ledger: pure functions over plain data (no ORM).

Scheduling gathers the facts (credited minutes, the sessions that matter, dates) and this module
decides what is met, what is missing and whether the person is on pace — with reasons people read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from uuid import UUID

from cecto.ledger.ceu import ceus_for_minutes


@dataclass(frozen=True)
class TrackPolicy:
    required_minutes: int
    required_sessions: str = "designated"  # "none", "designated" or "all_joint"
    partial_credit: str = "proportional"  # "proportional", "threshold" or "none"
    threshold_percent: int | None = None
    required_session_min_percent: int = 75
    awards_ceus: bool = True


@dataclass(frozen=True)
class SessionFact:
    session_ref: UUID
    title: str
    held_on: date
    contact_minutes: int
    credited_minutes: int
    is_required: bool
    is_upcoming: bool = False
    is_excused: bool = False
    made_up: bool = False  # a make-up session for it was attended
    before_enrollment: bool = False  # held before the person enrolled: never "missed"


@dataclass(frozen=True)
class ProgressFacts:
    credited_minutes: int
    today: date
    enrolled_on: date
    ends_on: date
    remaining_scheduled_minutes: int
    sessions: tuple[SessionFact, ...] = ()


@dataclass(frozen=True)
class RequirementResult:
    key: str
    label: str
    is_met: bool
    current: int
    target: int
    detail: str

    @property
    def percent(self) -> int:
        if self.target <= 0:
            return 100
        return min(100, int(self.current * 100 / self.target))


@dataclass(frozen=True)
class Progress:
    requirements: tuple[RequirementResult, ...]
    ceus: Decimal
    expected_minutes_by_now: int
    is_on_pace: bool
    can_still_finish: bool
    missed: tuple[SessionFact, ...] = field(default=())

    @property
    def is_complete(self) -> bool:
        return all(requirement.is_met for requirement in self.requirements)


def credit_for(policy: TrackPolicy, *, contact_minutes: int, attended_minutes: int) -> int:
    """Minutes credited for attending part of a session, under the track's partial-credit policy."""
    attended = max(0, min(attended_minutes, contact_minutes))
    if policy.partial_credit == "proportional":
        return attended
    if policy.partial_credit == "threshold":
        share = policy.threshold_percent or 100
        return contact_minutes if attended * 100 >= contact_minutes * share else 0
    if policy.partial_credit == "none":
        return contact_minutes if attended >= contact_minutes else 0
    raise ValueError(f"Unknown partial-credit policy {policy.partial_credit!r}.")


def session_counts_as_attended(policy: TrackPolicy, fact: SessionFact) -> bool:
    if fact.made_up:
        return True
    return fact.credited_minutes * 100 >= fact.contact_minutes * policy.required_session_min_percent


def evaluate_progress(policy: TrackPolicy, facts: ProgressFacts) -> Progress:
    hours = _hours_requirement(policy, facts)
    requirements = [hours]
    # Under the "none" policy no session is required, so none can stop anyone from finishing either.
    requires_sessions = policy.required_sessions != "none"
    required = [s for s in facts.sessions if requires_sessions and s.is_required and not s.before_enrollment]
    missed = tuple(
        s
        for s in facts.sessions
        if not s.is_upcoming and not s.before_enrollment and not session_counts_as_attended(policy, s)
    )
    if policy.required_sessions != "none" and required:
        requirements.append(_sessions_requirement(policy, required))
    expected = _expected_by_now(policy, facts)
    can_finish = (
        facts.credited_minutes + facts.remaining_scheduled_minutes >= policy.required_minutes
        and not any(
            s
            for s in required
            if not s.is_upcoming and not session_counts_as_attended(policy, s) and not s.is_excused
        )
    )
    return Progress(
        requirements=tuple(requirements),
        ceus=ceus_for_minutes(facts.credited_minutes) if policy.awards_ceus else Decimal("0.0"),
        expected_minutes_by_now=expected,
        # On pace: at least 90% of what an even spread from enrollment to graduation expects.
        is_on_pace=facts.credited_minutes * 10 >= expected * 9,
        can_still_finish=can_finish,
        missed=missed,
    )


def _hours_requirement(policy: TrackPolicy, facts: ProgressFacts) -> RequirementResult:
    current, target = facts.credited_minutes, policy.required_minutes
    short = max(0, target - current)
    detail = (
        "Contact hours met."
        if short == 0
        # The shortfall rounds up and the hours done round down: never "0 more needed (240 of 240)".
        else f"{_hours(short, ROUND_UP)} more contact hours needed "
        f"({_hours(current, ROUND_DOWN)} of {_hours(target)})."
    )
    return RequirementResult("contact_hours", "Contact hours", short == 0, current, target, detail)


def _sessions_requirement(policy: TrackPolicy, required: list[SessionFact]) -> RequirementResult:
    attended = [s for s in required if session_counts_as_attended(policy, s)]
    outstanding = [s for s in required if not session_counts_as_attended(policy, s)]
    if not outstanding:
        detail = "Every required session attended."
    else:
        parts = []
        for s in outstanding:
            state = "upcoming" if s.is_upcoming else "excused, needs a make-up" if s.is_excused else "missed"
            parts.append(f"{s.title} ({s.held_on:%b %-d}, {state})")
        detail = "Still required: " + "; ".join(parts) + "."
    return RequirementResult(
        "required_sessions", "Required sessions", not outstanding, len(attended), len(required), detail
    )


def _expected_by_now(policy: TrackPolicy, facts: ProgressFacts) -> int:
    span = (facts.ends_on - facts.enrolled_on).days
    if span <= 0 or facts.today >= facts.ends_on:
        return policy.required_minutes
    elapsed = max(0, (facts.today - facts.enrolled_on).days)
    return policy.required_minutes * elapsed // span


def _hours(minutes: int, rounding: str | None = None) -> str:
    value = Decimal(minutes) / 60
    return f"{value.quantize(Decimal('0.1'), rounding=rounding).normalize():f}"
