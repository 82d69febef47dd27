"""The issuer: its DID (did:web of SITE_URL, or did:key), its signing keys, and key resolution.

Private keys are encrypted at rest with Fernet under CECTO_KEY_ENCRYPTION_KEY, which lives in the
environment, never in the database beside them. Rotating makes a new active key; retired keys stay
in the DID document, so everything they signed still verifies.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from cecto.core.audit import audit_event_record
from cecto.core.types import AnyUser
from cecto.credentials.jsonld import DID_V1, MULTIKEY_V1
from cecto.credentials.models import SigningKey
from cecto.credentials.multikey import (
    KeyRefused,
    did_key_for,
    public_key_from_did_key,
    public_key_from_multibase,
    public_key_multibase,
)


def _fernet() -> Fernet:
    try:
        return Fernet(settings.CECTO_KEY_ENCRYPTION_KEY)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "CECTO_KEY_ENCRYPTION_KEY is not a Fernet key (32 bytes, url-safe base64)."
        ) from None


def new_encryption_key() -> str:
    return Fernet.generate_key().decode("ascii")


def web_did() -> str:
    """did:web for SITE_URL's host (a port is percent-encoded, a path becomes colon-separated)."""
    parts = urlsplit(settings.SITE_URL)
    host = quote(parts.netloc, safe="")
    path = ":".join(segment for segment in parts.path.split("/") if segment)
    return f"did:web:{host}{':' + path if path else ''}"


def issuer_did(key: SigningKey | None = None) -> str:
    if settings.CECTO_ISSUER_DID_METHOD == "key":
        key = key or active_signing_key()
        return did_key_for(public_key_from_multibase(key.public_key_multibase))
    return web_did()


def verification_method(key: SigningKey) -> str:
    if settings.CECTO_ISSUER_DID_METHOD == "key":
        return f"{issuer_did(key)}#{key.public_key_multibase}"
    return f"{web_did()}#{key.key_id}"


def signing_key_create(*, by: AnyUser | None = None) -> SigningKey:
    """A new active key; the previous one is retired (it keeps verifying what it signed)."""
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    now = datetime.now(UTC)
    with transaction.atomic():
        retired = list(SigningKey.objects.select_for_update().filter(is_active=True))
        if retired and settings.CECTO_ISSUER_DID_METHOD == "key":
            # A did:key *is* its key: a new key would be a new issuer, and every credential and
            # status list signed so far would stop matching it. did:web rotates; did:key cannot.
            raise KeyRefused(
                "Keys cannot be rotated while the issuer is a did:key (the DID is the key); "
                "use CECTO_ISSUER_DID_METHOD=web to rotate keys."
            )
        SigningKey.objects.filter(pk__in=[key.pk for key in retired]).update(is_active=False, retired_at=now)
        key = SigningKey.objects.create(
            key_id=f"key-{now:%Y%m%d}-{secrets.token_hex(3)}",
            public_key_multibase=public_key_multibase(private.public_key()),
            encrypted_private_key=_fernet().encrypt(seed),
        )
        audit_event_record(
            actor=by,
            verb="signing_key.rotated" if retired else "signing_key.created",
            subject_kind="signing_key",
            subject_id=key.key_id,
            data={"retired": [old.key_id for old in retired], "public_key": key.public_key_multibase},
        )
    return key


def active_signing_key() -> SigningKey:
    key = SigningKey.objects.filter(is_active=True).first()
    return key if key is not None else signing_key_create()


_private_keys: dict[tuple[int, str], Ed25519PrivateKey] = {}


def private_key(key: SigningKey) -> Ed25519PrivateKey:
    """Decrypt KEY's private half (cached per process: decrypting per credential would cost ~5%)."""
    cached = _private_keys.get((key.pk, key.public_key_multibase))
    if cached is not None:
        return cached
    try:
        seed = _fernet().decrypt(bytes(key.encrypted_private_key))
    except InvalidToken:
        raise ImproperlyConfigured(
            f"Signing key {key.key_id} cannot be decrypted: CECTO_KEY_ENCRYPTION_KEY is not the key it was "
            "encrypted with."
        ) from None
    private = Ed25519PrivateKey.from_private_bytes(seed)
    _private_keys[(key.pk, key.public_key_multibase)] = private
    return private


def forget_private_keys() -> None:
    _private_keys.clear()


def resolve_key(method: str) -> Ed25519PublicKey:
    """The public key for a verification method: did:key from itself, our did:web from our keys.

    Any other DID or URL is refused: resolving it would mean fetching it, and cecto never does.
    """
    if method.startswith("did:key:"):
        return public_key_from_did_key(method)
    did, _, fragment = method.partition("#")
    if did == web_did() and fragment:
        key = SigningKey.objects.filter(key_id=fragment).first()
        if key is not None:
            return public_key_from_multibase(key.public_key_multibase)
        raise KeyRefused(f"The issuer has no key {fragment!r} (it is not in {did}'s DID document).")
    raise KeyRefused(
        f"The key {method} belongs to another issuer; cecto verifies its own credentials and did:key "
        "offline and does not fetch other issuers' keys."
    )


def did_document() -> dict[str, Any]:
    did = web_did()
    keys = list(SigningKey.objects.order_by("created_at"))
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    references = [method["id"] for method in methods]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": references,
        "authentication": references,
    }
