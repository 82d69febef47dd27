"""Django admin scoped to the programmes a staff member administers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
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
        # A programme administrator picks only their own programmes in forms, and only the rows
        # of their own programmes (cohorts, tracks) wherever a form points at one.
        related = db_field.related_model
        if not request.user.is_superuser:
            programs = Program.objects.administered_by(request.user)
            if related is Program:
                kwargs["queryset"] = programs
            elif _belongs_to_a_program(related):
                kwargs["queryset"] = related._default_manager.filter(program__in=programs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


def _belongs_to_a_program(model: Any) -> bool:
    try:
        field = model._meta.get_field("program")
    except FieldDoesNotExist:
        return False
    return bool(field.is_relation and field.related_model is Program)
