"""W3C Bitstring Status List v1.0: the bitstring, its encoding, and the index order.

Bit 0 is the left-most bit of the first byte. `encodedList` is the GZIP-compressed bitstring in
base64url without padding, with the multibase prefix "u". Pure: no database.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Iterable
from typing import Any

from cecto.core.errors import DomainError

MIN_SIZE = 131_072
# Any odd number is coprime with a power-of-two size, so slot -> index is a bijection: every slot
# gets its own index, and consecutive issues land far apart (the spec's herd-privacy advice).
_STRIDE = 40_503
_OFFSET = 9_973


class StatusListInvalid(DomainError):
    """A status list credential that cannot be read."""


def index_for_slot(slot: int, size: int = MIN_SIZE) -> int:
    if not 0 <= slot < size:
        raise ValueError(f"Slot {slot} is outside a list of {size}.")
    return (slot * _STRIDE + _OFFSET) % size


def bitstring(set_indexes: Iterable[int], size: int = MIN_SIZE) -> bytes:
    if size % 8:
        raise ValueError("A status list's size must be a whole number of bytes.")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"Index {index} is outside a list of {size}.")
        bits[index // 8] |= 0x80 >> (index % 8)
    return bytes(bits)


def encode(bits: bytes) -> str:
    compressed = gzip.compress(bits, mtime=0)  # mtime=0: the same bits always encode the same
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str, *, max_size: int = 16 * 1024 * 1024) -> bytes:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise StatusListInvalid("encodedList must be multibase base64url (it starts with 'u').")
    body = encoded[1:]
    try:
        # validate: urlsafe_b64decode would skip characters outside the alphabet instead of refusing.
        compressed = base64.b64decode(body + "=" * (-len(body) % 4), altchars=b"-_", validate=True)
        # Bounded decompression: a hostile list cannot make us inflate gigabytes.
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        bits = inflater.decompress(compressed, max_size)
    except (ValueError, zlib.error):
        raise StatusListInvalid("encodedList is not GZIP-compressed base64url.") from None
    if inflater.unconsumed_tail:
        raise StatusListInvalid("The status list is larger than cecto will read.")
    if not inflater.eof:  # a truncated stream: its CRC was never checked
        raise StatusListInvalid("encodedList is not GZIP-compressed base64url (the stream is cut short).")
    if len(bits) * 8 < MIN_SIZE:
        raise StatusListInvalid(f"The status list has {len(bits) * 8} entries; the minimum is {MIN_SIZE}.")
    return bits


def is_set(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise StatusListInvalid(f"Status index {index} is outside the list ({len(bits) * 8} entries).")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_entry(list_url: str, purpose: str, index: int) -> dict[str, Any]:
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }
