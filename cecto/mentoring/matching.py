"""Mentor matching for a whole cohort at once: pure (no ORM), frozen dataclasses in and out.

Hard constraints decide which pairs may exist at all: a mentor must be eligible (a sitting CTO with
the programme's minimum years in the job, available, with a place left), never from the mentee's
own district, with no declared conflict either way, and not forbidden by an administrator.
Every allowed pair gets a score: the weighted sum of five criteria, each a fraction from 0 to 1
(strand fit, district-size similarity, region, experience gap, stated preferences).

Pinned pairs are fixed first (a pin that breaks a hard constraint is refused, with the reason).
The rest is one optimal assignment over the mentors' places (each mentor's column repeated
`capacity` times), solved by SciPy's `linear_sum_assignment`. The objective is either
"coverage" (match as many people as possible, then the highest total score: the default) or
"score" (the highest total score, even if that leaves someone unmatched); see
docs/decisions/0006-optimal-mentor-matching.md. Scores are kept in integer thousandths of a point,
so totals are exact and the optimum is never lost to floating-point noise.

`greedy_assignment` (best-scoring pair first) exists for comparison: the benchmark and the property
tests show the optimum always does at least as well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linear_sum_assignment

from cecto.mentoring.data import (
    CRITERIA,
    MILLI,
    STRANDS,
    CriterionScore,
    Forbid,
    MatchingResult,
    MenteeCandidate,
    MentorCandidate,
    Objective,
    PairScore,
    Pin,
    RefusedPin,
    Rules,
    Unmatched,
    Weights,
)
from cecto.mentoring.scoring import bool_matrix, criterion_fractions, fraction_matrices, score_pair

__all__ = [
    "CRITERIA",
    "STRANDS",
    "CriterionScore",
    "Forbid",
    "MatchingResult",
    "MenteeCandidate",
    "MentorCandidate",
    "Objective",
    "PairScore",
    "Pin",
    "RefusedPin",
    "Rules",
    "Unmatched",
    "Weights",
    "criterion_fractions",
    "fraction_matrices",
    "greedy_assignment",
    "hard_constraints",
    "match_cohort",
    "mentor_ineligibility",
    "score_pair",
]

MAX_NAMES = 5  # names listed in an explanation before "and N more"

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


# --- hard constraints, one pair at a time ---------------------------------------------------------


def _ineligibility(mentor: MentorCandidate, rules: Rules) -> list[tuple[str, str]]:
    """(group label, this mentor's reason) for each reason the mentor can take no mentee."""
    reasons = []
    if not mentor.is_sitting_cto:
        reasons.append(("Not a sitting CTO", "not a sitting CTO"))
    if mentor.years_as_cto < rules.min_years_as_cto:
        reasons.append(
            (
                f"Fewer than {rules.min_years_as_cto} years as CTO",
                f"{mentor.years_as_cto} years as CTO, under the {rules.min_years_as_cto} required",
            )
        )
    if not mentor.is_available:
        reasons.append(("Not available", "not available"))
    if mentor.capacity <= 0:
        reasons.append(("No place left", "left with no place"))
    return reasons


def mentor_ineligibility(mentor: MentorCandidate, rules: Rules) -> tuple[str, ...]:
    """Why this mentor can take no mentee in this run (empty when they can)."""
    return tuple(why for _, why in _ineligibility(mentor, rules))


def hard_constraints(
    mentor: MentorCandidate, mentee: MenteeCandidate, *, rules: Rules, forbids: Collection[Forbid] = ()
) -> tuple[str, ...]:
    """Every hard constraint this pair breaks, in words (empty when the pair is allowed)."""
    reasons = [f"{mentor.name} is {why}" for why in mentor_ineligibility(mentor, rules)]
    if mentor.person_id == mentee.person_id:
        reasons.append(f"{mentor.name} cannot mentor themself")
    if mentor.district_id is not None and mentor.district_id == mentee.district_id:
        reasons.append(f"{mentor.name} works in {mentee.name}'s district")
    if mentor.key in mentee.avoid_mentor_keys:
        reasons.append(f"{mentee.name} asked not to be paired with {mentor.name}")
    if mentee.person_id in mentor.avoid_person_ids:
        reasons.append(f"{mentor.name} declared a conflict with {mentee.name}")
    if Forbid(mentor.key, mentee.key) in forbids:
        reasons.append("an administrator forbade this pair")
    return tuple(reasons)


@dataclass
class _Problem:
    mentors: Sequence[MentorCandidate]
    mentees: Sequence[MenteeCandidate]
    rules: Rules
    forbids: frozenset[Forbid]
    allowed: BoolArray  # mentees x mentors
    fractions: dict[str, FloatArray]  # each criterion's fraction, mentees x mentors
    milli: IntArray  # mentees x mentors, the pair's total in thousandths of a point
    mentor_index: dict[int, int]
    mentee_index: dict[int, int]
    name_rank: IntArray  # each mentor's place in alphabetical order, to break ties in explanations


def _prepare(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    rules: Rules,
    forbids: Iterable[Forbid],
) -> _Problem:
    n, m = len(mentees), len(mentors)
    mentor_index = {mentor.key: j for j, mentor in enumerate(mentors)}
    mentee_index = {mentee.key: i for i, mentee in enumerate(mentees)}
    if len(mentor_index) != m or len(mentee_index) != n:
        raise ValueError("Every mentor and every mentee needs a distinct key.")
    forbid_set = frozenset(forbids)

    eligible = np.array([not mentor_ineligibility(x, rules) for x in mentors], dtype=np.bool_)
    mentor_district = np.array([x.district_id or -1 for x in mentors], dtype=np.int64)
    mentee_district = np.array([x.district_id or -1 for x in mentees], dtype=np.int64)
    same_district = (mentee_district[:, None] == mentor_district[None, :]) & (mentee_district[:, None] >= 0)
    same_person = np.array([x.person_id for x in mentees], dtype=np.int64)[:, None] == np.array(
        [x.person_id for x in mentors], dtype=np.int64
    )
    person_row: dict[int, list[int]] = defaultdict(list)
    for i, mentee in enumerate(mentees):
        person_row[mentee.person_id].append(i)
    conflicts = bool_matrix(
        n,
        m,
        [
            (i, mentor_index[k])
            for i, x in enumerate(mentees)
            for k in x.avoid_mentor_keys
            if k in mentor_index
        ]
        + [(i, j) for j, x in enumerate(mentors) for p in x.avoid_person_ids for i in person_row.get(p, ())]
        + [
            (mentee_index[f.mentee_key], mentor_index[f.mentor_key])
            for f in forbid_set
            if f.mentee_key in mentee_index and f.mentor_key in mentor_index
        ],
    )
    allowed = eligible[None, :] & ~same_district & ~same_person & ~conflicts

    fractions = fraction_matrices(mentors, mentees)
    milli = np.zeros((n, m), dtype=np.int64)
    for key, _ in CRITERIA:
        milli += np.rint(rules.weights.of(key) * fractions[key] * MILLI).astype(np.int64)
    name_rank = np.empty(m, dtype=np.int64)
    name_rank[sorted(range(m), key=lambda j: mentors[j].name)] = np.arange(m, dtype=np.int64)
    return _Problem(
        mentors, mentees, rules, forbid_set, allowed, fractions, milli, mentor_index, mentee_index, name_rank
    )


def _apply_pins(problem: _Problem, pins: Sequence[Pin]) -> tuple[list[tuple[int, int]], list[RefusedPin]]:
    """Fix the pinned pairs first; refuse those that break a hard constraint or overfill a mentor."""
    fixed: list[tuple[int, int]] = []
    refused: list[RefusedPin] = []
    used: dict[int, int] = defaultdict(int)
    pinned_rows: set[int] = set()
    for pin in pins:
        i, j = problem.mentee_index.get(pin.mentee_key), problem.mentor_index.get(pin.mentor_key)
        if i is None or j is None:
            refused.append(RefusedPin(pin, "The mentor or the mentee is not a candidate in this run."))
            continue
        mentor, mentee = problem.mentors[j], problem.mentees[i]
        if (i, j) in fixed:
            continue  # the same pin twice is one pin
        if i in pinned_rows:
            refused.append(RefusedPin(pin, f"{mentee.name} is already pinned to another mentor."))
            continue
        broken = hard_constraints(mentor, mentee, rules=problem.rules, forbids=problem.forbids)
        if broken:
            refused.append(RefusedPin(pin, "The pin breaks a hard constraint: " + "; ".join(broken) + "."))
            continue
        if used[j] >= mentor.capacity:
            refused.append(
                RefusedPin(pin, f"{mentor.name} has {mentor.capacity} place(s), all taken by other pins.")
            )
            continue
        used[j] += 1
        pinned_rows.add(i)
        fixed.append((i, j))
    return fixed, refused


def _result(
    problem: _Problem,
    chosen: list[tuple[int, int]],
    pinned: list[tuple[int, int]],
    refused: list[RefusedPin],
    *,
    taken_by: str,
) -> MatchingResult:
    """The chosen (mentee row, mentor column) pairs, scored and explained, as a result."""
    pinned_set = set(pinned)
    pairs = [
        score_pair(
            problem.mentors[j],
            problem.mentees[i],
            problem.rules.weights,
            is_pinned=(i, j) in pinned_set,
            fractions={key: float(problem.fractions[key][i, j]) for key, _ in CRITERIA},
        )
        for i, j in chosen
    ]
    total = sum(int(problem.milli[i, j]) for i, j in chosen)
    by_mentor: dict[int, list[int]] = defaultdict(list)
    for i, j in chosen:
        by_mentor[j].append(i)
    # A mentor whose places all went to pins (or who took nobody): what an explanation names.
    only_pins = np.array(
        [all((k, j) in pinned_set for k in by_mentor.get(j, ())) for j in range(len(problem.mentors))],
        dtype=np.bool_,
    )
    matched = {i for i, _ in chosen}
    unmatched = tuple(
        _explain(problem, i, by_mentor, only_pins, taken_by)
        for i in range(len(problem.mentees))
        if i not in matched
    )
    pairs.sort(key=lambda p: (problem.mentees[problem.mentee_index[p.mentee_key]].name, p.mentee_key))
    return MatchingResult(tuple(pairs), unmatched, tuple(refused), total)


def _names(people: Sequence[str], count: int | None = None) -> str:
    """The first names of a list, and how many more there are (of `count`, if more than given)."""
    count = len(people) if count is None else count
    shown = ", ".join(people[:MAX_NAMES])
    return shown + (f" and {count - MAX_NAMES} more" if count > MAX_NAMES else "")


def _explain(
    problem: _Problem, i: int, by_mentor: dict[int, list[int]], only_pins: BoolArray, taken_by: str
) -> Unmatched:
    """Why mentee row i has no mentor: the constraints that rule out every mentor, or capacity."""
    mentee = problem.mentees[i]
    if not problem.mentors:
        return Unmatched(mentee.key, "no_mentor", ("The programme has no mentor for this run.",))
    allowed = np.flatnonzero(problem.allowed[i])
    if not allowed.size:
        groups: dict[str, list[str]] = defaultdict(list)
        for mentor in problem.mentors:
            for label, _ in _ineligibility(mentor, problem.rules):
                groups[label].append(mentor.name)
            if mentor.person_id == mentee.person_id:
                groups["The same person"].append(mentor.name)
            if mentor.district_id is not None and mentor.district_id == mentee.district_id:
                groups["Same district"].append(mentor.name)
            if mentor.key in mentee.avoid_mentor_keys:
                groups["On their list of mentors to avoid"].append(mentor.name)
            if mentee.person_id in mentor.avoid_person_ids:
                groups["The mentor declared a conflict"].append(mentor.name)
            if Forbid(mentor.key, mentee.key) in problem.forbids:
                groups["Forbidden by an administrator"].append(mentor.name)
        excluded = tuple(f"{label}: {_names(names)}." for label, names in groups.items())
        return Unmatched(mentee.key, "constraints", ("No mentor is allowed for them.", *excluded))
    # Every allowed mentor is full (a free place would have been used): say by whom.
    order = allowed[np.lexsort((problem.name_rank[allowed], -problem.milli[i, allowed]))]
    names = _names([problem.mentors[j].name for j in order[:MAX_NAMES]], len(order))
    reasons = [
        f"Every mentor allowed for them ({len(order)}: {names}) is at capacity, taken by "
        + ("pinned pairs." if only_pins[allowed].all() else f"{taken_by}.")
    ]
    best = int(order[0])
    taken = sorted(by_mentor.get(best, ()), key=lambda k: -int(problem.milli[k, best]))
    others = ", ".join(f"{problem.mentees[k].name} ({problem.milli[k, best] / MILLI:g})" for k in taken)
    reasons.append(
        f"Their best fit, {problem.mentors[best].name} (score {problem.milli[i, best] / MILLI:g}), "
        f"went to {others}."
    )
    return Unmatched(mentee.key, "capacity", tuple(reasons))


def _remaining_capacity(problem: _Problem, pinned: list[tuple[int, int]]) -> IntArray:
    remaining = np.array([max(0, x.capacity) for x in problem.mentors], dtype=np.int64)
    for _, j in pinned:
        remaining[j] -= 1
    return remaining


def match_cohort(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    *,
    rules: Rules | None = None,
    pins: Sequence[Pin] = (),
    forbids: Iterable[Forbid] = (),
) -> MatchingResult:
    """The optimal assignment of the cohort's mentees to the mentors' places."""
    problem = _prepare(mentors, mentees, rules or Rules(), forbids)
    pinned, refused = _apply_pins(problem, pins)
    remaining = _remaining_capacity(problem, pinned)
    free = np.ones(len(mentees), dtype=np.bool_)
    free[[i for i, _ in pinned]] = False
    rows = np.flatnonzero(free & problem.allowed.any(axis=1))
    slot_mentor = np.repeat(np.arange(len(mentors), dtype=np.int64), remaining)
    assigned: list[tuple[int, int]] = []
    if rows.size and slot_mentor.size:
        allowed, milli = problem.allowed[rows], problem.milli[rows]
        pairs_at_most = min(rows.size, slot_mentor.size)
        if problem.rules.objective == Objective.COVERAGE:
            # One more pair outweighs any difference in score: a bonus above the best possible total.
            value = milli + (int(milli.max(initial=0)) * pairs_at_most + 1)
        else:
            # Score first; among equal totals, more pairs (together they add less than one thousandth).
            value = milli * (pairs_at_most + 1) + 1
        # A forbidden cell is worth nothing: the solver takes it only to fill the square, and it is dropped.
        per_mentor = np.where(allowed, value, 0).astype(np.float64)
        chosen_rows, chosen_slots = linear_sum_assignment(per_mentor[:, slot_mentor], maximize=True)
        assigned = [
            (int(rows[r]), int(slot_mentor[c]))
            for r, c in zip(chosen_rows, chosen_slots, strict=True)
            if allowed[r, slot_mentor[c]]
        ]
    if problem.rules.objective == Objective.COVERAGE:
        taken_by = "pairs that keep more people matched or score better for the cohort"
    else:
        taken_by = "pairs that give the cohort a better total score"
    return _result(problem, pinned + assigned, pinned, refused, taken_by=taken_by)


def greedy_assignment(
    mentors: Sequence[MentorCandidate],
    mentees: Sequence[MenteeCandidate],
    *,
    rules: Rules | None = None,
    pins: Sequence[Pin] = (),
    forbids: Iterable[Forbid] = (),
) -> MatchingResult:
    """Best-scoring allowed pair first, until no place or no mentee is left: for comparison only."""
    problem = _prepare(mentors, mentees, rules or Rules(), forbids)
    pinned, refused = _apply_pins(problem, pins)
    remaining = _remaining_capacity(problem, pinned)
    taken = {i for i, _ in pinned}
    rows, cols = np.nonzero(problem.allowed)
    order = np.lexsort((cols, rows, -problem.milli[rows, cols]))
    assigned: list[tuple[int, int]] = []
    left = int(remaining.sum())
    for k in order:
        if left <= 0 or len(taken) == len(mentees):
            break
        i, j = int(rows[k]), int(cols[k])
        if i in taken or remaining[j] <= 0:
            continue
        taken.add(i)
        remaining[j] -= 1
        left -= 1
        assigned.append((i, j))
    return _result(problem, pinned + assigned, pinned, refused, taken_by="better-scoring pairs")
