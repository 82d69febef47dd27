"""Ed25519 keys as Multikey (multicodec + multibase base58btc), and did:key identifiers.

The encodings of the Data Integrity and did:key specifications: a public key is the multicodec
prefix 0xed01 and the 32 key bytes, a secret key 0x8026 and the 32 seed bytes, both base58btc with
the multibase prefix "z".
"""

from __future__ import annotations

import base58
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from cecto.core.errors import DomainError

_ED25519_PUB = b"\xed\x01"
_ED25519_PRIV = b"\x80\x26"


class KeyRefused(DomainError):
    """A key or key identifier that cannot be used."""


def multibase_encode(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def multibase_decode(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z") or len(value) < 2:
        raise KeyRefused("Not a base58btc multibase value (it must start with 'z').")
    try:
        return base58.b58decode(value[1:])
    except ValueError:
        raise KeyRefused("Not a base58btc multibase value.") from None


def public_key_multibase(key: Ed25519PublicKey) -> str:
    return multibase_encode(_ED25519_PUB + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def secret_key_multibase(key: Ed25519PrivateKey) -> str:
    return multibase_encode(
        _ED25519_PRIV + key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    )


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    raw = multibase_decode(value)
    if len(raw) != 34 or raw[:2] != _ED25519_PUB:
        raise KeyRefused("Not an Ed25519 public key (multicodec 0xed01 and 32 bytes).")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    # Some publications (the Open Badges examples among them) append the 32-byte public key to the
    # 32-byte seed; accept that form when the halves agree.
    raw = multibase_decode(value)
    if len(raw) not in (34, 66) or raw[:2] != _ED25519_PRIV:
        raise KeyRefused("Not an Ed25519 secret key (multicodec 0x8026 and 32 or 64 bytes).")
    key = Ed25519PrivateKey.from_private_bytes(raw[2:34])
    if len(raw) == 66 and key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) != raw[34:]:
        raise KeyRefused("The secret key's public half does not match its seed.")
    return key


def did_key_for(key: Ed25519PublicKey) -> str:
    return f"did:key:{public_key_multibase(key)}"


def did_key_verification_method(key: Ed25519PublicKey) -> str:
    multibase = public_key_multibase(key)
    return f"did:key:{multibase}#{multibase}"


def public_key_from_did_key(verification_method: str) -> Ed25519PublicKey:
    """The key a did:key verification method names: it is written in the identifier itself."""
    did, _, fragment = verification_method.partition("#")
    multibase = did.removeprefix("did:key:")
    if not did.startswith("did:key:") or (fragment and fragment != multibase):
        raise KeyRefused(f"{verification_method!r} is not a did:key verification method.")
    return public_key_from_multibase(multibase)
