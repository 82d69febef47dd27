"""Merging, clipping and counting join/leave intervals; the status they give."""

from __future__ import annotations

import datetime as dt

import pytest

from cecto.scheduling.imports.intervals import (
    Interval,
    Presence,
    attendance_status_for,
    clip_intervals,
    merge_intervals,
    presence_within,
)

START = dt.datetime(2026, 11, 14, 14, 0, tzinfo=dt.UTC)
END = START + dt.timedelta(hours=3)


def at(minutes: float) -> dt.datetime:
    return START + dt.timedelta(minutes=minutes)


def span(a: float, b: float) -> Interval:
    return Interval(at(a), at(b))


def test_it_merges_overlapping_intervals_from_two_devices():
    assert merge_intervals([span(0, 90), span(60, 180)]) == (span(0, 180),)


def test_it_merges_touching_intervals_and_contained_ones_in_any_order():
    assert merge_intervals([span(100, 120), span(0, 60), span(60, 100), span(10, 20)]) == (span(0, 120),)


def test_it_keeps_a_rejoin_after_a_gap_as_two_intervals():
    assert merge_intervals([span(70, 180), span(0, 45)]) == (span(0, 45), span(70, 180))


def test_it_clips_to_the_session_and_drops_what_lies_outside():
    clipped = clip_intervals(
        [span(-60, -10), span(-5, 30), span(150, 200), span(190, 240)], start=START, end=END
    )

    assert clipped == (span(0, 30), span(150, 180))


def test_presence_counts_each_second_once_and_rounds_down_to_minutes():
    presence = presence_within([span(-2, 90.5), span(89, 120.99), span(150, 170)], start=START, end=END)

    assert presence.intervals == (span(0, 120.99), span(150, 170))
    assert presence.seconds == int(120.99 * 60) + 20 * 60
    assert presence.minutes == 140
    assert presence.first_join == START
    assert presence.last_leave == at(170)


def test_presence_outside_the_session_is_empty():
    presence = presence_within([span(-120, -30), span(200, 230)], start=START, end=END)

    assert presence == Presence(intervals=(), seconds=0)
    assert presence.minutes == 0
    assert presence.first_join is None
    assert presence.last_leave is None


def test_a_cap_bounds_a_first_join_to_last_leave_span():
    presence = presence_within([span(0, 180)], start=START, end=END, cap_seconds=100 * 60)

    assert presence.minutes == 100


@pytest.mark.parametrize(
    ("intervals", "contact", "status"),
    [
        ([span(0, 180)], 180, "present"),
        ([span(2, 180)], 180, "present"),  # within the grace
        ([span(0, 60), span(120, 180)], 120, "present"),  # skipped a long lunch, full contact time
        ([span(20, 180)], 180, "late"),
        ([span(0, 150)], 180, "left_early"),
        ([span(0, 60), span(90, 180)], 180, "left_early"),  # stepped out in the middle
    ],
)
def test_the_status_follows_minutes_and_first_join(intervals, contact, status):
    presence = presence_within(intervals, start=START, end=END)

    assert attendance_status_for(presence, starts_at=START, ends_at=END, contact_minutes=contact) == status
