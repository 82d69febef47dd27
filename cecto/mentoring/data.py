"""The plain types of mentor matching (stdlib only): what goes in, what comes out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

STRANDS = ("education", "technology", "leadership")
CRITERIA = (
    ("strand_fit", "Strand fit"),
    ("district_size", "District size"),
    ("region", "Region"),
    ("experience_gap", "Experience gap"),
    ("preference", "Stated preferences"),
)
MILLI = 1000  # scores are kept in integer thousandths of a point


class Objective(StrEnum):
    COVERAGE = "coverage"  # as many people matched as possible, then the highest total score
    SCORE = "score"  # the highest total score, even if fewer people are matched


@dataclass(frozen=True)
class Weights:
    strand_fit: float = 4.0
    district_size: float = 1.5
    region: float = 1.0
    experience_gap: float = 1.0
    preference: float = 2.5

    def __post_init__(self) -> None:
        for key, _ in CRITERIA:
            value = getattr(self, key)
            if not math.isfinite(value) or value < 0 or value > 100:
                raise ValueError(f"The weight of {key} must be between 0 and 100, not {value}.")

    def of(self, key: str) -> float:
        return float(getattr(self, key))

    def as_dict(self) -> dict[str, float]:
        return {key: self.of(key) for key, _ in CRITERIA}


@dataclass(frozen=True)
class Rules:
    """What the programme sets: the minimum years in the job, the weights and the objective."""

    min_years_as_cto: int = 8
    weights: Weights = field(default_factory=Weights)
    objective: Objective = Objective.COVERAGE


@dataclass(frozen=True)
class MentorCandidate:
    key: int  # the mentor profile's id
    person_id: int
    name: str
    years_as_cto: int
    strands: frozenset[str]
    capacity: int  # places left in this run (the profile's capacity less its current matches)
    district_id: int | None = None
    district_enrollment: int | None = None  # students in their district
    region: str = ""
    is_sitting_cto: bool = True
    is_available: bool = True
    avoid_person_ids: frozenset[int] = frozenset()  # the mentor's own declared conflicts


@dataclass(frozen=True)
class MenteeCandidate:
    key: int  # the intake's id
    person_id: int
    name: str
    strands_wanted: frozenset[str]
    years_in_role: int = 0
    district_id: int | None = None
    district_enrollment: int | None = None
    region: str = ""
    preferred_mentor_keys: frozenset[int] = frozenset()
    preferred_regions: frozenset[str] = frozenset()
    avoid_mentor_keys: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Pin:
    mentor_key: int
    mentee_key: int


@dataclass(frozen=True)
class Forbid:
    mentor_key: int
    mentee_key: int


@dataclass(frozen=True)
class CriterionScore:
    key: str
    label: str
    weight: float
    fraction: float  # 0 to 1
    points: float  # weight x fraction, to the thousandth
    detail: str


@dataclass(frozen=True)
class PairScore:
    mentor_key: int
    mentee_key: int
    total: float
    breakdown: tuple[CriterionScore, ...]
    is_pinned: bool = False


@dataclass(frozen=True)
class Unmatched:
    mentee_key: int
    kind: str  # "no_mentor", "constraints" or "capacity"
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RefusedPin:
    pin: Pin
    reason: str


@dataclass(frozen=True)
class MatchingResult:
    pairs: tuple[PairScore, ...]
    unmatched: tuple[Unmatched, ...]
    refused_pins: tuple[RefusedPin, ...] = ()
    total_milli: int = 0

    @property
    def total_score(self) -> float:
        return self.total_milli / MILLI

    @property
    def matched_count(self) -> int:
        return len(self.pairs)

    def objective_value(self, objective: Objective) -> tuple[int, int]:
        """What the objective maximizes, comparable between two results of the same input."""
        if objective == Objective.COVERAGE:
            return (self.matched_count, self.total_milli)
        return (self.total_milli, self.matched_count)
