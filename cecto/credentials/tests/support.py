"""Pure helpers for the credentials tests: the published test key, the vectors, a local issuer.

No database here (the DB factories are in `factories.py`). `LocalIssuer` signs with a did:key and
publishes its status lists in a dict, so verification runs exactly as in production (signature,
issuer, dates, status) without a database and without any network.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from cecto.credentials import documents, issuer, proofs, status_list
from cecto.credentials.models import SigningKey
from cecto.credentials.multikey import (
    KeyRefused,
    did_key_for,
    did_key_verification_method,
    private_key_from_multibase,
    public_key_from_did_key,
    secret_key_multibase,
)
from cecto.credentials.verification import Verdict, verify_credential

VECTORS = Path(__file__).parent / "vectors"

# The published Open Badges 3.0 example key pair (vectors README): a test key, never a real one.
VECTOR_PUBLIC = "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
VECTOR_SECRET = "zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx"
VECTOR_METHOD = f"https://example.edu/issuers/565049#{VECTOR_PUBLIC}"
VECTOR_CREATED = datetime(2010, 1, 1, 19, 23, 24, tzinfo=UTC)
VECTOR_OPTIONS = proofs.ProofOptions(verification_method=VECTOR_METHOD, created=VECTOR_CREATED)
OB3_PROOF_VALUE = "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
CLR2_PROOF_VALUE = "zF52sU1nfPAjcwCqtgxPNSor6SJnAzRBwZW5VNQXPt8xXCHkd39sgqj32DnMjhFCzbyHsLkhQ8HpBqQTkMgXy329"

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
LIST_URL = "https://cecto.example/credentials/status/1"


def vector_text(folder: str, name: str) -> str:
    return (VECTORS / folder / name).read_text(encoding="utf-8")


def vector_json(folder: str, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(vector_text(folder, name))
    return document


def vector_key() -> Ed25519PrivateKey:
    return private_key_from_multibase(VECTOR_SECRET)


def vector_resolver(method: str) -> Ed25519PublicKey:
    """The example issuer's one key; every other verification method is unknown."""
    if method == VECTOR_METHOD:
        return vector_key().public_key()
    raise KeyRefused(f"Unknown verification method {method!r}.")


@dataclass
class LocalIssuer:
    """A did:key issuer with its own status lists, held in memory."""

    key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    lists: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def did(self) -> str:
        return did_key_for(self.key.public_key())

    @property
    def method(self) -> str:
        return did_key_verification_method(self.key.public_key())

    @property
    def profile(self) -> documents.IssuerProfile:
        return documents.IssuerProfile(id=self.did, name="North Carolina CeCTO", url="https://cecto.example")

    def sign(
        self, document: dict[str, Any], *, created: datetime = NOW, purpose: str = "assertionMethod"
    ) -> dict[str, Any]:
        options = proofs.ProofOptions(verification_method=self.method, created=created, proof_purpose=purpose)
        return proofs.sign(document, self.key, options)

    def publish_list(
        self,
        purpose: str,
        flagged: tuple[int, ...] = (),
        *,
        url: str | None = None,
        size: int = status_list.MIN_SIZE,
        subject_purpose: str | None = None,
    ) -> dict[str, Any]:
        """Sign and publish the PURPOSE list at URL (default LIST_URL/PURPOSE) with FLAGGED set."""
        url = url or f"{LIST_URL}/{purpose}"
        unsigned = documents.status_list_credential(
            list_url=url,
            issuer=self.profile,
            purpose=subject_purpose or purpose,
            encoded_list=status_list.encode(status_list.bitstring(flagged, size)),
            valid_from=NOW - timedelta(days=1),
        )
        signed = self.sign(unsigned)
        self.lists[url] = signed
        return signed

    def resolve_list(self, url: str) -> dict[str, Any] | None:
        return self.lists.get(url)

    def verify(self, document: Any, *, now: datetime = NOW) -> Verdict:
        return verify_credential(
            document, resolve_key=public_key_from_did_key, resolve_list=self.resolve_list, now=now
        )

    def open_badge(self, *, sign: bool = True, **changes: Any) -> dict[str, Any]:
        document = documents.open_badge_credential(award_facts(self.profile, **changes))
        return self.sign(document) if sign else document


def status_entries(index: int, base: str = LIST_URL) -> tuple[dict[str, Any], ...]:
    return tuple(
        status_list.status_entry(f"{base}/{purpose}", purpose, index)
        for purpose in ("revocation", "suspension")
    )


def award_facts(issuer: documents.IssuerProfile, **changes: Any) -> documents.AwardFacts:
    """A realistic award: three skill-area alignments, two status entries, a three-year validity."""
    achievement = documents.AchievementFacts(
        id="https://cecto.example/achievements/5b0e6a0c/",
        name="Certified Education Technology Leader",
        description="North Carolina's certification for district technology leaders.",
        criteria="Completed 240 contact hours of instruction and met the programme's eligibility rules.",
        kind="Certification",
        ceus=Decimal("24.0"),
        alignments=(
            documents.SkillAlignment(1, "Leadership and Vision", "https://cecto.example/frameworks/cosn/#1"),
            documents.SkillAlignment(4, "Data Management", "https://cecto.example/frameworks/cosn/#4"),
            documents.SkillAlignment(9, "Information Security", "https://cecto.example/frameworks/cosn/#9"),
        ),
    )
    facts: dict[str, Any] = {
        "credential_id": "https://cecto.example/credentials/0f5ad6f4-3a0e-4ad6-8d43-6f0d2b9c1e01/",
        "issuer": issuer,
        "recipient": documents.Recipient(
            name="Ada Lovelace", email="ada@example.org", salt="0123456789abcdef"
        ),
        "achievement": achievement,
        "ceus_earned": Decimal("24.5"),
        "contact_minutes": 245 * 60,
        "cohort_name": "Class of 2026",
        "started_on": date(2026, 2, 10),
        "completed_on": date(2026, 5, 28),
        "valid_from": NOW - timedelta(days=2),
        "valid_until": NOW + timedelta(days=3 * 365),
        "status_entries": status_entries(17),
    }
    facts.update(changes)
    return documents.AwardFacts(**facts)


def transcript_facts(
    issuer: documents.IssuerProfile, credentials: tuple[dict[str, Any], ...], **changes: Any
) -> documents.TranscriptFacts:
    facts: dict[str, Any] = {
        "credential_id": "https://cecto.example/credentials/7c1e5d2a-0000-4000-8000-000000000002/",
        "issuer": issuer,
        "recipient": documents.Recipient(
            name="Ada Lovelace", email="ada@example.org", salt="fedcba9876543210"
        ),
        "issued_at": NOW - timedelta(days=1),
        "credentials": credentials,
        "total_contact_minutes": 245 * 60 * len(credentials),
        "total_ceus": Decimal("24.5") * len(credentials),
        "status_entries": status_entries(23),
    }
    facts.update(changes)
    return documents.TranscriptFacts(**facts)


def flip_one_character(value: str) -> str:
    """VALUE with one character changed: the last digit if it has one, else the last letter."""
    positions = [i for i, c in enumerate(value) if c.isdigit()] or [
        i for i, c in enumerate(value) if c.isalpha()
    ]
    i = positions[-1]
    c = value[i]
    if c.isdigit():
        new = str((int(c) + 1) % 10)
    elif c.islower():
        new = "a" if c == "z" else chr(ord(c) + 1)
    else:
        new = "A" if c == "Z" else chr(ord(c) + 1)
    return value[:i] + new + value[i + 1 :]


def string_paths(document: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every string value in DOCUMENT, leaving out @context and type (they are vocabulary)."""
    paths: list[tuple[Any, ...]] = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key not in ("@context", "type"):
                paths.extend(string_paths(value, (*prefix, key)))
    elif isinstance(document, list):
        for number, value in enumerate(document):
            paths.extend(string_paths(value, (*prefix, number)))
    elif isinstance(document, str):
        paths.append(prefix)
    return paths


def with_change(document: dict[str, Any], path: tuple[Any, ...], change: Any) -> dict[str, Any]:
    """A deep copy of DOCUMENT with the value at PATH replaced by change(value)."""
    copied = copy.deepcopy(document)
    node = copied
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = change(node[path[-1]])
    return copied


def secrets_of(key: SigningKey) -> list[str]:
    """Every form KEY's private half could leak in: raw, base64, multibase, and its encrypted token."""
    private = issuer.private_key(key)
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return [
        seed.hex(),
        base64.b64encode(seed).decode(),
        base64.urlsafe_b64encode(seed).decode().rstrip("="),
        secret_key_multibase(private),
        secret_key_multibase(private)[1:],
        bytes(key.encrypted_private_key).decode(),
    ]
