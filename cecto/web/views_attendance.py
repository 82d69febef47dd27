"""Attendance pages: roll call, QR self check-in, and self-paced completions.

Each view authorizes through cecto.scheduling.permissions, parses a form, calls one
service from cecto.scheduling.{roll_call,check_in,self_paced} and renders or redirects.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from cecto.core.errors import DomainError
from cecto.scheduling.check_in import (
    CODE_ACCEPTED_SECONDS,
    CODE_ROTATES_SECONDS,
    AlreadyRecorded,
    CheckInCodeExpired,
    CheckInCodeInvalid,
    check_in_check,
    check_in_count_for,
    check_in_enrollment_for,
    check_in_record,
    check_in_session_for,
    check_in_token_for,
    check_in_window,
)
from cecto.scheduling.models import AttendanceRecord, Enrollment, SelfPacedCompletion, Session
from cecto.scheduling.permissions import get_cohort_to_take_attendance_for, get_session_for
from cecto.scheduling.roll_call import (
    RollCallMark,
    RollCallRefused,
    RollCallResult,
    RollCallRow,
    roll_call_check,
    roll_call_for,
    roll_call_save,
)
from cecto.scheduling.self_paced import (
    completion_approve,
    completion_return,
    completion_submit,
    completions_decided_for,
    completions_pending_for,
)

# --- roll call ---------------------------------------------------------------------------------


class RollCallRowForm(forms.Form):
    """One person's row: shape only (the roll-call service judges the values)."""

    status = forms.ChoiceField(choices=AttendanceRecord.Status.choices)
    minutes = forms.IntegerField(
        label="Minutes attended",
        required=False,
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(required=False, max_length=300)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def mark(self, enrollment_uuid: UUID) -> RollCallMark:
        data = self.cleaned_data
        return RollCallMark(
            enrollment_uuid=enrollment_uuid,
            status=data["status"],
            minutes_attended=data["minutes"],
            note=data["note"],
            version=data["version"],
        )


def _row_form(row: RollCallRow, data: Any = None) -> RollCallRowForm:
    """The row as posted, if it was; else as recorded (present, full minutes, by default)."""
    prefix = f"e-{row.enrollment.uuid}"
    if data is not None and f"{prefix}-version" in data:
        return RollCallRowForm(data, prefix=prefix)
    initial = {
        "status": row.status,
        "minutes": row.minutes_attended,
        "note": row.note,
        "version": row.version,
    }
    return RollCallRowForm(prefix=prefix, initial=initial)


def _roll_call_page(
    request: HttpRequest,
    session: Session,
    rows: list[RollCallRow],
    forms_by_uuid: dict[UUID, RollCallRowForm],
    problems: dict[UUID, str],
    error: str = "",
) -> HttpResponse:
    try:
        roll_call_check(session=session, now=timezone.now())
        closed = ""
    except RollCallRefused as refused:
        closed = str(refused)
    entries = [
        (row, forms_by_uuid[row.enrollment.uuid], problems.get(row.enrollment.uuid, ""))
        for row in rows
        if not row.joined_later
    ]
    saved = RollCallResult(records=tuple(row.record for row, _, _ in entries if row.record))
    context = {
        "session": session,
        "entries": entries,
        "joined_later": [row for row in rows if row.joined_later],
        "closed": closed,
        "error": error,
        "saved": saved.summary if "saved" in request.GET and not error else "",
    }
    return render(request, "web/roll_call.html", context)


@login_required
def roll_call(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid, take_attendance=True)
    rows = roll_call_for(session)
    data = request.POST if request.method == "POST" else None
    forms_by_uuid = {row.enrollment.uuid: _row_form(row, data) for row in rows if not row.joined_later}
    if data is None:
        return _roll_call_page(request, session, rows, forms_by_uuid, {})
    posted = {uuid: form for uuid, form in forms_by_uuid.items() if form.is_bound}
    if not all(form.is_valid() for form in posted.values()):
        error = "Nothing was saved: correct the rows marked below."
        return _roll_call_page(request, session, rows, forms_by_uuid, {}, error)
    marks = [form.mark(uuid) for uuid, form in posted.items()]
    try:
        roll_call_save(session=session, rows=marks, by=request.user)
    except RollCallRefused as refused:
        rows = roll_call_for(session)  # the stale rows show what is recorded now
        fresh = {row.enrollment.uuid: row for row in rows}
        forms_by_uuid.update({uuid: _row_form(fresh[uuid]) for uuid in refused.stale if uuid in fresh})
        return _roll_call_page(request, session, rows, forms_by_uuid, refused.problems, str(refused))
    # The page says so itself (counted from the saved records), not django.contrib.messages:
    # base.html's message list puts role="status" on its <ul>, which axe-core reports as serious.
    return redirect(reverse("web:roll-call", args=[session.uuid]) + "?saved=1")


# --- QR check-in -------------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    # segno writes the SVG from the URL's bits alone: no text of ours goes into the markup.
    svg: str = segno.make(url, error="m").svg_inline(scale=1, border=2, omitsize=True, svgclass="qr-code")
    return mark_safe(svg)  # noqa: S308 (generated markup, see above)


@login_required
def check_in_display(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid, take_attendance=True)
    opens_at, ends_at = check_in_window(session)
    is_open = (
        session.mode == Session.Mode.IN_PERSON
        and session.status == Session.Status.SCHEDULED
        and opens_at <= timezone.now() <= ends_at
    )
    context: dict[str, Any] = {
        "session": session,
        "opens_at": opens_at,
        "is_open": is_open,
        "is_paused": "paused" in request.GET,
        "rotates_seconds": CODE_ROTATES_SECONDS,
        "accepted_seconds": CODE_ACCEPTED_SECONDS,
    }
    if is_open:
        url = request.build_absolute_uri(reverse("web:check-in", args=[check_in_token_for(session)]))
        context.update(qr_svg=_qr_svg(url), checked_in=check_in_count_for(session))
    return render(request, "web/check_in_display.html", context)


@login_required
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    context: dict[str, Any] = {"token": token}
    try:
        session = context["session"] = check_in_session_for(token)
        enrollment = context["enrollment"] = check_in_enrollment_for(session=session, user=request.user)
        if request.method == "POST":
            context["record"] = check_in_record(session=session, user=request.user)
        else:
            check_in_check(session=session, enrollment=enrollment, now=timezone.now())
    except CheckInCodeExpired as expired:
        return render(
            request, "web/check_in.html", {**context, "problem": str(expired), "expired": True}, status=410
        )
    except CheckInCodeInvalid as invalid:
        return render(request, "web/check_in.html", {**context, "problem": str(invalid)}, status=404)
    except AlreadyRecorded as already:
        return render(request, "web/check_in.html", {**context, "already": str(already)})
    except DomainError as refused:
        return render(request, "web/check_in.html", {**context, "problem": str(refused)}, status=403)
    return render(request, "web/check_in.html", context)


# --- self-paced modules ------------------------------------------------------------------------


@login_required
@require_POST
def completion_submit_view(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid)
    enrollment = (
        Enrollment.objects.current().of_person_user(request.user).filter(cohort_id=session.cohort_id).first()
    )
    if enrollment is None:
        raise PermissionDenied
    try:
        completion_submit(enrollment=enrollment, session=session, by=request.user)
    except DomainError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{session.title} is marked complete: your instructor will approve it.")
    return redirect(reverse("web:cohort-detail", args=[session.cohort.slug]) + "#sessions")


class CompletionDecisionForm(forms.Form):
    completion = forms.UUIDField()
    decision = forms.ChoiceField(choices=(("approve", "Approve"), ("return", "Return")))
    note = forms.CharField(required=False, max_length=300)


@login_required
def completion_list(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_to_take_attendance_for(request.user, slug)
    if request.method == "POST":
        form = CompletionDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose approve or return for one completion.")
            return redirect("web:completion-list", slug=cohort.slug)
        data = form.cleaned_data
        completion = SelfPacedCompletion.objects.filter(
            session__cohort=cohort, uuid=data["completion"]
        ).first()
        if completion is None:
            raise Http404("No such completion.")
        decide = completion_approve if data["decision"] == "approve" else completion_return
        try:
            decided = decide(completion=completion, by=request.user, note=data["note"])
        except DomainError as refused:
            messages.error(request, str(refused))
        else:
            verb = "approved" if decided.status == SelfPacedCompletion.Status.APPROVED else "returned"
            messages.success(request, f"{decided.enrollment.person}'s {decided.session.title}: {verb}.")
        return redirect("web:completion-list", slug=cohort.slug)
    context = {
        "cohort": cohort,
        "pending": completions_pending_for(cohort=cohort),
        "decided": completions_decided_for(cohort=cohort),
    }
    return render(request, "web/completion_list.html", context)
