"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa, section 3.2).

Signing: canonicalize the proof configuration (the proof without its value, under the document's
@context) and the document without its proof with RDFC-1.0, hash each with SHA-256, and sign the
proof configuration's hash followed by the document's with Ed25519. Verifying redoes the same and
checks the signature. Pure: keys come in as objects, and the caller says how a verification method
turns into a public key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from cecto.core.errors import DomainError
from cecto.credentials.jsonld import canonicalize
from cecto.credentials.multikey import KeyRefused, multibase_decode, multibase_encode

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"

KeyResolver = Callable[[str], Ed25519PublicKey]


class ProofInvalid(DomainError):
    """The proof does not verify; the message says why."""


@dataclass(frozen=True)
class ProofOptions:
    verification_method: str
    created: datetime
    proof_purpose: str = "assertionMethod"


def xsd_datetime(moment: datetime) -> str:
    """An XML Schema dateTime in UTC with a Z and whole seconds, as the specifications write them."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def proof_configuration(options: ProofOptions) -> dict[str, Any]:
    return {
        "type": PROOF_TYPE,
        "created": xsd_datetime(options.created),
        "verificationMethod": options.verification_method,
        "cryptosuite": CRYPTOSUITE,
        "proofPurpose": options.proof_purpose,
    }


def hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof configuration, then of the canonical document."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    config = {
        **{k: v for k, v in proof_config.items() if k != "proofValue"},
        "@context": document["@context"],
    }
    config_hash = hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    return config_hash + document_hash


def sign(document: dict[str, Any], key: Ed25519PrivateKey, options: ProofOptions) -> dict[str, Any]:
    """DOCUMENT with an eddsa-rdfc-2022 proof added (the input is not changed)."""
    if "proof" in document:
        raise ProofInvalid("The document already has a proof; cecto signs unsigned documents only.")
    config = proof_configuration(options)
    signature = key.sign(hash_data(document, config))
    return {**document, "proof": {**config, "proofValue": multibase_encode(signature)}}


@dataclass(frozen=True)
class ProofCheck:
    verification_method: str
    created: str


def verify(
    document: dict[str, Any], resolve_key: KeyResolver, *, expected_purpose: str = "assertionMethod"
) -> ProofCheck:
    """Check DOCUMENT's one eddsa-rdfc-2022 proof; ProofInvalid says what is wrong."""
    proof = document.get("proof")
    if isinstance(proof, list):
        if len(proof) != 1:
            raise ProofInvalid(f"The document has {len(proof)} proofs; cecto verifies documents with one.")
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofInvalid("The document has no proof.")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofInvalid(
            f"Unsupported proof {proof.get('type')!r} / {proof.get('cryptosuite')!r}: "
            f"cecto verifies {PROOF_TYPE} with {CRYPTOSUITE}."
        )
    if proof.get("proofPurpose") != expected_purpose:
        raise ProofInvalid(f"The proof's purpose is {proof.get('proofPurpose')!r}, not {expected_purpose!r}.")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or not method:
        raise ProofInvalid("The proof names no verification method.")
    created = proof.get("created")
    if created is not None and not _is_datetime(created):
        raise ProofInvalid(f"The proof's created {created!r} is not a date and time.")
    try:
        signature = multibase_decode(proof.get("proofValue", ""))
        public_key = resolve_key(method)
    except KeyRefused as refused:
        raise ProofInvalid(str(refused)) from None
    if len(signature) != 64:
        raise ProofInvalid("The proof value is not an Ed25519 signature (64 bytes).")
    try:
        public_key.verify(signature, hash_data(document, proof))
    except InvalidSignature:
        raise ProofInvalid(
            "The signature does not match: the credential was changed after it was signed, "
            "or it was signed with another key."
        ) from None
    return ProofCheck(verification_method=method, created=str(created or ""))


def verification_method_controller(document: dict[str, Any]) -> str | None:
    """The DID (or URL) whose key the document's proof names: the part before the fragment."""
    proof = document.get("proof")
    proof = proof[0] if isinstance(proof, list) and proof else proof
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    return method.split("#", 1)[0] if isinstance(method, str) else None


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
