"""What anyone sees without logging in: the home page, the keyboard path into it, the programme page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.support import Site, assert_accessible, assert_fits_viewport, read_table

pytestmark = pytest.mark.browser

CLASSES = [
    "Class of 2010",
    "Class of 2011",
    "Class of 2012",
    "Class of 2013",
    "Class of 2014",
    "Class of 2015-16",
    "Class of 2026",
]
# The published numbers (docs/decisions/0002): 34 CeCTOs in 2010, 58 after 2011, 83 after 2012,
# 113 by the time the 2015-16 class began; the class in progress has graduated nobody yet.
CANDIDATE_TOTALS = [34, 58, 83, 104, 113, 128, 128]


def test_public_home_keyboard_and_login_page(page: Page, site: Site) -> None:
    page.goto(site.at("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Certification for district technology leaders")
    # cecto.css came from the live server and applies (a CSS 404 would also fail assert_accessible).
    header = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header != "rgba(0, 0, 0, 0)", "the site header has no background: cecto.css did not load"
    assert_accessible(page)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0, f"the focused skip link is off screen: {box}"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.wait_for_url(site.at("/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert_accessible(page)

    # A wrong password: the error state must be accessible too.
    page.get_by_label("User name").fill("candidate")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    assert_accessible(page)


def test_programme_page_shows_the_numbers_by_class(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    page.goto(site.at("/"))
    assert_accessible(page)
    page.get_by_role("link", name="Certified Educational Chief Technology Officer (CeCTO)").click()
    page.wait_for_url(site.at("/programs/nc-cecto/"))
    assert_accessible(page)

    columns, body = read_table(
        page.get_by_role("region", name="The programme's numbers by class").get_by_role("table")
    )
    rows = {row[0]: row for row in body}
    assert list(rows) == [*CLASSES, "All classes"]  # the total is the table's footer
    completed = columns.index("cecto candidate: completed")
    total = columns.index("cecto candidate: total to date")
    assert rows["Class of 2010"][completed] == "34"
    assert rows["Class of 2014"][total] == "113"
    assert [int(rows[name][total]) for name in CLASSES] == CANDIDATE_TOTALS
    assert rows["Class of 2026"][columns.index("status")] == "In progress"
    assert rows["All classes"][total] == str(CANDIDATE_TOTALS[-1])

    small = phone(None)
    small.goto(site.at("/programs/nc-cecto/"))
    expect(small.get_by_role("heading", name=re.compile("numbers by class"))).to_be_visible()
    assert_fits_viewport(small)
    assert_accessible(small)
