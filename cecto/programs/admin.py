from django.contrib import admin

from cecto.programs.admin_scope import ProgramScopedAdminMixin
from cecto.programs.models import (
    EligibilityRule,
    Program,
    ProgramAdministrator,
    ProgramContact,
    ProgramPartner,
    Topic,
    Track,
)


class ProgramPartnerInline(admin.TabularInline[ProgramPartner, Program]):
    model = ProgramPartner
    extra = 0
    autocomplete_fields = ("organization",)


class ProgramContactInline(admin.TabularInline[ProgramContact, Program]):
    model = ProgramContact
    extra = 0


class ProgramAdministratorInline(admin.TabularInline[ProgramAdministrator, Program]):
    model = ProgramAdministrator
    extra = 0
    autocomplete_fields = ("person",)


class EligibilityRuleInline(admin.TabularInline[EligibilityRule, Program]):
    model = EligibilityRule
    extra = 0


class TrackInline(admin.StackedInline[Track, Program]):
    model = Track
    extra = 0
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Program]):
    program_path = ""
    list_display = ("name", "short_name", "is_public", "time_zone")
    list_filter = ("is_public",)
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = (
        TrackInline,
        ProgramPartnerInline,
        ProgramContactInline,
        EligibilityRuleInline,
        ProgramAdministratorInline,
    )


@admin.register(Track)
class TrackAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Track]):
    list_display = ("name", "program", "audience", "required_contact_minutes", "ceu_policy")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "audience", "ceu_policy", "partial_credit")
    search_fields = ("name", "slug", "credential_name")
    list_select_related = ("program",)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}
