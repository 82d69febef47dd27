"""HTTP: the W3C VC-API routes, the did:web document, the status lists, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from cecto.core.models import ApiToken, AuditEvent
from cecto.core.tokens import api_token_create, api_token_revoke, token_hash
from cecto.credentials import issuer, proofs
from cecto.credentials.jsonld import DATA_INTEGRITY_V2, VC_V1, VC_V2
from cecto.credentials.multikey import did_key_for, multibase_encode, public_key_multibase
from cecto.credentials.services import credential_status_change, verify_document
from cecto.credentials.tests.factories import credit_hours, issue_for
from cecto.credentials.verification import Check
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.web.vc_api import check_problem, warning_problem

NOW = dt.datetime(2026, 12, 4, 15, 0, tzinfo=dt.UTC)
ISSUE = "/credentials/issue"
VERIFY = "/credentials/verify"
PRESENTATIONS = "/presentations/verify"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin_token(cast) -> str:
    _, raw = api_token_create(user=cast.admin, name="SIS bridge")
    return raw


@pytest.fixture
def badge(cast):
    """The cast's participant's signed Open Badge."""
    credit_hours(cast.participant_enrollment)
    return issue_for(cast.participant_enrollment)


def example_credential(**changes: Any) -> dict[str, Any]:
    credential: dict[str, Any] = {
        "@context": [VC_V2, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:1b6d3f7e-6f0c-4a55-a1a4-8a1d2a3b4c5d",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Data Privacy Workshop",
        "validFrom": "2026-12-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:9a1f0f32-3c1a-4d4e-9f51-0b8f2a8c9e10",
                "type": ["Achievement"],
                "name": "Data Privacy Workshop",
                "description": "Six hours on student data privacy law.",
                "criteria": {"narrative": "Attended the whole workshop."},
            },
        },
    }
    credential.update(changes)
    return credential


def post_json(client, url: str, body: Any, *, token: str | None = None, raw: bytes | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", headers=headers)


def issue(client, token: str, credential: dict[str, Any], options: dict[str, Any] | None = None):
    return post_json(client, ISSUE, {"credential": credential, "options": options or {}}, token=token)


def problem_of(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == status
    return problem


# --- POST /credentials/issue ------------------------------------------------------------------------


def test_an_administrator_issues_a_credential_with_a_token(client, admin_token, cast):
    response = issue(client, admin_token, example_credential(), {"credentialId": "sis-4711"})

    assert response.status_code == 201
    signed = response.json()["verifiableCredential"]
    assert signed["issuer"] == issuer.web_did()
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"] == issuer.verification_method(issuer.active_signing_key())
    assert verify_document(signed).is_valid
    event = AuditEvent.objects.get(verb="credential.api_issued")
    assert event.actor == cast.admin
    assert event.data["id"] == "urn:uuid:1b6d3f7e-6f0c-4a55-a1a4-8a1d2a3b4c5d"
    assert event.data["credentialId"] == "sis-4711"
    assert event.data["token"] == ApiToken.objects.get().pk


def test_an_issuer_object_with_our_did_is_kept(client, admin_token):
    credential = example_credential(issuer={"id": issuer.web_did(), "type": ["Profile"], "name": "NCDPI"})

    response = issue(client, admin_token, credential)

    assert response.status_code == 201
    assert response.json()["verifiableCredential"]["issuer"]["name"] == "NCDPI"


def test_another_issuer_is_refused(client, admin_token):
    response = issue(client, admin_token, example_credential(issuer="did:example:someone-else"))

    problem = problem_of(response, 400)
    assert "is not this issuer" in problem["detail"]
    assert not AuditEvent.objects.filter(verb="credential.api_issued").exists()


def test_a_vc_11_credential_is_issued_with_the_data_integrity_context(client, admin_token):
    credential = example_credential()
    credential["@context"] = [VC_V1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    del credential["validFrom"]

    response = issue(client, admin_token, credential)

    assert response.status_code == 201
    signed = response.json()["verifiableCredential"]
    assert signed["@context"][-1] == DATA_INTEGRITY_V2
    assert signed["issuanceDate"] == "2026-12-04T15:00:00Z"
    assert verify_document(signed).is_valid


def test_issuing_without_a_token_is_401(client, db):
    response = issue(client, "", example_credential())

    problem_of(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="cecto"'


@pytest.mark.parametrize("header", ["Bearer cecto_not-a-real-token", "Basic YWRtaW46cGFzc3dvcmQ=", "Bearer"])
def test_a_wrong_token_or_scheme_is_401(client, admin_token, header):
    response = client.post(
        ISSUE,
        data=json.dumps({"credential": example_credential()}),
        content_type="application/json",
        headers={"Authorization": header},
    )

    assert response.status_code == 401


def test_a_revoked_token_is_401(client, cast):
    token, raw = api_token_create(user=cast.admin)
    api_token_revoke(token=token)

    assert issue(client, raw, example_credential()).status_code == 401


def test_a_token_of_someone_who_administers_nothing_is_403(client, cast):
    _, raw = api_token_create(user=cast.participant)

    problem = problem_of(issue(client, raw, example_credential()), 403)

    assert problem["detail"] == "Only programme administrators may issue credentials."


def test_a_superusers_token_issues(client, db):
    _, raw = api_token_create(user=UserFactory(username="root", is_superuser=True))

    assert issue(client, raw, example_credential()).status_code == 201


def test_malformed_json_is_400_with_line_and_column(client, admin_token):
    response = post_json(client, ISSUE, None, token=admin_token, raw=b'{"credential": {\n  "id": }')

    problem = problem_of(response, 400)
    assert problem["type"] == "https://www.w3.org/TR/vc-data-model#PARSING_ERROR"
    assert problem["detail"] == "Not valid JSON: Expecting value at line 2, column 9."


def test_an_undefined_term_is_refused(client, admin_token):
    credential = example_credential()
    credential["credentialSubject"]["favouriteColour"] = "teal"

    problem = problem_of(issue(client, admin_token, credential), 400)

    assert problem["type"] == "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR"
    assert "Undefined term" in problem["detail"]
    assert "favouriteColour" in problem["detail"]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"options": {}}, "The body has no credential."),
        ({"credential": "a string"}, "credential must be a JSON object."),
        ({"credential": example_credential(), "options": []}, "options must be a JSON object."),
        ({"credential": example_credential(type=["OpenBadgeCredential"])}, "The type must include"),
        (
            {"credential": example_credential(credentialSubject={})},
            "The credential has no credentialSubject.",
        ),
        ({"credential": {**example_credential(), "@context": ["https://example.org/x"]}}, "first @context"),
        ({"credential": {**example_credential(), "proof": {}}}, "already has a proof"),
        (
            {"credential": example_credential(validUntil="2026-01-01T00:00:00Z")},
            "validUntil is before validFrom",
        ),
        ({"credential": example_credential(validFrom="yesterday")}, "is not a date and time"),
    ],
)
def test_a_request_that_is_not_a_credential_is_400(client, admin_token, body, detail):
    problem = problem_of(post_json(client, ISSUE, body, token=admin_token), 400)

    assert detail in problem["detail"]


def test_an_unknown_option_is_400(client, admin_token):
    response = issue(client, admin_token, example_credential(), {"proofType": "Ed25519Signature2020"})

    problem = problem_of(response, 400)
    assert problem["type"] == "https://www.w3.org/TR/vc-api#UNKNOWN_OPTION_PROVIDED"
    assert "proofType" in problem["detail"]


def test_selective_disclosure_pointers_are_refused(client, admin_token):
    response = issue(client, admin_token, example_credential(), {"mandatoryPointers": ["/issuer"]})

    assert "selective disclosure" in problem_of(response, 400)["detail"]


def test_a_body_over_two_megabytes_is_413(client, admin_token):
    body = json.dumps({"credential": example_credential(padding="x" * (2 * 1024 * 1024))})

    response = post_json(client, ISSUE, None, token=admin_token, raw=body.encode())

    problem_of(response, 413)


@pytest.mark.parametrize("url", [ISSUE, VERIFY, PRESENTATIONS])
def test_only_post_is_allowed(client, db, url):
    assert client.get(url).status_code == 405
    assert client.put(url, data="{}", content_type="application/json").status_code == 405


@pytest.mark.parametrize("url", [ISSUE, VERIFY, PRESENTATIONS])
def test_the_routes_need_no_csrf_token(db, url):
    response = Client(enforce_csrf_checks=True).post(url, data="{}", content_type="application/json")

    assert response.status_code != 403


# --- POST /credentials/verify -------------------------------------------------------------------------


def verify(client, credential: Any, options: dict[str, Any] | None = None):
    return post_json(client, VERIFY, {"verifiableCredential": credential, "options": options or {}})


def test_a_valid_credential_verifies(client, badge):
    response = verify(client, json.loads(badge.document))

    assert response.status_code == 200
    result = response.json()
    assert result["verified"] is True
    assert result["status"] == "valid"
    assert result["checks"] == ["format", "proof", "issuer", "dates", "status"]
    assert result["errors"] == []
    assert result["warnings"] == []
    assert {"check": "status", "valid": True, "detail": "Not revoked."} in result["results"]


def test_a_tampered_credential_does_not_verify(client, badge):
    document = json.loads(badge.document)
    document["credentialSubject"]["creditsEarned"] = 99.0

    response = verify(client, document)

    assert response.status_code == 400
    result = response.json()
    assert result["verified"] is False
    assert result["errors"][0]["type"] == "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR"
    assert "The signature does not match" in result["errors"][0]["detail"]


def test_a_revoked_credential_does_not_verify(client, badge):
    credential_status_change(credential=badge, to_status="revoked", reason="Fraud", by=None)

    response = verify(client, json.loads(badge.document))

    assert response.status_code == 400
    result = response.json()
    assert result["verified"] is False
    assert result["status"] == "revoked"
    assert result["errors"] == [
        {
            "type": "https://www.w3.org/TR/vc-bitstring-status-list/#revocation",
            "title": "Revoked",
            "detail": "Revoked by the issuer.",
        }
    ]


def test_an_expired_credential_does_not_verify(client, admin_token):
    signed = issue(client, admin_token, example_credential(validUntil="2026-12-31T00:00:00Z")).json()[
        "verifiableCredential"
    ]

    with time_machine.travel(dt.datetime(2027, 1, 2, tzinfo=dt.UTC), tick=False):
        response = verify(client, signed)

    assert response.status_code == 400
    assert response.json()["status"] == "expired"
    assert response.json()["errors"][0]["title"] == "Expired"


def test_a_vc_11_credential_verifies(client, admin_token):
    credential = example_credential()
    credential["@context"] = [VC_V1, "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    del credential["validFrom"]
    signed = issue(client, admin_token, credential).json()["verifiableCredential"]

    response = verify(client, signed)

    assert response.status_code == 200
    assert response.json()["verified"] is True


def test_someone_elses_key_is_not_fetched_and_does_not_verify(client, db):
    private = Ed25519PrivateKey.generate()
    did = "did:web:issuer.example"
    unsigned = example_credential(issuer=did)
    signed = proofs.sign(unsigned, private, proofs.ProofOptions(f"{did}#key-1", NOW))

    result = verify(client, signed).json()

    assert result["verified"] is False
    assert "does not fetch other issuers' keys" in result["errors"][0]["detail"]


def test_verify_refuses_options_it_does_not_know(client, badge):
    problem = problem_of(verify(client, json.loads(badge.document), {"checks": ["proof"]}), 400)

    assert problem["type"] == "https://www.w3.org/TR/vc-api#UNKNOWN_OPTION_PROVIDED"


def test_verify_without_a_credential_is_400(client, db):
    assert "has no verifiableCredential" in problem_of(post_json(client, VERIFY, {}), 400)["detail"]


# --- POST /presentations/verify ------------------------------------------------------------------------


def presentation(*credentials: dict[str, Any], holder: str | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": list(credentials),
    }
    if holder:
        document["holder"] = holder
    return document


def holder_signed(document: dict[str, Any], *, challenge: str, domain: str) -> dict[str, Any]:
    """The presentation signed by a did:key holder, bound to CHALLENGE and DOMAIN."""
    key = Ed25519PrivateKey.generate()
    did = did_key_for(key.public_key())
    document = {**document, "holder": did}
    config = {
        **proofs.proof_configuration(
            proofs.ProofOptions(
                f"{did}#{public_key_multibase(key.public_key())}", NOW, proof_purpose="authentication"
            )
        ),
        "challenge": challenge,
        "domain": domain,
    }
    signature = key.sign(proofs.hash_data(document, config))
    return {**document, "proof": {**config, "proofValue": multibase_encode(signature)}}


def verify_presentation(client, document: dict[str, Any], **options: Any):
    return post_json(client, PRESENTATIONS, {"verifiablePresentation": document, "options": options})


def test_an_unsigned_presentation_of_a_valid_credential_verifies(client, badge):
    response = verify_presentation(client, presentation(json.loads(badge.document)))

    assert response.status_code == 200
    assert response.json() == {"verified": True, "problemDetails": [], "results": {"proof": []}}


def test_a_holder_signed_presentation_verifies_with_its_challenge_and_domain(client, badge):
    signed = holder_signed(presentation(json.loads(badge.document)), challenge="c-123", domain="hr.example")

    result = verify_presentation(
        client, signed, challenge="c-123", domain="hr.example", returnPresentation=True
    ).json()

    assert result["verified"] is True
    assert result["results"]["challenge"] == {"valid": True, "input": "c-123"}
    assert result["results"]["domain"] == {"valid": True, "input": "hr.example"}
    assert result["results"]["proof"][0]["valid"] is True
    assert result["verifiablePresentation"] == signed


def test_a_wrong_challenge_does_not_verify(client, badge):
    signed = holder_signed(presentation(json.loads(badge.document)), challenge="c-123", domain="hr.example")

    response = verify_presentation(client, signed, challenge="replayed")

    assert response.status_code == 200
    result = response.json()
    assert result["verified"] is False
    assert result["results"]["challenge"] == {"valid": False, "input": "replayed"}
    assert result["problemDetails"][0]["instance"] == "#/proof"
    assert "verifiablePresentation" not in result


def test_a_presentation_of_a_tampered_credential_does_not_verify(client, badge):
    document = json.loads(badge.document)
    document["name"] = "Something grander"

    result = verify_presentation(client, presentation(document)).json()

    assert result["verified"] is False
    assert result["problemDetails"][0]["instance"] == "#/verifiableCredential/0"
    assert result["problemDetails"][0]["title"] == "CRYPTOGRAPHIC_SECURITY_ERROR"


def test_something_that_is_not_a_presentation_is_400(client, badge):
    response = verify_presentation(client, json.loads(badge.document))

    assert response.status_code == 400
    assert response.json()["verified"] is False


def test_a_challenge_that_is_not_a_string_is_400(client, badge):
    response = verify_presentation(client, presentation(json.loads(badge.document)), challenge=42)

    assert "options.challenge must be a string." in problem_of(response, 400)["detail"]


# --- did:web and status lists ----------------------------------------------------------------------------


def test_the_did_document_lists_active_and_retired_keys_and_old_credentials_still_verify(client, badge):
    first = badge.signing_key
    issuer.signing_key_create()
    latest = issuer.signing_key_create()

    response = client.get("/.well-known/did.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    did = issuer.web_did()
    assert document["id"] == did
    methods = [method["id"] for method in document["verificationMethod"]]
    assert len(methods) == 3
    assert methods[0] == f"{did}#{first.key_id}"
    assert methods[-1] == f"{did}#{latest.key_id}"
    assert document["assertionMethod"] == methods
    assert verify(client, json.loads(badge.document)).json()["verified"] is True


def test_the_status_list_is_served_signed_and_cached_for_a_minute(client, badge):
    number = badge.status_list.number

    response = client.get(reverse("web:status-list", args=[number, "revocation"]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    document = response.json()
    assert document["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert document["credentialSubject"]["statusPurpose"] == "revocation"
    assert verify_document(document).is_valid


@pytest.mark.parametrize(("number", "purpose"), [(99, "revocation"), (1, "refresh")])
def test_an_unknown_status_list_is_404(client, badge, number, purpose):
    assert client.get(reverse("web:status-list", args=[number, purpose])).status_code == 404


# --- API tokens ------------------------------------------------------------------------------------------


def test_the_command_prints_a_token_once_and_stores_only_its_hash(cast):
    out, err = io.StringIO(), io.StringIO()

    call_command("api_token", "create", "--user", "admin", "--name", "SIS", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert raw.startswith("cecto_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest() == token_hash(raw)
    assert raw not in {getattr(token, field.attname) for field in ApiToken._meta.concrete_fields}
    assert (token.user, token.name) == (cast.admin, "SIS")
    assert "shown once" in err.getvalue()


def test_the_command_revokes_and_lists_tokens(cast):
    token, raw = api_token_create(user=cast.admin, name="old")
    out = io.StringIO()

    call_command("api_token", "revoke", "--id", str(token.pk), stdout=out)
    call_command("api_token", "list", "--user", "admin", stdout=out)

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert f"Token {token.pk} (" in out.getvalue()
    assert "revoked 2026-12-04" in out.getvalue()
    assert raw not in out.getvalue()
    with pytest.raises(CommandError, match="was revoked on 2026-12-04"):
        call_command("api_token", "revoke", "--id", str(token.pk))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--user", "nobody"], "No login named 'nobody'."),
        (["revoke", "--id", "999"], "No token 999."),
    ],
)
def test_the_command_names_what_it_cannot_find(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("api_token", *args)


def test_an_inactive_login_gets_no_token(db):
    PersonFactory(user=UserFactory(username="gone", is_active=False))

    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", "create", "--user", "gone")


# --- Problem details and the edges of the routes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("check", "status", "expected_type", "title"),
    [
        (Check("json", False, "x"), "invalid", "https://www.w3.org/TR/vc-data-model#PARSING_ERROR", None),
        (
            Check("format", False, "x"),
            "invalid",
            "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
            None,
        ),
        (
            Check("embedded", False, "x"),
            "invalid",
            "https://www.w3.org/TR/vc-data-model#CRYPTOGRAPHIC_SECURITY_ERROR",
            None,
        ),
        (
            Check("status", False, "Suspended by the issuer."),
            "suspended",
            "https://www.w3.org/TR/vc-bitstring-status-list/#suspension",
            "Suspended",
        ),
        (
            Check("status", False, "The revocation status list does not verify"),
            "invalid",
            "https://www.w3.org/TR/vc-bitstring-status-list/#STATUS_VERIFICATION_ERROR",
            None,
        ),
        (
            Check("dates", False, "Not valid before 2030."),
            "not yet valid",
            "https://www.w3.org/TR/vc-data-model-2.0/#validity-period",
            "Not yet valid",
        ),
        (
            Check("dates", False, "validFrom 'x' is not a date and time."),
            "invalid",
            "https://www.w3.org/TR/vc-data-model#MALFORMED_VALUE_ERROR",
            None,
        ),
    ],
)
def test_each_failed_check_becomes_a_problem_of_its_type(check, status, expected_type, title):
    problem = check_problem(check, status)

    assert problem["type"] == expected_type
    assert problem["title"] == (title or expected_type.rsplit("#", 1)[1])
    assert problem["detail"] == check.detail


def test_warnings_become_problems_too():
    assert warning_problem("The revocation status list 'x' is not one cecto can read offline")["type"] == (
        "https://www.w3.org/TR/vc-bitstring-status-list/#STATUS_RETRIEVAL_ERROR"
    )
    assert warning_problem("Something else.") == {
        "type": "about:blank",
        "title": "Not checked",
        "detail": "Something else.",
    }


def test_a_status_list_elsewhere_is_a_warning_not_an_error(client, admin_token):
    elsewhere = "https://status.example/lists/1"
    entry = {
        "id": f"{elsewhere}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": elsewhere,
    }
    signed = issue(client, admin_token, example_credential(credentialStatus=entry)).json()[
        "verifiableCredential"
    ]

    response = verify(client, signed)

    assert response.status_code == 200
    result = response.json()
    assert result["verified"] is True
    assert result["warnings"][0]["title"] == "STATUS_RETRIEVAL_ERROR"


def test_an_issuer_object_without_an_id_gets_ours(client, admin_token):
    response = issue(client, admin_token, example_credential(issuer={"type": ["Profile"], "name": "NCDPI"}))

    assert response.json()["verifiableCredential"]["issuer"] == {
        "id": issuer.web_did(),
        "type": ["Profile"],
        "name": "NCDPI",
    }


# --- The admin's token list --------------------------------------------------------------------------------


def test_a_superuser_lists_and_revokes_tokens_in_the_admin(client, cast):
    token, _ = api_token_create(user=cast.admin, name="SIS bridge")
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    url = reverse("admin:core_apitoken_changelist")

    listing = client.get(url)
    revoked = client.post(url, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)

    assert listing.status_code == 200
    assert "SIS bridge" in listing.content.decode()
    assert "1 token revoked." in revoked.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(reverse("admin:core_apitoken_add")).status_code == 403
    detail = client.get(reverse("admin:core_apitoken_change", args=[token.pk])).content.decode()
    assert token.token_hash not in detail
    assert AuditEvent.objects.filter(verb="api_token.revoked", actor=root).exists()


def test_staff_see_only_their_own_tokens_in_the_admin(client, cast):
    api_token_create(user=cast.admin, name="Mine")
    api_token_create(user=UserFactory(username="other"), name="Theirs")
    cast.admin.user_permissions.add(Permission.objects.get(codename="view_apitoken"))
    client.force_login(cast.admin)

    html = client.get(reverse("admin:core_apitoken_changelist")).content.decode()

    assert "Mine" in html
    assert "Theirs" not in html
