"""An administrator uploads a Zoom report for a webinar and says who the unknown guest was."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from cecto.ledger.api import net_minutes
from cecto.scheduling.imports.selectors import enrollments_for_session
from cecto.scheduling.models import AttendanceRecord, Cohort, Session, UnmatchedParticipant
from tests.browser.support import CURRENT_CLASS, DEMO_TODAY, Site, assert_accessible, log_in

pytestmark = pytest.mark.browser


def zoom_report(session: Session, *rows: tuple[str, str]) -> bytes:
    """A Zoom participant export with its summary block, everyone there for the whole webinar."""
    starts = session.starts_at.astimezone(session.zone)
    ends = session.ends_at.astimezone(session.zone)
    when = "%m/%d/%Y %I:%M:%S %p"
    lines = [
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
        f"852 1848 6288,{session.title},{starts:{when}},{ends:{when}},host@example.org,120,{len(rows)}",
        "",
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,Recording Consent",
        *(f"{name},{email},{starts:{when}},{ends:{when}},120,No,Y" for name, email in rows),
    ]
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode()


def test_administrator_imports_a_zoom_report_and_matches_the_guest(page: Page, site: Site) -> None:
    cohort = Cohort.objects.get(slug=CURRENT_CLASS)
    before_today = dt.datetime.combine(DEMO_TODAY, dt.time(), tzinfo=dt.UTC)
    session = (
        cohort.sessions.filter(mode=Session.Mode.ONLINE_LIVE, ends_at__lt=before_today)
        .order_by("-starts_at")
        .first()
    )
    assert session is not None
    held_on = session.starts_at.astimezone(session.zone).date()
    known, guest = [e for e in enrollments_for_session(session=session) if e.enrolled_on <= held_on][:2]
    report = zoom_report(session, (known.person.full_name, known.person.email), ("Guest iPad", ""))

    log_in(page, site, "admin")
    review = site.at(f"/sessions/{session.uuid}/review/")
    page.goto(review)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Attendance files: {session.title}")
    assert_accessible(page)

    page.get_by_label("What the file is").select_option("zoom")
    page.get_by_label("File (.csv, at most 20 MB)").set_input_files(
        {"name": "participants_85218486288.csv", "mimeType": "text/csv", "buffer": report}
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(f"{review}import/")
    expect(page.get_by_role("status")).to_contain_text(
        "participants_85218486288.csv: 2 rows read; 1 people recorded"
    )
    assert_accessible(page)

    choice = page.get_by_label("Who Guest iPad is")
    choice.select_option(str(guest.uuid))
    page.locator("form", has=choice).get_by_role("button", name="Match").click()
    page.wait_for_url(f"{review}?done=*")
    expect(page.get_by_role("status")).to_contain_text(
        f"Guest iPad is {guest.person.full_name}: present, 120 minutes."
    )
    expect(page.get_by_text("Nobody is waiting for review.")).to_be_visible()
    assert_accessible(page)

    assert UnmatchedParticipant.objects.get(session=session).status == "resolved"
    assert AttendanceRecord.objects.get(enrollment=guest, session=session).minutes_attended == 120
    assert net_minutes(enrollment_ref=guest.uuid, session_ref=session.uuid) == 120
    assert net_minutes(enrollment_ref=known.uuid, session_ref=session.uuid) == 120
