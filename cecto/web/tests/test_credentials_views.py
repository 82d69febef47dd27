"""HTTP: the credential pages — public page and downloads, verify, holder's list, status changes,
achievement and framework pages, graduation."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.core.models import AuditEvent
from cecto.credentials import status_list
from cecto.credentials.issuer import issuer_did, signing_key_create
from cecto.credentials.models import Credential, IssuanceRun
from cecto.credentials.permissions import can_issue_through_api, can_manage_credential, is_holder
from cecto.credentials.selectors import (
    certificate_facts,
    credential_for_public,
    document_summary,
    issuer_did_shown,
    linkedin_add_url,
)
from cecto.credentials.services import (
    achievement_for,
    credential_status_change,
    status_list_document,
    verify_document,
)
from cecto.credentials.tests.factories import (
    credit_hours,
    graduate_enrollment,
    graduating_class,
    issue_for,
    transcript_of,
)
from cecto.people.tests.factories import AgencyFactory, PersonFactory, UserFactory
from cecto.programs.models import ProgramPartner
from cecto.programs.tests.factories import ProgramAdministratorFactory
from cecto.scheduling.models import Enrollment
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory
from cecto.web import views_credentials

NOW = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Scene:
    cast: Any
    enrollment: Enrollment
    credential: Credential
    transcript: Credential


@pytest.fixture
def scene(cast) -> Scene:
    """The cast's participant has every hour and holds their Open Badge (and a transcript)."""
    enrollment = cast.participant_enrollment
    credit_hours(enrollment)
    credential = issue_for(enrollment, by=cast.admin)
    return Scene(cast, enrollment, credential, transcript_of(credential))


def page_url(credential: Credential) -> str:
    return reverse("web:credential-detail", args=[credential.uuid])


def status_url(credential: Credential) -> str:
    return reverse("web:credential-status", args=[credential.uuid])


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.sub(r"\s+", " ", response.content.decode())


def document_of(credential: Credential) -> dict[str, Any]:
    return json.loads(credential.document)


def status_bit(credential: Credential, purpose: str) -> bool:
    listed = status_list_document(credential.status_list.number, purpose)
    assert listed is not None
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    return status_list.is_set(bits, credential.status_index)


# --- The public page ------------------------------------------------------------------------------


def test_anyone_sees_the_public_page_with_a_fresh_verification(client, scene):
    response = client.get(page_url(scene.credential))

    html = text_of(response)
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html
    assert "Awarded to <strong>Pat Participant</strong>" in html
    assert '<span class="standing standing-active">Active</span>' in html
    assert '<p class="verdict-big">Valid</p>' in html
    assert "<strong>Signature</strong>: Signed with did:web:" in html
    assert "<strong>Status</strong>: Not revoked." in html
    assert "<dt>Contact hours</dt><dd>240</dd>" in html
    assert "<dt>CEUs</dt><dd>24.0</dd>" in html
    assert f"<dd>{scene.enrollment.track.name}</dd>" in html
    assert "<dt>Valid until</dt><dd>No expiry</dd>" in html
    assert '<code class="did">did:web:127.0.0.1%3A8000</code>' in html
    assert reverse("web:credential-json", args=[scene.credential.uuid]) in html
    assert reverse("web:credential-certificate", args=[scene.credential.uuid]) in html
    assert "Verify another credential" in html
    assert "Add to LinkedIn" not in html
    assert "Suspend, reinstate or revoke" not in html


def test_times_are_shown_in_the_programmes_time_zone(client, scene):
    html = text_of(client.get(page_url(scene.credential)))

    # Issued at 15:00 UTC, which is 10:00 in New York (the programme's zone) in December.
    assert "December 4, 2026, 10:00 AM EST" in html


def test_the_holder_gets_the_linkedin_button(client, scene):
    client.force_login(scene.cast.participant)

    html = text_of(client.get(page_url(scene.credential)))

    assert "Add to LinkedIn" in html
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html


def test_an_administrator_gets_the_status_link(client, scene):
    client.force_login(scene.cast.admin)

    html = text_of(client.get(page_url(scene.credential)))

    assert status_url(scene.credential) in html
    assert "Add to LinkedIn" not in html


def test_an_unknown_credential_is_not_found(client, db):
    response = client.get(reverse("web:credential-detail", args=["8d5e5c7e-9a0b-4a41-9e3c-3c3b3f0f0a00"]))

    assert response.status_code == 404


def test_the_public_page_has_a_query_budget(client, scene, django_assert_max_num_queries):
    client.get(page_url(scene.credential))  # signs the status lists once (cached per version)

    with django_assert_max_num_queries(8):
        response = client.get(page_url(scene.credential))

    assert response.status_code == 200


def test_the_transcript_page_lists_its_achievements_with_hours_and_ceus(client, scene):
    html = text_of(client.get(page_url(scene.transcript)))

    assert "Transcript (1EdTech Comprehensive Learner Record 2.0)" in html
    assert "Transcript of Pat Participant" in html
    assert "1 achievement, 240 contact hours, 24.0 CEUs, certified by" in html
    assert 'Achievements <span class="muted">(1)</span>' in html
    assert '<td class="num">240</td><td class="num">24.0</td>' in html
    assert "<strong>Embedded credential</strong>: Embedded" in html
    assert '<p class="verdict-big">Valid</p>' in html
    assert "Download certificate (PDF)" not in html


def test_a_superseded_transcript_points_at_the_current_one(client, scene, cast):
    second = graduate_enrollment(person=scene.enrollment.person, cohort=cast.other_cohort)
    issue_for(second)
    current = transcript_of(scene.credential)

    html = text_of(client.get(page_url(scene.transcript)))

    assert '<span class="standing standing-superseded">Superseded</span>' in html
    assert page_url(current) in html


def test_an_expired_credential_says_so(client, cast):
    enrollment = graduate_enrollment(cohort=cast.cohort, person__full_name="Renee Renewal")
    achievement_track = enrollment.track
    achievement = achievement_for(achievement_track)
    achievement.valid_for_years = 1
    achievement.save()
    credential = issue_for(enrollment)

    with time_machine.travel(NOW + dt.timedelta(days=400), tick=False):
        html = text_of(client.get(page_url(credential)))

    assert '<span class="standing standing-expired">Expired</span>' in html
    assert '<p class="verdict-big">Expired</p>' in html
    assert "<dt>Valid until</dt><dd><time" in html


# --- Downloads ----------------------------------------------------------------------------------------


def test_the_json_download_is_the_signed_document_byte_for_byte(client, scene):
    response = client.get(reverse("web:credential-json", args=[scene.credential.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="pat-participant-credential.json"'
    assert response.content == scene.credential.document.encode("utf-8")


def test_the_certificate_is_a_pdf(client, scene):
    response = client.get(reverse("web:credential-certificate", args=[scene.credential.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_transcript_has_no_certificate(client, scene):
    response = client.get(reverse("web:credential-certificate", args=[scene.transcript.uuid]))

    assert response.status_code == 404


def test_certificate_facts_come_from_the_signed_document(scene):
    facts = certificate_facts(credential_for_public(scene.credential.uuid))

    assert facts.recipient_name == "Pat Participant"
    assert facts.achievement_name == scene.enrollment.track.credential_name
    assert facts.program_name == scene.enrollment.cohort.program.name
    assert facts.track_name == scene.enrollment.track.name
    assert facts.cohort_name == scene.enrollment.cohort.name
    assert facts.ceus == Decimal("24")
    assert facts.contact_hours == Decimal("240")
    assert facts.issued_on == dt.date(2026, 12, 4)
    assert facts.valid_until is None
    assert facts.verification_url == f"http://127.0.0.1:8000/credentials/{scene.credential.uuid}/"
    assert facts.status_note == ""


@pytest.mark.parametrize(("to_status", "note"), [("revoked", "REVOKED"), ("suspended", "SUSPENDED")])
def test_the_certificate_of_a_withdrawn_credential_says_so(scene, to_status, note):
    credential_status_change(credential=scene.credential, to_status=to_status, reason="Test", by=None)

    facts = certificate_facts(credential_for_public(scene.credential.uuid))

    assert facts.status_note == note


def test_the_linkedin_link_is_linkedins_documented_add_to_profile_url(scene):
    url = linkedin_add_url(scene.credential)

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [scene.enrollment.track.credential_name],
        "organizationName": [document_of(scene.credential)["issuer"]["name"]],
        "issueYear": ["2026"],
        "issueMonth": ["12"],
        "certUrl": [f"http://127.0.0.1:8000/credentials/{scene.credential.uuid}/"],
        "certId": [str(scene.credential.uuid)],
    }


def test_the_linkedin_link_names_the_expiry_when_there_is_one(cast):
    enrollment = graduate_enrollment(cohort=cast.cohort)
    achievement = achievement_for(enrollment.track)
    achievement.valid_for_years = 3
    achievement.save()

    query = parse_qs(urlsplit(linkedin_add_url(issue_for(enrollment))).query)

    assert (query["expirationYear"], query["expirationMonth"]) == (["2029"], ["12"])


# --- Verify ------------------------------------------------------------------------------------------------


def verify(client, **data: Any):
    return client.post(reverse("web:verify"), data)


def test_anyone_gets_the_verify_form(client, db):
    html = text_of(client.get(reverse("web:verify")))

    assert 'name="csrfmiddlewaretoken"' in html
    assert '<textarea name="document"' in html
    assert 'type="file" name="file"' in html


def test_a_pasted_valid_credential_is_valid_and_says_what_it_says(client, scene):
    html = text_of(verify(client, document=scene.credential.document))

    assert '<p class="verdict-big">Valid</p>' in html
    assert "<dt>Issued to</dt><dd>Pat Participant</dd>" in html
    assert f"<dd>{scene.enrollment.track.credential_name}</dd>" in html
    assert "<dt>Issued on</dt><dd><time" in html


def test_an_uploaded_credential_is_verified(client, scene):
    upload = SimpleUploadedFile("mine.json", scene.credential.document.encode(), "application/json")

    html = text_of(verify(client, file=upload))

    assert '<p class="verdict-big">Valid</p>' in html


def test_a_changed_credential_is_invalid_and_says_why(client, scene):
    document = document_of(scene.credential)
    document["credentialSubject"]["creditsEarned"] = 99.0

    html = text_of(verify(client, document=json.dumps(document)))

    assert '<p class="verdict-big">Invalid</p>' in html
    assert "✗" in html
    assert "The signature does not match" in html
    assert "<dt>Issued to</dt>" not in html


def test_malformed_json_is_pointed_at_by_line_and_column(client, db):
    html = text_of(verify(client, document='{\n  "a": 1,\n  "b": }'))

    assert "Not valid JSON: Expecting value at line 3, column 8." in html
    assert "verdict-big" not in html


def test_a_file_over_two_megabytes_is_refused(client, db):
    upload = SimpleUploadedFile("big.json", b" " * (2 * 1024 * 1024 + 1), "application/json")

    html = text_of(verify(client, file=upload))

    assert "The file is larger than 2 MB" in html


def test_a_file_that_is_not_utf8_is_refused(client, db):
    upload = SimpleUploadedFile("latin1.json", '{"name": "Jos\xe9"}'.encode("latin-1"), "application/json")

    html = text_of(verify(client, file=upload))

    assert "The file is not UTF-8 text." in html


def test_an_empty_form_asks_for_a_credential(client, db):
    html = text_of(verify(client, document="  "))

    assert "Paste a credential or choose a file." in html


def test_the_verify_form_is_csrf_protected(db):
    response = Client(enforce_csrf_checks=True).post(reverse("web:verify"), {"document": "{}"})

    assert response.status_code == 403


def test_a_revoked_credential_pasted_is_revoked(client, scene):
    credential_status_change(credential=scene.credential, to_status="revoked", reason="Fraud", by=None)

    html = text_of(verify(client, document=scene.credential.document))

    assert '<p class="verdict-big">Revoked</p>' in html
    assert "Revoked by the issuer." in html


# --- The holder's list ---------------------------------------------------------------------------------


def test_the_list_needs_a_login(client, db):
    response = client.get(reverse("web:credential-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_holder_lists_their_credential_and_transcript(client, scene, django_assert_max_num_queries):
    client.force_login(scene.cast.participant)

    # The session, the user, the person, the credentials, their enrollments (`_with_relations`).
    with django_assert_max_num_queries(5):
        html = text_of(client.get(reverse("web:credential-list")))

    assert page_url(scene.credential) in html
    assert page_url(scene.transcript) in html
    assert "CLR 2.0 transcript" in html


def test_someone_without_credentials_sees_an_empty_list(client, scene):
    client.force_login(scene.cast.outsider)

    html = text_of(client.get(reverse("web:credential-list")))

    assert "No credential yet" in html
    assert page_url(scene.credential) not in html


def test_the_navigation_and_home_page_lead_to_the_credentials(client, scene):
    client.force_login(scene.cast.participant)

    html = text_of(client.get(reverse("web:home")))

    assert f'<a href="{reverse("web:credential-list")}">Credentials</a>' in html
    assert 'Credentials<span class="visually-hidden"> from' in html


# --- Status changes -----------------------------------------------------------------------------------


def test_an_administrator_gets_the_status_form(client, scene):
    client.force_login(scene.cast.admin)

    html = text_of(client.get(status_url(scene.credential)))

    assert "Suspend: not valid until reinstated" in html
    assert "Revoke: permanently invalid" in html
    assert "Reinstate" not in html
    assert "<td>Issued</td>" in html


def test_an_outsider_gets_404_for_the_status_page(client, scene):
    client.force_login(scene.cast.outsider)

    assert client.get(status_url(scene.credential)).status_code == 404


@pytest.mark.parametrize("who", ["participant", "instructor", "superintendent"])
def test_members_who_do_not_manage_the_class_get_403(client, scene, who):
    client.force_login(getattr(scene.cast, who))

    assert client.get(status_url(scene.credential)).status_code == 403


def test_a_visitor_is_asked_to_log_in_for_the_status_page(client, scene):
    response = client.get(status_url(scene.credential))

    assert response.status_code == 302


def test_a_superuser_manages_any_credential(client, scene):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))

    assert client.get(status_url(scene.credential)).status_code == 200


def test_suspending_needs_a_reason(client, scene):
    client.force_login(scene.cast.admin)

    html = text_of(client.post(status_url(scene.credential), {"to_status": "suspended", "reason": " "}))

    assert "Give a reason" in html
    scene.credential.refresh_from_db()
    assert scene.credential.status == "active"


def test_suspending_and_reinstating_show_on_the_public_page_and_the_list(client, scene):
    client.force_login(scene.cast.admin)

    response = client.post(
        status_url(scene.credential), {"to_status": "suspended", "reason": "Hours under review"}
    )

    assert response.status_code == 302
    assert status_bit(scene.credential, "suspension") is True
    html = text_of(client.get(page_url(scene.credential)))
    assert '<span class="standing standing-suspended">Suspended</span>' in html
    assert "Reason given: Hours under review" in html
    assert '<p class="verdict-big">Suspended</p>' in html

    client.post(status_url(scene.credential), {"to_status": "active", "reason": "Review done"})

    assert status_bit(scene.credential, "suspension") is False
    history = text_of(client.get(status_url(scene.credential)))
    assert "Active → Suspended</td><td>Hours under review</td><td>admin</td>" in history
    assert "Suspended → Active</td><td>Review done</td>" in history


def test_revoking_asks_for_confirmation_then_flips_the_status_list_bit(client, scene):
    client.force_login(scene.cast.admin)
    data = {"to_status": "revoked", "reason": "Hours were misreported"}

    first = text_of(client.post(status_url(scene.credential), data))

    assert "Revocation is permanent" in first
    assert '<input type="hidden" name="confirmed" value="True">' in first
    scene.credential.refresh_from_db()
    assert scene.credential.status == "active"
    assert status_bit(scene.credential, "revocation") is False

    second = client.post(status_url(scene.credential), {**data, "confirmed": "True"})

    assert second.status_code == 302
    scene.credential.refresh_from_db()
    assert scene.credential.status == "revoked"
    assert status_bit(scene.credential, "revocation") is True
    assert AuditEvent.objects.filter(verb="credential.revoked", actor=scene.cast.admin).exists()
    html = text_of(client.get(page_url(scene.credential)))
    assert '<span class="standing standing-revoked">Revoked</span>' in html
    assert "The issuer revoked this credential." in html
    assert "Reason given: Hours were misreported" in html
    assert '<p class="verdict-big">Revoked</p>' in html
    assert verify_document(document_of(scene.credential)).status == "revoked"


def test_a_refusal_from_the_service_is_shown_in_the_form(client, scene):
    client.force_login(scene.cast.admin)
    credential_status_change(credential=scene.credential, to_status="revoked", reason="Fraud", by=None)

    html = text_of(client.post(status_url(scene.credential), {"to_status": "suspended", "reason": "Oops"}))

    assert "A revoked credential cannot become suspended. Revocation is permanent." in html
    assert "This credential is revoked." in html


# --- Achievement and framework pages --------------------------------------------------------------------


def test_anyone_sees_the_achievement_page(client, scene):
    ProgramPartner.objects.create(
        program=scene.enrollment.cohort.program, organization=AgencyFactory(name="NCDPI")
    )
    achievement = scene.credential.achievement
    achievement.skill_areas = [1, 4]
    achievement.save()

    html = text_of(client.get(reverse("web:achievement-detail", args=[achievement.uuid])))

    assert f"<h1>{achievement.name}</h1>" in html
    assert achievement.criteria.replace("'", "&#x27;") in html
    assert 'href="/frameworks/cosn/#skill-area-1">Leadership and Vision</a>' in html
    assert "#skill-area-4" in html
    assert "<dt>Issuer</dt><dd>NCDPI</dd>" in html
    assert "did:web:127.0.0.1%3A8000" in html


def test_an_unknown_achievement_is_not_found(client, db):
    response = client.get(reverse("web:achievement-detail", args=["8d5e5c7e-9a0b-4a41-9e3c-3c3b3f0f0a00"]))

    assert response.status_code == 404


def test_the_framework_page_anchors_every_skill_area(client, db):
    html = text_of(client.get(reverse("web:framework-detail")))

    for number in range(1, 11):
        assert f'id="skill-area-{number}"' in html
    assert "Leadership and Vision" in html


def test_the_signed_credential_points_at_pages_that_exist(client, scene):
    document = document_of(scene.credential)
    site = "http://127.0.0.1:8000"

    for url in (document["id"], document["credentialSubject"]["achievement"]["id"]):
        assert client.get(url.removeprefix(site)).status_code == 200


# --- Graduation ----------------------------------------------------------------------------------------


def graduation_url(cohort) -> str:
    return reverse("web:graduation", args=[cohort.slug])


def test_an_administrator_sees_the_certification_table(client, scene, cast):
    missing = EnrollmentFactory(
        cohort=cast.cohort, track=scene.enrollment.track, person=PersonFactory(full_name="Mo Missing")
    )
    client.force_login(cast.admin)

    html = text_of(client.get(graduation_url(cast.cohort)))

    assert "Pat Participant" in html
    assert '<span class="decision-met">Met</span>' in html
    assert page_url(scene.credential) in html
    assert "Mo Missing" in html
    assert '<span class="decision-missing">Missing</span>' in html
    assert "Contact hours:" in html
    assert reverse("web:enrollment-detail", args=[missing.uuid]) in html
    assert reverse("web:graduation-certificates", args=[cast.cohort.slug]) in html


def test_the_cohort_page_links_the_graduation_for_administrators_only(client, cast):
    client.force_login(cast.admin)
    assert graduation_url(cast.cohort) in text_of(
        client.get(reverse("web:cohort-detail", args=[cast.cohort.slug]))
    )

    client.force_login(cast.participant)
    assert graduation_url(cast.cohort) not in text_of(
        client.get(reverse("web:cohort-detail", args=[cast.cohort.slug]))
    )


def test_an_outsider_gets_404_for_the_graduation(client, cast):
    client.force_login(cast.outsider)

    assert client.get(graduation_url(cast.cohort)).status_code == 404


@pytest.mark.parametrize("who", ["participant", "instructor"])
def test_members_get_403_for_the_graduation(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(graduation_url(cast.cohort)).status_code == 403


def _graduation_queries(client, cohort) -> int:
    with CaptureQueriesContext(connection) as measured:
        response = client.get(graduation_url(cohort))
    assert response.status_code == 200
    return len(measured)


def test_the_graduation_page_reads_the_same_number_of_queries_for_3_and_12(client, cast):
    admin_person = cast.admin.person
    small = CohortFactory(program=cast.cohort.program, slug="small-class")
    large = CohortFactory(program=cast.cohort.program, slug="large-class")
    for cohort, size in ((small, 3), (large, 12)):
        enrollments = graduating_class(cohort, size)
        issue_for(enrollments[0])
    assert admin_person is not None
    client.force_login(cast.admin)

    queries_small = _graduation_queries(client, small)
    queries_large = _graduation_queries(client, large)

    assert queries_small == queries_large
    assert queries_large <= 20


def test_issuing_all_earned_credentials_runs_and_shows_the_run(client, cast):
    enrollments = graduating_class(cast.cohort, 3)
    client.force_login(cast.admin)

    response = client.post(reverse("web:graduation-issue", args=[cast.cohort.slug]))

    assert response.status_code == 302
    run = IssuanceRun.objects.get(cohort=cast.cohort)
    assert (run.status, run.issued, run.total) == ("finished", 3, 3)
    for enrollment in enrollments:
        assert Credential.objects.filter(enrollment=enrollment, kind="ob3").exists()
    html = text_of(client.get(graduation_url(cast.cohort)))
    assert "<strong>Finished</strong>" in html
    assert "3 credentials issued" in html
    assert "Issue all earned credentials" not in html


def test_issuing_is_a_post_for_administrators(client, cast):
    graduating_class(cast.cohort, 1)
    client.force_login(cast.participant)

    assert client.post(reverse("web:graduation-issue", args=[cast.cohort.slug])).status_code == 403
    client.force_login(cast.admin)
    assert client.get(reverse("web:graduation-issue", args=[cast.cohort.slug])).status_code == 405
    assert not IssuanceRun.objects.exists()


def test_an_open_run_is_polled_as_a_partial(client, cast):
    run = IssuanceRun.objects.create(cohort=cast.cohort, status="running", total=10, done=4, issued=4)
    client.force_login(cast.admin)
    url = reverse("web:graduation-run", args=[cast.cohort.slug, run.uuid])

    page = text_of(client.get(graduation_url(cast.cohort)))
    partial = text_of(client.get(url, headers={"HX-Request": "true"}))
    full = text_of(client.get(url))

    assert f'data-poll-url="{url}"' in page
    assert "cecto/graduation.js" in page
    assert partial.startswith('<div class="run-box" data-open="true">')
    assert '<progress id="run-progress" class="bar" max="100" value="40">40%</progress>' in partial
    assert "<html" not in partial
    assert "<html" in full
    assert "4 of 10 looked at, 4 issued" in full


def test_an_unknown_run_is_not_found(client, cast):
    client.force_login(cast.admin)
    url = reverse("web:graduation-run", args=[cast.cohort.slug, "8d5e5c7e-9a0b-4a41-9e3c-3c3b3f0f0a00"])

    assert client.get(url).status_code == 404


def test_the_class_certificates_come_in_one_pdf_ordered_by_name(client, cast, monkeypatch):
    track = graduate_enrollment(cohort=cast.cohort, person__full_name="Zoe Last").track
    for name in ("Ada First", "Mia Middle"):
        graduate_enrollment(cohort=cast.cohort, track=track, person__full_name=name)
    for enrollment in Enrollment.objects.filter(cohort=cast.cohort, track=track):
        issue_for(enrollment)
    revoked = Enrollment.objects.get(cohort=cast.cohort, person__full_name="Mia Middle")
    credential_status_change(
        credential=Credential.objects.get(enrollment=revoked), to_status="revoked", reason="x", by=None
    )
    rendered: list[list[str]] = []
    real = views_credentials.render_certificates
    monkeypatch.setattr(
        views_credentials,
        "render_certificates",
        lambda facts: rendered.append([f.recipient_name for f in facts]) or real(facts),
    )
    client.force_login(cast.admin)

    response = client.get(reverse("web:graduation-certificates", args=[cast.cohort.slug]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{cast.cohort.slug}-certificates.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert rendered == [["Ada First", "Zoe Last"]]


def test_no_certificates_before_anything_is_issued(client, cast):
    client.force_login(cast.admin)

    assert client.get(reverse("web:graduation-certificates", args=[cast.cohort.slug])).status_code == 404


def test_an_outsider_gets_no_class_certificates(client, scene):
    client.force_login(scene.cast.outsider)

    response = client.get(reverse("web:graduation-certificates", args=[scene.cast.cohort.slug]))

    assert response.status_code == 404


def test_a_programme_administrator_of_another_programme_gets_404(client, scene):
    other_admin = UserFactory(username="elsewhere")
    ProgramAdministratorFactory(person=PersonFactory(user=other_admin))
    client.force_login(other_admin)

    assert client.get(status_url(scene.credential)).status_code == 404
    assert client.get(graduation_url(scene.cast.cohort)).status_code == 404


# --- Who manages a transcript, and the odd cases of the helpers ------------------------------------------


def test_the_classs_administrator_manages_the_transcript(client, scene):
    client.force_login(scene.cast.admin)

    html = text_of(client.get(status_url(scene.transcript)))

    assert "Status of the transcript of Pat Participant" in html


@pytest.mark.parametrize(("who", "status"), [("participant", 403), ("outsider", 404)])
def test_others_do_not_manage_the_transcript(client, scene, who, status):
    client.force_login(getattr(scene.cast, who))

    assert client.get(status_url(scene.transcript)).status_code == status


def test_the_status_page_of_an_unknown_credential_is_not_found(client, cast):
    client.force_login(cast.admin)

    response = client.get(reverse("web:credential-status", args=["8d5e5c7e-9a0b-4a41-9e3c-3c3b3f0f0a00"]))

    assert response.status_code == 404


def test_a_visitor_manages_nothing_and_issues_nothing(scene):
    visitor = AnonymousUser()

    assert can_manage_credential(visitor, scene.credential) is False
    assert can_manage_credential(visitor, scene.transcript) is False
    assert can_issue_through_api(visitor) is False
    assert is_holder(visitor, scene.credential) is False


def test_a_transcript_has_no_certificate_facts(scene):
    with pytest.raises(ValueError, match="a transcript does not"):
        certificate_facts(scene.transcript)


def test_the_summary_of_a_vc_11_credential_from_elsewhere():
    summary = document_summary(
        {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "id": "urn:uuid:1",
            "type": "VerifiableCredential",
            "issuer": "did:example:school",
            "issuanceDate": "2020-01-01T00:00:00",
            "expirationDate": "not a date",
            "credentialSubject": [
                {
                    "name": "Sam Subject",
                    "identifier": [{"identityType": "name", "hashed": True, "identityHash": "x"}, "junk"],
                    "creditsEarned": "lots",
                    "result": [
                        {"resultDescription": "#score", "value": "3"},
                        {"resultDescription": "#contact-hours", "value": True},
                    ],
                    "achievement": {"name": "Badge", "criteria": "not an object", "alignment": "junk"},
                },
            ],
        }
    )

    assert summary.types == ("VerifiableCredential",)
    assert (summary.issuer_id, summary.issuer_name, summary.issuer_url) == ("did:example:school", "", "")
    assert summary.recipient_name == "Sam Subject"
    assert summary.valid_from == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert summary.valid_until is None
    award = summary.award
    assert award is not None
    assert (award.name, award.criteria, award.ceus, award.contact_hours) == ("Badge", "", None, None)
    assert document_summary({"credentialSubject": {"result": [{"value": "1"}]}}).awards == ()
    assert award.alignments == ()
    assert summary.total_ceus == 0
    assert summary.name == "Badge"


@pytest.mark.parametrize("document", [None, [], "text", {}, {"credentialSubject": "x"}])
def test_the_summary_of_something_that_is_no_credential_is_empty(document):
    summary = document_summary(document)

    assert (summary.name, summary.recipient_name, summary.awards, summary.valid_from) == ("", "", (), None)
    assert summary.award is None
    assert summary.is_transcript is False


def test_the_issuer_did_shown_with_did_key_is_the_active_keys(db, settings):
    settings.CECTO_ISSUER_DID_METHOD = "key"

    assert issuer_did_shown() == ""
    key = signing_key_create()
    assert issuer_did_shown().startswith("did:key:z6Mk")
    assert issuer_did_shown() == issuer_did(key)


def test_a_credential_whose_document_has_no_id_links_its_own_page(scene):
    document = document_of(scene.credential)
    del document["id"]
    Credential.objects.filter(pk=scene.credential.pk).update(document=json.dumps(document))

    facts = certificate_facts(credential_for_public(scene.credential.uuid))

    assert facts.verification_url == f"http://127.0.0.1:8000/credentials/{scene.credential.uuid}/"
