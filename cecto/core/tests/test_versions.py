"""Cache keys from versions: equal parts give equal keys; another part or another kind, another key."""

from __future__ import annotations

import datetime as dt

from cecto.core.versions import version_key

AT = dt.datetime(2026, 6, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)


def test_equal_parts_give_equal_keys_of_a_fixed_shape():
    key = version_key("dashboard", (7, AT, (3, None)))

    assert key == version_key("dashboard", [7, AT, (3, None)])
    assert key.startswith("dashboard:v1:")
    assert len(key) == len("dashboard:v1:") + 64


def test_another_part_or_kind_gives_another_key():
    key = version_key("dashboard", (7, AT))

    assert version_key("dashboard", (7, AT + dt.timedelta(microseconds=1))) != key
    assert version_key("dashboard", (8, AT)) != key
    assert version_key("progress-page", (7, AT)) != key
