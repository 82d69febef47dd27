"""The competency framework credentials align to: CoSN's Framework of Essential Skills of the K-12 CTO.

Shipped as data (`data/cosn_framework.json`: three domains, ten skill areas); read once.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def framework() -> dict[str, Any]:
    raw = (resources.files("cecto.credentials") / "data" / "cosn_framework.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def skill_areas() -> dict[int, str]:
    """Skill-area number → name, in framework order."""
    return {
        area["number"]: area["name"] for domain in framework()["domains"] for area in domain["skill_areas"]
    }
