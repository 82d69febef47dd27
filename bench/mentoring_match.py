"""Match 2,000 mentees with 600 mentors (1-4 places each): time, and the optimum against greedy.

    .venv/bin/python bench/mentoring_match.py [--mentees N --mentors N --seed N --repeat N]

Pure matching (cecto.mentoring.matching), no database: a synthetic national cohort with 40 regions,
districts from 200 to 200,000 students, mentors' years from 5 to 25 (so some are not eligible), a
few preferences, conflicts and forbidden pairs. Times the optimal assignment (best of --repeat) and
the greedy one on the same input, and prints both totals. Figures are written to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import RESULTS, ROOT, machine
from cecto.mentoring.matching import (
    STRANDS,
    Forbid,
    MenteeCandidate,
    MentorCandidate,
    Objective,
    Rules,
    greedy_assignment,
    match_cohort,
)

REGIONS = [f"Region {n}" for n in range(40)]


def cohort(
    mentees: int, mentors: int, seed: int
) -> tuple[list[MentorCandidate], list[MenteeCandidate], list[Forbid]]:
    rng = random.Random(seed)
    districts = [(d, int(10 ** rng.uniform(2.3, 5.3))) for d in range(1, 1501)]
    mentor_list = []
    for j in range(mentors):
        district, size = rng.choice(districts)
        mentor_list.append(
            MentorCandidate(
                key=j + 1,
                person_id=j + 1,
                name=f"Mentor {j}",
                years_as_cto=rng.randint(5, 25),
                strands=frozenset(rng.sample(STRANDS, rng.randint(1, 3))),
                capacity=rng.randint(1, 4),
                district_id=district,
                district_enrollment=size,
                region=rng.choice(REGIONS),
                is_available=rng.random() > 0.05,
            )
        )
    mentee_list = []
    for i in range(mentees):
        district, size = rng.choice(districts)
        mentee_list.append(
            MenteeCandidate(
                key=i + 1,
                person_id=100_000 + i,
                name=f"Mentee {i}",
                strands_wanted=frozenset(rng.sample(STRANDS, rng.randint(1, 3))),
                years_in_role=rng.randint(0, 8),
                district_id=district,
                district_enrollment=size,
                region=rng.choice(REGIONS),
                preferred_mentor_keys=frozenset(rng.sample(range(1, mentors + 1), 2))
                if rng.random() < 0.1
                else frozenset(),
                preferred_regions=frozenset(rng.sample(REGIONS, 2)) if rng.random() < 0.3 else frozenset(),
                avoid_mentor_keys=frozenset(rng.sample(range(1, mentors + 1), 1))
                if rng.random() < 0.05
                else frozenset(),
            )
        )
    forbids = [Forbid(rng.randint(1, mentors), rng.randint(1, mentees)) for _ in range(mentees // 20)]
    return mentor_list, mentee_list, forbids


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mentees", type=int, default=2_000)
    parser.add_argument("--mentors", type=int, default=600)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mentors, mentees, forbids = cohort(args.mentees, args.mentors, args.seed)
    figures: dict[str, Any] = {
        "bench": "mentoring_match",
        "mentees": len(mentees),
        "mentors": len(mentors),
        "places": sum(m.capacity for m in mentors),
        "forbidden_pairs": len(forbids),
    }
    for objective in Objective:
        rules = Rules(objective=objective)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            optimal = match_cohort(mentors, mentees, rules=rules, forbids=forbids)
            times.append(time.perf_counter() - start)
        start = time.perf_counter()
        greedy = greedy_assignment(mentors, mentees, rules=rules, forbids=forbids)
        greedy_s = time.perf_counter() - start
        gain = optimal.total_score - greedy.total_score
        figures[objective.value] = {
            "optimal_s": round(min(times), 3),
            "greedy_s": round(greedy_s, 3),
            "optimal_matched": optimal.matched_count,
            "greedy_matched": greedy.matched_count,
            "optimal_total": round(optimal.total_score, 3),
            "greedy_total": round(greedy.total_score, 3),
            "optimal_minus_greedy": round(gain, 3),
            "optimal_mean_pair": round(optimal.total_score / max(1, optimal.matched_count), 3),
            "greedy_mean_pair": round(greedy.total_score / max(1, greedy.matched_count), 3),
            "unmatched_by_constraints": sum(1 for u in optimal.unmatched if u.kind == "constraints"),
            "unmatched_by_capacity": sum(1 for u in optimal.unmatched if u.kind == "capacity"),
        }
    facts = {**figures, **machine()}
    width = max(len(k) for k in [*facts, *figures[Objective.COVERAGE.value]]) + 2
    for key, value in facts.items():
        if isinstance(value, dict):
            print(f"  objective {key}:")
            for sub, figure in value.items():
                print(f"    {sub:<{width - 2}}  {figure}")
        else:
            print(f"  {key:<{width}}  {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"mentoring_match-{facts['at'].replace(':', '')}.json"
    out.write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"  written to {out.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
