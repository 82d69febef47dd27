"""eddsa-rdfc-2022 proofs: the published golden vectors byte for byte, and every way a proof fails."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cecto.credentials import proofs
from cecto.credentials.jsonld import JsonLdRefused, canonicalize
from cecto.credentials.multikey import KeyRefused, multibase_decode, multibase_encode
from cecto.credentials.tests.support import (
    CLR2_PROOF_VALUE,
    OB3_PROOF_VALUE,
    VECTOR_CREATED,
    VECTOR_METHOD,
    VECTOR_OPTIONS,
    flip_one_character,
    string_paths,
    vector_json,
    vector_key,
    vector_resolver,
    vector_text,
    with_change,
)

VECTORS = ("ob3", "clr2")
PROOF_VALUES = {"ob3": OB3_PROOF_VALUE, "clr2": CLR2_PROOF_VALUE}


# --- Golden vectors ----------------------------------------------------------------------------


@pytest.mark.parametrize("folder", VECTORS)
def test_it_reproduces_the_canonical_document(folder):
    canonical = canonicalize(vector_json(folder, "unsigned.json"))

    assert canonical == vector_text(folder, "document-canon.txt")


def test_the_ob3_canonical_document_has_the_published_hash():
    canonical = canonicalize(vector_json("ob3", "unsigned.json"))

    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest().startswith("87f65a76")


@pytest.mark.parametrize("folder", VECTORS)
def test_it_reproduces_the_canonical_proof_configuration(folder):
    document = vector_json(folder, "unsigned.json")
    config = {**proofs.proof_configuration(VECTOR_OPTIONS), "@context": document["@context"]}

    assert canonicalize(config) == vector_text(folder, "proof-canon.txt")


@pytest.mark.parametrize("folder", VECTORS)
def test_it_reproduces_the_proof_value(folder):
    signed = proofs.sign(vector_json(folder, "unsigned.json"), vector_key(), VECTOR_OPTIONS)

    assert signed["proof"] == {
        "type": "DataIntegrityProof",
        "created": "2010-01-01T19:23:24Z",
        "verificationMethod": VECTOR_METHOD,
        "cryptosuite": "eddsa-rdfc-2022",
        "proofPurpose": "assertionMethod",
        "proofValue": PROOF_VALUES[folder],
    }


@pytest.mark.parametrize("folder", VECTORS)
def test_hash_data_is_the_two_canonical_hashes(folder):
    document = vector_json(folder, "unsigned.json")

    hashed = proofs.hash_data(document, proofs.proof_configuration(VECTOR_OPTIONS))

    assert hashed == (
        hashlib.sha256(vector_text(folder, "proof-canon.txt").encode()).digest()
        + hashlib.sha256(vector_text(folder, "document-canon.txt").encode()).digest()
    )


def test_the_signed_ob3_vector_is_the_unsigned_one_with_its_proof():
    signed = proofs.sign(vector_json("ob3", "unsigned.json"), vector_key(), VECTOR_OPTIONS)

    assert signed == vector_json("ob3", "signed.json")


def test_the_published_signed_ob3_credential_verifies():
    check = proofs.verify(vector_json("ob3", "signed.json"), vector_resolver)

    assert check == proofs.ProofCheck(verification_method=VECTOR_METHOD, created="2010-01-01T19:23:24Z")


def test_the_signed_clr2_vector_verifies():
    signed = proofs.sign(vector_json("clr2", "unsigned.json"), vector_key(), VECTOR_OPTIONS)

    assert proofs.verify(signed, vector_resolver).verification_method == VECTOR_METHOD


def test_signing_does_not_change_its_input():
    document = vector_json("ob3", "unsigned.json")

    proofs.sign(document, vector_key(), VECTOR_OPTIONS)

    assert document == vector_json("ob3", "unsigned.json")


# --- Tampering ---------------------------------------------------------------------------------

SIGNED_OB3 = vector_json("ob3", "signed.json")
DOCUMENT_FIELDS = [path for path in string_paths(SIGNED_OB3) if path[0] != "proof"]


def test_every_value_of_the_vector_is_covered_by_the_tamper_tests():
    # A guard on the parametrization below: eleven values outside the proof, none forgotten.
    assert len(DOCUMENT_FIELDS) == 11
    assert ("credentialSubject", "achievement", "criteria", "narrative") in DOCUMENT_FIELDS


@pytest.mark.parametrize("path", DOCUMENT_FIELDS, ids=lambda path: ".".join(map(str, path)))
def test_flipping_one_character_of_any_field_breaks_the_signature(path):
    tampered = with_change(SIGNED_OB3, path, flip_one_character)
    assert tampered != SIGNED_OB3

    with pytest.raises(proofs.ProofInvalid, match="The signature does not match"):
        proofs.verify(tampered, vector_resolver)


@pytest.mark.parametrize("field", ["created", "proofValue"])
def test_flipping_one_character_of_the_proof_breaks_the_signature(field):
    tampered = with_change(SIGNED_OB3, ("proof", field), flip_one_character)

    with pytest.raises(proofs.ProofInvalid, match="The signature does not match"):
        proofs.verify(tampered, vector_resolver)


def test_a_changed_type_is_refused_as_undefined():
    tampered = with_change(SIGNED_OB3, ("type",), lambda types: [types[0], "OpenBadgeCredentiaL"])

    with pytest.raises(JsonLdRefused, match="Undefined type 'OpenBadgeCredentiaL'"):
        proofs.verify(tampered, vector_resolver)


def test_an_added_property_is_refused_as_an_undefined_term():
    tampered = with_change(SIGNED_OB3, ("credentialSubject",), lambda subject: {**subject, "foo": "bar"})

    with pytest.raises(JsonLdRefused, match="Undefined term 'foo'"):
        proofs.verify(tampered, vector_resolver)


def test_a_removed_property_breaks_the_signature():
    tampered = with_change(
        SIGNED_OB3, ("credentialSubject",), lambda subject: {k: v for k, v in subject.items() if k != "id"}
    )

    with pytest.raises(proofs.ProofInvalid, match="The signature does not match"):
        proofs.verify(tampered, vector_resolver)


# --- Keys --------------------------------------------------------------------------------------


def test_another_key_does_not_verify_the_vector():
    other = Ed25519PrivateKey.generate().public_key()

    with pytest.raises(proofs.ProofInvalid, match="The signature does not match"):
        proofs.verify(SIGNED_OB3, lambda method: other)


def test_a_document_signed_with_another_key_does_not_verify_under_the_published_one():
    signed = proofs.sign(vector_json("ob3", "unsigned.json"), Ed25519PrivateKey.generate(), VECTOR_OPTIONS)

    with pytest.raises(proofs.ProofInvalid, match="signed with another key"):
        proofs.verify(signed, vector_resolver)


def test_an_unresolvable_verification_method_is_refused_with_the_resolvers_reason():
    def refuse(method: str) -> Any:
        raise KeyRefused(f"No key {method}.")

    with pytest.raises(proofs.ProofInvalid, match=f"No key {VECTOR_METHOD}"):
        proofs.verify(SIGNED_OB3, refuse)


# --- Malformed proofs --------------------------------------------------------------------------


def _with_proof(**changes: Any) -> dict[str, Any]:
    proof = {**SIGNED_OB3["proof"], **changes}
    return {**SIGNED_OB3, "proof": {key: value for key, value in proof.items() if value is not None}}


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        pytest.param({**SIGNED_OB3, "proof": None}, "The document has no proof", id="no-proof"),
        pytest.param(vector_json("ob3", "unsigned.json"), "The document has no proof", id="unsigned"),
        pytest.param({**SIGNED_OB3, "proof": "z123"}, "The document has no proof", id="proof-string"),
        pytest.param(
            {**SIGNED_OB3, "proof": [SIGNED_OB3["proof"]] * 2}, "The document has 2 proofs", id="two-proofs"
        ),
        pytest.param(_with_proof(type="Ed25519Signature2020"), "Unsupported proof", id="type"),
        pytest.param(_with_proof(cryptosuite="ecdsa-rdfc-2019"), "Unsupported proof", id="cryptosuite"),
        pytest.param(
            _with_proof(proofPurpose="authentication"),
            "purpose is 'authentication', not 'assertionMethod'",
            id="purpose",
        ),
        pytest.param(_with_proof(verificationMethod=None), "names no verification method", id="no-method"),
        pytest.param(_with_proof(verificationMethod=""), "names no verification method", id="empty-method"),
        pytest.param(_with_proof(created="last Tuesday"), "is not a date and time", id="created"),
        pytest.param(_with_proof(created=20100101), "is not a date and time", id="created-number"),
        pytest.param(_with_proof(proofValue="abc"), "must start with 'z'", id="not-multibase"),
        pytest.param(_with_proof(proofValue="z0OIl"), "Not a base58btc multibase value", id="not-base58"),
        pytest.param(_with_proof(proofValue=None), "must start with 'z'", id="no-value"),
        pytest.param(
            _with_proof(proofValue=multibase_encode(bytes(63))), "not an Ed25519 signature", id="short"
        ),
    ],
)
def test_a_malformed_proof_is_refused_with_a_reason(document, reason):
    with pytest.raises(proofs.ProofInvalid, match=reason):
        proofs.verify(document, vector_resolver)


def test_a_list_of_one_proof_verifies():
    document = {**SIGNED_OB3, "proof": [SIGNED_OB3["proof"]]}

    assert proofs.verify(document, vector_resolver).verification_method == VECTOR_METHOD


def test_a_proof_without_created_verifies_when_it_was_signed_without_it():
    document = vector_json("ob3", "unsigned.json")
    config = {k: v for k, v in proofs.proof_configuration(VECTOR_OPTIONS).items() if k != "created"}
    signature = vector_key().sign(proofs.hash_data(document, config))
    signed = {**document, "proof": {**config, "proofValue": multibase_encode(signature)}}

    assert proofs.verify(signed, vector_resolver).created == ""


def test_it_verifies_the_purpose_it_is_asked_for():
    options = proofs.ProofOptions(VECTOR_METHOD, VECTOR_CREATED, proof_purpose="authentication")
    signed = proofs.sign(vector_json("ob3", "unsigned.json"), vector_key(), options)

    assert proofs.verify(signed, vector_resolver, expected_purpose="authentication").created
    with pytest.raises(proofs.ProofInvalid, match="not 'assertionMethod'"):
        proofs.verify(signed, vector_resolver)


def test_it_refuses_to_sign_a_signed_document():
    with pytest.raises(proofs.ProofInvalid, match="already has a proof"):
        proofs.sign(SIGNED_OB3, vector_key(), VECTOR_OPTIONS)


def test_the_signature_is_64_bytes_in_base58btc():
    signature = multibase_decode(SIGNED_OB3["proof"]["proofValue"])

    assert len(signature) == 64
    vector_key().public_key().verify(signature, proofs.hash_data(SIGNED_OB3, SIGNED_OB3["proof"]))


# --- Dates -------------------------------------------------------------------------------------


def test_xsd_datetime_is_utc_with_a_z_and_whole_seconds():
    moment = datetime(2026, 3, 1, 9, 30, 15, 999_999, tzinfo=timezone(timedelta(hours=-5)))

    assert proofs.xsd_datetime(moment) == "2026-03-01T14:30:15Z"
    assert proofs.xsd_datetime(datetime(2010, 1, 1, tzinfo=UTC)) == "2010-01-01T00:00:00Z"
