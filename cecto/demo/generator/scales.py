"""How big each synthetic dataset is: `cecto generate --scale small|state|national`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Attendance is recorded up to this day, so the same seed gives the same rows on any day the
# command runs (the classes of 2026 are in progress on it). `--as-of` moves it.
DEFAULT_AS_OF = date(2026, 11, 20)
FIRST_YEAR = 2016
LAST_YEAR = 2026


@dataclass(frozen=True)
class Scale:
    """Target row counts. Districts, people, cohorts and sessions come out exact (people can
    exceed the target by a few when a district runs out of repeat candidates); attendance is
    approximate, because it follows from enrollment sizes, withdrawals, late enrollments and
    the sessions still to come; credentials are for the credentials step to honour."""

    name: str
    states: tuple[str, ...]  # two-letter codes; empty means all fifty
    districts: int
    people: int
    cohorts: int
    sessions: int
    attendance: int
    credentials: int
    description: str


SCALES: dict[str, Scale] = {
    scale.name: scale
    for scale in (
        Scale(
            name="small",
            states=("NC", "CO"),
            districts=30,
            people=300,
            cohorts=6,
            sessions=120,
            attendance=6_000,
            credentials=300,
            description="two states, for tests and a quick look (a few seconds)",
        ),
        Scale(
            name="state",
            states=("TX",),
            districts=1_000,
            people=10_000,
            cohorts=200,
            sessions=4_000,
            attendance=330_000,
            credentials=13_000,
            description="one large state (Texas)",
        ),
        Scale(
            name="national",
            states=(),
            districts=15_000,
            people=150_000,
            cohorts=3_000,
            sessions=60_000,
            attendance=5_000_000,
            credentials=200_000,
            description="the fifty states, the scale the design must hold (design.md)",
        ),
    )
}
