"""Continuing Education Units, as ANSI/IACET practice defines them (see docs/glossary.md).

1 CEU = 10 contact hours of 60 minutes, expressed in tenths and rounded to the nearest 0.1
(halves round up); the minimum award is 0.1 CEU, so under 30 minutes earns none on its own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUTES_PER_CEU = 600
TENTH = Decimal("0.1")


def ceus_for_minutes(minutes: int) -> Decimal:
    """CEUs for a number of contact minutes: 29 → 0.0, 30 → 0.1, 14,370 (239.5 h) → 24.0."""
    if minutes <= 0:
        return Decimal("0.0")
    exact = Decimal(minutes) / MINUTES_PER_CEU
    rounded = exact.quantize(TENTH, rounding=ROUND_HALF_UP)
    return rounded if rounded >= TENTH else Decimal("0.0")


def hours_for_minutes(minutes: int) -> Decimal:
    """Contact hours to two places, for people to read (never used to award anything)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
