from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """Minutes as hours for people: 90 → "1.5", 120 → "2", 20 → "0.33"."""
    if minutes is None:
        return "—"
    value = (Decimal(minutes) / 60).quantize(Decimal("0.01")).normalize()
    return f"{value:f}"
