"""Reads that span models: rosters, district teams, a programme's numbers by class."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cecto.people.api import Organization, Person
from cecto.programs.api import Program
from cecto.scheduling.data import ClassNumbers, TrackNumbers
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.querysets import CURRENT_STATUSES

FINISHED_STATUSES = ("completed", "certified")


def roster_for(*, cohort: Cohort, members_only: bool = False) -> QuerySet[Enrollment]:
    """The cohort's enrollments with what a roster shows, in one query.

    Staff see everyone, applicants and withdrawals included; `members_only` keeps the current
    members, which is what classmates see.
    """
    enrollments = cohort.enrollments.select_related("person__organization", "track").order_by(
        "track__position", "person__full_name"
    )
    if members_only:
        enrollments = enrollments.filter(status__in=CURRENT_STATUSES)
    return enrollments


@dataclass(frozen=True)
class DistrictTeam:
    district: Organization
    superintendents: tuple[Enrollment, ...]
    members: tuple[Enrollment, ...]

    @property
    def has_superintendent(self) -> bool:
        return bool(self.superintendents)


def district_teams_for(*, cohort: Cohort, district: Organization | None = None) -> list[DistrictTeam]:
    """District teams, derived: the current enrollments of one district in one cohort."""
    enrollments = roster_for(cohort=cohort).filter(
        status__in=CURRENT_STATUSES, person__organization__kind=Organization.Kind.SCHOOL_DISTRICT
    )
    if district is not None:
        enrollments = enrollments.filter(person__organization=district)
    by_district: dict[int, list[Enrollment]] = defaultdict(list)
    districts: dict[int, Organization] = {}
    for enrollment in enrollments:
        organization = enrollment.person.organization
        if organization is None:  # pragma: no cover (the filter above excludes it)
            continue
        by_district[organization.pk].append(enrollment)
        districts[organization.pk] = organization
    teams = []
    for pk, members in by_district.items():
        superintendents = tuple(
            e for e in members if e.person.district_role == Person.DistrictRole.SUPERINTENDENT
        )
        others = tuple(e for e in members if e not in superintendents)
        teams.append(DistrictTeam(district=districts[pk], superintendents=superintendents, members=others))
    return sorted(teams, key=lambda team: team.district.name)


def led_district_teams_for(*, person: Person) -> list[tuple[Cohort, DistrictTeam]]:
    """The district teams a superintendent leads, newest cohort first."""
    if person.district_role != Person.DistrictRole.SUPERINTENDENT or person.district is None:
        return []
    cohorts = Cohort.objects.filter(
        enrollments__person=person, enrollments__status__in=CURRENT_STATUSES
    ).select_related("program")
    result: list[tuple[Cohort, DistrictTeam]] = []
    for cohort in cohorts:
        result.extend((cohort, team) for team in district_teams_for(cohort=cohort, district=person.district))
    return result


def numbers_by_class_for(*, program: Program) -> list[ClassNumbers]:
    """Enrolled and completed, per track and class, with the running total of graduates.

    Classes in the order they started (then by name), as the programme report lists them. Three
    queries whatever the programme's size; `numbers.program_numbers_cached` keeps the result.
    """
    rows = (
        Enrollment.objects.filter(cohort__program=program)
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .values("cohort_id", "track_id")
        .annotate(
            enrolled=Count("id", filter=~Q(status="applied")),
            completed=Count("id", filter=Q(status__in=FINISHED_STATUSES)),
        )
    )
    counts = {(row["cohort_id"], row["track_id"]): row for row in rows}
    tracks = list(program.tracks.all())
    cohorts = (
        program.cohorts.exclude(status=Cohort.Status.CANCELLED)
        .only("program", "name", "slug", "starts_on", "ends_on", "status")
        .order_by("starts_on", "name", "pk")
    )
    result = []
    cumulative = 0
    cumulative_by_track = dict.fromkeys((track.pk for track in tracks), 0)
    for cohort in cohorts:
        per_track = []
        for track in tracks:
            row = counts.get((cohort.pk, track.pk), {})
            cumulative_by_track[track.pk] += row.get("completed", 0)
            per_track.append(
                TrackNumbers(
                    track_name=track.name,
                    enrolled=row.get("enrolled", 0),
                    completed=row.get("completed", 0),
                    cumulative_completed=cumulative_by_track[track.pk],
                )
            )
        completed = sum(t.completed for t in per_track)
        cumulative += completed
        result.append(
            ClassNumbers(
                cohort_name=cohort.name,
                cohort_slug=cohort.slug,
                starts_on_year=cohort.starts_on.year,
                ends_on_year=cohort.ends_on.year,
                status_label=cohort.get_status_display(),
                tracks=tuple(per_track),
                enrolled=sum(t.enrolled for t in per_track),
                completed=completed,
                cumulative_completed=cumulative,
            )
        )
    return result
