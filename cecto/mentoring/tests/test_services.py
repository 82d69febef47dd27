"""Services: runs and proposals, pins and forbids, intakes, meetings credited to the ledger, goals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cecto.core.models import AuditEvent
from cecto.ledger.api import HoursEntry, balance_for
from cecto.mentoring.models import ForbiddenPair, Match, MatchingRun, MeetingLog, PinnedPair, Proposal, Strand
from cecto.mentoring.services import (
    MentoringRefused,
    goal_create,
    goal_update,
    match_end,
    matching_run_create,
    meeting_log,
    mentee_intake_save,
    pair_forbid,
    pair_pin,
    pair_unforbid,
    pair_unpin,
    proposal_accept,
    proposals_accept_all,
)
from cecto.mentoring.tests.factories import MatchFactory, MentorProfileFactory
from cecto.scheduling.models import Cohort
from cecto.scheduling.progress import progress_for

TODAY = dt.date(2026, 4, 20)


def pairs_of(run: MatchingRun) -> set[tuple[str, str]]:
    return {(p.mentor.person.full_name, p.mentee.enrollment.person.full_name) for p in run.proposals.all()}


# --- runs -------------------------------------------------------------------------------------------


def test_a_run_proposes_the_best_pairs_with_their_breakdown(scene):
    run = matching_run_create(cohort=scene.cohort, by=scene.cast.admin)

    assert pairs_of(run) == {("Mona Mentor", "Pat Participant"), ("Theo Second", "Cleo Classmate")}
    assert run.matched_count == 2
    assert run.unmatched == []
    assert run.mentors_count == 2
    assert run.mentees_count == 2
    assert run.rules["min_years_as_cto"] == 8
    assert run.rules["objective"] == "coverage"
    proposal = run.proposals.get(mentee=scene.intake)
    assert proposal.status == Proposal.Status.PROPOSED
    assert [c["label"] for c in proposal.breakdown] == [
        "Strand fit",
        "District size",
        "Region",
        "Experience gap",
        "Stated preferences",
    ]
    assert proposal.score == Decimal(str(sum(c["points"] for c in proposal.breakdown))).quantize(
        Decimal("0.001")
    )
    assert run.total_score == sum(p.score for p in run.proposals.all())
    assert AuditEvent.objects.filter(
        verb="mentoring.matching_run", subject_id=str(scene.cohort.uuid)
    ).exists()


def test_a_new_run_supersedes_the_open_proposals_of_the_last(scene):
    first = matching_run_create(cohort=scene.cohort, by=scene.cast.admin)
    second = matching_run_create(cohort=scene.cohort, by=scene.cast.admin)

    assert set(first.proposals.values_list("status", flat=True)) == {Proposal.Status.SUPERSEDED}
    assert set(second.proposals.values_list("status", flat=True)) == {Proposal.Status.PROPOSED}
    with pytest.raises(MentoringRefused, match="superseded"):
        proposal_accept(proposal=first.proposals.first(), by=scene.cast.admin)


def test_a_run_explains_who_cannot_be_matched(scene):
    scene.mentor.person.organization = scene.intake.enrollment.person.organization
    scene.mentor.person.save()
    scene.second_mentor.is_available = False
    scene.second_mentor.save()

    run = matching_run_create(cohort=scene.cohort, by=None)

    rows = {row["name"]: row for row in run.unmatched}
    assert rows["Pat Participant"]["kind"] == "constraints"
    assert rows["Pat Participant"]["reasons"] == [
        "No mentor is allowed for them.",
        "Same district: Mona Mentor.",
        "Not available: Theo Second.",
    ]
    assert rows["Pat Participant"]["mentee"] == str(scene.intake.uuid)
    assert pairs_of(run) == {("Mona Mentor", "Cleo Classmate")}


def test_a_closed_cohort_is_not_matched(scene):
    Cohort.objects.filter(pk=scene.cohort.pk).update(status=Cohort.Status.COMPLETED)
    scene.cohort.refresh_from_db()
    with pytest.raises(MentoringRefused, match="completed"):
        matching_run_create(cohort=scene.cohort, by=None)


def test_people_already_matched_and_applicants_wait_out_of_the_run(scene):
    MatchFactory(mentee=scene.intake, mentor=scene.mentor)
    scene.classmate_intake.enrollment.status = "applied"
    scene.classmate_intake.enrollment.save()

    run = matching_run_create(cohort=scene.cohort, by=None)

    assert run.mentees_count == 0
    assert run.proposals.count() == 0


# --- accepting ----------------------------------------------------------------------------------------


def test_accepting_a_proposal_makes_a_match(scene):
    run = matching_run_create(cohort=scene.cohort, by=None)
    proposal = run.proposals.get(mentee=scene.intake)

    match = proposal_accept(proposal=proposal, by=scene.cast.admin, today=TODAY)

    assert match.mentor == scene.mentor
    assert match.mentee == scene.intake
    assert match.cohort == scene.cohort
    assert match.started_on == TODAY
    assert match.score == proposal.score
    assert match.breakdown == proposal.breakdown
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED
    assert proposal.decided_by == scene.cast.admin
    with pytest.raises(MentoringRefused, match="accepted: it cannot be accepted"):
        proposal_accept(proposal=proposal, by=scene.cast.admin)


def test_accept_all_takes_every_open_proposal_or_none(scene):
    run = matching_run_create(cohort=scene.cohort, by=None)
    ForbiddenPair.objects.create(
        cohort=scene.cohort, mentor=scene.second_mentor, mentee=scene.classmate_intake
    )

    with pytest.raises(MentoringRefused, match="an administrator forbade this pair"):
        proposals_accept_all(run=run, by=None)
    assert Match.objects.count() == 0

    ForbiddenPair.objects.all().delete()
    matches = proposals_accept_all(run=run, by=None, today=TODAY)
    assert len(matches) == 2
    assert not run.proposals.filter(status=Proposal.Status.PROPOSED).exists()


def test_a_proposal_is_refused_when_the_mentor_filled_up_since(scene):
    scene.mentor.capacity = 1
    scene.mentor.save()
    run = matching_run_create(cohort=scene.cohort, by=None)
    proposal = run.proposals.get(mentee=scene.intake)
    MatchFactory(mentor=scene.mentor, mentee__enrollment__cohort=scene.cohort)

    with pytest.raises(MentoringRefused, match="Mona Mentor is left with no place"):
        proposal_accept(proposal=proposal, by=None)


def test_a_mentee_gets_one_active_match(scene):
    run = matching_run_create(cohort=scene.cohort, by=None)
    MatchFactory(mentee=scene.intake, mentor=scene.second_mentor)
    with pytest.raises(MentoringRefused, match="already has a mentor"):
        proposal_accept(proposal=run.proposals.get(mentee=scene.intake), by=None)


# --- pins and forbids ---------------------------------------------------------------------------------


def test_a_pin_is_honoured_by_the_next_run(scene):
    pin = pair_pin(
        cohort=scene.cohort,
        mentor=scene.second_mentor,
        intake=scene.intake,
        by=scene.cast.admin,
        reason="Asked",
    )
    assert pin.reason == "Asked"

    run = matching_run_create(cohort=scene.cohort, by=None)

    pinned = run.proposals.get(mentee=scene.intake)
    assert pinned.mentor == scene.second_mentor
    assert pinned.is_pinned is True
    assert run.proposals.get(mentee=scene.classmate_intake).mentor == scene.mentor
    assert AuditEvent.objects.filter(verb="mentoring.pair_pinned").count() == 1


def test_a_second_pin_replaces_the_first_and_an_unpin_removes_it(scene):
    pair_pin(cohort=scene.cohort, mentor=scene.second_mentor, intake=scene.intake, by=None)
    pair_pin(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    assert list(PinnedPair.objects.values_list("mentor", flat=True)) == [scene.mentor.pk]

    pair_unpin(cohort=scene.cohort, intake=scene.intake, by=None)
    assert not PinnedPair.objects.exists()


def test_a_pin_that_breaks_a_hard_constraint_is_refused(scene):
    scene.mentor.years_as_cto = 5
    scene.mentor.save()
    with pytest.raises(MentoringRefused, match="Mona Mentor is 5 years as CTO, under the 8 required"):
        pair_pin(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    assert not PinnedPair.objects.exists()


def test_a_pin_beyond_the_mentors_places_is_refused(scene):
    pair_pin(cohort=scene.cohort, mentor=scene.second_mentor, intake=scene.intake, by=None)
    with pytest.raises(MentoringRefused, match="no place left for another pinned mentee"):
        pair_pin(cohort=scene.cohort, mentor=scene.second_mentor, intake=scene.classmate_intake, by=None)


def test_a_pin_outside_the_cohort_is_refused(scene):
    stranger = MentorProfileFactory()
    with pytest.raises(MentoringRefused, match="must belong to this cohort"):
        pair_pin(cohort=scene.cohort, mentor=stranger, intake=scene.intake, by=None)
    with pytest.raises(MentoringRefused, match="must belong to this cohort"):
        pair_forbid(cohort=scene.cohort, mentor=stranger, intake=scene.intake, by=None)


def test_a_forbid_is_honoured_and_replaces_a_pin_of_the_same_pair(scene):
    pair_pin(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    pair_forbid(
        cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=scene.cast.admin, reason="Rivals"
    )
    assert not PinnedPair.objects.exists()

    run = matching_run_create(cohort=scene.cohort, by=None)

    assert run.proposals.get(mentee=scene.intake).mentor == scene.second_mentor
    assert run.proposals.get(mentee=scene.classmate_intake).mentor == scene.mentor


def test_pinning_a_forbidden_pair_lifts_the_forbid(scene):
    pair_forbid(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    pair_pin(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    assert not ForbiddenPair.objects.exists()
    pair_forbid(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    pair_unforbid(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    assert not ForbiddenPair.objects.exists()
    assert AuditEvent.objects.filter(verb="mentoring.pair_unforbidden").count() == 1


def test_a_pin_the_run_cannot_keep_is_reported(scene):
    pair_pin(cohort=scene.cohort, mentor=scene.mentor, intake=scene.intake, by=None)
    scene.mentor.is_available = False
    scene.mentor.save()

    run = matching_run_create(cohort=scene.cohort, by=None)

    assert run.refused_pins == [
        {
            "mentor": "Mona Mentor",
            "mentee": "Pat Participant",
            "reason": "The pin breaks a hard constraint: Mona Mentor is not available.",
        }
    ]


# --- intakes ------------------------------------------------------------------------------------------


def test_an_intake_is_saved_and_replaced(scene):
    intake = mentee_intake_save(
        enrollment=scene.intake.enrollment,
        by=scene.mentee_user,
        strands_wanted=["leadership", "education"],
        goals="  Win the board over.  ",
        region="North State",
        preferred_regions=["Bay Area", " ", "Bay Area"],
        preferred_mentors=[scene.mentor],
        avoid_mentors=[scene.second_mentor],
    )
    assert intake.pk == scene.intake.pk
    assert intake.strands_wanted == ["education", "leadership"]
    assert intake.goals == "Win the board over."
    assert intake.preferred_regions == ["Bay Area"]
    assert list(intake.preferred_mentors.all()) == [scene.mentor]
    assert list(intake.avoid_mentors.all()) == [scene.second_mentor]


def test_an_intake_refuses_a_mentor_both_wanted_and_avoided_or_from_elsewhere(scene):
    with pytest.raises(MentoringRefused, match="both preferred and avoided"):
        mentee_intake_save(
            enrollment=scene.intake.enrollment,
            by=None,
            strands_wanted=[],
            goals="x",
            preferred_mentors=[scene.mentor],
            avoid_mentors=[scene.mentor],
        )
    with pytest.raises(MentoringRefused, match="this programme only"):
        mentee_intake_save(
            enrollment=scene.intake.enrollment,
            by=None,
            strands_wanted=[],
            goals="x",
            avoid_mentors=[MentorProfileFactory()],
        )


def test_an_intake_refuses_an_unknown_strand(scene):
    with pytest.raises(MentoringRefused, match="Unknown strand"):
        mentee_intake_save(enrollment=scene.intake.enrollment, by=None, strands_wanted=["cooking"], goals="")


# --- meetings and the ledger ------------------------------------------------------------------------------


@pytest.fixture
def match(scene):
    return MatchFactory(mentee=scene.intake, mentor=scene.mentor, started_on=dt.date(2026, 3, 1))


def test_a_meeting_is_credited_to_the_mentee_as_mentoring_not_instruction(scene, match):
    meeting = meeting_log(
        match=match,
        held_on=dt.date(2026, 3, 12),
        minutes=75,
        strand=Strand.LEADERSHIP,
        notes=" Board prep. ",
        by=scene.mentee_user,
        today=TODAY,
    )

    assert meeting.notes == "Board prep."
    entry = HoursEntry.objects.get(uuid=meeting.mentee_entry_ref)
    assert entry.category == HoursEntry.Category.MENTORING
    assert entry.source_kind == HoursEntry.Source.MANUAL
    assert entry.reason == "Mentoring meeting 2026-03-12"
    assert entry.source_id == str(meeting.uuid)
    assert entry.enrollment_ref == scene.intake.enrollment.uuid
    assert entry.person == scene.intake.enrollment.person
    assert entry.minutes == 75
    assert entry.occurred_on == dt.date(2026, 3, 12)
    balance = balance_for(scene.intake.enrollment.uuid)
    assert balance.mentoring_minutes == 75
    assert balance.instruction_minutes == 0
    assert balance.ceus == Decimal("0.0")
    hours = progress_for(scene.intake.enrollment).progress.requirements[0]
    assert hours.key == "contact_hours"
    assert hours.current == 0


def test_a_meeting_counts_towards_the_mentors_own_renewal_hours(scene, match):
    meeting = meeting_log(
        match=match, held_on=dt.date(2026, 3, 12), minutes=60, strand="education", by=None, today=TODAY
    )

    entry = HoursEntry.objects.get(uuid=meeting.mentor_entry_ref)
    assert entry.enrollment_ref == scene.renewal.uuid
    assert entry.person == scene.mentor.person
    assert entry.category == HoursEntry.Category.MENTORING
    assert balance_for(scene.renewal.uuid).mentoring_minutes == 60


def test_a_mentor_without_a_renewal_enrollment_gets_no_entry(scene, match):
    scene.mentor.renewal_enrollment = None
    scene.mentor.save()
    match.refresh_from_db()
    meeting = meeting_log(
        match=match, held_on=dt.date(2026, 3, 12), minutes=60, strand="education", by=None, today=TODAY
    )
    assert meeting.mentor_entry_ref is None
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (dt.date(2026, 2, 27), "The match started on Mar 1, 2026"),
        (dt.date(2026, 4, 21), "cannot be logged before it is held"),
    ],
)
def test_a_meeting_outside_the_match_is_refused(scene, match, held_on, message):
    with pytest.raises(MentoringRefused, match=message):
        meeting_log(match=match, held_on=held_on, minutes=60, strand="education", by=None, today=TODAY)
    assert not HoursEntry.objects.exists()


def test_a_meeting_of_impossible_length_is_refused(scene, match):
    with pytest.raises(ValidationError):
        meeting_log(
            match=match, held_on=dt.date(2026, 3, 12), minutes=601, strand="education", by=None, today=TODAY
        )
    assert not MeetingLog.objects.exists()
    assert not HoursEntry.objects.exists()


def test_an_ended_match_takes_no_meeting_and_no_goal(scene, match):
    match_end(match=match, by=None, ended_on=dt.date(2026, 4, 1), reason="Moved away")
    assert match.status == Match.Status.ENDED
    with pytest.raises(MentoringRefused, match="has ended"):
        meeting_log(
            match=match, held_on=dt.date(2026, 3, 12), minutes=60, strand="education", by=None, today=TODAY
        )
    with pytest.raises(MentoringRefused, match="goals are closed"):
        goal_create(match=match, strand="education", text="x", by=None)
    with pytest.raises(MentoringRefused, match="ended already"):
        match_end(match=match, by=None)


def test_goals_have_milestones_and_are_marked_done(scene, match):
    goal = goal_create(
        match=match,
        strand=Strand.TECHNOLOGY,
        text=" Publish an incident-response plan ",
        milestones=["Inventory systems", "  ", "Draft the call tree"],
        by=scene.mentee_user,
    )
    assert goal.text == "Publish an incident-response plan"
    first, second = goal.milestones.all()
    assert (first.text, first.position, second.text, second.position) == (
        "Inventory systems",
        0,
        "Draft the call tree",
        1,
    )

    goal_update(goal=goal, by=None, milestones_done={first.uuid}, today=TODAY)
    first.refresh_from_db()
    assert first.is_done is True
    assert first.done_on == TODAY
    goal_update(
        goal=goal, by=None, text="Publish and test the plan", is_done=True, milestones_done=set(), today=TODAY
    )
    goal.refresh_from_db()
    first.refresh_from_db()
    assert (goal.text, goal.is_done, goal.done_on) == ("Publish and test the plan", True, TODAY)
    assert first.is_done is False
    assert first.done_on is None
    goal_update(goal=goal, by=None, is_done=False)
    goal.refresh_from_db()
    assert goal.done_on is None
