"""The programme administrator schedules a monthly series from the class page, then cancels one session."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cecto.core.models import AuditEvent
from cecto.scheduling.models import Session
from tests.browser.support import CURRENT_CLASS, Site, assert_accessible, assert_fits_viewport, log_in

pytestmark = pytest.mark.browser

TITLE = "District budget clinic"


def test_administrator_creates_a_monthly_series_and_cancels_one_session(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    log_in(page, site, "admin")
    page.goto(site.at(f"/cohorts/{CURRENT_CLASS}/"))
    assert_accessible(page)

    page.get_by_role("link", name="New series of sessions").click()
    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/sessions/new-series/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("New series of sessions")
    assert_accessible(page)

    # The same form on a phone: one column, nothing wider than the screen.
    small = phone(page)
    small.goto(page.url)
    assert_accessible(small)
    assert_fits_viewport(small)

    # First Tuesday of June at 1 PM, then the first Tuesday of July and of August.
    page.get_by_label("Title:", exact=True).fill(TITLE)
    page.get_by_label("Mode").select_option(label="In person")
    page.get_by_label("For:", exact=True).select_option(label="Joint (every track)")
    page.get_by_label("Date of the first session").fill("2026-06-02")
    page.get_by_label("Start time").fill("13:00")
    page.get_by_label("Length in minutes").fill("120")
    page.get_by_label("Contact minutes").fill("120")
    page.get_by_label("Days per occurrence").select_option(label="1 day")
    page.get_by_label("Repeat").select_option(value="monthly_weekday")
    page.get_by_label("Number of occurrences").fill("3")
    page.get_by_label("Location").fill("Friday Institute, Raleigh")
    page.get_by_role("button", name="Create the sessions").click()

    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/calendar/"))
    expect(page.get_by_role("status")).to_contain_text(
        "3 sessions created, from Tue Jun 2, 2026 to Tue Aug 4, 2026."
    )
    assert_accessible(page)
    rows = page.get_by_role("rowheader", name=re.compile(f"^{TITLE}"))
    expect(rows).to_have_count(3)
    for month in ("June", "July", "August"):
        region = page.get_by_role("region", name=re.compile(rf"^{month} 2026"))
        expect(region.get_by_role("rowheader", name=re.compile(f"^{TITLE}"))).to_have_count(1)
    july = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(f"^{TITLE}")))
    expect(july.nth(1)).to_contain_text("Tue Jul 7, 1:00 PM")

    # Cancel July's, with a reason.
    page.get_by_role("link", name=f"Cancel {TITLE}, Jul 7").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cancel {TITLE}")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel the session").click()
    # Without a reason: the field says why, and a screen reader hears it with the field.
    expect(page.get_by_label("Reason")).to_have_accessible_description(re.compile("Give a reason"))
    assert_accessible(page)
    page.get_by_label("Reason").fill("The venue is closed for repairs")
    page.get_by_role("button", name="Cancel the session").click()

    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/calendar/"))
    expect(page.get_by_role("status")).to_contain_text(f"{TITLE} on Tue Jul 7, 2026 is cancelled")
    assert_accessible(page)
    cancelled = page.get_by_role("region", name=re.compile(r"^July 2026")).get_by_role(
        "row", name=re.compile(TITLE)
    )
    expect(cancelled).to_contain_text("Cancelled")
    expect(cancelled).to_contain_text("Reason: The venue is closed for repairs")
    expect(page.get_by_role("link", name=f"Cancel {TITLE}, Jul 7")).to_have_count(0)
    expect(page.get_by_role("link", name=f"Cancel {TITLE}, Aug 4")).to_be_visible()

    sessions = Session.objects.filter(cohort__slug=CURRENT_CLASS, title=TITLE).order_by("starts_at")
    assert [s.status for s in sessions] == ["scheduled", "cancelled", "scheduled"]
    assert AuditEvent.objects.filter(verb="session.cancelled", subject_id=str(sessions[1].uuid)).exists()
