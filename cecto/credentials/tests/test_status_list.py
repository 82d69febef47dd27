"""W3C Bitstring Status List: bit order, encoding, the scrambled index order, bounded decoding."""

from __future__ import annotations

import base64
import gzip
import random
import re

import pytest

from cecto.credentials import status_list
from cecto.credentials.status_list import MIN_SIZE, StatusListInvalid


def test_index_0_is_the_left_most_bit_of_byte_0():
    bits = status_list.bitstring([0])

    assert bits[0] == 0b1000_0000
    assert set(bits[1:]) == {0}


@pytest.mark.parametrize(
    ("index", "byte", "value"),
    [(1, 0, 0b0100_0000), (7, 0, 0b0000_0001), (8, 1, 0b1000_0000), (MIN_SIZE - 1, MIN_SIZE // 8 - 1, 1)],
)
def test_bits_are_big_endian_within_each_byte(index, byte, value):
    bits = status_list.bitstring([index])

    assert bits[byte] == value
    assert sum(bits) == value


def test_a_list_is_its_size_in_bits():
    assert len(status_list.bitstring([])) == MIN_SIZE // 8
    assert len(status_list.bitstring([], 8 * 3)) == 3


def test_is_set_reads_what_bitstring_wrote():
    rng = random.Random(4)  # noqa: S311 (test data, not security)
    flagged = set(rng.sample(range(MIN_SIZE), 500))
    bits = status_list.bitstring(flagged)

    assert {index for index in range(MIN_SIZE) if status_list.is_set(bits, index)} == flagged


def test_encode_and_decode_round_trip():
    flagged = {0, 1, 9, 4_000, MIN_SIZE - 1}
    bits = status_list.bitstring(flagged)

    assert status_list.decode(status_list.encode(bits)) == bits


def test_the_encoding_is_u_then_unpadded_base64url_of_gzip():
    encoded = status_list.encode(status_list.bitstring([5, 77]))

    assert encoded.startswith("u")
    assert re.fullmatch(r"u[A-Za-z0-9_-]+", encoded), "base64url alphabet, no padding"
    body = encoded[1:]
    compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    assert compressed[:2] == b"\x1f\x8b"  # the GZIP magic number
    assert gzip.decompress(compressed) == status_list.bitstring([5, 77])


def test_the_same_bits_always_encode_the_same():
    assert status_list.encode(status_list.bitstring([3])) == status_list.encode(status_list.bitstring([3]))


def test_it_reads_the_specifications_example_of_an_empty_list():
    # The encodedList of the example in W3C Bitstring Status List v1.0 (an empty 16 KB list),
    # written by another implementation: padding-free base64url of a GZIP stream.
    encoded = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

    assert status_list.decode(encoded) == bytes(MIN_SIZE // 8)


def test_index_for_slot_is_a_bijection_over_a_list():
    indexes = {status_list.index_for_slot(slot) for slot in range(MIN_SIZE)}

    assert len(indexes) == MIN_SIZE
    assert indexes == set(range(MIN_SIZE))


def test_index_for_slot_is_a_bijection_over_a_larger_list_too():
    size = MIN_SIZE * 2

    assert len({status_list.index_for_slot(slot, size) for slot in range(size)}) == size


def test_consecutive_slots_land_far_apart():
    first, second = status_list.index_for_slot(0), status_list.index_for_slot(1)

    assert abs(first - second) > 1_000


@pytest.mark.parametrize("slot", [-1, MIN_SIZE])
def test_a_slot_outside_the_list_is_refused(slot):
    with pytest.raises(ValueError, match="outside a list"):
        status_list.index_for_slot(slot)


@pytest.mark.parametrize("index", [-1, MIN_SIZE])
def test_bitstring_refuses_an_index_outside_the_list(index):
    with pytest.raises(ValueError, match="outside a list"):
        status_list.bitstring([index])


def test_bitstring_refuses_a_size_that_is_not_whole_bytes():
    with pytest.raises(ValueError, match="whole number of bytes"):
        status_list.bitstring([], MIN_SIZE + 3)


@pytest.mark.parametrize("index", [-1, MIN_SIZE])
def test_is_set_refuses_an_index_outside_the_list(index):
    with pytest.raises(StatusListInvalid, match="outside the list"):
        status_list.is_set(status_list.bitstring([]), index)


def test_decoding_refuses_a_gzip_bomb():
    # 32 MB of zeros compress to about 32 KB: inflating it whole is what a hostile list wants.
    bomb = gzip.compress(bytes(32 * 1024 * 1024), mtime=0)
    encoded = "u" + base64.urlsafe_b64encode(bomb).decode().rstrip("=")
    assert len(encoded) < 64 * 1024

    with pytest.raises(StatusListInvalid, match="larger than cecto will read"):
        status_list.decode(encoded)


def test_decoding_honours_a_smaller_bound():
    encoded = status_list.encode(status_list.bitstring([], MIN_SIZE * 2))

    assert len(status_list.decode(encoded)) == MIN_SIZE * 2 // 8
    with pytest.raises(StatusListInvalid, match="larger than cecto will read"):
        status_list.decode(encoded, max_size=MIN_SIZE // 8)


def test_a_list_below_the_minimum_size_is_refused():
    encoded = status_list.encode(status_list.bitstring([1], MIN_SIZE - 8))

    with pytest.raises(StatusListInvalid, match=f"131064 entries; the minimum is {MIN_SIZE}"):
        status_list.decode(encoded)


@pytest.mark.parametrize(
    ("encoded", "reason"),
    [
        pytest.param("H4sIAAAAAAAAA", "starts with 'u'", id="no-prefix"),
        pytest.param("zH4sIAAAAAAAAA", "starts with 'u'", id="base58-prefix"),
        pytest.param(None, "starts with 'u'", id="none"),
        pytest.param("u" + base64.urlsafe_b64encode(b"not gzip").decode(), "not GZIP", id="not-gzip"),
        pytest.param("u!!!*", "not GZIP", id="not-base64"),
    ],
)
def test_a_malformed_encoded_list_is_refused(encoded, reason):
    with pytest.raises(StatusListInvalid, match=reason):
        status_list.decode(encoded)


def test_a_truncated_gzip_stream_is_refused():
    # Cut before the CRC: the bits inflate, but nothing proves they are the list that was written.
    compressed = gzip.compress(status_list.bitstring([3]), mtime=0)[:-8]
    encoded = "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")

    with pytest.raises(StatusListInvalid, match="cut short"):
        status_list.decode(encoded)


def test_a_status_entry_names_its_list_purpose_and_index():
    url = "https://cecto.example/credentials/status/1/revocation"

    assert status_list.status_entry(url, "revocation", 94567) == {
        "id": f"{url}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": url,
    }
