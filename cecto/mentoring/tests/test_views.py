"""HTTP: the matching board, mentoring health, the mentor's and mentee's pages and the intake form."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cecto.mentoring.models import ForbiddenPair, Goal, Match, MeetingLog, MenteeIntake, PinnedPair, Proposal
from cecto.mentoring.services import goal_create, matching_run_create, meeting_log
from cecto.mentoring.tests.factories import MatchFactory, MenteeIntakeFactory, MentorProfileFactory
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.scheduling.tests.factories import EnrollmentFactory

NOW = dt.datetime(2026, 4, 20, 16, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def html(response) -> str:
    return response.content.decode()


def board_url(scene) -> str:
    return reverse("web:matching-board", args=[scene.cohort.slug])


def pair_data(mentor, intake, **extra) -> dict[str, str]:
    return {"mentor": str(mentor.uuid), "mentee": str(intake.uuid), **extra}


# --- the matching board -----------------------------------------------------------------------------


def test_the_board_before_any_run_invites_to_run(client, scene):
    client.force_login(scene.cast.admin)
    response = client.get(board_url(scene))
    assert response.status_code == 200
    page = html(response)
    assert "The matching has not run for this class yet." in page
    assert "Run the matching</button>" in page
    assert "2 waiting for a mentor" in page


def test_an_administrator_runs_the_matching_and_sees_each_pairs_breakdown(client, scene):
    client.force_login(scene.cast.admin)
    response = client.post(reverse("web:matching-run", args=[scene.cohort.slug]))
    assert response.status_code == 302
    assert response["Location"] == board_url(scene)

    page = html(client.get(board_url(scene)))
    assert "Matching ran: 2 of 2 proposed, 0 left unmatched." in page
    assert "Pat Participant with Mona Mentor" in page
    assert "Cleo Classmate with Theo Second" in page
    assert 'Score breakdown<span class="visually-hidden"> for Pat Participant with Mona Mentor' in page
    assert "1 of 1 strands asked for: education." in page
    assert "Accept all 2 proposals" in page
    assert "Run the matching again" in page


def test_the_board_reads_a_bounded_number_of_queries(client, scene, django_assert_max_num_queries):
    for n in range(12):
        MenteeIntakeFactory(
            enrollment__cohort=scene.cohort, enrollment__track=scene.cast.participant_enrollment.track
        )
        MentorProfileFactory(program=scene.cohort.program, person__full_name=f"Mentor {n:02d}")
    matching_run_create(cohort=scene.cohort, by=None)
    PinnedPair.objects.create(cohort=scene.cohort, mentor=scene.mentor, mentee=scene.intake)
    ForbiddenPair.objects.create(cohort=scene.cohort, mentor=scene.second_mentor, mentee=scene.intake)
    client.force_login(scene.cast.admin)
    with django_assert_max_num_queries(14):
        response = client.get(board_url(scene))
    assert html(response).count('class="card proposal"') == 14


def test_the_board_lists_the_unmatched_with_the_reasons(client, scene):
    scene.second_mentor.is_available = False
    scene.second_mentor.save()
    scene.mentor.capacity = 1
    scene.mentor.save()
    client.force_login(scene.cast.admin)
    client.post(reverse("web:matching-run", args=[scene.cohort.slug]))
    page = html(client.get(board_url(scene)))
    assert "Every mentor allowed for them (1: Mona Mentor) is at capacity" in page


def test_pin_rerun_and_accept_all(client, scene):
    client.force_login(scene.cast.admin)
    response = client.post(
        reverse("web:matching-pin", args=[scene.cohort.slug]),
        pair_data(scene.second_mentor, scene.intake, reason="They asked"),
    )
    assert response.status_code == 302
    assert PinnedPair.objects.get().reason == "They asked"
    client.post(reverse("web:matching-run", args=[scene.cohort.slug]))
    proposal = Proposal.objects.get(status="proposed", mentee=scene.intake)
    assert proposal.mentor == scene.second_mentor
    assert proposal.is_pinned

    client.post(reverse("web:matching-accept", args=[scene.cohort.slug]), {"proposal": ""})

    assert Match.objects.active().count() == 2
    page = html(client.get(board_url(scene)))
    assert "2 pairs matched." in page
    assert "Current matches" in page


def test_accept_one_proposal(client, scene):
    run = matching_run_create(cohort=scene.cohort, by=None)
    proposal = run.proposals.get(mentee=scene.intake)
    client.force_login(scene.cast.admin)
    client.post(reverse("web:matching-accept", args=[scene.cohort.slug]), {"proposal": str(proposal.uuid)})
    assert list(Match.objects.values_list("mentee", flat=True)) == [scene.intake.pk]
    # Accepting it again is refused with the reason, not an error page.
    response = client.post(
        reverse("web:matching-accept", args=[scene.cohort.slug]),
        {"proposal": str(proposal.uuid)},
        follow=True,
    )
    assert "This proposal is accepted: it cannot be accepted." in html(response)


def test_accept_all_without_a_run_matches_nobody(client, scene):
    client.force_login(scene.cast.admin)
    response = client.post(reverse("web:matching-accept", args=[scene.cohort.slug]), follow=True)
    assert "0 pairs matched." in html(response)


def test_forbid_unforbid_and_unpin(client, scene):
    client.force_login(scene.cast.admin)
    url = lambda name: reverse(f"web:{name}", args=[scene.cohort.slug])  # noqa: E731
    client.post(url("matching-forbid"), pair_data(scene.mentor, scene.intake))
    assert ForbiddenPair.objects.count() == 1
    page = html(client.get(board_url(scene)))
    assert "Allow again" in page
    client.post(url("matching-unforbid"), pair_data(scene.mentor, scene.intake))
    assert ForbiddenPair.objects.count() == 0
    client.post(url("matching-pin"), pair_data(scene.mentor, scene.intake))
    client.post(url("matching-unpin"), pair_data(scene.mentor, scene.intake))
    assert PinnedPair.objects.count() == 0


def test_a_pin_that_breaks_a_constraint_is_refused_with_the_reason(client, scene):
    scene.mentor.person.organization = scene.intake.enrollment.person.organization
    scene.mentor.person.save()
    client.force_login(scene.cast.admin)
    response = client.post(
        reverse("web:matching-pin", args=[scene.cohort.slug]),
        pair_data(scene.mentor, scene.intake),
        follow=True,
    )
    assert "Mona Mentor works in Pat Participant&#x27;s district" in html(response)
    assert not PinnedPair.objects.exists()


def test_a_closed_cohort_says_so_when_run(client, scene):
    scene.cohort.status = "completed"
    scene.cohort.save()
    client.force_login(scene.cast.admin)
    response = client.post(reverse("web:matching-run", args=[scene.cohort.slug]), follow=True)
    assert "is completed: it is matched no more." in html(response)


def test_malformed_or_foreign_pairs_are_refused(client, scene):
    client.force_login(scene.cast.admin)
    url = reverse("web:matching-pin", args=[scene.cohort.slug])
    assert client.post(url, {"mentor": "nope", "mentee": "x"}).status_code == 400
    assert (
        client.post(reverse("web:matching-accept", args=[scene.cohort.slug]), {"proposal": "x"}).status_code
        == 400
    )
    stranger = MentorProfileFactory()
    assert client.post(url, pair_data(stranger, scene.intake)).status_code == 404
    response = client.post(
        reverse("web:matching-accept", args=[scene.cohort.slug]),
        {"proposal": "00000000-0000-0000-0000-000000000000"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "name", ["matching-board", "matching-run", "matching-accept", "matching-pin", "mentoring-health"]
)
def test_an_outsider_gets_404_and_a_class_member_403(client, scene, name):
    url = reverse(f"web:{name}", args=[scene.cohort.slug])
    method = client.get if name in ("matching-board", "mentoring-health") else client.post
    client.force_login(scene.cast.outsider)
    assert method(url).status_code == 404
    client.force_login(scene.cast.participant)
    assert method(url).status_code == 403
    client.force_login(scene.cast.instructor)
    assert method(url).status_code == 403


def test_a_visitor_is_sent_to_log_in(client, scene):
    response = client.get(board_url(scene))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_actions_take_only_post(client, scene):
    client.force_login(scene.cast.admin)
    assert client.get(reverse("web:matching-run", args=[scene.cohort.slug])).status_code == 405


# --- mentoring health -----------------------------------------------------------------------------------


def test_the_health_page_shows_numbers_chart_stalled_and_strands(
    client, scene, django_assert_max_num_queries
):
    match = MatchFactory(mentee=scene.intake, mentor=scene.mentor, started_on=dt.date(2026, 2, 20))
    meeting_log(match=match, held_on=dt.date(2026, 3, 2), minutes=60, strand="education", by=None)
    meeting_log(match=match, held_on=dt.date(2026, 3, 16), minutes=90, strand="education", by=None)
    goal_create(match=match, strand="education", text="Plan", by=None)
    client.force_login(scene.cast.admin)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("web:mentoring-health", args=[scene.cohort.slug]))
    page = html(response)
    assert response.status_code == 200
    assert "1 of 2</strong> mentees matched" in page
    assert '<svg class="bar-chart" role="img"' in page
    assert "Mar 2026: 2 meetings per match (2 meetings, 1 match)" in page
    assert "Feb 2026: 0 meetings per match (0 meetings, 1 match)" in page
    assert "Stalled matches" in page
    assert "35</td>" in page  # quiet since March 16
    assert "Cleo Classmate</strong>: Not in a matching run yet." in page


# --- the mentor's and mentee's pages ------------------------------------------------------------------------


@pytest.fixture
def match(scene):
    return MatchFactory(mentee=scene.intake, mentor=scene.mentor, started_on=dt.date(2026, 3, 1))


def test_the_mentee_sees_their_mentor_and_the_mentor_their_mentee(client, scene, match):
    client.force_login(scene.mentee_user)
    page = html(client.get(reverse("web:mentoring-home")))
    assert '<h2 id="my-mentor">Your mentor</h2>' in page
    assert "<h3>Mona Mentor</h3>" in page
    assert "Log a meeting" in page
    assert reverse("web:match-detail", args=[match.uuid]) in page

    client.force_login(scene.mentor_user)
    page = html(client.get(reverse("web:mentoring-home")))
    assert '<h2 id="my-mentees">Your mentees</h2>' in page
    assert "<h3>Pat Participant</h3>" in page
    assert "Your mentor profile" in page


def test_the_home_page_reads_a_bounded_number_of_queries(client, scene, match, django_assert_max_num_queries):
    for n in range(3):
        meeting_log(match=match, held_on=dt.date(2026, 3, 2 + n), minutes=60, strand="education", by=None)
        goal_create(match=match, strand="education", text=f"Goal {n}", milestones=["a", "b"], by=None)
    for _ in range(3):
        MatchFactory(mentor=scene.mentor, mentee__enrollment__cohort=scene.cohort)
    client.force_login(scene.mentor_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:mentoring-home"))
    assert html(response).count('class="card match-card"') == 4
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:match-detail", args=[match.uuid]))
    assert html(response).count('<tr><th scope="row" class="nowrap">') == 3


def test_a_classmate_waiting_and_a_member_without_intake_are_told_what_next(client, scene):
    client.force_login(scene.classmate_user)
    page = html(client.get(reverse("web:mentoring-home")))
    assert "Waiting for a mentor" in page
    newcomer = UserFactory()
    enrollment = EnrollmentFactory(cohort=scene.cohort, person=PersonFactory(user=newcomer))
    client.force_login(newcomer)
    page = html(client.get(reverse("web:mentoring-home")))
    assert "Ask for a mentor" in page
    assert reverse("web:mentee-intake", args=[enrollment.uuid]) in page
    client.force_login(scene.cast.outsider)
    assert "You take part in no mentoring yet." in html(client.get(reverse("web:mentoring-home")))


def test_the_pair_and_the_administrator_see_the_match_others_get_404(client, scene, match):
    url = reverse("web:match-detail", args=[match.uuid])
    client.force_login(scene.mentee_user)
    page = html(client.get(url))
    assert "Mona Mentor mentors Pat Participant" in page
    assert "Log a meeting" in page
    client.force_login(scene.cast.admin)
    page = html(client.get(url))
    assert "Mona Mentor mentors Pat Participant" in page
    assert "Log the meeting" not in page
    for user in (scene.classmate_user, scene.cast.outsider, scene.cast.instructor):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_mentee_logs_a_meeting(client, scene, match):
    client.force_login(scene.mentee_user)
    response = client.post(
        reverse("web:meeting-create", args=[match.uuid]),
        {"held_on": "2026-04-14", "minutes": "60", "strand": "leadership", "notes": "Board prep"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("web:match-detail", args=[match.uuid])
    meeting = MeetingLog.objects.get()
    assert (meeting.held_on, meeting.minutes, meeting.logged_by) == (
        dt.date(2026, 4, 14),
        60,
        scene.mentee_user,
    )
    page = html(client.get(response["Location"]))
    assert "The meeting is logged and its time credited as mentoring." in page
    assert "Board prep" in page


def test_a_bad_meeting_is_shown_again_with_the_errors(client, scene, match):
    client.force_login(scene.mentor_user)
    url = reverse("web:meeting-create", args=[match.uuid])
    response = client.post(url, {"held_on": "2026-04-14", "minutes": "0", "strand": "leadership"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in html(response)
    response = client.post(url, {"held_on": "2026-05-14", "minutes": "30", "strand": "leadership"})
    assert response.status_code == 400
    assert "A meeting cannot be logged before it is held." in html(response)
    assert not MeetingLog.objects.exists()


def test_only_the_pair_logs_meetings(client, scene, match):
    url = reverse("web:meeting-create", args=[match.uuid])
    data = {"held_on": "2026-04-14", "minutes": "30", "strand": "leadership"}
    client.force_login(scene.cast.admin)
    assert client.post(url, data).status_code == 403
    client.force_login(scene.classmate_user)
    assert client.post(url, data).status_code == 404
    assert not MeetingLog.objects.exists()


def test_goals_are_set_and_ticked_off(client, scene, match):
    client.force_login(scene.mentee_user)
    response = client.post(
        reverse("web:goal-create", args=[match.uuid]),
        {"strand": "technology", "text": "Publish the plan", "milestones": "Draft\nReview\n"},
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    draft, _review = goal.milestones.all()
    client.post(reverse("web:goal-update", args=[goal.uuid]), {"milestones_done": [str(draft.uuid)]})
    draft.refresh_from_db()
    assert draft.is_done
    client.post(
        reverse("web:goal-update", args=[goal.uuid]), {"milestones_done": [str(draft.uuid)], "is_done": "on"}
    )
    goal.refresh_from_db()
    assert goal.is_done
    assert (
        client.post(reverse("web:goal-update", args=[goal.uuid]), {"milestones_done": ["x"]}).status_code
        == 400
    )
    assert client.post(reverse("web:goal-create", args=[match.uuid]), {"strand": "x"}).status_code == 400
    client.force_login(scene.classmate_user)
    assert client.post(reverse("web:goal-update", args=[goal.uuid]), {}).status_code == 404


def test_an_ended_match_refuses_a_goal_with_the_reason(client, scene, match):
    match.status, match.ended_on = "ended", dt.date(2026, 4, 1)
    match.save()
    client.force_login(scene.mentee_user)
    response = client.post(
        reverse("web:goal-create", args=[match.uuid]), {"strand": "technology", "text": "x"}
    )
    assert response.status_code == 400
    assert "This match has ended: its goals are closed." in html(response)


# --- the intake -------------------------------------------------------------------------------------------


def test_a_member_fills_in_the_intake(client, scene):
    MenteeIntake.objects.filter(pk=scene.intake.pk).delete()
    url = reverse("web:mentee-intake", args=[scene.cast.participant_enrollment.uuid])
    client.force_login(scene.mentee_user)
    page = html(client.get(url))
    assert "What you want from mentoring" in page
    assert "Mona Mentor" in page
    response = client.post(
        url,
        {
            "strands_wanted": ["technology", "leadership"],
            "goals": "Build a security programme.",
            "region": "Bay Area",
            "preferred_regions": "Bay Area, North State",
            "preferred_mentors": [str(scene.mentor.pk)],
            "avoid_mentors": [str(scene.second_mentor.pk)],
        },
    )
    assert response.status_code == 302
    intake = MenteeIntake.objects.get(enrollment=scene.cast.participant_enrollment)
    assert intake.strands_wanted == ["technology", "leadership"]
    assert intake.preferred_regions == ["Bay Area", "North State"]
    assert list(intake.avoid_mentors.all()) == [scene.second_mentor]
    assert "Build a security programme." in html(client.get(url))


def test_an_intake_needs_goals_and_refuses_contradictions(client, scene):
    url = reverse("web:mentee-intake", args=[scene.cast.participant_enrollment.uuid])
    client.force_login(scene.mentee_user)
    assert client.post(url, {"goals": ""}).status_code == 400
    response = client.post(
        url,
        {"goals": "x", "preferred_mentors": [str(scene.mentor.pk)], "avoid_mentors": [str(scene.mentor.pk)]},
    )
    assert response.status_code == 400
    assert "A mentor cannot be both preferred and avoided." in html(response)


def test_nobody_fills_in_someone_elses_intake_and_mentors_have_none(client, scene):
    url = reverse("web:mentee-intake", args=[scene.cast.participant_enrollment.uuid])
    client.force_login(scene.classmate_user)
    assert client.get(url).status_code == 404
    mentor_enrollment = EnrollmentFactory(cohort=scene.cohort, person=scene.mentor.person)
    client.force_login(scene.mentor_user)
    assert client.get(reverse("web:mentee-intake", args=[mentor_enrollment.uuid])).status_code == 404
    scene.settings.delete()
    client.force_login(scene.mentee_user)
    assert client.get(url).status_code == 404


def test_the_board_says_when_the_matching_ran_in_the_programmes_time_zone(client, scene):
    scene.cohort.program.time_zone = "America/Los_Angeles"
    scene.cohort.program.save()
    client.force_login(scene.cast.admin)
    client.post(reverse("web:matching-run", args=[scene.cohort.slug]))

    page = html(client.get(board_url(scene)))

    assert "Run on Apr 20, 2026, 9:00 a.m. PDT" in page  # 16:00 UTC, seen from California
