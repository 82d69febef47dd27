"""The candidate's own calendar: upcoming sessions, the past ones, and the subscription address."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from cecto.scheduling.models import CalendarFeedToken, Session
from tests.browser.support import CURRENT_CLASS, Site, assert_accessible, assert_fits_viewport, log_in

pytestmark = pytest.mark.browser

KICK_OFF = "Kick-off: transformational leadership in K-12 (joint)"
FIRST_WEBINAR = "Month 1: live webinar 1"


def test_candidate_opens_my_calendar_and_sees_the_kick_off_and_a_webinar(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    log_in(page, site, "candidate")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My calendar").click()
    page.wait_for_url(site.at("/calendar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("My calendar")
    assert_accessible(page)

    # Upcoming: whatever of the candidate's calendar has not ended yet (the demo's dates are fixed,
    # the clock is not), each in a month's table.
    upcoming = (
        Session.objects.on_calendar_of(User.objects.get(username="candidate"))
        .filter(cohort__slug=CURRENT_CLASS, ends_at__gte=timezone.now())
        .order_by("starts_at")
    )
    for session in upcoming[:3]:
        expect(page.get_by_role("rowheader", name=re.compile(re.escape(session.title)))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile(re.escape(KICK_OFF)))).to_have_count(0)

    # The feed address is there to copy, and a new one can be had.
    address = page.get_by_label("Your calendar address")
    token = CalendarFeedToken.objects.get(person__user__username="candidate").token
    expect(address).to_have_value(site.at(f"/calendar/{token}.ics"))
    page.get_by_role("button", name="Get a new address").click()
    expect(page.get_by_role("status")).to_contain_text("the old one no longer works")
    assert_accessible(page)
    new_token = CalendarFeedToken.objects.get(person__user__username="candidate").token
    assert new_token != token
    expect(address).to_have_value(site.at(f"/calendar/{new_token}.ics"))

    # The past: the kick-off and the first month's webinars, most recent first.
    page.get_by_role("link", name="See your past sessions").click()
    page.wait_for_url(site.at("/calendar/?past=1"))
    assert_accessible(page)
    february = page.get_by_role("region", name=re.compile(r"^February \d{4}"))
    expect(february.get_by_role("rowheader", name=re.compile(re.escape(KICK_OFF)))).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile(re.escape(FIRST_WEBINAR)))).to_be_visible()
    webinar_row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(FIRST_WEBINAR))
    )
    expect(webinar_row).to_contain_text("Live online")
    expect(webinar_row).to_contain_text("CeCTO candidate")
    # The superintendents' own sessions are not on a candidate's calendar.
    expect(page.get_by_role("rowheader", name=re.compile("Leaders for the 21st Century"))).to_have_count(0)

    # The class calendar, from the class page: every track's sessions, month by month.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    page.wait_for_url(site.at("/"))
    assert_accessible(page)
    page.get_by_role("link", name="Class page and roster").click()
    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/"))
    assert_accessible(page)
    page.get_by_role("link", name="Class calendar").click()
    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/calendar/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Calendar of Class of \d{4}$"))
    expect(
        page.get_by_role("rowheader", name=re.compile("Leaders for the 21st Century, part 1"))
    ).to_be_visible()
    assert_accessible(page)

    small = phone(page)
    small.goto(site.at("/calendar/?past=1"))
    expect(small.get_by_role("heading", level=1)).to_have_text("My calendar")
    assert_fits_viewport(small)
    assert_accessible(small)
