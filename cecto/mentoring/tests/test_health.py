"""Programme health numbers, and the models' own rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cecto.mentoring.data import STRANDS, Objective
from cecto.mentoring.health import mentoring_health_for
from cecto.mentoring.models import MentoringSettings, MentorProfile, Strand
from cecto.mentoring.services import goal_create, goal_update, match_end, matching_run_create, meeting_log
from cecto.mentoring.tests.factories import MatchFactory

TODAY = dt.date(2026, 5, 10)


def test_health_counts_matches_meetings_stalls_and_strands(scene):
    first = MatchFactory(mentee=scene.intake, mentor=scene.mentor, started_on=dt.date(2026, 2, 15))
    second = MatchFactory(
        mentee=scene.classmate_intake, mentor=scene.second_mentor, started_on=dt.date(2026, 3, 20)
    )
    for day, strand in ((dt.date(2026, 3, 1), "education"), (dt.date(2026, 4, 30), "technology")):
        meeting_log(match=first, held_on=day, minutes=60, strand=strand, by=None, today=TODAY)
    goal = goal_create(match=second, strand="leadership", text="Board plan", by=None)
    goal_update(goal=goal, by=None, is_done=True, today=TODAY)
    match_end(match=second, by=None, ended_on=dt.date(2026, 4, 10))

    health = mentoring_health_for(cohort=scene.cohort, today=TODAY)

    assert (health.mentees, health.matched) == (2, 1)
    assert [u.name for u in health.unmatched] == ["Cleo Classmate"]
    assert (health.mentors, health.places, health.places_taken) == (2, 3, 1)
    assert (health.meetings, health.minutes) == (2, 120)
    assert health.meetings_per_match == Decimal("2.00")
    assert [(m.month, m.meetings, m.active_matches) for m in health.months] == [
        (dt.date(2026, 2, 1), 0, 1),
        (dt.date(2026, 3, 1), 1, 2),
        (dt.date(2026, 4, 1), 1, 2),
        (dt.date(2026, 5, 1), 0, 1),
    ]
    assert health.months[1].per_match == Decimal("0.50")
    assert health.stalled == ()  # met on April 30
    coverage = {row.strand: row for row in health.strands}
    assert (coverage["education"].wanted, coverage["education"].covered, coverage["education"].mentors) == (
        1,
        1,
        1,
    )
    assert (coverage["leadership"].wanted, coverage["leadership"].covered) == (1, 0)  # that match has ended
    assert (coverage["leadership"].goals, coverage["leadership"].goals_done) == (1, 1)
    assert coverage["technology"].meetings == 1

    later = mentoring_health_for(cohort=scene.cohort, today=dt.date(2026, 6, 15))
    assert [(s.match, s.last_met_on, s.quiet_days) for s in later.stalled] == [
        (first, dt.date(2026, 4, 30), 46)
    ]


def test_health_before_the_class_starts_and_with_a_run(scene):
    scene.mentor.is_available = False
    scene.mentor.save()
    scene.second_mentor.is_available = False
    scene.second_mentor.save()
    matching_run_create(cohort=scene.cohort, by=None)
    health = mentoring_health_for(cohort=scene.cohort, today=dt.date(2026, 1, 5))
    assert health.months == ()
    assert health.meetings_per_match == Decimal("0.00")
    assert health.unmatched[0].reasons[0] == "No mentor is allowed for them."


def test_the_strand_choices_are_the_matching_strands():
    assert tuple(Strand.values) == STRANDS


def test_settings_give_the_rules_and_refuse_silly_weights(db):
    settings = MentoringSettings(weight_region=Decimal("2.5"), objective="score", min_years_as_cto=10)
    rules = settings.rules
    assert rules.weights.region == 2.5
    assert rules.objective == Objective.SCORE
    assert rules.min_years_as_cto == 10
    settings.weight_region = Decimal("-1")
    with pytest.raises(ValidationError):
        settings.full_clean(exclude=["program"])


def test_a_mentor_profile_offers_known_strands(scene):
    profile = MentorProfile(
        program=scene.cohort.program, person=scene.mentor.person, years_as_cto=9, strands=[]
    )
    with pytest.raises(ValidationError, match="Offer at least one strand"):
        profile.clean()
    profile.strands = ["cooking"]
    with pytest.raises(ValidationError, match="Unknown strand"):
        profile.full_clean(exclude=["person", "program"])
    profile.strands = "education"
    with pytest.raises(ValidationError, match="list of names"):
        profile.full_clean(exclude=["person", "program"])


def test_the_models_name_themselves(scene):
    match = MatchFactory(mentee=scene.intake, mentor=scene.mentor)
    assert str(match) == "Mona Mentor mentors Pat Participant"
    assert str(scene.mentor) == f"Mona Mentor (mentor in {scene.cohort.program})"
    assert str(scene.intake) == "Mentoring intake of Pat Participant"
    assert str(scene.settings) == f"Mentoring settings of {scene.cohort.program}"
