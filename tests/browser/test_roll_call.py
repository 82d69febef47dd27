"""An instructor takes a roll call on a phone; the participant then sees the new hours."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cecto.ledger.api import balance_for, session_minutes_for
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment
from cecto.scheduling.roll_call import roll_call_for
from cecto.web.templatetags.cecto_format import hours
from tests.browser.support import CURRENT_CLASS, Site, assert_accessible, assert_fits_viewport, log_in

pytestmark = pytest.mark.browser

SESSION_TITLE = "Month 9, day 1: two-day session"  # October: held well before the demo's today
TOUCH_TARGET_PX = 44


def test_instructor_marks_exceptions_on_a_phone_and_the_participant_sees_the_hours(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    cohort = Cohort.objects.get(slug=CURRENT_CLASS)
    session = cohort.sessions.get(title=SESSION_TITLE)
    candidate = Enrollment.objects.select_related("person").get(
        person__user__username="candidate", cohort=cohort
    )
    expected = [row for row in roll_call_for(session) if not row.joined_later]
    absentee = next(row.enrollment for row in expected if row.enrollment != candidate)
    hours_before = balance_for(candidate.uuid).instruction_minutes
    session_before = session_minutes_for([candidate.uuid]).get((candidate.uuid, session.uuid), 0)

    # The instructor, on a phone: home → the class → the session's roll call.
    small = phone(None)
    log_in(small, site, "instructor")
    small.get_by_role("region", name="Classes you teach").get_by_role(
        "link", name="CeCTO Class of 2026"
    ).click()
    small.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/"))
    assert_accessible(small)
    small.get_by_role("link", name=f"Roll call of {SESSION_TITLE}", exact=True).click()
    roll_call_url = site.at(f"/sessions/{session.uuid}/roll-call/")
    small.wait_for_url(roll_call_url)
    expect(small.get_by_role("heading", level=1)).to_have_text(f"Roll call: {SESSION_TITLE}")
    expect(small.get_by_role("group")).to_have_count(len(expected))  # a card per person
    assert_fits_viewport(small)
    assert_accessible(small)

    late = small.get_by_role("group", name=candidate.person.full_name, exact=True)
    status = late.get_by_label("Status")
    box = status.bounding_box()
    assert box is not None
    assert box["height"] >= TOUCH_TARGET_PX
    status.select_option("late")
    late.get_by_label("Minutes attended").fill("60")
    absent = small.get_by_role("group", name=absentee.person.full_name, exact=True)
    absent.get_by_label("Status").select_option("absent")
    small.get_by_role("button", name="Save roll call").click()

    small.wait_for_url(f"{roll_call_url}?saved=1")
    expect(small.get_by_role("status")).to_contain_text(
        re.compile(r"Roll call saved: \d+ present, .*\d+ late")
    )
    expect(late).to_contain_text("Recorded: late, 60 min (Roll call)")
    expect(absent).to_contain_text("Recorded: absent, 0 min (Roll call)")
    assert_fits_viewport(small)
    assert_accessible(small)

    record = AttendanceRecord.objects.get(enrollment=candidate, session=session)
    assert (record.status, record.minutes_attended, record.source_kind) == ("late", 60, "roll_call")
    assert AttendanceRecord.objects.get(enrollment=absentee, session=session).status == "absent"
    hours_after = balance_for(candidate.uuid).instruction_minutes
    assert hours_after == hours_before - session_before + 60

    # The participant: their progress page counts 60 minutes for the session, not the old figure.
    log_in(page, site, "candidate")
    page.get_by_role("link", name=re.compile(r"^Progress and hours")).click()
    page.wait_for_url(site.at(f"/enrollments/{candidate.uuid}/progress/"))
    assert_accessible(page)
    target = candidate.track.required_contact_minutes
    expect(page.get_by_text(f"{hours(hours_after)} of {hours(target)} hours").first).to_be_visible()
    transcript = page.get_by_role("region", name="Transcript")
    expect(transcript.get_by_role("row").filter(has_text=SESSION_TITLE).last).to_contain_text("Roll call")
