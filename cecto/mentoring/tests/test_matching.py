"""The pure matching: hard constraints never broken, capacities kept, pins and forbids honoured, the
optimum never worse than greedy (and equal to brute force on small cohorts), every unmatched person
explained. No database."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cecto.mentoring.matching import (
    STRANDS,
    Forbid,
    MatchingResult,
    MenteeCandidate,
    MentorCandidate,
    Objective,
    Pin,
    Rules,
    Weights,
    criterion_fractions,
    fraction_matrices,
    greedy_assignment,
    hard_constraints,
    match_cohort,
    score_pair,
)

REGIONS = ("", "Bay Area", "Central Valley", "North State")


def mentor(key: int, **overrides: object) -> MentorCandidate:
    values: dict[str, object] = {
        "key": key,
        "person_id": 1000 + key,
        "name": f"Mentor {key}",
        "years_as_cto": 12,
        "strands": frozenset(STRANDS),
        "capacity": 1,
        "district_id": 500 + key,
        "district_enrollment": 10_000,
        "region": "Bay Area",
    }
    values.update(overrides)
    return MentorCandidate(**values)  # type: ignore[arg-type]


def mentee(key: int, **overrides: object) -> MenteeCandidate:
    values: dict[str, object] = {
        "key": key,
        "person_id": 2000 + key,
        "name": f"Mentee {key}",
        "strands_wanted": frozenset({"education"}),
        "years_in_role": 2,
        "district_id": 700 + key,
        "district_enrollment": 10_000,
        "region": "Bay Area",
    }
    values.update(overrides)
    return MenteeCandidate(**values)  # type: ignore[arg-type]


# --- random cohorts ---------------------------------------------------------------------------------

strand_sets = st.frozensets(st.sampled_from(STRANDS))
sizes = st.one_of(st.none(), st.integers(min_value=200, max_value=200_000))


@st.composite
def cohorts(draw: st.DrawFn, max_mentors: int = 7, max_mentees: int = 10) -> dict[str, object]:
    """Mentors and mentees sharing a few districts and regions, with conflicts, pins and forbids."""
    n_mentors = draw(st.integers(0, max_mentors))
    n_mentees = draw(st.integers(0, max_mentees))
    districts = st.one_of(st.none(), st.integers(1, 4))
    mentors = [
        MentorCandidate(
            key=10 + j,
            person_id=100 + j,
            name=f"Mentor {j}",
            years_as_cto=draw(st.integers(4, 25)),
            strands=draw(strand_sets),
            capacity=draw(st.integers(0, 4)),
            district_id=draw(districts),
            district_enrollment=draw(sizes),
            region=draw(st.sampled_from(REGIONS)),
            is_sitting_cto=draw(st.sampled_from((True, True, False))),
            is_available=draw(st.sampled_from((True, True, True, False))),
            avoid_person_ids=frozenset(draw(st.lists(st.integers(200, 200 + max_mentees), max_size=2))),
        )
        for j in range(n_mentors)
    ]
    mentor_keys = [m.key for m in mentors]
    keys = st.sampled_from(mentor_keys) if mentor_keys else st.nothing()
    mentees = [
        MenteeCandidate(
            key=50 + i,
            person_id=200 + i,
            name=f"Mentee {i}",
            strands_wanted=draw(strand_sets),
            years_in_role=draw(st.integers(0, 12)),
            district_id=draw(districts),
            district_enrollment=draw(sizes),
            region=draw(st.sampled_from(REGIONS)),
            preferred_mentor_keys=frozenset(draw(st.lists(keys, max_size=2))) if mentor_keys else frozenset(),
            preferred_regions=frozenset(draw(st.lists(st.sampled_from(REGIONS[1:]), max_size=2))),
            avoid_mentor_keys=frozenset(draw(st.lists(keys, max_size=2))) if mentor_keys else frozenset(),
        )
        for i in range(n_mentees)
    ]
    pairs = [(m.key, e.key) for m in mentors for e in mentees]
    pins = [Pin(*p) for p in draw(st.lists(st.sampled_from(pairs), max_size=3))] if pairs else []
    forbids = [Forbid(*p) for p in draw(st.lists(st.sampled_from(pairs), max_size=4))] if pairs else []
    weights = Weights(
        strand_fit=draw(st.sampled_from((0.0, 1.0, 4.0))),
        district_size=draw(st.sampled_from((0.0, 1.5, 3.0))),
        region=draw(st.sampled_from((0.0, 1.0))),
        experience_gap=draw(st.sampled_from((0.0, 1.0, 2.5))),
        preference=draw(st.sampled_from((0.0, 2.5))),
    )
    rules = Rules(
        min_years_as_cto=draw(st.sampled_from((0, 8, 10))),
        weights=weights,
        objective=draw(st.sampled_from(tuple(Objective))),
    )
    return {"mentors": mentors, "mentees": mentees, "pins": pins, "forbids": forbids, "rules": rules}


def check_feasible(cohort: dict[str, object], result: MatchingResult) -> None:
    """Constraints, capacities, pins and forbids: what every assignment (optimal or greedy) must keep."""
    mentors = {m.key: m for m in cohort["mentors"]}  # type: ignore[attr-defined]
    mentees = {e.key: e for e in cohort["mentees"]}  # type: ignore[attr-defined]
    forbids = set(cohort["forbids"])  # type: ignore[call-overload]
    rules = cohort["rules"]
    for pair in result.pairs:
        broken = hard_constraints(
            mentors[pair.mentor_key], mentees[pair.mentee_key], rules=rules, forbids=forbids
        )
        assert broken == (), broken
        assert Forbid(pair.mentor_key, pair.mentee_key) not in forbids
    per_mentor = Counter(p.mentor_key for p in result.pairs)
    assert all(count <= mentors[key].capacity for key, count in per_mentor.items())
    matched = [p.mentee_key for p in result.pairs]
    assert len(matched) == len(set(matched)), "a mentee matched twice"
    unmatched = [u.mentee_key for u in result.unmatched]
    assert sorted(matched + unmatched) == sorted(mentees), "every mentee is matched or explained"
    assert all(u.reasons for u in result.unmatched)
    # Every pin is either in the result, marked pinned, or refused with a reason; never silently lost.
    chosen = {(p.mentor_key, p.mentee_key): p for p in result.pairs}
    refused = {r.pin for r in result.refused_pins}
    for pin in cohort["pins"]:  # type: ignore[attr-defined]
        if pin in refused:
            continue
        assert (pin.mentor_key, pin.mentee_key) in chosen
        assert chosen[(pin.mentor_key, pin.mentee_key)].is_pinned
    assert all(r.reason for r in result.refused_pins)
    assert result.total_milli == sum(round(p.total * 1000) for p in result.pairs)


def solve(cohort: dict[str, object], how=match_cohort) -> MatchingResult:  # type: ignore[no-untyped-def]
    return how(
        cohort["mentors"],
        cohort["mentees"],
        rules=cohort["rules"],
        pins=cohort["pins"],
        forbids=cohort["forbids"],
    )


FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cohorts())
def test_no_pair_ever_breaks_a_hard_constraint_or_a_capacity(cohort: dict[str, object]) -> None:
    check_feasible(cohort, solve(cohort))


@FAST
@given(cohorts())
def test_greedy_keeps_the_constraints_too(cohort: dict[str, object]) -> None:
    check_feasible(cohort, solve(cohort, greedy_assignment))


@FAST
@given(cohorts())
def test_the_optimum_beats_or_equals_greedy_on_its_objective(cohort: dict[str, object]) -> None:
    objective = cohort["rules"].objective  # type: ignore[attr-defined]
    optimal, greedy = solve(cohort), solve(cohort, greedy_assignment)
    assert optimal.objective_value(objective) >= greedy.objective_value(objective)
    if objective == Objective.SCORE:
        assert optimal.total_milli >= greedy.total_milli


@FAST
@given(cohorts())
def test_pins_that_keep_the_constraints_are_always_in_the_result(cohort: dict[str, object]) -> None:
    result = solve(cohort)
    chosen = {(p.mentor_key, p.mentee_key) for p in result.pairs if p.is_pinned}
    refused = {r.pin for r in result.refused_pins}
    assert {(p.mentor_key, p.mentee_key) for p in cohort["pins"] if p not in refused} == chosen  # type: ignore[attr-defined]


@FAST
@given(cohorts())
def test_forbidden_pairs_never_appear(cohort: dict[str, object]) -> None:
    forbidden = {(f.mentor_key, f.mentee_key) for f in cohort["forbids"]}  # type: ignore[attr-defined]
    for how in (match_cohort, greedy_assignment):
        assert not forbidden & {(p.mentor_key, p.mentee_key) for p in solve(cohort, how).pairs}


def brute_force(cohort: dict[str, object]) -> tuple[int, int]:
    """The best objective value over every feasible assignment, the accepted pins fixed."""
    rules: Rules = cohort["rules"]  # type: ignore[assignment]
    mentors: list[MentorCandidate] = cohort["mentors"]  # type: ignore[assignment]
    mentees: list[MenteeCandidate] = cohort["mentees"]  # type: ignore[assignment]
    forbids = set(cohort["forbids"])  # type: ignore[call-overload]
    pinned = {p.mentee_key: p.mentor_key for p in solve(cohort).pairs if p.is_pinned}
    options = [
        [pinned[e.key]]
        if e.key in pinned
        else [None, *[m.key for m in mentors if not hard_constraints(m, e, rules=rules, forbids=forbids)]]
        for e in mentees
    ]
    by_key = {m.key: m for m in mentors}
    best = (0, 0)
    for choice in itertools.product(*options):
        taken = Counter(k for k in choice if k is not None)
        if any(n > by_key[k].capacity for k, n in taken.items()):
            continue
        total = sum(
            round(score_pair(by_key[k], e, rules.weights).total * 1000)
            for k, e in zip(choice, mentees, strict=True)
            if k is not None
        )
        matched = sum(taken.values())
        best = max(best, (matched, total) if rules.objective == Objective.COVERAGE else (total, matched))
    return best


@settings(max_examples=150, deadline=None)
@given(cohorts(max_mentors=3, max_mentees=5))
def test_the_optimum_equals_brute_force_on_small_cohorts(cohort: dict[str, object]) -> None:
    objective = cohort["rules"].objective  # type: ignore[attr-defined]
    assert solve(cohort).objective_value(objective) == brute_force(cohort)


@settings(max_examples=100, deadline=None)
@given(cohorts())
def test_the_matrices_score_every_pair_as_the_reference_does(cohort: dict[str, object]) -> None:
    mentors: list[MentorCandidate] = cohort["mentors"]  # type: ignore[assignment]
    mentees: list[MenteeCandidate] = cohort["mentees"]  # type: ignore[assignment]
    matrices = fraction_matrices(mentors, mentees)
    for i, e in enumerate(mentees):
        for j, m in enumerate(mentors):
            reference = criterion_fractions(m, e)
            for key, value in reference.items():
                assert math.isclose(matrices[key][i, j], value, abs_tol=1e-12), key


# --- examples ---------------------------------------------------------------------------------------


def test_it_beats_greedy_where_greedy_takes_the_best_pair_first() -> None:
    # Greedy gives the strongest pair (A with X) first and leaves B without anyone; the optimum
    # gives A the second-best mentor and matches both.
    x = mentor(1, strands=frozenset({"education"}), region="Bay Area")
    y = mentor(2, strands=frozenset({"leadership"}), region="North State")
    a = mentee(1, strands_wanted=frozenset({"education"}))
    b = mentee(2, strands_wanted=frozenset({"education"}), district_id=502)  # same district as Y
    optimal, greedy = match_cohort([x, y], [a, b]), greedy_assignment([x, y], [a, b])
    assert {(p.mentor_key, p.mentee_key) for p in optimal.pairs} == {(2, 1), (1, 2)}
    assert greedy.matched_count == 1
    assert optimal.objective_value(Objective.COVERAGE) > greedy.objective_value(Objective.COVERAGE)


def test_the_score_objective_may_leave_someone_unmatched_for_a_better_total() -> None:
    x = mentor(1, strands=frozenset({"education"}))
    y = mentor(2, strands=frozenset({"leadership"}), region="North State", years_as_cto=8)
    a = mentee(1, strands_wanted=frozenset({"education"}))
    b = mentee(
        2, district_id=502, strands_wanted=frozenset({"education"}), region="", district_enrollment=None
    )
    weights = Weights(strand_fit=10, district_size=0, region=0, experience_gap=0, preference=0)
    by_score = match_cohort([x, y], [a, b], rules=Rules(weights=weights, objective=Objective.SCORE))
    by_coverage = match_cohort([x, y], [a, b], rules=Rules(weights=weights))
    assert by_coverage.matched_count == 2
    assert by_score.total_milli >= by_coverage.total_milli


def test_each_pair_shows_its_score_criterion_by_criterion() -> None:
    result = match_cohort(
        [
            mentor(
                1, strands=frozenset({"education", "leadership"}), years_as_cto=14, district_enrollment=40_000
            )
        ],
        [
            mentee(
                1,
                strands_wanted=frozenset({"education", "technology"}),
                years_in_role=2,
                preferred_regions=frozenset({"Bay Area"}),
            )
        ],
    )
    (pair,) = result.pairs
    parts = {c.key: c for c in pair.breakdown}
    assert [c.label for c in pair.breakdown] == [
        "Strand fit",
        "District size",
        "Region",
        "Experience gap",
        "Stated preferences",
    ]
    assert parts["strand_fit"].fraction == 0.5
    assert parts["strand_fit"].points == 2.0
    assert parts["strand_fit"].detail == "1 of 2 strands asked for: education."
    assert parts["region"].points == 1.0
    assert parts["experience_gap"].fraction == 1.0
    assert parts["preference"].points == 1.25
    assert parts["preference"].detail == "Asked for a mentor from Bay Area."
    assert parts["district_size"].detail == "40,000 and 10,000 students."
    assert pair.total == pytest.approx(sum(c.points for c in pair.breakdown))
    assert result.total_score == pair.total


def test_a_pin_is_fixed_before_the_rest_is_optimized() -> None:
    x, y = mentor(1), mentor(2, region="North State")
    a, b = mentee(1), mentee(2)
    free = match_cohort([x, y], [a])
    assert [p.mentor_key for p in free.pairs] == [1]
    pinned = match_cohort([x, y], [a, b], pins=[Pin(2, 1)])
    pairs = {(p.mentor_key, p.mentee_key): p.is_pinned for p in pinned.pairs}
    assert pairs == {(2, 1): True, (1, 2): False}


def test_a_pin_that_breaks_a_hard_constraint_is_refused_with_the_reason() -> None:
    x = mentor(1, district_id=9)
    a = mentee(1, district_id=9)
    result = match_cohort([x], [a], pins=[Pin(1, 1)])
    assert result.pairs == ()
    (refused,) = result.refused_pins
    assert refused.reason == "The pin breaks a hard constraint: Mentor 1 works in Mentee 1's district."


def test_pins_beyond_a_mentors_places_and_second_pins_are_refused() -> None:
    x = mentor(1, capacity=1)
    y = mentor(2)
    result = match_cohort([x, y], [mentee(1), mentee(2)], pins=[Pin(1, 1), Pin(1, 2), Pin(2, 1), Pin(9, 1)])
    reasons = [r.reason for r in result.refused_pins]
    assert reasons == [
        "Mentor 1 has 1 place(s), all taken by other pins.",
        "Mentee 1 is already pinned to another mentor.",
        "The mentor or the mentee is not a candidate in this run.",
    ]
    assert {(p.mentor_key, p.mentee_key) for p in result.pairs} == {(1, 1), (2, 2)}


def test_a_pinned_forbidden_pair_is_refused() -> None:
    result = match_cohort([mentor(1)], [mentee(1)], pins=[Pin(1, 1)], forbids=[Forbid(1, 1)])
    assert result.pairs == ()
    assert result.refused_pins[0].reason.endswith("an administrator forbade this pair.")


def test_an_infeasible_cohort_explains_each_unmatched_person() -> None:
    mentors = [
        mentor(1, district_id=1, name="Ana Ruiz"),
        mentor(2, years_as_cto=6, name="Ben Ode"),
        mentor(3, is_available=False, name="Cy Lam"),
        mentor(4, capacity=0, name="Di Fox"),
        mentor(5, name="Ed Yu"),
        mentor(6, is_sitting_cto=False, name="Flo Ma"),
        mentor(7, avoid_person_ids=frozenset({2001}), name="Gil Orr"),
    ]
    mentees = [
        mentee(1, district_id=1, avoid_mentor_keys=frozenset({5}), name="Hana Sato"),
        mentee(2, name="Ivo Pinto"),
        mentee(3, name="Jo Kim"),
    ]
    result = match_cohort(mentors, mentees, forbids=[Forbid(k, e) for k in (1, 7) for e in (2, 3)])
    explained = {u.mentee_key: u for u in result.unmatched}
    assert explained[1].kind == "constraints"
    assert explained[1].reasons == (
        "No mentor is allowed for them.",
        "Same district: Ana Ruiz.",
        "Fewer than 8 years as CTO: Ben Ode.",
        "Not available: Cy Lam.",
        "No place left: Di Fox.",
        "On their list of mentors to avoid: Ed Yu.",
        "Not a sitting CTO: Flo Ma.",
        "The mentor declared a conflict: Gil Orr.",
    )
    # Ed Yu has one place and two people could take it: one gets it, the other is told why not.
    (matched,) = result.pairs
    assert matched.mentor_key == 5
    other = 3 if matched.mentee_key == 2 else 2
    assert explained[other].kind == "capacity"
    assert (
        explained[other]
        .reasons[0]
        .startswith("Every mentor allowed for them (1: Ed Yu) is at capacity, taken by")
    )
    assert explained[other].reasons[1].startswith("Their best fit, Ed Yu (score ")


def test_a_forbidden_pair_is_named_in_the_explanation() -> None:
    result = match_cohort([mentor(1, name="Ana Ruiz")], [mentee(1)], forbids=[Forbid(1, 1)])
    assert result.unmatched[0].reasons == (
        "No mentor is allowed for them.",
        "Forbidden by an administrator: Ana Ruiz.",
    )


def test_a_mentor_never_mentors_themself() -> None:
    same = mentor(1, person_id=5, district_id=None)
    result = match_cohort([same], [mentee(1, person_id=5, district_id=None)])
    assert result.unmatched[0].reasons == ("No mentor is allowed for them.", "The same person: Mentor 1.")
    assert hard_constraints(same, mentee(1, person_id=5), rules=Rules()) == (
        "Mentor 1 cannot mentor themself",
    )


def test_strands_beyond_what_a_bitmask_holds_are_refused() -> None:
    many = mentor(1, strands=frozenset(f"strand {n}" for n in range(63)))
    with pytest.raises(ValueError, match="At most 62"):
        match_cohort([many], [mentee(1)])


def test_places_taken_only_by_pins_are_said_to_be() -> None:
    result = match_cohort([mentor(1)], [mentee(1), mentee(2)], pins=[Pin(1, 1)])
    assert "taken by pinned pairs." in result.unmatched[0].reasons[0]


def test_with_no_mentor_at_all_everyone_is_told_so() -> None:
    result = match_cohort([], [mentee(1)])
    assert result.unmatched[0].kind == "no_mentor"
    assert greedy_assignment([], [mentee(1)]).unmatched[0].kind == "no_mentor"


def test_long_lists_of_names_are_shortened() -> None:
    mentors = [mentor(k, district_id=1) for k in range(1, 9)]
    result = match_cohort(mentors, [mentee(1, district_id=1)])
    assert result.unmatched[0].reasons[1].endswith("Mentor 5 and 3 more.")


def test_weights_must_be_between_0_and_100() -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        Weights(region=-1)
    with pytest.raises(ValueError, match="between 0 and 100"):
        Weights(region=math.nan)


def test_keys_must_be_distinct() -> None:
    with pytest.raises(ValueError, match="distinct key"):
        match_cohort([mentor(1), mentor(1)], [])


def test_unknown_district_sizes_count_half_and_an_unknown_region_nothing() -> None:
    pair = score_pair(
        mentor(1, district_enrollment=None, region=""), mentee(1, strands_wanted=frozenset()), Weights()
    )
    parts = {c.key: c for c in pair.breakdown}
    assert parts["district_size"].fraction == 0.5
    assert parts["region"].fraction == 0.0
    assert parts["region"].detail == "unknown and Bay Area."
    assert parts["strand_fit"].detail == "No strand asked for: any mentor fits."


def test_a_mentor_asked_for_by_name_scores_the_whole_preference_weight() -> None:
    pair = score_pair(
        mentor(1, strands=frozenset({"leadership"})),
        mentee(1, preferred_mentor_keys=frozenset({1})),
        Weights(),
    )
    parts = {c.key: c for c in pair.breakdown}
    assert parts["preference"].points == 2.5
    assert parts["preference"].detail == "Asked for this mentor."
    assert parts["strand_fit"].detail == "Offers none of the strands asked for (education)."
