from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

from cecto.core.types import AnyUser

if TYPE_CHECKING:
    from cecto.programs.models import Program  # noqa: F401 (forward reference)


class ProgramQuerySet(models.QuerySet["Program"]):
    def public(self) -> ProgramQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, user: AnyUser) -> ProgramQuerySet:
        """Public programmes, plus the ones this user administers."""
        if user.is_superuser:
            return self.all()
        if not user.is_authenticated:
            return self.public()
        return self.filter(
            models.Q(is_public=True) | models.Q(administrator_roles__person__user=user)
        ).distinct()

    def administered_by(self, user: AnyUser) -> ProgramQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(administrator_roles__person__user=user)
