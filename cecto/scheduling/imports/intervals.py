"""Join/leave intervals: merged, clipped to the session, counted once. Pure: no ORM.

People leave and rejoin, and join from a laptop and a phone at once; a report lists each
connection. Their presence is the union of those intervals within the scheduled time, so an
overlap is never counted twice and time before the start or after the end is never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Minutes of slack before a late join, an early leave or a shortfall changes the status:
# a meeting report's clock starts when someone's client connects, not when they sit down.
GRACE = timedelta(minutes=5)


@dataclass(frozen=True, order=True)
class Interval:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        return max(0, int((self.end - self.start).total_seconds()))


@dataclass(frozen=True)
class Presence:
    """Someone's merged, clipped time in a session."""

    intervals: tuple[Interval, ...]
    seconds: int

    @property
    def minutes(self) -> int:
        return self.seconds // 60

    @property
    def first_join(self) -> datetime | None:
        return self.intervals[0].start if self.intervals else None

    @property
    def last_leave(self) -> datetime | None:
        return self.intervals[-1].end if self.intervals else None


def merge_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Overlapping or touching intervals become one; the result is sorted and disjoint."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return tuple(merged)


def clip_intervals(intervals: Iterable[Interval], *, start: datetime, end: datetime) -> tuple[Interval, ...]:
    """The parts of the intervals within [start, end]; parts of no length are dropped."""
    clipped = (Interval(max(i.start, start), min(i.end, end)) for i in intervals)
    return tuple(i for i in clipped if i.end > i.start)


def presence_within(
    intervals: Iterable[Interval], *, start: datetime, end: datetime, cap_seconds: int | None = None
) -> Presence:
    """Merge, then clip to the session. `cap_seconds` bounds the total when a report gives only a
    first join and a last leave together with the time actually spent in the meeting."""
    merged = clip_intervals(merge_intervals(intervals), start=start, end=end)
    seconds = sum(i.seconds for i in merged)
    if cap_seconds is not None:
        seconds = min(seconds, cap_seconds)
    return Presence(intervals=merged, seconds=seconds)


def attendance_status_for(
    presence: Presence, *, starts_at: datetime, ends_at: datetime, contact_minutes: int
) -> str:
    """present, late or left_early for someone who was there at all.

    Present when they were there for the contact minutes (less the grace); otherwise late when
    they first joined after the start (plus the grace), else left early (which includes stepping
    out in the middle).
    """
    grace_minutes = int(GRACE.total_seconds() // 60)
    if presence.minutes >= min(contact_minutes, (ends_at - starts_at).total_seconds() // 60) - grace_minutes:
        return "present"
    if presence.first_join is not None and presence.first_join > starts_at + GRACE:
        return "late"
    return "left_early"
