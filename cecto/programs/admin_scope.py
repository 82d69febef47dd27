"""Django admin scoped to the programmes a staff member administers."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from cecto.programs.models import Program


class ProgramScopedAdminMixin:
    """Limit an admin list to rows of programmes the user administers (superusers see all).

    `program_path` is the lookup from the model to its Program, e.g. "cohort__program".
    """

    program_path: str = "program"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset: QuerySet[Any] = super().get_queryset(request)  # type: ignore[misc]  # mixin over ModelAdmin
        if request.user.is_superuser:
            return queryset
        programs = Program.objects.administered_by(request.user)
        path = "pk" if self.program_path == "" else self.program_path
        return queryset.filter(**{f"{path}__in": programs})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # A programme administrator picks only their own programmes in forms.
        if db_field.related_model is Program and not request.user.is_superuser:
            kwargs["queryset"] = Program.objects.administered_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
