"""Cache keys from versions: what a cached page or report was computed from, digested.

The dashboards, the progress page, the programme numbers and report, and the programme list each
read their version in one query (decision 0008); this turns its parts into a key of fixed length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def version_key(kind: str, parts: Iterable[object]) -> str:
    """The key for a KIND of cached thing computed from PARTS (their text, digested with SHA-256):
    equal parts, equal keys."""
    text = ":".join(str(part) for part in parts)
    return f"{kind}:v1:{hashlib.sha256(text.encode()).hexdigest()}"
