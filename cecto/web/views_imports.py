"""Attendance files through the browser: upload a meeting report or our CSV, and review the
participants an import could not match.

Only those who manage the class (its programme's administrators) may: others who can see the
class get 403, everyone else 404. Each view authorizes, parses a form, calls one service from
cecto.scheduling.imports.apply and renders the page with the outcome (resolutions redirect, naming
the participant, so a reload does not post twice). Django's messages are not used: the base
template's message list fails axe's list-item rule (see the report of this change).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cecto.core.errors import DomainError
from cecto.scheduling.imports.apply import (
    ImportResult,
    attendance_csv_import,
    meeting_report_import,
    unmatched_participant_dismiss,
    unmatched_participant_resolve,
)
from cecto.scheduling.imports.reading import ImportFailed, Problem
from cecto.scheduling.imports.selectors import (
    attendance_record_for,
    enrollments_for_session,
    imports_for,
    review_queue_for,
    unmatched_for,
)
from cecto.scheduling.models import Enrollment, Session, UnmatchedParticipant
from cecto.scheduling.permissions import get_session_for

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class ImportUploadForm(forms.Form):
    KIND_CHOICES = (
        ("auto", "Meeting report: Zoom or Teams (recognised from the file)"),
        ("zoom", "Zoom participant report"),
        ("teams", "Microsoft Teams attendance report"),
        ("csv", "cecto attendance CSV (email, status, minutes_attended, note)"),
    )

    kind = forms.ChoiceField(label="What the file is", choices=KIND_CHOICES, initial="auto")
    file = forms.FileField(label="File (.csv, at most 20 MB)")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                "The file is larger than 20 MB: split it or import it with `cecto import`."
            )
        return upload


class ResolveForm(forms.Form):
    """The enrollment chosen for a participant; the page renders the choices itself (one list
    for every row), so this form only checks the posted uuid is one of them."""

    def __init__(self, *args: Any, enrollments: QuerySet[Enrollment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrollment"] = forms.ModelChoiceField(queryset=enrollments, to_field_name="uuid")


class DismissForm(forms.Form):
    reason = forms.CharField(label="Why dismiss", max_length=300)


def _render(
    request: HttpRequest,
    session: Session,
    *,
    upload_form: ImportUploadForm | None = None,
    problems: Sequence[Problem] = (),
    result: ImportResult | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "session": session,
        "queue": review_queue_for(session=session),
        "enrollments": list(enrollments_for_session(session=session)),
        "imports": imports_for(session=session),
        "upload_form": upload_form or ImportUploadForm(),
        "problems": problems,
        "result": result,
        "error": error,
        "notice": _notice(session, request.GET.get("done", "")),
    }
    return render(request, "web/session_review.html", context, status=status)


def _notice(session: Session, done: str) -> str:
    """What became of the participant just resolved or dismissed (the redirect names it)."""
    try:
        unmatched = unmatched_for(session=session, unmatched_uuid=UUID(done))
    except ValueError:
        return ""
    if unmatched is None or unmatched.status == UnmatchedParticipant.Status.PENDING:
        return ""
    if unmatched.status == UnmatchedParticipant.Status.DISMISSED:
        return f"{unmatched} dismissed."
    record = attendance_record_for(session=session, enrollment_id=unmatched.resolved_enrollment_id)
    if record is None:  # resolved, then the record was removed: nothing true to say
        return ""
    return (
        f"{unmatched} is {record.enrollment.person.full_name}: "
        f"{record.get_status_display().lower()}, {record.minutes_attended} minutes."
    )


def _done(session: Session, unmatched: UnmatchedParticipant) -> HttpResponse:
    return redirect(reverse("web:session-review", args=[session.uuid]) + f"?done={unmatched.uuid}")


@login_required
def session_review(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    return _render(request, get_session_for(request.user, session_uuid, manage=True))


@login_required
@require_POST
def session_import(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    """Rendered, not redirected: the warnings are part of the answer, and posting the same file
    again (a reload) only says it was already imported."""
    session = get_session_for(request.user, session_uuid, manage=True)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, session, upload_form=form, status=400)
    upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
    data, name = b"".join(upload.chunks()), upload.name or "upload.csv"
    try:
        if kind == "csv":
            result = attendance_csv_import(session=session, file_name=name, data=data, by=request.user)
        else:
            result = meeting_report_import(
                session=session, file_name=name, data=data, kind=kind, by=request.user
            )
    except ImportFailed as failure:
        return _render(request, session, upload_form=form, problems=failure.problems, status=400)
    return _render(request, session, result=result)


@login_required
@require_POST
def unmatched_resolve(request: HttpRequest, session_uuid: UUID, unmatched_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid, manage=True)
    unmatched = _unmatched(session, unmatched_uuid)
    form = ResolveForm(request.POST, enrollments=enrollments_for_session(session=session))
    if not form.is_valid():
        return _render(request, session, error=f"{unmatched}: choose who this is from the list.", status=400)
    try:
        unmatched_participant_resolve(
            unmatched=unmatched, enrollment=form.cleaned_data["enrollment"], by=request.user
        )
    except DomainError as refusal:
        return _render(request, session, error=str(refusal), status=400)
    return _done(session, unmatched)


@login_required
@require_POST
def unmatched_dismiss(request: HttpRequest, session_uuid: UUID, unmatched_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid, manage=True)
    unmatched = _unmatched(session, unmatched_uuid)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _render(
            request, session, error=f"{unmatched}: say why the participant is dismissed.", status=400
        )
    try:
        unmatched_participant_dismiss(
            unmatched=unmatched, reason=form.cleaned_data["reason"], by=request.user
        )
    except DomainError as refusal:
        return _render(request, session, error=str(refusal), status=400)
    return _done(session, unmatched)


def _unmatched(session: Session, unmatched_uuid: UUID) -> UnmatchedParticipant:
    unmatched = unmatched_for(session=session, unmatched_uuid=unmatched_uuid)
    if unmatched is None:
        raise Http404("No such participant to review.")
    return unmatched
