"""A programme's numbers for its public page: grouped by year, cached by a version that moves with
every admission, completion, new class or renamed track, and costs one query."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.numbers import (
    program_has_classes_in,
    program_numbers_cached,
    program_numbers_for,
    program_numbers_version,
)
from cecto.scheduling.selectors import numbers_by_class_for
from cecto.scheduling.services import enrollment_create, enrollment_status_change
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

S = Enrollment.Status
FROZEN = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def programme(db):
    """Two tracks; classes in 2024 (two), 2025 (one, and a cancelled one) and 2026 (one)."""
    program = ProgramFactory()
    candidates = TrackFactory(program=program, name="Candidates", position=0)
    superintendents = TrackFactory(program=program, name="Superintendents", position=1)

    def cohort(name: str, year: int, month: int, status: str = Cohort.Status.COMPLETED) -> Cohort:
        starts_on, ends_on = dt.date(year, month, 1), dt.date(year, 12, 1)
        return CohortFactory(program=program, name=name, status=status, starts_on=starts_on, ends_on=ends_on)

    def enroll(cohort: Cohort, track: object, *statuses: str) -> None:
        for status in statuses:
            EnrollmentFactory(cohort=cohort, track=track, status=status)

    spring = cohort("Spring 2024", 2024, 2)
    autumn = cohort("Autumn 2024", 2024, 9)
    only = cohort("Class of 2025", 2025, 2)
    cancelled = cohort("Cancelled 2025", 2025, 3, Cohort.Status.CANCELLED)
    current = cohort("Class of 2026", 2026, 2, Cohort.Status.IN_PROGRESS)
    enroll(spring, candidates, S.CERTIFIED, S.COMPLETED, S.WITHDRAWN, S.APPLIED)
    enroll(spring, superintendents, S.CERTIFIED)
    enroll(autumn, candidates, S.CERTIFIED, S.ACTIVE)
    enroll(only, candidates, S.COMPLETED)
    enroll(only, superintendents, S.COMPLETED, S.COMPLETED)
    enroll(cancelled, candidates, S.CERTIFIED)
    enroll(current, candidates, S.ACTIVE, S.ADMITTED, S.APPLIED)
    return program


# --- the numbers by year ---------------------------------------------------------------------------


def test_the_numbers_are_grouped_by_the_year_classes_started(programme):
    numbers = program_numbers_for(program=programme)

    assert [(y.year, [row.cohort_name for row in y.classes]) for y in numbers.years] == [
        (2024, ["Spring 2024", "Autumn 2024"]),
        (2025, ["Class of 2025"]),
        (2026, ["Class of 2026"]),
    ]
    assert numbers.classes == tuple(numbers_by_class_for(program=programme))
    assert numbers.year(2025) is numbers.years[1]
    assert numbers.year(1999) is None


def test_a_years_line_sums_its_classes_and_keeps_the_running_total_at_its_end(programme):
    y2024, y2025, y2026 = program_numbers_for(program=programme).years

    assert [(t.track_name, t.enrolled, t.completed, t.cumulative_completed) for t in y2024.tracks] == [
        ("Candidates", 5, 3, 3),
        ("Superintendents", 1, 1, 1),
    ]
    assert (y2024.enrolled, y2024.completed, y2024.cumulative_completed) == (6, 4, 4)
    # The graduates to date count every earlier year's, never the cancelled class's.
    assert [t.cumulative_completed for t in y2025.tracks] == [4, 3]
    assert (y2025.completed, y2025.cumulative_completed) == (3, 7)
    assert (y2026.enrolled, y2026.completed, y2026.cumulative_completed) == (2, 0, 7)


def test_the_totals_cover_every_class(programme):
    numbers = program_numbers_for(program=programme)

    assert [(t.enrolled, t.completed, t.cumulative_completed) for t in numbers.tracks] == [
        (8, 4, 4),
        (3, 3, 3),
    ]
    assert (numbers.enrolled, numbers.completed) == (11, 7)


def test_a_programme_without_classes_has_empty_numbers(db):
    program = ProgramFactory()
    TrackFactory(program=program)

    numbers = program_numbers_for(program=program)

    assert (numbers.years, numbers.tracks, numbers.enrolled, numbers.completed) == ((), (), 0, 0)
    assert program_numbers_version(program=program).classes == 0


def test_a_year_has_classes_unless_they_were_all_cancelled(programme):
    assert program_has_classes_in(program=programme, year=2024)
    assert program_has_classes_in(program=programme, year=2025)
    assert not program_has_classes_in(program=programme, year=2023)
    later = {"starts_on": dt.date(2027, 2, 1), "ends_on": dt.date(2027, 12, 1)}
    CohortFactory(program=programme, status=Cohort.Status.CANCELLED, **later)
    assert not program_has_classes_in(program=programme, year=2027)


# --- the version -----------------------------------------------------------------------------------


def test_the_version_costs_one_query_and_counts_the_classes_not_cancelled(
    programme, django_assert_num_queries
):
    with django_assert_num_queries(1):
        version = program_numbers_version(program=programme)

    assert version.classes == 4
    assert version == program_numbers_version(program=programme)  # nothing changed


def version_of(program) -> str:
    return program_numbers_version(program=program).key


@time_machine.travel(FROZEN, tick=False)  # counters, not the clock, must move it
def test_every_admission_completion_and_new_enrollment_moves_the_version(programme):
    current = Cohort.objects.get(program=programme, name="Class of 2026")
    applicant = current.enrollments.get(status=S.APPLIED)
    seen = {version_of(programme)}

    enrollment_status_change(enrollment=applicant, to_status=S.ADMITTED, by=None)
    seen.add(version_of(programme))
    enrollment_status_change(enrollment=applicant, to_status=S.ACTIVE, by=None)
    seen.add(version_of(programme))
    enrollment_status_change(enrollment=applicant, to_status=S.COMPLETED, by=None)
    seen.add(version_of(programme))
    another_class = CohortFactory(program=programme)
    enrollment_create(person=applicant.person, cohort=another_class, track=applicant.track, by=None)
    seen.add(version_of(programme))

    assert len(seen) == 5


@time_machine.travel(FROZEN, tick=False)
def test_a_class_added_or_cancelled_and_a_track_added_move_the_version(programme):
    seen = {version_of(programme)}

    cohort = CohortFactory(program=programme, starts_on=dt.date(2027, 2, 1), ends_on=dt.date(2027, 12, 1))
    seen.add(version_of(programme))
    cohort.status = Cohort.Status.CANCELLED
    cohort.save()
    seen.add(version_of(programme))
    TrackFactory(program=programme)
    seen.add(version_of(programme))

    assert len(seen) == 4


def test_a_renamed_class_or_track_moves_the_version(programme):
    before = version_of(programme)
    with time_machine.travel(dt.datetime(2099, 1, 1, tzinfo=dt.UTC)):
        cohort = programme.cohorts.first()
        cohort.name = "Renamed"
        cohort.save()
    renamed = version_of(programme)
    with time_machine.travel(dt.datetime(2099, 1, 2, tzinfo=dt.UTC)):
        track = programme.tracks.first()
        track.name = "Renamed too"
        track.save()

    assert len({before, renamed, version_of(programme)}) == 3


def test_another_programmes_class_leaves_the_version_alone(programme):
    before = version_of(programme)

    CohortFactory()

    assert version_of(programme) == before


# --- the cache -------------------------------------------------------------------------------------


def test_the_cached_numbers_cost_nothing_until_the_version_moves(programme, django_assert_num_queries):
    version = program_numbers_version(program=programme)
    first = program_numbers_cached(program=programme, version=version)

    with django_assert_num_queries(0):
        assert program_numbers_cached(program=programme, version=version) == first

    applicant = Enrollment.objects.get(
        cohort__program=programme, cohort__name="Class of 2026", status=S.APPLIED
    )
    enrollment_status_change(enrollment=applicant, to_status=S.ADMITTED, by=None)
    moved = program_numbers_version(program=programme)
    assert program_numbers_cached(program=programme, version=moved).year(2026).enrolled == 3


def test_the_numbers_take_the_same_queries_for_3_and_for_12_classes(db, django_assert_num_queries):
    def programme_of(classes: int):
        program = ProgramFactory()
        track = TrackFactory(program=program)
        for n in range(classes):
            year = 2010 + n // 2
            starts_on, ends_on = dt.date(year, 2 + n % 2, 1), dt.date(year, 12, 1)
            cohort = CohortFactory(program=program, starts_on=starts_on, ends_on=ends_on)
            EnrollmentFactory.create_batch(2, cohort=cohort, track=track, status=S.CERTIFIED)
        return program

    small, large = programme_of(3), programme_of(12)

    with CaptureQueriesContext(connection) as measured:
        small_numbers = program_numbers_cached(program=small, version=program_numbers_version(program=small))
    with django_assert_num_queries(len(measured.captured_queries)):
        large_numbers = program_numbers_cached(program=large, version=program_numbers_version(program=large))

    assert len(measured.captured_queries) == 4  # the version, the aggregate, the tracks, the classes
    assert [y.cumulative_completed for y in small_numbers.years] == [4, 6]
    assert [y.cumulative_completed for y in large_numbers.years] == [4, 8, 12, 16, 20, 24]
