from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models

if TYPE_CHECKING:
    from cecto.programs.models import Program

    _ProgramBase = models.QuerySet[Program]
else:
    _ProgramBase = models.QuerySet


class ProgramQuerySet(_ProgramBase):
    def public(self) -> ProgramQuerySet:
        return self.filter(is_public=True)

    def visible_to(self, user: AbstractBaseUser | AnonymousUser) -> ProgramQuerySet:
        """Public programmes, plus the ones this user administers."""
        if user.is_superuser:  # type: ignore[union-attr]  # both user kinds have it
            return self.all()
        if not user.is_authenticated:
            return self.public()
        return self.filter(
            models.Q(is_public=True) | models.Q(administrator_roles__person__user=user)
        ).distinct()

    def administered_by(self, user: AbstractBaseUser | AnonymousUser) -> ProgramQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:  # type: ignore[union-attr]
            return self.all()
        return self.filter(administrator_roles__person__user=user)
