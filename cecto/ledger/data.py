"""Plain types other apps read from the ledger (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID


@dataclass(frozen=True)
class HoursBalance:
    enrollment_ref: UUID
    instruction_minutes: int
    mentoring_minutes: int
    other_minutes: int
    ceus: Decimal

    @property
    def instruction_hours(self) -> Decimal:
        return (Decimal(self.instruction_minutes) / 60).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class MonthMinutes:
    month: date  # the first day of the month
    minutes: int
