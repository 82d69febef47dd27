"""The credentials use cases on the database: who earned what, issuing, transcripts, status, keys."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cecto.core.models import AuditEvent
from cecto.core.tests.factories import UserFactory
from cecto.credentials import issuer, services, status_list
from cecto.credentials.certification import certification_table
from cecto.credentials.jsonld import canonicalize
from cecto.credentials.models import Achievement, Credential, CredentialStatusChange, SigningKey, StatusList
from cecto.credentials.multikey import KeyRefused, did_key_for, public_key_from_multibase
from cecto.credentials.services import CredentialRefused, credential_issue, credential_status_change
from cecto.credentials.tests.factories import (
    credit_hours,
    graduate_enrollment,
    issue_for,
    transcript_of,
)
from cecto.credentials.tests.support import secrets_of
from cecto.people.tests.factories import DistrictFactory
from cecto.programs.models import EligibilityRule, ProgramPartner
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.models import Enrollment, EnrollmentStatusChange
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

pytestmark = pytest.mark.django_db


def rows_by_name(cohort: Any) -> dict[str, Any]:
    return {row.enrollment.person.full_name: row for row in certification_table(cohort=cohort)}


def row_for(enrollment: Enrollment) -> Any:
    return rows_by_name(enrollment.cohort)[enrollment.person.full_name]


def document_of(credential: Credential) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(credential.document)
    return loaded


def verdict_of(credential: Credential, **kwargs: Any) -> Any:
    return services.verify_document(document_of(credential), **kwargs)


def assert_valid(credential: Credential) -> None:
    verdict = verdict_of(credential)
    assert verdict.status == "valid", verdict.summary


# --- certification_table -------------------------------------------------------------------------


def test_the_table_says_who_met_the_requirements_and_what_the_others_miss():
    ada = graduate_enrollment(person__full_name="Ada Lovelace")
    bob = EnrollmentFactory(cohort=ada.cohort, track=ada.track, person__full_name="Bob Babbage")
    credit_hours(bob, minutes=200 * 60)

    rows = rows_by_name(ada.cohort)

    assert rows["Ada Lovelace"].decision.is_earned is True
    assert rows["Ada Lovelace"].decision.missing == ()
    assert rows["Ada Lovelace"].credited_minutes == 240 * 60
    assert rows["Ada Lovelace"].credential is None
    assert rows["Bob Babbage"].decision.is_earned is False
    assert rows["Bob Babbage"].decision.missing == (
        "Contact hours: 40 more contact hours needed (200 of 240).",
    )
    assert rows["Bob Babbage"].credited_minutes == 200 * 60


def test_the_table_leaves_out_applications_and_shows_withdrawals():
    ada = graduate_enrollment(person__full_name="Ada")
    EnrollmentFactory(cohort=ada.cohort, track=ada.track, person__full_name="Applicant", status="applied")
    withdrawn = EnrollmentFactory(
        cohort=ada.cohort, track=ada.track, person__full_name="Gone", status="withdrawn"
    )
    credit_hours(withdrawn)

    rows = rows_by_name(ada.cohort)

    assert set(rows) == {"Ada", "Gone"}
    assert rows["Gone"].decision.missing == (
        "Standing: The enrollment is withdrawn, not admitted and active.",
    )


def test_a_required_session_not_attended_is_missing():
    track = TrackFactory(required_sessions="designated")
    cohort = CohortFactory(program=track.program)
    enrollment = EnrollmentFactory(cohort=cohort, track=track, person__full_name="Ada")
    credit_hours(enrollment)
    SessionFactory(cohort=cohort, title="Capstone", is_required=True)

    (missing,) = row_for(enrollment).decision.missing

    assert missing.startswith("Required sessions: Still required: Capstone (Mar 10, ")


def test_the_programmes_eligibility_rules_apply_unless_waived():
    ada = graduate_enrollment(person__full_name="Ada", person__organization__state="SC")
    bob = graduate_enrollment(
        cohort=ada.cohort, track=ada.track, person__full_name="Bob", person__organization__state="SC"
    )
    EligibilityRule.objects.create(program=ada.cohort.program, kind="district_in_state", state="NC")
    EnrollmentStatusChange.objects.create(
        enrollment=bob,
        from_status="applied",
        to_status="admitted",
        at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        reason="Eligibility waived: serves NC districts from across the border.",
    )

    rows = rows_by_name(ada.cohort)

    assert rows["Ada"].decision.missing == ("Eligibility: The district is not in NC.",)
    assert rows["Bob"].decision.is_earned is True
    assert "Waived at admission: serves NC districts from across the border." in [
        outcome.detail for outcome in rows["Bob"].decision.outcomes
    ]


def test_the_table_costs_the_same_queries_for_a_bigger_cohort():
    small = CohortFactory()
    big = CohortFactory(program=small.program)
    track = TrackFactory(program=small.program, required_sessions="none")
    for cohort, size in ((small, 2), (big, 6)):
        for n in range(size):
            graduate_enrollment(cohort=cohort, track=track, person__full_name=f"P{n}")

    counts = []
    for cohort in (small, big):
        with CaptureQueriesContext(connection) as queries:
            assert len(certification_table(cohort=cohort)) in (2, 6)
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- credential_issue ----------------------------------------------------------------------------


def test_it_issues_a_credential_that_verifies():
    ada = graduate_enrollment(person__full_name="Ada Lovelace", person__email="ada@example.org")

    credential = credential_issue(row=row_for(ada), by=None)

    assert credential is not None
    assert credential.kind == Credential.Kind.OPEN_BADGE
    assert credential.enrollment == ada
    document = document_of(credential)
    assert document["id"] == services.credential_url(credential.uuid)
    assert document["credentialSubject"]["identifier"][0]["identityHash"] == "Ada Lovelace"
    assert "ada@example.org" not in credential.document
    assert_valid(credential)


def test_it_issues_once_and_returns_none_the_second_time():
    ada = graduate_enrollment()
    row = row_for(ada)

    first = credential_issue(row=row, by=None)
    second = credential_issue(row=row, by=None)

    assert first is not None
    assert second is None
    assert Credential.objects.filter(enrollment=ada).count() == 1


def test_the_enrollment_becomes_certified_with_its_history():
    ada = graduate_enrollment()

    credential_issue(row=row_for(ada), by=None)

    ada.refresh_from_db()
    assert ada.status == Enrollment.Status.CERTIFIED
    assert list(ada.status_changes.values_list("to_status", flat=True)) == ["completed", "certified"]


def test_it_refuses_someone_who_has_not_earned_it_and_says_why():
    bob = EnrollmentFactory(person__full_name="Bob", track__required_sessions="none")

    with pytest.raises(
        CredentialRefused, match=r"Bob has not earned .*Contact hours: 240 more contact hours"
    ):
        credential_issue(row=row_for(bob), by=None)
    assert not Credential.objects.exists()


def test_issuing_writes_audit_events_by_whoever_issued():
    admin = UserFactory(username="registrar")
    ada = graduate_enrollment()

    credential = credential_issue(row=row_for(ada), by=admin)

    event = AuditEvent.objects.get(verb="credential.issued")
    assert event.actor == admin
    assert event.subject_id == str(credential.uuid)
    assert event.data == {"enrollment": str(ada.uuid), "achievement": ada.track.credential_name}
    assert AuditEvent.objects.filter(verb="transcript.issued", actor=admin).count() == 1


def test_the_achievement_is_made_from_the_track_once():
    ada = graduate_enrollment()
    bob = graduate_enrollment(cohort=ada.cohort, track=ada.track)

    issue_for(ada)
    issue_for(bob)

    achievement = Achievement.objects.get()
    assert achievement.track == ada.track
    assert achievement.criteria == (
        f"Completed 240 contact hours of instruction in {ada.track.program.name}, "
        "and met the programme's eligibility rules."
    )


def test_the_issuer_is_named_after_the_programmes_partners():
    ada = graduate_enrollment()
    for position, name in enumerate(["NC DPI", "NCTIES", "Friday Institute"]):
        ProgramPartner.objects.create(
            program=ada.cohort.program, organization=DistrictFactory(name=name), position=position
        )

    document = document_of(issue_for(ada))

    assert document["issuer"]["name"] == "NC DPI, NCTIES and Friday Institute"
    assert document["issuer"]["id"] == issuer.web_did()


def test_alignments_and_renewal_come_from_the_achievement():
    ada = graduate_enrollment()
    Achievement.objects.create(
        track=ada.track, name="CETL", description="d", criteria="c", skill_areas=[1, 4, 99], valid_for_years=3
    )

    credential = issue_for(ada)

    alignment = document_of(credential)["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetCode"] for a in alignment] == ["1", "4"]
    assert credential.valid_until == credential.issued_at.replace(year=credential.issued_at.year + 3)
    assert document_of(credential)["validUntil"] == services.proofs.xsd_datetime(credential.valid_until)


def test_a_credential_past_its_renewal_is_expired():
    ada = graduate_enrollment()
    Achievement.objects.create(track=ada.track, name="CETL", description="d", criteria="c", valid_for_years=3)
    credential = issue_for(ada)

    later = credential.issued_at + dt.timedelta(days=3 * 366)
    verdict = verdict_of(credential, now=later)

    assert verdict.status == "expired"
    assert services.expires_soon(credential) is False


def test_each_credential_gets_its_own_status_index():
    enrollments = [graduate_enrollment() for _ in range(3)]

    credentials = [issue_for(enrollment) for enrollment in enrollments]

    # Six: each badge and each holder's transcript.
    slots = set(Credential.objects.values_list("status_list__number", "status_index"))
    assert len(slots) == Credential.objects.count() == 6
    assert {c.status_index for c in credentials} <= {status_list.index_for_slot(n) for n in range(6)}


def test_a_new_status_list_is_opened_when_the_last_is_full():
    StatusList.objects.create(number=1, size=131_072, allocated=131_072)

    credential = issue_for(graduate_enrollment())

    assert credential.status_list.number == 2
    assert_valid(credential)


# --- Transcripts ---------------------------------------------------------------------------------


def test_a_transcript_is_issued_with_the_badge_and_verifies():
    credential = issue_for(graduate_enrollment(person__full_name="Ada"))

    transcript = transcript_of(credential)

    document = document_of(transcript)
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["credentialSubject"]["verifiableCredential"] == [document_of(credential)]
    assert document["description"].startswith("1 achievement, 240 contact hours")
    assert_valid(transcript)


def test_the_next_badge_supersedes_the_transcript():
    ada = graduate_enrollment(person__full_name="Ada")
    later = graduate_enrollment(person=ada.person)  # another track, another cohort
    first = transcript_of(issue_for(ada))

    second = transcript_of(issue_for(later))

    first.refresh_from_db()
    assert first.superseded_by == second
    assert second.superseded_by is None
    assert len(document_of(second)["credentialSubject"]["verifiableCredential"]) == 2
    assert document_of(second)["description"].startswith("2 achievements, 480 contact hours")
    assert_valid(second)


def test_a_transcript_leaves_out_revoked_badges():
    ada = graduate_enrollment()
    badge = issue_for(ada)
    credential_status_change(credential=badge, to_status="revoked", reason="Issued in error.", by=None)

    assert services.transcript_issue(person=ada.person, by=None) is None


# --- Status changes ------------------------------------------------------------------------------


def status_bits(credential: Credential, purpose: str) -> bool:
    document = services.status_list_document(credential.status_list.number, purpose)
    assert document is not None
    return status_list.is_set(
        status_list.decode(document["credentialSubject"]["encodedList"]), credential.status_index
    )


def test_a_credential_is_suspended_and_reinstated():
    admin = UserFactory(username="registrar")
    credential = issue_for(graduate_enrollment())

    suspended = credential_status_change(
        credential=credential, to_status="suspended", reason="Under review.", by=admin
    )
    assert suspended.status == "suspended"
    assert status_bits(credential, "suspension") is True
    assert verdict_of(credential).status == "suspended"

    reinstated = credential_status_change(
        credential=credential, to_status="active", reason="Cleared.", by=admin
    )
    assert reinstated.status == "active"
    assert status_bits(credential, "suspension") is False
    assert_valid(credential)

    assert list(
        CredentialStatusChange.objects.filter(credential=credential).values_list(
            "from_status", "to_status", "reason", "changed_by"
        )
    ) == [("active", "suspended", "Under review.", admin.pk), ("suspended", "active", "Cleared.", admin.pk)]
    assert list(
        AuditEvent.objects.filter(subject_id=str(credential.uuid), verb__startswith="credential.")
        .order_by("at", "id")
        .values_list("verb", "data")
    ) == [
        (
            "credential.issued",
            {"enrollment": str(credential.enrollment.uuid), "achievement": "Certified Test Officer"},
        ),
        ("credential.suspended", {"from": "active", "to": "suspended", "reason": "Under review."}),
        ("credential.reinstated", {"from": "suspended", "to": "active", "reason": "Cleared."}),
    ]


def test_revocation_sets_the_bit_and_is_permanent():
    credential = issue_for(graduate_enrollment())
    assert status_bits(credential, "revocation") is False

    credential_status_change(credential=credential, to_status="revoked", reason="Falsified hours.", by=None)

    assert status_bits(credential, "revocation") is True
    assert status_bits(credential, "suspension") is False
    verdict = verdict_of(credential)
    assert verdict.status == "revoked"
    assert verdict.errors == ("Revoked by the issuer.",)
    for to_status in ("active", "suspended"):
        with pytest.raises(
            CredentialRefused, match=r"A revoked credential cannot become \w+\. Revocation is permanent"
        ):
            credential_status_change(credential=credential, to_status=to_status, reason="Appeal.", by=None)


def test_a_suspended_credential_may_be_revoked():
    credential = issue_for(graduate_enrollment())
    credential_status_change(credential=credential, to_status="suspended", reason="Review.", by=None)

    credential_status_change(credential=credential, to_status="revoked", reason="Confirmed.", by=None)

    assert verdict_of(credential).status == "revoked"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_status_change_needs_a_reason(reason):
    credential = issue_for(graduate_enrollment())

    with pytest.raises(CredentialRefused, match="Give a reason"):
        credential_status_change(credential=credential, to_status="revoked", reason=reason, by=None)
    credential.refresh_from_db()
    assert credential.status == "active"


def test_an_active_credential_cannot_become_active():
    credential = issue_for(graduate_enrollment())

    with pytest.raises(CredentialRefused, match=r"An active credential cannot become active\."):
        credential_status_change(credential=credential, to_status="active", reason="No-op.", by=None)


def test_other_credentials_in_the_list_stay_valid_after_a_revocation():
    first, second = issue_for(graduate_enrollment()), issue_for(graduate_enrollment())

    credential_status_change(credential=first, to_status="revoked", reason="Error.", by=None)

    assert first.status_list == second.status_list
    assert_valid(second)


def test_a_status_list_is_re_signed_only_when_it_changes():
    credential = issue_for(graduate_enrollment())
    number = credential.status_list.number

    first = services.status_list_document(number, "revocation")
    assert services.status_list_document(number, "revocation") is first
    credential_status_change(credential=credential, to_status="revoked", reason="Error.", by=None)

    assert services.status_list_document(number, "revocation") is not first


def test_a_verifier_whose_clock_is_a_little_behind_reads_a_freshly_signed_status_list():
    # The list is re-signed after every change, and a verifier's "now" (another machine's clock, or
    # ours taken just before it fetched the list) may be a moment earlier than the signature.
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1)):
        credential = issue_for(graduate_enrollment())
    credential_status_change(credential=credential, to_status="suspended", reason="Review.", by=None)

    verdict = verdict_of(credential, now=timezone.now() - dt.timedelta(seconds=2))

    assert verdict.status == "suspended", verdict.summary


@pytest.mark.parametrize(
    "url",
    [
        "https://elsewhere.example/credentials/status/1/revocation",
        "{site}/credentials/status/one/revocation",
        "{site}/credentials/status/1/refresh",
        "{site}/credentials/status/99/revocation",
    ],
)
def test_status_lists_that_are_not_ours_resolve_to_nothing(settings, url):
    issue_for(graduate_enrollment())

    assert services.resolve_status_list(url.format(site=settings.SITE_URL)) is None


def test_our_status_list_resolves_to_a_signed_list_that_verifies(settings):
    credential = issue_for(graduate_enrollment())

    listed = services.resolve_status_list(f"{settings.SITE_URL}/credentials/status/1/revocation")

    assert listed is not None
    assert listed["credentialSubject"]["statusPurpose"] == "revocation"
    assert services.verify_document(listed).status == "valid"
    assert credential.status_list.number == 1


# --- Signing keys --------------------------------------------------------------------------------


def test_rotation_keeps_old_credentials_valid_and_signs_new_ones_with_the_new_key():
    old_key = issuer.active_signing_key()
    old = issue_for(graduate_enrollment())

    new_key = issuer.signing_key_create(by=None)
    new = issue_for(graduate_enrollment())

    old_key.refresh_from_db()
    assert old_key.is_active is False
    assert old_key.retired_at is not None
    assert new_key.is_active is True
    assert old.signing_key == old_key
    assert new.signing_key == new_key
    assert document_of(old)["proof"]["verificationMethod"] == f"{issuer.web_did()}#{old_key.key_id}"
    assert document_of(new)["proof"]["verificationMethod"] == f"{issuer.web_did()}#{new_key.key_id}"
    assert_valid(old)
    assert_valid(new)
    event = AuditEvent.objects.get(verb="signing_key.rotated")
    assert event.data == {"retired": [old_key.key_id], "public_key": new_key.public_key_multibase}


def test_the_did_document_lists_every_key():
    old_key = issuer.active_signing_key()
    new_key = issuer.signing_key_create(by=None)
    did = issuer.web_did()

    document = issuer.did_document()

    assert document["id"] == did
    assert [method["publicKeyMultibase"] for method in document["verificationMethod"]] == [
        old_key.public_key_multibase,
        new_key.public_key_multibase,
    ]
    assert document["assertionMethod"] == [f"{did}#{old_key.key_id}", f"{did}#{new_key.key_id}"]
    assert document["authentication"] == document["assertionMethod"]
    assert f"<{did}#{new_key.key_id}>" in canonicalize(document)


def test_a_key_that_is_not_in_the_did_document_is_refused():
    credential = issue_for(graduate_enrollment())
    document = document_of(credential)
    document["proof"]["verificationMethod"] = f"{issuer.web_did()}#key-that-never-was"

    verdict = services.verify_document(document)

    assert verdict.status == "invalid"
    assert "The issuer has no key 'key-that-never-was'" in verdict.errors[0]


def test_another_issuers_key_is_never_fetched():
    with pytest.raises(issuer.KeyRefused, match="does not fetch other issuers' keys"):
        issuer.resolve_key("did:web:elsewhere.example#key-1")


def test_the_web_did_encodes_a_port_and_a_path(settings):
    settings.SITE_URL = "https://cecto.example:8443/nc/cto"

    assert issuer.web_did() == "did:web:cecto.example%3A8443:nc:cto"


def test_the_private_key_never_appears_in_audit_events_or_the_models_text():
    key = issuer.active_signing_key()
    credential = issue_for(graduate_enrollment())
    issuer.signing_key_create(by=None)
    credential_status_change(credential=credential, to_status="revoked", reason="Error.", by=None)
    seen = " ".join(
        [
            *(json.dumps(event.data) + str(event) for event in AuditEvent.objects.all()),
            *(str(k) + repr(k) for k in SigningKey.objects.all()),
            credential.document,
        ]
    )

    assert AuditEvent.objects.filter(subject_kind="signing_key").count() == 2
    for stored in SigningKey.objects.all():
        for secret in secrets_of(stored):
            assert secret not in seen
    assert key.public_key_multibase in seen  # the search would find what is there


def test_the_private_key_is_encrypted_at_rest():
    key = issuer.active_signing_key()
    seed = issuer.private_key(key).private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    assert seed not in bytes(key.encrypted_private_key)
    assert len(bytes(key.encrypted_private_key)) > 64


def test_a_wrong_encryption_key_is_a_configuration_error(settings):
    key = SigningKey.objects.get(pk=issuer.active_signing_key().pk)
    issuer._private_keys.clear()
    settings.CECTO_KEY_ENCRYPTION_KEY = issuer.new_encryption_key()

    with pytest.raises(issuer.ImproperlyConfigured, match=f"Signing key {key.key_id} cannot be decrypted"):
        issuer.private_key(key)


def test_a_malformed_encryption_key_is_a_configuration_error(settings):
    settings.CECTO_KEY_ENCRYPTION_KEY = "not-a-fernet-key"

    with pytest.raises(issuer.ImproperlyConfigured, match="is not a Fernet key"):
        issuer.signing_key_create(by=None)


def test_issuing_with_did_key(settings):
    settings.CECTO_ISSUER_DID_METHOD = "key"
    credential = issue_for(graduate_enrollment())
    key = credential.signing_key
    did = did_key_for(public_key_from_multibase(key.public_key_multibase))

    document = document_of(credential)

    assert document["issuer"]["id"] == did
    assert document["proof"]["verificationMethod"] == f"{did}#{key.public_key_multibase}"
    assert_valid(credential)
    assert_valid(transcript_of(credential))
    credential_status_change(credential=credential, to_status="revoked", reason="Error.", by=None)
    assert verdict_of(credential).status == "revoked"


def test_a_did_key_issuer_refuses_to_rotate_because_the_did_is_the_key(settings):
    settings.CECTO_ISSUER_DID_METHOD = "key"
    credential = issue_for(graduate_enrollment())

    with pytest.raises(KeyRefused, match="cannot be rotated while the issuer is a did:key"):
        issuer.signing_key_create(by=None)

    assert SigningKey.objects.get().is_active
    assert_valid(credential)


def test_expires_soon_looks_ahead_90_days():
    ada = graduate_enrollment()
    Achievement.objects.create(track=ada.track, name="CETL", description="d", criteria="c", valid_for_years=1)
    credential = issue_for(ada)

    assert services.expires_soon(credential) is False
    with time_machine.travel(credential.valid_until - dt.timedelta(days=30)):
        assert services.expires_soon(credential) is True
