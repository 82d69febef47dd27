"""Mentoring minutes are their own ledger category: instruction only where a track says so."""

from __future__ import annotations

import pytest

from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.scheduling.progress import progress_for
from cecto.scheduling.tests.test_progress import NOW, Year, by_key

pytestmark = pytest.mark.django_db


def mentor_meeting(enrollment, minutes=90):
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=minutes,
        occurred_on=NOW.date(),
        source_kind=HoursEntry.Source.MANUAL,
        category=HoursEntry.Category.MENTORING,
        reason="Mentoring meeting",
        by=None,
    )


def contact_minutes(enrollment) -> int:
    return by_key(progress_for(enrollment, now=NOW).progress)["contact_hours"].current


def test_mentoring_does_not_count_as_instruction_by_default():
    alice = Year().alice
    before = contact_minutes(alice)

    mentor_meeting(alice)

    assert contact_minutes(alice) == before
    assert progress_for(alice, now=NOW).balance.mentoring_minutes == 90


def test_a_track_can_count_mentoring_as_instruction():
    alice = Year().alice
    alice.track.mentoring_counts_as_instruction = True
    alice.track.save()
    before = contact_minutes(alice)

    mentor_meeting(alice)

    assert contact_minutes(alice) == before + 90
