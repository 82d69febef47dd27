"""Every verdict verification gives, each with a reason a person can read. Pure: no database."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from cecto.credentials import documents, proofs, status_list, verification
from cecto.credentials.jsonld import DATA_INTEGRITY_V2, VC_V1, VC_V2, JsonLdRefused
from cecto.credentials.multikey import multibase_encode, public_key_from_did_key
from cecto.credentials.tests.support import (
    LIST_URL,
    NOW,
    LocalIssuer,
    status_entries,
    transcript_facts,
    vector_json,
    vector_resolver,
)
from cecto.credentials.verification import parse_json, verify_credential, verify_presentation

INDEX = 17  # the index support.award_facts gives its credential


@pytest.fixture
def issuer() -> LocalIssuer:
    issuer = LocalIssuer()
    issuer.publish_list("revocation")
    issuer.publish_list("suspension")
    return issuer


def failed(verdict: verification.Verdict) -> dict[str, str]:
    return {check.name: check.detail for check in verdict.checks if not check.ok}


# --- Valid ---------------------------------------------------------------------------------------


def test_a_freshly_issued_open_badge_is_valid(issuer):
    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "valid"
    assert verdict.is_valid is True
    assert verdict.errors == ()
    assert verdict.warnings == ()
    assert [check.name for check in verdict.checks] == [
        "format",
        "proof",
        "issuer",
        "dates",
        "status",
        "status",
    ]
    assert verdict.checks[1].detail == f"Signed with {issuer.method}."
    assert verdict.checks[2].detail == f"Issued by {issuer.did}."
    assert verdict.summary == "Valid: the signature, issuer, dates and status all check out."


def test_a_valid_verdict_carries_the_document(issuer):
    document = issuer.open_badge()

    assert issuer.verify(document).document == document


# --- Tampered, undefined, wrong key ------------------------------------------------------------


def test_a_tampered_credential_is_invalid(issuer):
    document = issuer.open_badge()
    document["credentialSubject"]["achievement"]["name"] = "Certified Education Technology Leader (Hons)"

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert failed(verdict) == {
        "proof": "The signature does not match: the credential was changed after it was signed, "
        "or it was signed with another key."
    }
    assert verdict.summary.startswith("Invalid: The signature does not match")


def test_an_extra_undefined_property_is_refused_by_name(issuer):
    document = issuer.open_badge()
    document["credentialSubject"]["foo"] = "anything the signature would not cover"

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert "Undefined term 'foo'" in failed(verdict)["proof"]


def test_an_undefined_property_signed_in_is_refused_too(issuer):
    unsigned = issuer.open_badge(sign=False)
    unsigned["foo"] = "bar"

    with pytest.raises(JsonLdRefused, match="Undefined term 'foo'"):
        issuer.sign(unsigned)


def test_an_undefined_type_is_refused_by_name(issuer):
    document = issuer.open_badge()
    document["type"] = [*document["type"], "DiplomaCredential"]

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert "Undefined type 'DiplomaCredential'" in failed(verdict)["proof"]


def test_a_credential_signed_with_another_key_is_invalid(issuer):
    impostor = LocalIssuer()
    unsigned = issuer.open_badge(sign=False)
    # The impostor signs but claims the issuer's verification method.
    proof = proofs.proof_configuration(proofs.ProofOptions(issuer.method, NOW))
    signature = impostor.key.sign(proofs.hash_data(unsigned, proof))
    forged = {**unsigned, "proof": {**proof, "proofValue": multibase_encode(signature)}}

    verdict = issuer.verify(forged)

    assert verdict.status == "invalid"
    assert "signed with another key" in failed(verdict)["proof"]


def test_a_credential_signed_by_a_key_that_is_not_the_issuers_is_invalid(issuer):
    impostor = LocalIssuer()
    # A valid signature, by a key that belongs to someone other than the named issuer.
    document = impostor.sign(issuer.open_badge(sign=False))

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert failed(verdict)["issuer"] == f"The key belongs to {impostor.did}, not to the issuer {issuer.did}."
    assert next(check for check in verdict.checks if check.name == "proof").ok is True


def test_an_unknown_verification_method_is_invalid(issuer):
    verdict = verify_credential(
        vector_json("ob3", "signed.json"),
        resolve_key=public_key_from_did_key,
        resolve_list=issuer.resolve_list,
    )

    assert verdict.status == "invalid"
    assert "is not a did:key verification method" in failed(verdict)["proof"]


def test_the_published_ob3_example_verifies_with_its_issuers_key():
    verdict = verify_credential(
        vector_json("ob3", "signed.json"), resolve_key=vector_resolver, resolve_list=lambda url: None
    )

    assert verdict.status == "valid"
    assert failed(verdict) == {}


# --- Status --------------------------------------------------------------------------------------


def test_a_revoked_credential_is_revoked(issuer):
    issuer.publish_list("revocation", (INDEX,))

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "revoked"
    assert verdict.errors == ("Revoked by the issuer.",)
    assert verdict.summary == "Revoked: Revoked by the issuer."


def test_a_suspended_credential_is_suspended(issuer):
    issuer.publish_list("suspension", (INDEX,))

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "suspended"
    assert verdict.errors == ("Suspended by the issuer.",)


def test_revocation_outranks_suspension_and_expiry(issuer):
    issuer.publish_list("revocation", (INDEX,))
    issuer.publish_list("suspension", (INDEX,))
    document = issuer.open_badge(valid_until=NOW - timedelta(days=1))

    verdict = issuer.verify(document)

    assert verdict.status == "revoked"
    assert set(verdict.errors) >= {"Revoked by the issuer.", "Suspended by the issuer."}


def test_another_index_flagged_leaves_the_credential_valid(issuer):
    issuer.publish_list("revocation", (INDEX - 1, INDEX + 1, 0))

    assert issuer.verify(issuer.open_badge()).status == "valid"


def test_a_status_list_it_cannot_read_offline_is_a_warning_not_a_failure(issuer):
    document = issuer.open_badge(status_entries=status_entries(INDEX, base="https://elsewhere.example/s"))

    verdict = issuer.verify(document)

    assert verdict.status == "valid"
    assert verdict.warnings == (
        "The revocation status list 'https://elsewhere.example/s/revocation' is not one cecto can read "
        "offline; status not checked.",
        "The suspension status list 'https://elsewhere.example/s/suspension' is not one cecto can read "
        "offline; status not checked.",
    )


def test_a_status_list_from_another_issuer_is_invalid(issuer):
    LocalIssuer(lists=issuer.lists).publish_list("revocation")

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "invalid"
    assert (
        failed(verdict)["status"] == "The revocation status list was not issued by the credential's issuer."
    )


def test_a_tampered_status_list_is_invalid(issuer):
    listed = issuer.lists[f"{LIST_URL}/revocation"]
    listed["credentialSubject"]["encodedList"] = status_list.encode(status_list.bitstring([INDEX + 1]))

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "invalid"
    assert failed(verdict)["status"].startswith("The revocation status list does not verify: The signature")


def test_a_status_list_for_another_purpose_is_invalid(issuer):
    issuer.publish_list("revocation", subject_purpose="suspension")

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "invalid"
    assert failed(verdict)["status"] == (
        f"The status list at {LIST_URL}/revocation is for 'suspension', not 'revocation'."
    )


def test_a_status_list_that_is_too_small_is_invalid(issuer):
    issuer.publish_list("revocation", size=1024)

    verdict = issuer.verify(issuer.open_badge())

    assert verdict.status == "invalid"
    assert "the minimum is 131072" in failed(verdict)["status"]


def test_a_status_index_that_is_not_a_number_is_invalid(issuer):
    entries = [dict(entry, statusListIndex="seventeen") for entry in status_entries(INDEX)]
    document = issuer.open_badge(status_entries=tuple(entries))

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert failed(verdict)["status"] == "statusListIndex is not a number."


def test_an_unsupported_status_entry_is_a_warning(issuer):
    entry = {"id": f"{LIST_URL}/x#1", "type": "StatusList2021Entry"}
    unsigned = issuer.open_badge(sign=False)
    context = {"StatusList2021Entry": "https://w3id.org/vc/status-list#StatusList2021Entry"}
    document = issuer.sign(
        {**unsigned, "@context": [*unsigned["@context"], context], "credentialStatus": entry}
    )

    verdict = issuer.verify(document)

    assert verdict.status == "valid"
    assert verdict.warnings == ("A credentialStatus entry of an unsupported type was not checked.",)


def test_another_purpose_flagged_is_a_warning(issuer):
    issuer.publish_list("refresh", (INDEX,))
    entry = status_list.status_entry(f"{LIST_URL}/refresh", "refresh", INDEX)
    document = issuer.open_badge(status_entries=(entry,))

    verdict = issuer.verify(document)

    assert verdict.status == "valid"
    assert verdict.warnings == ("The issuer set the 'refresh' status.",)


# --- Dates ---------------------------------------------------------------------------------------


def test_a_credential_past_its_valid_until_is_expired(issuer):
    document = issuer.open_badge(valid_until=NOW - timedelta(days=1))

    verdict = issuer.verify(document)

    assert verdict.status == "expired"
    assert failed(verdict) == {"dates": "Expired on 2026-05-31T12:00:00Z."}


def test_a_credential_is_valid_until_the_moment_it_expires(issuer):
    document = issuer.open_badge(valid_until=NOW)

    assert issuer.verify(document, now=NOW).status == "valid"
    assert issuer.verify(document, now=NOW + timedelta(seconds=1)).status == "expired"


def test_a_credential_before_its_valid_from_is_not_yet_valid(issuer):
    document = issuer.open_badge(valid_from=NOW + timedelta(days=1))

    verdict = issuer.verify(document)

    assert verdict.status == "not yet valid"
    assert failed(verdict) == {"dates": "Not valid before 2026-06-02T12:00:00Z."}


def test_a_credential_without_expiry_says_so(issuer):
    verdict = issuer.verify(issuer.open_badge(valid_until=None))

    assert next(check for check in verdict.checks if check.name == "dates").detail == "No expiry."


def test_a_malformed_date_is_invalid(issuer):
    document = issuer.sign({**issuer.open_badge(sign=False), "validUntil": "next year"})

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert failed(verdict) == {"dates": "validUntil 'next year' is not a date and time."}


def test_a_tampered_credential_is_invalid_even_when_expired_too(issuer):
    document = issuer.open_badge(valid_until=NOW - timedelta(days=1))
    document["name"] = "Forged"

    assert issuer.verify(document).status == "invalid"


# --- Format --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        pytest.param({"type": ["OpenBadgeCredential"]}, "does not include VerifiableCredential", id="type"),
        pytest.param({"issuer": None}, "names no issuer", id="issuer"),
        pytest.param({"credentialSubject": "Ada"}, "has no credentialSubject", id="subject"),
    ],
)
def test_a_credential_missing_what_a_credential_needs_is_invalid(issuer, change, reason):
    document = {**issuer.open_badge(sign=False), **change}

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert reason in failed(verdict)["format"]


def test_a_credential_on_another_first_context_is_invalid(issuer):
    document = issuer.open_badge(sign=False)
    document["@context"] = list(reversed(document["@context"]))

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert f"The first @context must be {VC_V2}" in failed(verdict)["format"]


@pytest.mark.parametrize("value", [[1, 2], "a credential", None])
def test_what_is_not_an_object_is_invalid(issuer, value):
    verdict = issuer.verify(value)

    assert verdict.status == "invalid"
    assert verdict.errors == ("A credential must be a JSON object.",)


def test_an_unsigned_credential_is_invalid(issuer):
    verdict = issuer.verify(issuer.open_badge(sign=False))

    assert verdict.status == "invalid"
    assert failed(verdict) == {"proof": "The document has no proof."}


# --- Malformed JSON ------------------------------------------------------------------------------


def test_malformed_json_is_refused_with_its_line_and_column():
    text = '{\n  "@context": ["https://www.w3.org/ns/credentials/v2"],\n  "name": "Ada",\n}\n'

    with pytest.raises(JsonLdRefused) as refused:
        parse_json(text)

    assert str(refused.value) == (
        "Not valid JSON: Expecting property name enclosed in double quotes at line 4, column 1."
    )


def test_json_that_is_not_an_object_is_refused():
    with pytest.raises(JsonLdRefused, match="must be a JSON object"):
        parse_json("[1, 2]")


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(JsonLdRefused, match="not UTF-8"):
        parse_json(b'{"name": "\xff\xfe"}')


def test_a_document_too_large_is_refused_before_parsing():
    with pytest.raises(JsonLdRefused, match="larger than 2 MB"):
        parse_json(b" " * (verification.MAX_DOCUMENT_BYTES + 1))


def test_parse_json_reads_bytes_and_text():
    assert parse_json(b'{"a": 1}') == parse_json('{"a": 1}') == {"a": 1}


# --- VC 1.1 input --------------------------------------------------------------------------------


def vc_1_1(issuer: LocalIssuer, **changes: Any) -> dict[str, Any]:
    document = {
        "@context": [VC_V1, DATA_INTEGRITY_V2],
        "id": "urn:uuid:9f1d7c1e-2b9a-4c55-8e8b-0d9d1c3e7a11",
        "type": ["VerifiableCredential"],
        "issuer": issuer.did,
        "issuanceDate": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21"},
    }
    document.update(changes)
    return {key: value for key, value in document.items() if value is not None}


def test_a_vc_1_1_credential_verifies(issuer):
    verdict = issuer.verify(issuer.sign(vc_1_1(issuer)))

    assert verdict.status == "valid"
    assert failed(verdict) == {}


def test_a_vc_1_1_credential_past_its_expiration_date_is_expired(issuer):
    verdict = issuer.verify(issuer.sign(vc_1_1(issuer, expirationDate="2026-01-01T00:00:00Z")))

    assert verdict.status == "expired"
    assert failed(verdict) == {"dates": "Expired on 2026-01-01T00:00:00Z."}


def test_a_vc_1_1_credential_before_its_issuance_date_is_not_yet_valid(issuer):
    verdict = issuer.verify(issuer.sign(vc_1_1(issuer, issuanceDate="2027-01-01T00:00:00Z")))

    assert verdict.status == "not yet valid"


def test_a_vc_1_1_credential_needs_an_issuance_date(issuer):
    verdict = issuer.verify(issuer.sign(vc_1_1(issuer, issuanceDate=None)))

    assert verdict.status == "invalid"
    assert failed(verdict) == {"dates": "A VC 1.1 credential must have an issuanceDate."}


def test_a_tampered_vc_1_1_credential_is_invalid(issuer):
    document = issuer.sign(vc_1_1(issuer))
    document["issuanceDate"] = "2025-01-02T00:00:00Z"

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert "The signature does not match" in failed(verdict)["proof"]


# --- CLR -----------------------------------------------------------------------------------------


def transcript(issuer: LocalIssuer, badges: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    return issuer.sign(documents.clr_credential(transcript_facts(issuer.profile, badges)))


def badge(issuer: LocalIssuer, number: int) -> dict[str, Any]:
    facts = {
        "credential_id": f"https://cecto.example/credentials/{number}/",
        "status_entries": status_entries(number),
    }
    document = issuer.open_badge(sign=False, **facts)
    return issuer.sign({**document, "name": f"Badge {number}"})


def test_a_transcript_with_valid_badges_is_valid(issuer):
    verdict = issuer.verify(transcript(issuer, (badge(issuer, 1), badge(issuer, 2))))

    assert verdict.status == "valid"
    embedded = [check for check in verdict.checks if check.name == "embedded"]
    assert [check.detail for check in embedded] == [
        "Embedded 'Badge 1' is valid.",
        "Embedded 'Badge 2' is valid.",
    ]


def test_a_transcript_with_a_tampered_badge_is_invalid_and_names_it(issuer):
    tampered = badge(issuer, 2)
    tampered["credentialSubject"]["creditsEarned"] = 99.0
    # The transcript's own signature covers the tampered badge: only the badge's proof can tell.
    verdict = issuer.verify(transcript(issuer, (badge(issuer, 1), tampered)))

    assert verdict.status == "invalid"
    assert next(check for check in verdict.checks if check.name == "proof").ok is True
    assert failed(verdict) == {
        "embedded": "Embedded 'Badge 2': The signature does not match: the credential "
        "was changed after it was signed, or it was signed with another key."
    }


def test_a_transcript_with_a_revoked_badge_is_invalid_and_names_it(issuer):
    issuer.publish_list("revocation", (2,))

    verdict = issuer.verify(transcript(issuer, (badge(issuer, 1), badge(issuer, 2))))

    assert verdict.status == "invalid"
    assert failed(verdict) == {"embedded": "Embedded 'Badge 2': Revoked by the issuer."}


def test_a_tampered_transcript_is_invalid(issuer):
    document = transcript(issuer, (badge(issuer, 1),))
    document["description"] = "10 achievements"

    assert "The signature does not match" in failed(issuer.verify(document))["proof"]


def test_a_transcript_embedding_too_many_credentials_is_refused_unread(issuer):
    document = documents.clr_credential(transcript_facts(issuer.profile, ()))
    document["credentialSubject"]["verifiableCredential"] = [{"name": "x"}] * (verification.MAX_EMBEDDED + 1)

    verdict = issuer.verify(document)

    assert verdict.status == "invalid"
    assert failed(verdict)["embedded"] == "More than 100 embedded credentials."


def test_an_embedded_value_that_is_not_a_credential_is_named_by_its_position(issuer):
    document = documents.clr_credential(transcript_facts(issuer.profile, (badge(issuer, 1),)))
    document["credentialSubject"]["verifiableCredential"] = [badge(issuer, 1), "eyJhbGciOi..."]

    verdict = issuer.verify(issuer.sign(copy.deepcopy(document)))

    assert failed(verdict) == {"embedded": "Embedded 'credential 2': A credential must be a JSON object."}


# --- Presentations -------------------------------------------------------------------------------


def presentation(credentials: list[Any], **changes: Any) -> dict[str, Any]:
    return {
        "@context": [VC_V2],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": credentials,
        **changes,
    }


def holder_signed(
    holder: LocalIssuer, document: dict[str, Any], *, challenge: str | None = None, domain: str | None = None
) -> dict[str, Any]:
    options = proofs.ProofOptions(holder.method, NOW, proof_purpose="authentication")
    proof = proofs.proof_configuration(options)
    if challenge is not None:
        proof["challenge"] = challenge
    if domain is not None:
        proof["domain"] = domain
    signature = holder.key.sign(proofs.hash_data(document, proof))
    return {**document, "proof": {**proof, "proofValue": multibase_encode(signature)}}


def verify_vp(issuer: LocalIssuer, document: Any, **kwargs: Any) -> verification.PresentationVerdict:
    return verify_presentation(
        document, resolve_key=public_key_from_did_key, resolve_list=issuer.resolve_list, now=NOW, **kwargs
    )


def test_an_unsigned_presentation_of_two_credentials_is_valid(issuer):
    verdict = verify_vp(issuer, presentation([badge(issuer, 1), badge(issuer, 2)]))

    assert verdict.is_valid is True
    assert [v.status for v in verdict.credentials] == ["valid", "valid"]
    assert verdict.presentation.checks[0].detail == "The presentation is not signed (no holder binding)."


def test_a_presentation_is_invalid_when_one_credential_is(issuer):
    issuer.publish_list("revocation", (2,))

    verdict = verify_vp(issuer, presentation([badge(issuer, 1), badge(issuer, 2)]))

    assert verdict.is_valid is False
    assert verdict.presentation.is_valid is True
    assert [v.status for v in verdict.credentials] == ["valid", "revoked"]


def test_a_presentation_may_hold_one_credential_not_in_a_list(issuer):
    verdict = verify_vp(issuer, presentation(badge(issuer, 1)))  # type: ignore[arg-type]

    assert [v.status for v in verdict.credentials] == ["valid"]


def test_a_presentation_signed_by_its_holder_with_the_right_challenge_is_valid(issuer):
    holder = LocalIssuer()
    document = holder_signed(
        holder, presentation([badge(issuer, 1)], holder=holder.did), challenge="c-123", domain="cecto.example"
    )

    verdict = verify_vp(issuer, document, challenge="c-123", domain="cecto.example")

    assert verdict.is_valid is True
    assert verdict.presentation.checks[0].detail == "The holder signed the presentation."


def test_a_presentation_signed_by_someone_other_than_its_holder_is_invalid(issuer):
    holder, impostor = LocalIssuer(), LocalIssuer()
    document = holder_signed(impostor, presentation([badge(issuer, 1)], holder=holder.did), challenge="c-1")

    verdict = verify_vp(issuer, document, challenge="c-1")

    assert verdict.is_valid is False
    assert verdict.presentation.errors == (f"Signed by {impostor.did}, not by the holder {holder.did}.",)


def test_a_holder_may_be_an_object_with_an_id(issuer):
    holder = LocalIssuer()
    document = holder_signed(holder, presentation([badge(issuer, 1)], holder={"id": holder.did}))

    assert verify_vp(issuer, document).is_valid is True


def test_a_presentation_with_the_wrong_challenge_is_invalid(issuer):
    holder = LocalIssuer()
    document = holder_signed(holder, presentation([badge(issuer, 1)], holder=holder.did), challenge="c-123")

    verdict = verify_vp(issuer, document, challenge="c-456")

    assert verdict.is_valid is False
    assert verdict.presentation.errors == ("The presentation's challenge does not match.",)


def test_a_presentation_with_the_wrong_domain_is_invalid(issuer):
    holder = LocalIssuer()
    document = holder_signed(holder, presentation([badge(issuer, 1)], holder=holder.did), domain="a.example")

    verdict = verify_vp(issuer, document, domain="b.example")

    assert verdict.presentation.errors == ("The presentation's domain does not match.",)


def test_a_challenge_cannot_be_met_by_an_unsigned_presentation(issuer):
    verdict = verify_vp(issuer, presentation([badge(issuer, 1)]), challenge="c-123")

    assert verdict.is_valid is False
    assert verdict.presentation.errors == ("A challenge was given but the presentation is not signed.",)


def test_a_presentation_whose_challenge_was_changed_is_invalid(issuer):
    holder = LocalIssuer()
    document = holder_signed(holder, presentation([badge(issuer, 1)], holder=holder.did), challenge="c-123")
    document["proof"]["challenge"] = "c-456"

    verdict = verify_vp(issuer, document, challenge="c-456")

    assert verdict.is_valid is False
    assert "The signature does not match" in verdict.presentation.errors[0]


def test_a_presentation_signed_for_assertion_is_not_a_holders_proof(issuer):
    holder = LocalIssuer()
    document = holder.sign(presentation([badge(issuer, 1)], holder=holder.did))

    verdict = verify_vp(issuer, document)

    assert verdict.presentation.errors == ("The proof's purpose is 'assertionMethod', not 'authentication'.",)


@pytest.mark.parametrize("document", [presentation([]) | {"type": ["VerifiableCredential"]}, [], "vp"])
def test_what_is_not_a_presentation_is_invalid(issuer, document):
    verdict = verify_vp(issuer, document)

    assert verdict.is_valid is False
    assert verdict.presentation.errors == ("Not a VerifiablePresentation (its type must include it).",)
    assert verdict.credentials == ()
