"""Mentoring in a browser: the administrator runs the matching, reads a pair's score, pins a pair,
runs it again and accepts; the mentee then finds their mentor and logs a meeting."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cecto.demo.nc_cecto import DEMO_PASSWORD
from cecto.ledger.models import HoursEntry
from cecto.mentoring.demo import MentoringDemo, load_mentoring_demo
from cecto.mentoring.models import Match, MeetingLog, MenteeIntake, MentorProfile
from tests.browser.support import DEMO_TODAY, Site, assert_accessible, assert_fits_viewport, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def mentoring(site: Site) -> MentoringDemo:
    demo = load_mentoring_demo(DEMO_TODAY, password=DEMO_PASSWORD)
    assert demo.created
    return demo


def test_administrator_matches_and_the_mentee_logs_a_meeting(
    page: Page, site: Site, mentoring: MentoringDemo, phone: Callable[[Page | None], Page]
) -> None:
    mentee = MenteeIntake.objects.select_related("enrollment__person").get(
        enrollment__person__user__username="mentee"
    )
    mentor = MentorProfile.objects.select_related("person").get(person__user__username="mentor")
    mentee_name, mentor_name = mentee.enrollment.person.full_name, mentor.person.full_name
    board = site.at(f"/cohorts/{mentoring.current_cohort_slug}/matching/")

    log_in(page, site, "mentoring-admin")
    page.goto(board)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentor matching")
    # The first round (twelve pairs, accepted in February) is on the board; six late intakes wait.
    expect(page.get_by_text("6 waiting for a mentor · 12 matched")).to_be_visible()
    assert_accessible(page)

    # Run: five of the six late candidates get a proposal; the sixth is told why not.
    page.get_by_role("button", name="Run the matching again").click()
    expect(page.get_by_role("status")).to_contain_text("Matching ran: 5 of 6 proposed, 1 left unmatched.")
    assert_accessible(page)
    proposals = page.get_by_role("region", name="Proposals").locator("li.proposal")
    expect(proposals).to_have_count(5)
    unmatched = page.get_by_role("region", name="Unmatched, and why")
    expect(unmatched.get_by_role("listitem").first).to_contain_text("is at capacity")

    # One pair's score, criterion by criterion.
    first = proposals.first
    first.get_by_text("Score breakdown").click()
    breakdown = first.get_by_role("table")
    expect(breakdown).to_be_visible()
    expect(breakdown.get_by_role("rowheader")).to_have_text(
        ["Strand fit", "District size", "Region", "Experience gap", "Stated preferences", "Total"]
    )
    assert_accessible(page)

    # Pin the mentee to the mentor, run again: the pair is there, pinned.
    pair_form = page.get_by_role("region", name="Pin or forbid a pair")
    pair_form.get_by_label("Mentee").select_option(label=mentee_name)
    pair_form.get_by_label("Mentor").select_option(label=mentor_name)
    pair_form.get_by_label("Reason (optional)").fill("They met at the kick-off and asked.")
    pair_form.get_by_role("button", name="Pin this pair").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Pinned: {mentee_name} gets {mentor_name} in every run."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Run the matching again").click()
    pinned = proposals.filter(has=page.get_by_role("heading", name=f"{mentee_name} with {mentor_name}"))
    expect(pinned).to_have_count(1)
    expect(pinned.get_by_text("Pinned", exact=True)).to_be_visible()
    assert_accessible(page)

    small = phone(page)
    small.goto(board)
    assert_fits_viewport(small)
    assert_accessible(small)

    # Accept them all.
    page.get_by_role("button", name=re.compile(r"^Accept all \d+ proposals$")).click()
    expect(page.get_by_role("status")).to_contain_text("pairs matched.")
    current = page.get_by_role("region", name="Current matches")
    expect(current.get_by_role("row", name=re.compile(mentee_name))).to_contain_text(mentor_name)
    assert_accessible(page)
    assert Match.objects.active().get(mentee=mentee).mentor == mentor

    # The mentee logs in, finds their mentor, and logs a meeting.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(site.at("/"))
    assert_accessible(page)
    log_in(page, site, "mentee")
    page.goto(site.at("/mentoring/"))
    yours = page.get_by_role("region", name="Your mentor")
    expect(yours.get_by_role("heading", level=3)).to_have_text(mentor_name)
    expect(yours.get_by_role("link", name=mentor.person.email)).to_have_attribute(
        "href", f"mailto:{mentor.person.email}"
    )
    assert_accessible(page)
    small = phone(page)
    small.goto(site.at("/mentoring/"))
    assert_fits_viewport(small)
    assert_accessible(small)

    yours.get_by_text("Log a meeting").click()
    yours.get_by_label("Minutes").fill("50")
    yours.get_by_label("Strand").select_option(label="Leadership")
    yours.get_by_label("Notes").fill("Planned the first board presentation together.")
    yours.get_by_role("button", name="Log the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{mentor_name} mentors {mentee_name}")
    expect(page.get_by_role("status")).to_contain_text("The meeting is logged")
    meetings = page.get_by_role("region", name="Meetings").get_by_role("table")
    expect(meetings).to_contain_text("Planned the first board presentation together.")
    assert_accessible(page)

    meeting = MeetingLog.objects.get(match__mentee=mentee)
    assert meeting.minutes == 50
    entry = HoursEntry.objects.get(uuid=meeting.mentee_entry_ref)
    assert (entry.category, entry.minutes) == ("mentoring", 50)


def test_the_administrator_reads_the_programme_health(
    page: Page, site: Site, mentoring: MentoringDemo
) -> None:
    log_in(page, site, "mentoring-admin")
    page.goto(site.at(f"/cohorts/{mentoring.current_cohort_slug}/mentoring-health/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentoring health")
    expect(page.get_by_role("img", name=re.compile("^Meetings per match by month"))).to_be_visible()
    stalled = page.get_by_role("region", name="Stalled matches").get_by_role("table")
    expect(stalled.get_by_role("row")).to_have_count(4)  # a header and three quiet pairs
    assert_accessible(page)


def test_a_late_candidate_changes_their_intake(page: Page, site: Site, mentoring: MentoringDemo) -> None:
    log_in(page, site, "mentee")
    page.goto(site.at("/mentoring/"))
    waiting = page.get_by_role("region", name="Waiting for a mentor")
    expect(waiting).to_contain_text("your answers are in")
    assert_accessible(page)
    waiting.get_by_role("link", name=re.compile("^Change your answers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What you want from mentoring")
    assert_accessible(page)
    strands = page.get_by_role("group", name="Strands you want to work on")
    strands.get_by_label("Technology").check()
    page.get_by_label("Your goals for the year, in your own words").fill("Build a security programme.")
    page.get_by_role("button", name="Send your answers").click()
    page.wait_for_url(site.at("/mentoring/"))
    expect(page.get_by_role("status")).to_contain_text("your answers will be used in the next matching")
    assert_accessible(page)
    intake = MenteeIntake.objects.get(enrollment__person__user__username="mentee")
    assert "technology" in intake.strands_wanted
    assert intake.goals == "Build a security programme."
