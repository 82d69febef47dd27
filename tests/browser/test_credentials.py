"""Credentials in a browser: the administrator issues the class's earned credentials, the graduate
downloads theirs, a visitor with no account verifies it (on a phone), the administrator revokes it,
and the public page and the verify page say so."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cecto.credentials.models import Credential
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.programs.models import Track
from cecto.scheduling.models import Enrollment
from tests.browser.support import CURRENT_CLASS, Site, assert_accessible, assert_fits_viewport, log_in

pytestmark = pytest.mark.browser

GRADUATION_URL = f"/cohorts/{CURRENT_CLASS}/graduation/"


def _candidate_completes_the_programme() -> Enrollment:
    """The demo's candidate gets every hour; the track asks for no designated session (those are
    still ahead in the demo's calendar), so the candidate, and only they, has earned the credential."""
    enrollment = Enrollment.objects.select_related("track", "cohort").get(
        cohort__slug=CURRENT_CLASS, person__user__username="candidate"
    )
    Track.objects.filter(pk=enrollment.track_id).update(required_sessions=Track.RequiredSessions.NONE)
    hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=enrollment.track.required_contact_minutes,
        occurred_on=enrollment.cohort.starts_on + datetime.timedelta(days=60),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Credit transferred from the CGCIO programme",
        by=None,
    )
    return enrollment


def _paste_and_verify(page: Page, document: str) -> None:
    """On the verify page (where the caller brought PAGE and checked it), paste DOCUMENT and verify."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Verify a credential")
    page.get_by_label("Paste the credential (JSON)").fill(document)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Verify").click()


def test_a_credential_is_issued_downloaded_verified_and_revoked(
    page: Page, site: Site, phone: Callable[[Page | None], Page], tmp_path: Path
) -> None:
    enrollment = _candidate_completes_the_programme()
    graduate = enrollment.person

    # The administrator issues the class's earned credentials from the graduation page.
    log_in(page, site, "admin")
    page.goto(site.at(f"/cohorts/{CURRENT_CLASS}/"))
    assert_accessible(page)
    page.get_by_role("link", name="Graduation").click()
    page.wait_for_url(site.at(GRADUATION_URL))
    expect(page.get_by_role("heading", level=1)).to_have_text("Graduation of Class of 2026")
    assert_accessible(page)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=re.compile(r"^Issue all earned credentials \(\d+\)$")).click()
    credential = Credential.objects.get(enrollment=enrollment, kind=Credential.Kind.OPEN_BADGE)
    issued = Credential.objects.filter(enrollment__cohort__slug=CURRENT_CLASS, kind="ob3").count()
    expect(page.locator("#issuance-run")).to_contain_text("Finished")
    expect(page.locator("#issuance-run")).to_contain_text(f"{issued} credentials issued")
    assert_accessible(page)
    public_url = site.at(f"/credentials/{credential.uuid}/")

    # The graduate signs in, finds the credential, opens its page and downloads the JSON.
    page.context.clear_cookies()
    log_in(page, site, "candidate")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Credentials", exact=True).click()
    page.wait_for_url(site.at("/credentials/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your credentials")
    assert_accessible(page)
    page.get_by_role("link", name=enrollment.track.credential_name).click()
    page.wait_for_url(public_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(enrollment.track.credential_name)
    expect(page.locator(".verdict-big")).to_have_text("Valid")
    expect(page.get_by_role("link", name="Add to LinkedIn")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download JSON").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-credential.json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = saved.read_text(encoding="utf-8")
    assert document == credential.document

    # A visitor with no account, on a phone, pastes it on the verify page.
    visitor = phone(None)
    visitor.goto(site.at("/verify/"))
    assert_fits_viewport(visitor)
    assert_accessible(visitor)
    _paste_and_verify(visitor, document)
    expect(visitor.locator(".verdict-big")).to_have_text("Valid")
    expect(visitor.get_by_text(f"Issued to{graduate.full_name}")).to_be_attached()
    assert_fits_viewport(visitor)
    assert_accessible(visitor)

    # The administrator revokes it through the status page (and confirms: it is permanent).
    page.context.clear_cookies()
    log_in(page, site, "admin")
    page.goto(public_url)
    assert_accessible(page)
    page.get_by_role("link", name="Suspend, reinstate or revoke").click()
    page.wait_for_url(site.at(f"/credentials/{credential.uuid}/status/"))
    assert_accessible(page)
    page.get_by_label("Revoke: permanently invalid").check()
    page.get_by_label("Reason").fill("The hours were recorded twice.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_role("alertdialog")).to_contain_text("Revocation is permanent")
    assert_accessible(page)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Revoke permanently").click()
    expect(page.get_by_role("status")).to_contain_text("The credential is now revoked.")
    expect(page.get_by_role("cell", name="The hours were recorded twice.")).to_be_visible()
    assert_accessible(page)

    # The public page and the verify page now say Revoked.
    visitor.goto(public_url)
    expect(visitor.locator(".standing").first).to_have_text("Revoked")
    expect(visitor.locator(".verdict-big")).to_have_text("Revoked")
    expect(visitor.get_by_role("note")).to_contain_text("The hours were recorded twice.")
    expect(visitor.get_by_role("link", name="Add to LinkedIn")).to_have_count(0)
    assert_fits_viewport(visitor)
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Verify another credential").click()
    visitor.wait_for_url(site.at("/verify/"))
    assert_accessible(visitor)
    _paste_and_verify(visitor, document)
    expect(visitor.locator(".verdict-big")).to_have_text("Revoked")
    expect(visitor.get_by_text("Revoked by the issuer.")).to_be_visible()
    assert_accessible(visitor)


def test_the_verify_page_fits_a_phone_and_explains_bad_json(
    site: Site, phone: Callable[[Page | None], Page]
) -> None:
    small = phone(None)
    small.goto(site.at("/verify/"))
    expect(small.get_by_role("heading", level=1)).to_have_text("Verify a credential")
    assert_fits_viewport(small)
    assert_accessible(small)

    _paste_and_verify(small, '{\n  "type": ["VerifiableCredential"],\n  "issuer": }')

    expect(small.get_by_role("alert")).to_contain_text(
        "Not valid JSON: Expecting value at line 3, column 13."
    )
    assert_fits_viewport(small)
    assert_accessible(small)
