"""Mentoring in the Django admin, scoped to the programmes a staff member administers.

Settings, mentor profiles and intakes are plain configuration. Matches, meetings and runs are
written by the services (they credit the ledger and keep the audit trail), so they are read-only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cecto.mentoring.models import (
    Match,
    MatchingRun,
    MeetingLog,
    MenteeIntake,
    MentoringSettings,
    MentorProfile,
)
from cecto.programs.admin_scope import ProgramScopedAdminMixin


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MentoringSettings)
class MentoringSettingsAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[MentoringSettings]):
    list_display = ("program", "min_years_as_cto", "objective", "quiet_after_days")


@admin.register(MentorProfile)
class MentorProfileAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[MentorProfile]):
    list_display = ("person", "program", "years_as_cto", "capacity", "region", "is_available")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "is_available", "region")
    search_fields = ("person__full_name", "person__email", "region")
    autocomplete_fields = ("person", "avoid_people", "renewal_enrollment")
    list_select_related = ("person", "program")


@admin.register(MenteeIntake)
class MenteeIntakeAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[MenteeIntake]):
    program_path = "enrollment__cohort__program"
    list_display = ("enrollment", "region")
    list_filter = (("enrollment__cohort", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("enrollment__person__full_name", "enrollment__person__email")
    autocomplete_fields = ("enrollment", "preferred_mentors", "avoid_mentors")
    list_select_related = ("enrollment__person", "enrollment__cohort", "enrollment__track")


@admin.register(Match)
class MatchAdmin(ReadOnlyAdminMixin, ProgramScopedAdminMixin, admin.ModelAdmin[Match]):
    program_path = "cohort__program"
    list_display = ("mentor", "mentee", "cohort", "status", "started_on", "score")
    list_filter = (("cohort", admin.RelatedOnlyFieldListFilter), "status")
    list_select_related = (
        "mentor__person",
        "mentor__program",
        "mentee__enrollment__person",
        "cohort__program",
    )


@admin.register(MeetingLog)
class MeetingLogAdmin(ReadOnlyAdminMixin, ProgramScopedAdminMixin, admin.ModelAdmin[MeetingLog]):
    program_path = "match__cohort__program"
    list_display = ("match", "held_on", "minutes", "strand")
    list_select_related = (
        "match__mentor__person",
        "match__mentor__program",
        "match__mentee__enrollment__person",
    )


@admin.register(MatchingRun)
class MatchingRunAdmin(ReadOnlyAdminMixin, ProgramScopedAdminMixin, admin.ModelAdmin[MatchingRun]):
    program_path = "cohort__program"
    list_display = ("cohort", "created_at", "created_by", "matched_count", "total_score")
    list_select_related = ("cohort__program", "created_by")
