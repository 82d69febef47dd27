"""The hours pages in a browser: the administrator's dashboard (sorted, exported, on a phone), a
candidate's progress page and a superintendent's district team."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.scheduling.dashboard import DashboardRow, dashboard_for, dashboard_sorted
from cecto.scheduling.models import Cohort, Enrollment
from cecto.web.templatetags.cecto_format import hours as hours_text
from tests.browser.support import (
    CURRENT_CLASS,
    Site,
    assert_accessible,
    assert_fits_viewport,
    log_in,
    read_table,
)

pytestmark = pytest.mark.browser

DASHBOARD_URL = f"/cohorts/{CURRENT_CLASS}/dashboard/"


def _credit(enrollment: Enrollment, hours: int) -> None:
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=hours * 60,
        occurred_on=enrollment.cohort.starts_on + datetime.timedelta(days=40),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Credit transferred from the CGCIO programme",
        by=None,
    )


def _credit_a_few(cohort: Cohort) -> None:
    """The demo records no hours yet: give three candidates and the candidate login some."""
    candidates = Enrollment.objects.filter(cohort=cohort, status="active", track__slug="cecto-candidate")
    others = candidates.exclude(person__user__username="candidate").order_by("person__full_name")
    for enrollment, hours in zip(others[:3], (12, 120, 60), strict=True):
        _credit(enrollment, hours)
    _credit(candidates.get(person__user__username="candidate"), 30)


def _row_of(enrollment: Enrollment) -> DashboardRow:
    rows = dashboard_for(cohort=enrollment.cohort)
    return next(row for row in rows if row.enrollment.pk == enrollment.pk)


def _hours_done(cell: str) -> Decimal:
    """ "120 of 240" → 120."""
    match = re.match(r"([\d.]+) of ", cell)
    assert match, cell
    return Decimal(match.group(1))


def _dashboard_table(page: Page) -> tuple[list[str], list[list[str]]]:
    return read_table(page.get_by_role("region", name=re.compile(r"^Members")).get_by_role("table"))


def test_administrator_sorts_the_dashboard_by_hours_and_downloads_it(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    cohort = Cohort.objects.select_related("program").get(slug=CURRENT_CLASS)
    _credit_a_few(cohort)
    log_in(page, site, "admin")
    page.get_by_role("region", name="Classes you administer").get_by_role(
        "link", name="CeCTO Class of 2026"
    ).click()
    page.wait_for_url(site.at(f"/cohorts/{CURRENT_CLASS}/"))
    assert_accessible(page)
    page.get_by_role("link", name="Progress dashboard").click()
    page.wait_for_url(site.at(DASHBOARD_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress dashboard")
    assert_accessible(page)

    page.get_by_role("link", name="Contact hours").click()
    page.wait_for_url(site.at(f"{DASHBOARD_URL}?sort=hours&dir=asc"))
    expect(page.get_by_role("columnheader", name="Contact hours")).to_have_attribute("aria-sort", "ascending")
    assert_accessible(page)
    columns, rows = _dashboard_table(page)
    hours = next(i for i, label in enumerate(columns) if label.startswith("contact hours"))
    ascending = [_hours_done(row[hours]) for row in rows]
    assert ascending == sorted(ascending)

    page.get_by_role("link", name="Contact hours").click()
    page.wait_for_url(site.at(f"{DASHBOARD_URL}?sort=hours&dir=desc"))
    expect(page.get_by_role("columnheader", name="Contact hours")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert_accessible(page)
    _, rows = _dashboard_table(page)
    expected = dashboard_sorted(dashboard_for(cohort=cohort), sort="hours", descending=True)
    assert [row[0] for row in rows] == [row.person.full_name for row in expected]
    assert len(rows) == 27  # the 28 on the roster but the one who withdrew
    descending = [_hours_done(row[hours]) for row in rows]
    assert descending == sorted(descending, reverse=True)
    assert descending[0] >= 120

    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (XLSX)").click()
    download = info.value
    assert download.suggested_filename == f"{CURRENT_CLASS}-progress.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert sheet.title == "CeCTO Class of 2026"
    assert sheet["A1"].value == "Name"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert [sheet.cell(row=r, column=1).value for r in range(2, 29)] == [row[0] for row in rows]
    assert sheet["F2"].value == expected[0].done_hours  # "Hours done", a number

    small = phone(page)
    small.goto(site.at(f"{DASHBOARD_URL}?sort=hours&dir=desc"))
    expect(small.get_by_role("columnheader", name="Flags")).to_be_attached()
    assert_fits_viewport(small)
    assert_accessible(small)


def test_candidate_reads_their_progress_and_transcript(
    page: Page, site: Site, phone: Callable[[Page | None], Page]
) -> None:
    cohort = Cohort.objects.get(slug=CURRENT_CLASS)
    _credit_a_few(cohort)
    enrollment = Enrollment.objects.select_related("cohort").get(
        person__user__username="candidate", cohort=cohort
    )
    mine = _row_of(enrollment)
    log_in(page, site, "candidate")
    page.get_by_role("region", name="Your enrollments").get_by_role("link", name="Progress and hours").click()
    page.wait_for_url(site.at(f"/enrollments/{enrollment.uuid}/progress/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Progress and hours")
    expect(page.get_by_role("progressbar", name="Contact hours")).to_have_attribute(
        "aria-valuetext", f"{hours_text(mine.done_minutes)} of 240 hours"
    )
    expect(page.get_by_role("img", name=re.compile(r"^Contact hours by month"))).to_be_visible()
    page.get_by_text("Hours by month as a table").click()
    expect(page.get_by_role("table", name="Contact hours by month")).to_be_visible()
    assert_accessible(page)
    columns, rows = read_table(page.get_by_role("region", name="Transcript").get_by_role("table"))
    assert columns[0] == "date"
    assert "+1800" in [row[columns.index("minutes")] for row in rows]

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbfDate,Session,")

    small = phone(page)
    small.goto(site.at(f"/enrollments/{enrollment.uuid}/progress/"))
    assert_fits_viewport(small)
    assert_accessible(small)


def test_superintendent_sees_the_team_hours_and_opens_a_members_progress(page: Page, site: Site) -> None:
    cohort = Cohort.objects.get(slug=CURRENT_CLASS)
    _credit_a_few(cohort)
    candidate = Enrollment.objects.select_related("person", "cohort").get(
        person__user__username="candidate", cohort=cohort
    )
    mine = _row_of(candidate)
    log_in(page, site, "superintendent")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="District team").click()
    page.wait_for_url(site.at("/district-team/"))
    assert_accessible(page)
    team = page.get_by_role("region", name=re.compile(r" team in Class of 2026$"))
    columns, rows = read_table(team.get_by_role("table"))
    by_name = {row[0]: row for row in rows}
    assert by_name[candidate.person.full_name][columns.index("contact hours")] == (
        f"{hours_text(mine.done_minutes)} of 240"
    )
    assert by_name[candidate.person.full_name][columns.index("ceus")] == str(mine.ceus)

    team.get_by_role("link", name=f"Progress of {candidate.person.full_name}").click()
    page.wait_for_url(site.at(f"/enrollments/{candidate.uuid}/progress/"))
    expect(page.get_by_text(candidate.person.full_name).first).to_be_visible()
    assert_accessible(page)
