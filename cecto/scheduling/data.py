"""Plain types other apps and templates read (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrackNumbers:
    track_name: str
    enrolled: int
    completed: int
    cumulative_completed: int


@dataclass(frozen=True)
class ClassNumbers:
    """One line of a programme's numbers by class."""

    cohort_name: str
    cohort_slug: str
    starts_on_year: int
    ends_on_year: int
    status_label: str
    tracks: tuple[TrackNumbers, ...]
    enrolled: int
    completed: int
    cumulative_completed: int


@dataclass(frozen=True)
class YearNumbers:
    """A programme's classes that started in one year, with their sums: enrolled and completed
    over the year's classes, the running total of graduates as it stood after the last of them."""

    year: int
    classes: tuple[ClassNumbers, ...]
    tracks: tuple[TrackNumbers, ...]
    enrolled: int
    completed: int
    cumulative_completed: int


@dataclass(frozen=True)
class ProgramNumbers:
    """A programme's numbers by class, grouped by the year each class started, with the totals
    over every class (per track and overall: the graduates to date)."""

    years: tuple[YearNumbers, ...]
    tracks: tuple[TrackNumbers, ...]
    enrolled: int
    completed: int

    @property
    def classes(self) -> tuple[ClassNumbers, ...]:
        return tuple(row for year in self.years for row in year.classes)

    def year(self, year: int) -> YearNumbers | None:
        return next((found for found in self.years if found.year == year), None)
