"""Programme eligibility, as a pure function over plain data (no ORM).

A programme states its rules ("North Carolina district technology leaders"); an applicant either
meets all of them or is told, rule by rule, which one they miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Applicant:
    organization_is_district: bool
    organization_state: str
    district_role: str
    years_in_role: int | None


@dataclass(frozen=True)
class Rule:
    kind: str
    state: str = ""
    district_roles: tuple[str, ...] = ()
    min_years: int | None = None


@dataclass(frozen=True)
class Eligibility:
    is_eligible: bool
    reasons: tuple[str, ...] = field(default=())


def evaluate_eligibility(rules: Sequence[Rule], applicant: Applicant) -> Eligibility:
    reasons = [reason for rule in rules if (reason := _unmet(rule, applicant))]
    return Eligibility(is_eligible=not reasons, reasons=tuple(reasons))


def _unmet(rule: Rule, applicant: Applicant) -> str | None:
    if rule.kind == "district_in_state":
        if not applicant.organization_is_district:
            return "Works for no school district."
        if applicant.organization_state != rule.state:
            return f"The district is not in {rule.state}."
        return None
    if rule.kind == "district_role":
        if applicant.district_role not in rule.district_roles:
            return "Holds none of the eligible roles: " + ", ".join(rule.district_roles) + "."
        return None
    if rule.kind == "min_years_in_role":
        years = applicant.years_in_role or 0
        if rule.min_years is not None and years < rule.min_years:
            return f"{years} years in the role; at least {rule.min_years} are required."
        return None
    raise ValueError(f"Unknown eligibility rule kind {rule.kind!r}.")
