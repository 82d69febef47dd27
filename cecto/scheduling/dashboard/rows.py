"""One row per enrollment: the cohort dashboard (flags, sorting, filters) and district teams.

Built on `progress_for_cohort` and `roster_for`: a fixed number of queries whatever the number of
enrollments or ledger entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from cecto.ledger.api import RequirementResult, SessionFact, hours_for_minutes
from cecto.people.api import Organization, Person
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.progress import EnrollmentProgress, progress_for_cohort
from cecto.scheduling.selectors import DistrictTeam, led_district_teams_for, roster_for


@dataclass(frozen=True)
class Flag:
    key: str  # "behind", "missed" or "cannot-finish"
    label: str


FLAG_CHOICES = (
    ("behind", "Behind pace"),
    ("missed", "Missed joint or required session(s)"),
    ("cannot-finish", "Cannot finish"),
)


@dataclass(frozen=True)
class DashboardRow:
    """Where one enrollment stands, as a line of the dashboard or of a district team."""

    enrollment: Enrollment
    done_minutes: int
    target_minutes: int
    ceus: Decimal
    sessions_attended: int
    sessions_required: int
    missed_required: tuple[SessionFact, ...]
    is_on_pace: bool
    can_still_finish: bool
    is_complete: bool
    flags: tuple[Flag, ...]

    @property
    def person(self) -> Person:
        return self.enrollment.person

    @property
    def district_name(self) -> str:
        organization = self.enrollment.person.organization
        return organization.name if organization is not None else ""

    @property
    def percent(self) -> int:
        if self.target_minutes <= 0:
            return 100
        return min(100, self.done_minutes * 100 // self.target_minutes)

    @property
    def done_hours(self) -> Decimal:
        return hours_for_minutes(self.done_minutes)

    @property
    def target_hours(self) -> Decimal:
        return hours_for_minutes(self.target_minutes)

    @property
    def flag_keys(self) -> frozenset[str]:
        return frozenset(flag.key for flag in self.flags)

    @property
    def missed_titles(self) -> str:
        return "; ".join(f"{s.title} ({s.held_on:%b %-d})" for s in self.missed_required)


def _requirement(progress: EnrollmentProgress, key: str) -> RequirementResult | None:
    return next((r for r in progress.progress.requirements if r.key == key), None)


def _missed_label(missed: Sequence[SessionFact], joint_refs: frozenset[UUID]) -> str:
    count = len(missed)
    kind = "joint" if all(s.session_ref in joint_refs for s in missed) else "required"
    return f"Missed {count} {kind} session{'s' if count != 1 else ''}"


def _row(item: EnrollmentProgress, joint_refs: frozenset[UUID]) -> DashboardRow:
    progress = item.progress
    sessions = _requirement(item, "required_sessions")
    missed = item.missed_required
    flags = []
    if not progress.is_on_pace:
        flags.append(Flag("behind", "Behind pace"))
    if missed:
        flags.append(Flag("missed", _missed_label(missed, joint_refs)))
    if not progress.can_still_finish:
        flags.append(Flag("cannot-finish", "Cannot finish"))
    return DashboardRow(
        enrollment=item.enrollment,
        done_minutes=item.balance.instruction_minutes,
        target_minutes=item.policy.required_minutes,
        ceus=progress.ceus,
        sessions_attended=sessions.current if sessions else 0,
        sessions_required=sessions.target if sessions else 0,
        missed_required=missed,
        is_on_pace=progress.is_on_pace,
        can_still_finish=progress.can_still_finish,
        is_complete=progress.is_complete,
        flags=tuple(flags),
    )


def _joint_refs(cohort: Cohort) -> frozenset[UUID]:
    return frozenset(cohort.sessions.filter(track__isnull=True).values_list("uuid", flat=True))


def rows_for(
    *, cohort: Cohort, enrollments: Sequence[Enrollment], now: datetime | None = None
) -> list[DashboardRow]:
    """Rows for some enrollments of one cohort, in their order: five queries whatever their number."""
    progress = progress_for_cohort(cohort=cohort, enrollments=enrollments, now=now)
    joint = _joint_refs(cohort)
    return [_row(item, joint) for item in progress]


def dashboard_for(*, cohort: Cohort, now: datetime | None = None) -> list[DashboardRow]:
    """One row per current enrollment of the cohort, in roster order (track, then name)."""
    return rows_for(cohort=cohort, enrollments=list(roster_for(cohort=cohort, members_only=True)), now=now)


def _name_key(row: DashboardRow) -> tuple[Any, ...]:
    return (row.enrollment.person.full_name.casefold(), row.enrollment.pk)


def _district_key(row: DashboardRow) -> tuple[Any, ...]:
    return (not row.district_name, row.district_name.casefold())


SORT_KEYS: dict[str, Callable[[DashboardRow], tuple[Any, ...]]] = {
    "name": _name_key,
    "district": _district_key,
    "track": lambda row: (row.enrollment.track.position, row.enrollment.track.name.casefold()),
    "hours": lambda row: (row.done_minutes,),
    "ceus": lambda row: (row.ceus,),
    "sessions": lambda row: (row.sessions_attended, row.sessions_required),
    "flags": lambda row: (len(row.flags),),
}
DEFAULT_SORT = "track"


@dataclass(frozen=True)
class FlagCount:
    key: str
    label: str
    count: int


def flag_counts(rows: Sequence[DashboardRow]) -> list[FlagCount]:
    return [FlagCount(key, label, sum(key in row.flag_keys for row in rows)) for key, label in FLAG_CHOICES]


def dashboard_sorted(
    rows: Iterable[DashboardRow], *, sort: str, descending: bool = False
) -> list[DashboardRow]:
    """Rows sorted by one column; ties stay in name order, whichever the direction."""
    key = SORT_KEYS.get(sort, SORT_KEYS[DEFAULT_SORT])
    by_name = sorted(rows, key=_name_key)
    return sorted(by_name, key=key, reverse=descending)  # stable: reverse keeps ties in order


def dashboard_filtered(
    rows: Iterable[DashboardRow], *, track: str = "", flag: str = ""
) -> list[DashboardRow]:
    """Rows of one track (its slug) and/or raising one flag; an empty value does not filter."""
    return [
        row
        for row in rows
        if (not track or row.enrollment.track.slug == track) and (not flag or flag in row.flag_keys)
    ]


@dataclass(frozen=True)
class TeamProgress:
    """A district team whose members come with their hours: the superintendents first."""

    cohort: Cohort
    team: DistrictTeam
    rows: tuple[DashboardRow, ...]

    @property
    def district(self) -> Organization:
        return self.team.district

    @property
    def superintendents(self) -> tuple[DashboardRow, ...]:
        return self.rows[: len(self.team.superintendents)]

    @property
    def members(self) -> tuple[DashboardRow, ...]:
        return self.rows[len(self.team.superintendents) :]


def team_progress_for(
    *, cohort: Cohort, teams: Sequence[DistrictTeam], now: datetime | None = None
) -> list[TeamProgress]:
    """Some district teams of one cohort with their hours: `rows_for` once for all of them."""
    if not teams:
        return []
    members = [e for team in teams for e in (*team.superintendents, *team.members)]
    rows = {row.enrollment.pk: row for row in rows_for(cohort=cohort, enrollments=members, now=now)}
    return [
        TeamProgress(
            cohort=cohort,
            team=team,
            rows=tuple(rows[e.pk] for e in (*team.superintendents, *team.members)),
        )
        for team in teams
    ]


def team_progress_from(
    *,
    cohort: Cohort,
    teams: Sequence[DistrictTeam],
    rows: Iterable[DashboardRow],
    now: datetime | None = None,
) -> list[TeamProgress]:
    """Some district teams of one cohort with their hours taken from ROWS already worked out (the
    cached dashboard's), each member as the teams were read.

    Teams and dashboard both hold the current enrollments, but a status changed between the two
    reads can leave a member out of ROWS: those few get `rows_for` (no query when there are none).
    """
    known = {row.enrollment.pk: row for row in rows}
    members = [e for team in teams for e in (*team.superintendents, *team.members)]
    missing = [e for e in members if e.pk not in known]
    if missing:
        known.update(
            (row.enrollment.pk, row) for row in rows_for(cohort=cohort, enrollments=missing, now=now)
        )
    return [
        TeamProgress(
            cohort=cohort,
            team=team,
            rows=tuple(replace(known[e.pk], enrollment=e) for e in (*team.superintendents, *team.members)),
        )
        for team in teams
    ]


def district_team_progress_for(*, person: Person, now: datetime | None = None) -> list[TeamProgress]:
    """The district teams a superintendent leads, each member with their hours and flags.

    Per cohort: the team query, then `rows_for` once (progress_for_cohort once per cohort).
    """
    by_cohort: dict[int, list[DistrictTeam]] = defaultdict(list)
    cohorts: dict[int, Cohort] = {}
    for cohort, team in led_district_teams_for(person=person):
        by_cohort[cohort.pk].append(team)
        cohorts[cohort.pk] = cohort
    return [
        progress
        for pk, teams in by_cohort.items()
        for progress in team_progress_for(cohort=cohorts[pk], teams=teams, now=now)
    ]
