"""The demo's people, logged in through the form: administrator, candidate and superintendent."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from cecto.people.models import Person
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.selectors import roster_for
from tests.browser.support import (
    CURRENT_CLASS,
    Site,
    assert_accessible,
    assert_fits_viewport,
    log_in,
    read_table,
)

pytestmark = pytest.mark.browser

ROSTER_URL = f"/cohorts/{CURRENT_CLASS}/"


def _table(page: Page, region: str | re.Pattern[str]) -> tuple[list[str], list[list[str]]]:
    """The column labels (lower case) and body rows of the table inside the named region."""
    return read_table(page.get_by_role("region", name=region).get_by_role("table"))


def test_administrator_opens_the_current_class_roster(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    log_in(page, site, "admin")
    administered = page.get_by_role("region", name="Classes you administer")
    administered.get_by_role("link", name="CeCTO Class of 2026").click()
    page.wait_for_url(site.at(ROSTER_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Class of 2026")
    assert_accessible(page)

    roster = list(roster_for(cohort=Cohort.objects.get(slug=CURRENT_CLASS)))
    assert len(roster) == 28  # 16 candidates and 12 superintendents
    columns, rows = _table(page, re.compile(r"^Roster"))
    assert columns == ["name", "district or organization", "track", "status", "e-mail", "enrolled"]
    email = columns.index("e-mail")
    assert [row[0] for row in rows] == [e.person.full_name for e in roster]
    assert [row[email] for row in rows] == [e.person.email for e in roster]
    candidate = Person.objects.get(user__username="candidate")
    expect(page.get_by_role("link", name=candidate.email)).to_have_attribute(
        "href", f"mailto:{candidate.email}"
    )

    small = phone(page)
    small.goto(site.at(ROSTER_URL))
    expect(small.get_by_role("columnheader", name="E-mail")).to_be_attached()
    assert_fits_viewport(small)
    assert_accessible(small)


def test_candidate_sees_their_enrollment_and_no_other_class(page: Page, site: Site) -> None:
    log_in(page, site, "candidate")
    enrollment = Enrollment.objects.select_related("person", "track").get(
        person__user__username="candidate", cohort__slug=CURRENT_CLASS
    )
    mine = page.get_by_role("region", name="Your enrollments").get_by_role("listitem")
    expect(mine).to_have_count(1)
    expect(mine).to_contain_text("CeCTO candidate · Active")
    mine.get_by_role("link", name="CeCTO Class of 2026").click()
    page.wait_for_url(site.at(f"/enrollments/{enrollment.uuid}/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(enrollment.person.full_name)
    assert_accessible(page)
    columns, history = _table(page, "Status history")
    change = columns.index("change")
    assert [row[change] for row in history] == ["— → Applied", "Applied → Admitted", "Admitted → Active"]

    # Their own class: classmates' names, but no e-mail addresses.
    page.get_by_role("link", name="CeCTO Class of 2026").click()
    page.wait_for_url(site.at(ROSTER_URL))
    assert_accessible(page)
    columns, rows = _table(page, re.compile(r"^Roster"))
    assert "e-mail" not in columns
    assert enrollment.person.full_name in [row[0] for row in rows]

    response = page.goto(site.at("/cohorts/cecto-2012/"))
    assert response is not None
    assert response.status == 404
    assert_accessible(page)


def test_superintendent_sees_their_district_team_then_logs_out(page: Page, site: Site) -> None:
    log_in(page, site, "superintendent")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="District team").click()
    page.wait_for_url(site.at("/district-team/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your district team")
    assert_accessible(page)

    candidate = Person.objects.select_related("organization").get(user__username="candidate")
    superintendent = Person.objects.get(user__username="superintendent")
    team = f"{candidate.organization.name} team in Class of 2026"
    columns, body = _table(page, team)
    rows = {row[0]: row for row in body}
    role, track = columns.index("role"), columns.index("track")
    assert rows[candidate.full_name][role] == candidate.get_district_role_display()
    assert rows[candidate.full_name][track] == "CeCTO candidate"
    assert rows[superintendent.full_name][role] == superintendent.get_district_role_display()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(site.at("/"))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    assert_accessible(page)
