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
