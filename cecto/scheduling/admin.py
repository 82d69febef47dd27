from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from cecto.core.errors import DomainError
from cecto.programs.admin_scope import ProgramScopedAdminMixin
from cecto.scheduling.models import (
    Cohort,
    CohortInstructor,
    Enrollment,
    EnrollmentStatusChange,
    Session,
)
from cecto.scheduling.services import (
    SESSION_CHANGEABLE_FIELDS,
    enrollment_check,
    enrollment_create,
    session_check,
    session_update,
)


class CohortInstructorInline(admin.TabularInline[CohortInstructor, Cohort]):
    model = CohortInstructor
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Cohort)
class CohortAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Cohort]):
    list_display = ("name", "program", "starts_on", "ends_on", "status", "capacity")
    list_filter = (("program", admin.RelatedOnlyFieldListFilter), "status")
    search_fields = ("name", "slug")
    date_hierarchy = "starts_on"
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("program",)
    inlines = (CohortInstructorInline,)


class EnrollmentStatusChangeInline(admin.TabularInline[EnrollmentStatusChange, Enrollment]):
    model = EnrollmentStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "at", "by", "reason")

    # History is append-only: the lifecycle service writes it, nobody edits it here.
    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


class EnrollmentAdminForm(forms.ModelForm[Enrollment]):
    eligibility_waiver = forms.CharField(
        required=False,
        max_length=200,
        help_text="Only to admit someone the programme's eligibility rules exclude: say why.",
    )
    initial_status = forms.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (Enrollment.Status.APPLIED, Enrollment.Status.ADMITTED, Enrollment.Status.ACTIVE)
        ],
        initial=Enrollment.Status.APPLIED,
    )

    class Meta:
        model = Enrollment
        fields = ("person", "cohort", "track", "enrolled_on")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            try:
                enrollment_check(
                    person=data["person"],
                    cohort=data["cohort"],
                    track=data["track"],
                    status=data["initial_status"],
                    eligibility_waiver=data.get("eligibility_waiver", ""),
                )
            except DomainError as error:
                raise forms.ValidationError(str(error)) from None
        return data


@admin.register(Enrollment)
class EnrollmentAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Enrollment]):
    program_path = "cohort__program"
    list_display = ("person", "cohort", "track", "status", "enrolled_on")
    list_filter = (
        ("cohort__program", admin.RelatedOnlyFieldListFilter),
        ("cohort", admin.RelatedOnlyFieldListFilter),
        ("track", admin.RelatedOnlyFieldListFilter),
        "status",
    )
    search_fields = ("person__full_name", "person__email", "person__organization__name")
    autocomplete_fields = ("person",)
    list_select_related = ("person", "cohort", "track")
    # Status moves only through the lifecycle (with its history and audit), never by editing.
    readonly_fields = ("status", "status_changed_at")
    inlines = (EnrollmentStatusChangeInline,)
    form = EnrollmentAdminForm

    def get_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> Any:
        if obj is None:
            return ("person", "cohort", "track", "enrolled_on", "initial_status", "eligibility_waiver")
        return ("person", "cohort", "track", "enrolled_on", "status", "status_changed_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Enrollment | None = None) -> Any:
        if obj is None:
            return ()
        return ("person", "cohort", "track", "status", "status_changed_at")

    def save_model(self, request: HttpRequest, obj: Enrollment, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # New enrollments go through the service: history, audit and the capacity lock.
        created = enrollment_create(
            person=form.cleaned_data["person"],
            cohort=form.cleaned_data["cohort"],
            track=form.cleaned_data["track"],
            enrolled_on=form.cleaned_data["enrolled_on"],
            status=form.cleaned_data["initial_status"],
            eligibility_waiver=form.cleaned_data.get("eligibility_waiver", ""),
            by=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False


class SessionAdminForm(forms.ModelForm[Session]):
    meeting_url = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Session
        fields = (
            "cohort", "title", "description", "mode", "starts_at", "ends_at", "time_zone",
            "contact_minutes", "track", "is_required", "location", "meeting_url", "makeup_for",
            "instructors", "topics",
        )  # fmt: skip

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # private in the stubs; the instance now has the values
        if not self.errors and self.instance.cohort_id:
            try:
                session_check(self.instance)  # within the cohort's dates, as the services require
            except DomainError as error:
                self.add_error(None, str(error))


@admin.register(Session)
class SessionAdmin(ProgramScopedAdminMixin, admin.ModelAdmin[Session]):
    program_path = "cohort__program"
    list_display = ("title", "cohort", "mode", "starts_at", "contact_minutes", "track", "is_required")
    list_filter = (
        ("cohort__program", admin.RelatedOnlyFieldListFilter),
        ("cohort", admin.RelatedOnlyFieldListFilter),
        "mode",
        "status",
        "is_required",
    )
    search_fields = ("title", "location")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("instructors",)
    filter_horizontal = ("topics",)
    list_select_related = ("cohort", "track")
    # Cancelling has its own page (with a reason, kept on every calendar); the sequence and the
    # series are the services' to set.
    readonly_fields = ("status", "sequence", "series_ref")
    form = SessionAdminForm

    def save_model(self, request: HttpRequest, obj: Session, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Edits go through session_update: the iCalendar SEQUENCE is bumped, so subscribed
        # calendars pick the change up, and the change is audited.
        changes = {
            name: form.cleaned_data[name] for name in form.changed_data if name in SESSION_CHANGEABLE_FIELDS
        }
        session_update(session=Session.objects.get(pk=obj.pk), by=request.user, **changes)
        obj.refresh_from_db()
