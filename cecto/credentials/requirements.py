"""Certification rules: per enrollment, what is met and what is missing, with reasons. Pure.

A track's certification is a list of requirement kinds, each a small object that looks at the facts
and says met or not, and why. Hours and required sessions come from the ledger's evaluator
(`cecto.ledger.requirements`), eligibility from the programme's rules, standing from the
enrollment. Later work (deliverables, exams) adds kinds with `register`; a kind reads what it
needs from `CertificationFacts.extra` under its own key, so this module never learns about them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cecto.ledger.requirements import Progress
from cecto.programs.eligibility import Eligibility

WITHDRAWN_STATUSES = frozenset({"withdrawn", "applied"})


@dataclass(frozen=True)
class CertificationFacts:
    enrollment_status: str
    progress: Progress
    eligibility: Eligibility
    eligibility_waiver: str = ""  # the reason given at admission, when the rules were waived
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    kind: str
    label: str
    is_met: bool
    detail: str


class RequirementKind(Protocol):
    key: str

    def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]: ...


@dataclass(frozen=True)
class Decision:
    outcomes: tuple[Outcome, ...]

    @property
    def is_earned(self) -> bool:
        return all(outcome.is_met for outcome in self.outcomes)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(f"{outcome.label}: {outcome.detail}" for outcome in self.outcomes if not outcome.is_met)


class Standing:
    key = "standing"

    def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]:
        status = facts.enrollment_status
        if status in WITHDRAWN_STATUSES:
            return [
                Outcome(self.key, "Standing", False, f"The enrollment is {status}, not admitted and active.")
            ]
        return [Outcome(self.key, "Standing", True, f"Enrollment {status}.")]


class LedgerRequirements:
    """Contact hours and required sessions, as the ledger's evaluator judges them."""

    key = "ledger"

    def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]:
        return [
            Outcome(result.key, result.label, result.is_met, result.detail)
            for result in facts.progress.requirements
        ]


class EligibilityRequirement:
    key = "eligibility"

    def evaluate(self, facts: CertificationFacts) -> Sequence[Outcome]:
        if facts.eligibility.is_eligible:
            return [Outcome(self.key, "Eligibility", True, "Meets the programme's eligibility rules.")]
        if facts.eligibility_waiver:
            return [
                Outcome(self.key, "Eligibility", True, f"Waived at admission: {facts.eligibility_waiver}")
            ]
        return [Outcome(self.key, "Eligibility", False, " ".join(facts.eligibility.reasons))]


_REGISTRY: dict[str, RequirementKind] = {}


def register(kind: RequirementKind) -> RequirementKind:
    """Add a requirement kind every certification evaluates (e.g. deliverables, an exam)."""
    if kind.key in _REGISTRY and _REGISTRY[kind.key] is not kind:
        raise ValueError(f"A requirement kind {kind.key!r} is already registered.")
    _REGISTRY[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


for _kind in (Standing(), EligibilityRequirement(), LedgerRequirements()):
    register(_kind)


def evaluate_certification(
    facts: CertificationFacts, kinds: Sequence[RequirementKind] | None = None
) -> Decision:
    chosen = list(kinds) if kinds is not None else list(_REGISTRY.values())
    return Decision(tuple(outcome for kind in chosen for outcome in kind.evaluate(facts)))
