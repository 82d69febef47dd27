"""Scoring a mentor for a mentee: five criteria, each a fraction from 0 to 1, times its weight.

`criterion_fractions` scores one pair and is the reference; `fraction_matrices` scores a whole
cohort at once with numpy and must agree with it (a property test checks that it does).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from cecto.mentoring.data import (
    CRITERIA,
    MILLI,
    CriterionScore,
    MenteeCandidate,
    MentorCandidate,
    PairScore,
    Weights,
)

# A tenfold difference in students halves the district-size fraction; a hundredfold zeroes it.
SIZE_DECADES_TO_ZERO = 2.0
# A mentor this many years more experienced than the mentee earns the whole experience-gap weight.
FULL_EXPERIENCE_GAP = 10

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def criterion_fractions(mentor: MentorCandidate, mentee: MenteeCandidate) -> dict[str, float]:
    """Each criterion's fraction (0 to 1) for one pair: the reference the matrices must equal."""
    wanted = mentee.strands_wanted
    strand = len(wanted & mentor.strands) / len(wanted) if wanted else 1.0
    if mentor.district_enrollment and mentee.district_enrollment:
        decades = abs(math.log10(mentor.district_enrollment) - math.log10(mentee.district_enrollment))
        size = min(1.0, max(0.0, 1.0 - decades / SIZE_DECADES_TO_ZERO))
    else:
        size = 0.5
    region = 1.0 if mentor.region and mentor.region == mentee.region else 0.0
    gap = min(1.0, max(0.0, (mentor.years_as_cto - mentee.years_in_role) / FULL_EXPERIENCE_GAP))
    if mentor.key in mentee.preferred_mentor_keys:
        preference = 1.0
    elif mentor.region and mentor.region in mentee.preferred_regions:
        preference = 0.5
    else:
        preference = 0.0
    return {
        "strand_fit": strand,
        "district_size": size,
        "region": region,
        "experience_gap": gap,
        "preference": preference,
    }


def _milli(weight: float, fraction: float) -> int:
    return round(weight * fraction * MILLI)


def score_pair(
    mentor: MentorCandidate,
    mentee: MenteeCandidate,
    weights: Weights,
    *,
    is_pinned: bool = False,
    fractions: Mapping[str, float] | None = None,
) -> PairScore:
    """One pair's score, criterion by criterion, with a sentence on each.

    `fractions` (from the cohort's matrices) makes the points exactly those the solver used.
    """
    fractions = fractions if fractions is not None else criterion_fractions(mentor, mentee)
    details = _details(mentor, mentee)
    breakdown = []
    total = 0
    for key, label in CRITERIA:
        points = _milli(weights.of(key), fractions[key])
        total += points
        breakdown.append(
            CriterionScore(
                key=key,
                label=label,
                weight=weights.of(key),
                fraction=round(fractions[key], 3),
                points=points / MILLI,
                detail=details[key],
            )
        )
    return PairScore(mentor.key, mentee.key, total / MILLI, tuple(breakdown), is_pinned)


def _details(mentor: MentorCandidate, mentee: MenteeCandidate) -> dict[str, str]:
    wanted, shared = mentee.strands_wanted, sorted(mentee.strands_wanted & mentor.strands)
    if not wanted:
        strand = "No strand asked for: any mentor fits."
    elif shared:
        strand = f"{len(shared)} of {len(wanted)} strands asked for: {', '.join(shared)}."
    else:
        strand = f"Offers none of the strands asked for ({', '.join(sorted(wanted))})."
    if mentor.district_enrollment and mentee.district_enrollment:
        size = f"{mentor.district_enrollment:,} and {mentee.district_enrollment:,} students."
    else:
        size = "A district's size is unknown: half the weight."
    if mentor.region and mentor.region == mentee.region:
        region = f"Both in {mentor.region}."
    else:
        region = f"{mentor.region or 'unknown'} and {mentee.region or 'unknown'}."
    gap = mentor.years_as_cto - mentee.years_in_role
    experience = f"{mentor.years_as_cto} years as CTO, {mentee.years_in_role} in the role: a gap of {gap}."
    if mentor.key in mentee.preferred_mentor_keys:
        preference = "Asked for this mentor."
    elif mentor.region and mentor.region in mentee.preferred_regions:
        preference = f"Asked for a mentor from {mentor.region}."
    else:
        preference = "No stated preference met."
    return {
        "strand_fit": strand,
        "district_size": size,
        "region": region,
        "experience_gap": experience,
        "preference": preference,
    }


def _codes(values: Iterable[str]) -> dict[str, int]:
    return {value: code for code, value in enumerate(sorted({v for v in values if v}))}


def bool_matrix(rows: int, cols: int, cells: Iterable[tuple[int, int]]) -> BoolArray:
    matrix = np.zeros((rows, cols), dtype=np.bool_)
    pairs = list(cells)
    if pairs:
        r, c = zip(*pairs, strict=True)
        matrix[list(r), list(c)] = True
    return matrix


def fraction_matrices(
    mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate]
) -> dict[str, FloatArray]:
    """Every criterion's fraction for every pair at once (mentees x mentors), vectorized."""
    n, m = len(mentees), len(mentors)
    mentor_index = {mentor.key: j for j, mentor in enumerate(mentors)}

    strand_bits = {s: 1 << b for b, s in enumerate(sorted({s for x in mentors for s in x.strands}))}
    if len(strand_bits) > 62:
        raise ValueError("At most 62 different strands can be matched on.")
    offered = np.array([sum(strand_bits[s] for s in x.strands) for x in mentors], dtype=np.int64)
    wanted_count = np.array([len(x.strands_wanted) for x in mentees], dtype=np.int64)
    wanted = np.array([sum(strand_bits.get(s, 0) for s in x.strands_wanted) for x in mentees], dtype=np.int64)
    shared = np.bitwise_count(wanted[:, None] & offered[None, :]).astype(np.float64)
    strand = np.where(wanted_count[:, None] == 0, 1.0, shared / np.maximum(wanted_count, 1)[:, None])

    def log_size(values: Iterable[int | None]) -> FloatArray:
        return np.array([math.log10(v) if v else np.nan for v in values], dtype=np.float64)

    decades = np.abs(
        log_size(x.district_enrollment for x in mentees)[:, None]
        - log_size(x.district_enrollment for x in mentors)[None, :]
    )
    with np.errstate(invalid="ignore"):
        size = np.where(np.isnan(decades), 0.5, np.clip(1.0 - decades / SIZE_DECADES_TO_ZERO, 0.0, 1.0))

    regions = _codes([x.region for x in mentors] + [x.region for x in mentees])
    mentor_region = np.array([regions.get(x.region, -1) for x in mentors], dtype=np.int64)
    mentee_region = np.array([regions.get(x.region, -1) for x in mentees], dtype=np.int64)
    region = ((mentee_region[:, None] == mentor_region[None, :]) & (mentee_region[:, None] >= 0)).astype(
        np.float64
    )

    years = np.array([x.years_as_cto for x in mentors], dtype=np.float64)
    in_role = np.array([x.years_in_role for x in mentees], dtype=np.float64)
    gap = np.clip((years[None, :] - in_role[:, None]) / FULL_EXPERIENCE_GAP, 0.0, 1.0)

    asked_for = bool_matrix(
        n,
        m,
        (
            (i, mentor_index[k])
            for i, x in enumerate(mentees)
            for k in x.preferred_mentor_keys
            if k in mentor_index
        ),
    )
    # One extra column (always False) for mentors with no region.
    wants_region = bool_matrix(
        n,
        len(regions) + 1,
        ((i, regions[r]) for i, x in enumerate(mentees) for r in x.preferred_regions if r in regions),
    )
    in_wanted_region = wants_region[:, np.where(mentor_region >= 0, mentor_region, len(regions))]
    preference = np.where(asked_for, 1.0, np.where(in_wanted_region, 0.5, 0.0))
    return {
        "strand_fit": strand,
        "district_size": size,
        "region": region,
        "experience_gap": gap,
        "preference": preference,
    }
