"""The California CTO Mentor demo: its shape, its logins, and that a second load changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from cecto.ledger.models import HoursEntry
from cecto.mentoring.demo import DISTRICTS, FIRST_NAMES, LAST_NAMES, load_mentoring_demo
from cecto.mentoring.health import mentoring_health_for
from cecto.mentoring.models import Match, MeetingLog, MenteeIntake, MentorProfile
from cecto.mentoring.services import matching_run_create
from cecto.scheduling.models import Cohort

TODAY = dt.date(2026, 11, 22)
SEEDS = Path(__file__).resolve().parents[4] / "shared" / "seeds"


@pytest.fixture
def demo(db):
    return load_mentoring_demo(TODAY, password="demo-pass")


def test_it_builds_a_class_in_progress_and_the_one_before_once(demo):
    assert demo.created is True
    assert (demo.current_cohort_slug, demo.previous_cohort_slug) == ("cto-mentor-2026", "cto-mentor-2025")
    current = Cohort.objects.get(slug=demo.current_cohort_slug)
    previous = Cohort.objects.get(slug=demo.previous_cohort_slug)
    assert current.status == Cohort.Status.IN_PROGRESS
    assert previous.status == Cohort.Status.COMPLETED
    assert MentorProfile.objects.count() == 12
    assert MenteeIntake.objects.filter(enrollment__cohort=current).count() == 18
    assert Match.objects.filter(cohort=current, status="active").count() == 12
    assert Match.objects.filter(cohort=previous, status="ended").count() == 16
    # Every meeting is in the ledger as mentoring: the mentee's entry, and the mentor's when they renew.
    assert MeetingLog.objects.filter(match__cohort=current).exists()
    expected = MeetingLog.objects.count() + MeetingLog.objects.filter(mentor_entry_ref__isnull=False).count()
    assert HoursEntry.objects.filter(category="mentoring").count() == expected
    assert not HoursEntry.objects.exclude(category="mentoring").exists()
    # The logins: the mentor has a place left for the mentee, from another district.
    for username in ("mentoring-admin", "mentor", "mentee"):
        assert User.objects.get(username=username).check_password("demo-pass")
    mentor = MentorProfile.objects.get(person__user__username="mentor")
    mentee = MenteeIntake.objects.get(enrollment__person__user__username="mentee")
    assert mentor.matches.filter(status="active").count() < mentor.capacity
    assert mentor.person.organization != mentee.enrollment.person.organization
    assert mentee.avoid_mentors.exists()

    again = load_mentoring_demo(TODAY)

    assert again.created is False
    assert (again.current_cohort_slug, again.previous_cohort_slug) == (
        demo.current_cohort_slug,
        demo.previous_cohort_slug,
    )
    assert MentorProfile.objects.count() == 12


def test_the_late_intakes_leave_one_person_unmatched_with_a_reason(demo):
    current = Cohort.objects.get(slug=demo.current_cohort_slug)
    run = matching_run_create(cohort=current, by=None)
    assert run.mentees_count == 6
    assert run.matched_count == 5
    (row,) = run.unmatched
    assert row["kind"] == "capacity"
    health = mentoring_health_for(cohort=current, today=TODAY)
    assert health.mentees == 18
    assert health.matched == 12
    assert len(health.stalled) == 3


def test_after_the_class_ends_the_next_one_is_current_and_no_password_means_no_login(db):
    demo = load_mentoring_demo(dt.date(2026, 12, 20))
    assert demo.current_cohort_slug == "cto-mentor-2027"
    assert Cohort.objects.get(slug="cto-mentor-2027").status == Cohort.Status.ADMITTING
    assert not Match.objects.filter(cohort__slug="cto-mentor-2027", meetings__isnull=False).exists()
    assert User.objects.get(username="mentor").has_usable_password() is False


def test_no_name_of_the_seed_documents_is_used():
    text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")) if SEEDS.is_dir() else ""
    words = set(text.replace(",", " ").replace(".", " ").split())
    assert not words & (set(FIRST_NAMES) | set(LAST_NAMES))
    assert not any(name.split()[0] in text for name, *_ in DISTRICTS)
