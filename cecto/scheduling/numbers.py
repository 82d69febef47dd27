"""A programme's numbers by class, as its public page shows them: grouped by year, cached by a
version read in one query (the pattern of decision 0008).

The numbers cost one aggregate over every enrollment of the programme: ~60 ms of SQL for a national
programme (2,000 classes, 26,000 enrollments), and as much again in Python to build its rows. So
they are kept in the cache under a version that moves with anything they are computed from:

- the programme's classes: how many, how many not cancelled, their newest `updated_at` (a class
  added, renamed, moved or cancelled);
- its tracks: how many and their newest `updated_at` (a track added or renamed);
- the newest enrollment and the newest enrollment status change, across all programmes: every
  enrollment is created, and every admission, completion or withdrawal recorded, through the
  services, which add a status change each time (the admin's enrollment form calls them too).

The last two read one end of a primary-key index, where counting the programme's enrollments
would read 26,000 index entries (~30 ms). The price: an enrollment anywhere makes every
programme's next view a miss, which is rare next to the page's readers. What leaves none of these
traces (an enrollment deleted in the admin, a queryset `update()` in a shell, a status change that
commits after a later one under a higher id) shows when the entry expires, after
`PAGE_CACHE_SECONDS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

from cecto.core.sql import table
from cecto.core.versions import version_key
from cecto.programs.api import Program, Track
from cecto.scheduling.dashboard.cache import PAGE_CACHE_SECONDS
from cecto.scheduling.data import ClassNumbers, ProgramNumbers, TrackNumbers, YearNumbers
from cecto.scheduling.models import Cohort, Enrollment, EnrollmentStatusChange
from cecto.scheduling.selectors import numbers_by_class_for

CANCELLED = Cohort.Status.CANCELLED.value

# Raw SQL, like the hours pages' versions: one row of four derived tables. Names in braces are
# tables (quoted names from the models), everything else a parameter.
_VERSION = """SELECT * FROM
    (SELECT COUNT(*) AS n, SUM(CASE WHEN status = %s THEN 0 ELSE 1 END) AS held,
            MAX(updated_at) AS at
     FROM {cohort} WHERE program_id = %s) AS cohorts,
    (SELECT COUNT(*) AS n, MAX(updated_at) AS at FROM {track} WHERE program_id = %s) AS tracks,
    (SELECT MAX(id) AS newest FROM {enrollment}) AS enrollments,
    (SELECT MAX(id) AS newest FROM {change}) AS changes"""


@dataclass(frozen=True)
class NumbersVersion:
    key: str
    classes: int  # the programme's classes that were not cancelled


def program_numbers_version(*, program: Program) -> NumbersVersion:
    """The version of PROGRAM's numbers: one query (see the module's docstring)."""
    sql = _VERSION.format(
        cohort=table(Cohort),
        track=table(Track),
        enrollment=table(Enrollment),
        change=table(EnrollmentStatusChange),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (CANCELLED, program.pk, program.pk))
        marks = tuple(cursor.fetchone() or ())
    key = version_key("program-numbers", (program.pk, program.slug, program.created_at, marks))
    return NumbersVersion(key=key, classes=int(marks[1] or 0) if marks else 0)


def program_has_classes_in(*, program: Program, year: int) -> bool:
    """Whether a class of PROGRAM (not cancelled) started in YEAR: one query."""
    return program.cohorts.exclude(status=CANCELLED).filter(starts_on__year=year).exists()


def _sums(rows: list[ClassNumbers], *, names: list[str]) -> tuple[TrackNumbers, ...]:
    """Per track: enrolled and completed summed over ROWS, the running total as after the last."""
    return tuple(
        TrackNumbers(
            track_name=name,
            enrolled=sum(row.tracks[index].enrolled for row in rows),
            completed=sum(row.tracks[index].completed for row in rows),
            cumulative_completed=rows[-1].tracks[index].cumulative_completed,
        )
        for index, name in enumerate(names)
    )


def program_numbers_for(*, program: Program) -> ProgramNumbers:
    """PROGRAM's numbers by class (`numbers_by_class_for`), grouped by the year classes started."""
    classes = numbers_by_class_for(program=program)
    names = [track.track_name for track in classes[0].tracks] if classes else []
    by_year: dict[int, list[ClassNumbers]] = {}
    for row in classes:  # in the order they started, so each year's are together
        by_year.setdefault(row.starts_on_year, []).append(row)
    years = tuple(
        YearNumbers(
            year=year,
            classes=tuple(rows),
            tracks=_sums(rows, names=names),
            enrolled=sum(row.enrolled for row in rows),
            completed=sum(row.completed for row in rows),
            cumulative_completed=rows[-1].cumulative_completed,
        )
        for year, rows in by_year.items()
    )
    return ProgramNumbers(
        years=years,
        tracks=_sums(classes, names=names) if classes else (),
        enrolled=sum(row.enrolled for row in classes),
        completed=sum(row.completed for row in classes),
    )


def program_numbers_cached(*, program: Program, version: NumbersVersion) -> ProgramNumbers:
    """`program_numbers_for(program)`, from the cache when VERSION is there."""
    numbers: ProgramNumbers | None = cache.get(version.key)
    if numbers is None:
        numbers = program_numbers_for(program=program)
        cache.set(version.key, numbers, PAGE_CACHE_SECONDS)
    return numbers
