"""Admin: achievements are edited here (criteria, alignment, renewal); credentials and keys are read-only.

Issuing, revoking and rotating go through their pages and commands (they sign, lock and audit);
the admin never shows a private key, encrypted or not.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cecto.credentials.framework import skill_areas
from cecto.credentials.models import Achievement, Credential, CredentialStatusChange, IssuanceRun, SigningKey
from cecto.programs.admin_scope import ProgramScopedAdminMixin


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AchievementForm(forms.ModelForm[Achievement]):
    skill_areas = forms.TypedMultipleChoiceField(
        choices=[(number, f"{number}. {name}") for number, name in skill_areas().items()],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The CoSN skill areas this achievement aligns with (published in the credential).",
    )

    class Meta:
        model = Achievement
        fields = ("track", "name", "description", "criteria", "kind", "skill_areas", "valid_for_years")


@admin.register(Achievement)
class AchievementAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Achievement]):
    program_path = "track__program"
    form = AchievementForm
    list_display = ("name", "track", "kind", "valid_for_years")


@admin.register(Credential)
class CredentialAdmin(_ReadOnly, ProgramScopedAdminMixin, admin.ModelAdmin[Credential]):
    # Open Badges through their enrollment; transcripts span programmes, so only superusers see them here.
    program_path = "enrollment__cohort__program"
    list_display = ("uuid", "kind", "person", "achievement", "status", "issued_at", "valid_until")
    list_filter = ("kind", "status")
    search_fields = ("person__full_name", "uuid")
    list_select_related = ("person", "achievement")


@admin.register(CredentialStatusChange)
class CredentialStatusChangeAdmin(
    _ReadOnly, ProgramScopedAdminMixin, admin.ModelAdmin[CredentialStatusChange]
):
    program_path = "credential__enrollment__cohort__program"
    list_display = ("credential", "from_status", "to_status", "changed_by", "changed_at")


@admin.register(IssuanceRun)
class IssuanceRunAdmin(_ReadOnly, ProgramScopedAdminMixin, admin.ModelAdmin[IssuanceRun]):
    program_path = "cohort__program"
    list_display = ("cohort", "status", "done", "total", "issued", "created_at")


@admin.register(SigningKey)
class SigningKeyAdmin(_ReadOnly, admin.ModelAdmin[SigningKey]):
    # Superusers only (no programme scope): the issuer's keys are the whole site's.
    fields = ("key_id", "public_key_multibase", "is_active", "retired_at", "created_at")
    readonly_fields = fields
    list_display = ("key_id", "public_key_multibase", "is_active", "retired_at")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)
