from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from cecto.ledger.models import HoursEntry  # noqa: F401 (forward reference)


class HoursEntryQuerySet(models.QuerySet["HoursEntry"]):
    def instruction(self) -> HoursEntryQuerySet:
        return self.filter(category="instruction")

    def for_enrollments(self, refs: list[object]) -> HoursEntryQuerySet:
        return self.filter(enrollment_ref__in=refs)
