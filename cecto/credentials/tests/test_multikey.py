"""Ed25519 Multikey encodings and did:key identifiers."""

from __future__ import annotations

import base58
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from cecto.credentials.multikey import (
    KeyRefused,
    did_key_for,
    did_key_verification_method,
    multibase_decode,
    multibase_encode,
    private_key_from_multibase,
    public_key_from_did_key,
    public_key_from_multibase,
    public_key_multibase,
    secret_key_multibase,
)
from cecto.credentials.tests.support import VECTOR_PUBLIC, VECTOR_SECRET


def raw(public_key) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def test_the_published_secret_key_gives_the_published_public_key():
    key = private_key_from_multibase(VECTOR_SECRET)

    assert public_key_multibase(key.public_key()) == VECTOR_PUBLIC


def test_the_published_64_byte_secret_key_is_seed_then_public_key():
    decoded = multibase_decode(VECTOR_SECRET)

    assert len(decoded) == 66
    assert decoded[:2] == b"\x80\x26"
    assert decoded[34:] == multibase_decode(VECTOR_PUBLIC)[2:]


def test_a_secret_key_round_trips_in_its_32_byte_form():
    key = Ed25519PrivateKey.generate()

    encoded = secret_key_multibase(key)

    assert len(multibase_decode(encoded)) == 34
    assert raw(private_key_from_multibase(encoded).public_key()) == raw(key.public_key())


def test_the_published_secret_key_re_encodes_as_its_32_byte_form():
    key = private_key_from_multibase(VECTOR_SECRET)

    assert multibase_decode(secret_key_multibase(key)) == multibase_decode(VECTOR_SECRET)[:34]


def test_a_64_byte_secret_key_whose_halves_disagree_is_refused():
    decoded = multibase_decode(VECTOR_SECRET)
    other_public = raw(Ed25519PrivateKey.generate().public_key())

    with pytest.raises(KeyRefused, match="public half does not match"):
        private_key_from_multibase(multibase_encode(decoded[:34] + other_public))


def test_a_public_key_round_trips():
    key = Ed25519PrivateKey.generate().public_key()

    encoded = public_key_multibase(key)

    assert encoded.startswith("z6Mk")  # 0xed01 in base58btc always reads z6Mk
    assert raw(public_key_from_multibase(encoded)) == raw(key)


def test_did_key_round_trips():
    key = Ed25519PrivateKey.generate().public_key()
    multibase = public_key_multibase(key)

    did = did_key_for(key)
    method = did_key_verification_method(key)

    assert did == f"did:key:{multibase}"
    assert method == f"did:key:{multibase}#{multibase}"
    assert raw(public_key_from_did_key(did)) == raw(key)
    assert raw(public_key_from_did_key(method)) == raw(key)


def test_the_vector_key_as_did_key():
    key = private_key_from_multibase(VECTOR_SECRET).public_key()

    assert did_key_for(key) == f"did:key:{VECTOR_PUBLIC}"


@pytest.mark.parametrize(
    "method",
    [
        f"did:web:example.edu#{VECTOR_PUBLIC}",
        f"https://example.edu/issuers/565049#{VECTOR_PUBLIC}",
        f"did:key:{VECTOR_PUBLIC}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
        f"did:key:{VECTOR_PUBLIC}#key-1",
    ],
)
def test_it_refuses_what_is_not_a_did_key_method(method):
    with pytest.raises(KeyRefused, match="is not a did:key verification method"):
        public_key_from_did_key(method)


def test_multibase_round_trips_bytes_with_leading_zeros():
    data = b"\x00\x00\x01\xff"

    assert multibase_decode(multibase_encode(data)) == data


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("", "must start with 'z'", id="empty"),
        pytest.param("z", "must start with 'z'", id="prefix-only"),
        pytest.param("u" + VECTOR_PUBLIC[1:], "must start with 'z'", id="base64url-prefix"),
        pytest.param(VECTOR_PUBLIC[1:], "must start with 'z'", id="no-prefix"),
        pytest.param(None, "must start with 'z'", id="none"),
        pytest.param("z6Mk0OIl", "Not a base58btc multibase value", id="not-base58"),
    ],
)
def test_malformed_multibase_is_refused(value, reason):
    with pytest.raises(KeyRefused, match=reason):
        multibase_decode(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(VECTOR_SECRET, id="a-secret-key"),
        pytest.param("z" + base58.b58encode(b"\xed\x01" + bytes(31)).decode(), id="too-short"),
        pytest.param("z" + base58.b58encode(b"\xed\x01" + bytes(33)).decode(), id="too-long"),
        pytest.param("z" + base58.b58encode(b"\xe7\x01" + bytes(32)).decode(), id="secp256k1-codec"),
    ],
)
def test_a_public_key_of_the_wrong_codec_or_length_is_refused(value):
    with pytest.raises(KeyRefused, match="Not an Ed25519 public key"):
        public_key_from_multibase(value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(VECTOR_PUBLIC, id="a-public-key"),
        pytest.param("z" + base58.b58encode(b"\x80\x26" + bytes(48)).decode(), id="48-bytes"),
    ],
)
def test_a_secret_key_of_the_wrong_codec_or_length_is_refused(value):
    with pytest.raises(KeyRefused, match="Not an Ed25519 secret key"):
        private_key_from_multibase(value)
