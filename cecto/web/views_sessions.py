"""Scheduling pages for programme administrators: a new series of sessions, and cancelling one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from cecto.core.errors import DomainError
from cecto.programs.api import Track
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.permissions import get_cohort_for, get_session_for
from cecto.scheduling.series import MAX_OCCURRENCES, session_series_create
from cecto.scheduling.services import session_cancel

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
REPEAT_CHOICES = (
    ("monthly_weekday", "Every month on the same weekday as the first date (such as the second Tuesday)"),
    ("weekly", "Every week"),
    ("biweekly", "Every two weeks"),
    ("monthly_day", "Every month on the same day number as the first date"),
)
JOINT = "joint"


def _day(value: date) -> str:
    return f"{value:%a %b} {value.day}, {value.year}"


def repeat_rule(*, repeat: str, first_on: date) -> str:
    """The RRULE (without its end) of one of the common patterns, for a series starting on first_on."""
    if repeat == "weekly":
        return "FREQ=WEEKLY"
    if repeat == "biweekly":
        return "FREQ=WEEKLY;INTERVAL=2"
    if repeat == "monthly_day":
        return f"FREQ=MONTHLY;BYMONTHDAY={first_on.day}"
    nth = (first_on.day - 1) // 7 + 1
    # A fifth weekday is the last one: not every month has a fifth, every month has a last.
    return f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{WEEKDAYS[first_on.weekday()]}"


class SessionSeriesForm(forms.Form):
    title = forms.CharField(max_length=200)
    mode = forms.ChoiceField(choices=Session.Mode.choices)
    audience = forms.ChoiceField(label="For", help_text="Joint sessions are for every track of the class.")
    first_on = forms.DateField(
        label="Date of the first session", widget=forms.DateInput(attrs={"type": "date"})
    )
    first_time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(
        label="Length in minutes", min_value=1, help_text="For a two-day session: the length of each day."
    )
    contact_minutes = forms.IntegerField(
        label="Contact minutes",
        min_value=1,
        help_text="Instruction time credited for full attendance (breaks and meals excluded), per day.",
    )
    days = forms.TypedChoiceField(
        label="Days per occurrence", coerce=int, choices=((1, "1 day"), (2, "2 consecutive days")), initial=1
    )
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES)
    count = forms.IntegerField(
        label="Number of occurrences",
        min_value=1,
        max_value=MAX_OCCURRENCES,
        help_text="Ignored when the advanced rule below gives its own COUNT or UNTIL.",
    )
    rrule = forms.CharField(
        label="Advanced: RRULE",
        required=False,
        max_length=500,
        help_text="An RFC 5545 recurrence rule, such as FREQ=MONTHLY;BYDAY=3TH. It replaces Repeat.",
    )
    location = forms.CharField(max_length=300, required=False)
    meeting_url = forms.URLField(label="Meeting URL", required=False, assume_scheme="https")
    is_required = forms.BooleanField(label="Attendance is required", required=False)

    def __init__(self, *args: Any, cohort: Cohort, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = ZoneInfo(cohort.program.time_zone)
        self.tracks = {track.slug: track for track in cohort.program.tracks.order_by("name")}
        audience = cast(forms.ChoiceField, self.fields["audience"])  # declared as one above
        audience.choices = [(JOINT, "Joint (every track)")] + [(s, t.name) for s, t in self.tracks.items()]
        self.fields["first_time"].help_text = f"In the programme's time zone, {self.zone.key}."

    def track(self) -> Track | None:
        return self.tracks.get(self.cleaned_data["audience"])

    def first_starts_at(self) -> datetime:
        return datetime.combine(
            self.cleaned_data["first_on"], self.cleaned_data["first_time"], tzinfo=self.zone
        )

    def rule(self) -> str:
        advanced: str = self.cleaned_data["rrule"].strip()
        if advanced.upper().startswith("RRULE:"):
            advanced = advanced[len("RRULE:") :]
        rule = advanced or repeat_rule(
            repeat=self.cleaned_data["repeat"], first_on=self.cleaned_data["first_on"]
        )
        parts = {part.partition("=")[0].strip().upper() for part in rule.split(";")}
        if parts & {"COUNT", "UNTIL"}:
            return rule
        return f"{rule.rstrip(';')};COUNT={self.cleaned_data['count']}"


@login_required
def session_series_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug, write=True)
    form = SessionSeriesForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sessions = session_series_create(
                cohort=cohort,
                title=data["title"],
                mode=data["mode"],
                rrule=form.rule(),
                first_starts_at=form.first_starts_at(),
                duration_minutes=data["duration_minutes"],
                contact_minutes=data["contact_minutes"],
                track=form.track(),
                location=data["location"],
                meeting_url=data["meeting_url"],
                days=data["days"],
                is_required=data["is_required"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            first, last = (s.starts_at.astimezone(form.zone).date() for s in (sessions[0], sessions[-1]))
            count = len(sessions)
            messages.success(
                request,
                f"{count} session{'s' if count != 1 else ''} created, from {_day(first)} to {_day(last)}.",
            )
            return redirect("web:cohort-calendar", slug=cohort.slug)
    return render(request, "web/session_series_form.html", {"cohort": cohort, "form": form})


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Participants see it on their calendar, next to the cancelled session.",
        error_messages={
            "required": "Give a reason for the cancellation: participants see it on their calendar."
        },
    )


def _people_concerned(session: Session) -> int:
    """The current members of the class the session is for: its track's, or every track's if joint."""
    audience = Q() if session.track_id is None else Q(track_id=session.track_id)
    return Enrollment.objects.current().filter(audience, cohort_id=session.cohort_id).count()


@login_required
def session_cancel_view(request: HttpRequest, session_uuid: UUID) -> HttpResponse:
    session = get_session_for(request.user, session_uuid, manage=True)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session_cancel(session=session, reason=form.cleaned_data["reason"], by=request.user)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            when = _day(session.starts_at.astimezone(ZoneInfo(session.cohort.program.time_zone)).date())
            messages.success(
                request, f"{session.title} on {when} is cancelled; calendars show it with the reason."
            )
            return redirect("web:cohort-calendar", slug=session.cohort.slug)
    context = {"session": session, "form": form, "people": _people_concerned(session)}
    return render(request, "web/session_cancel.html", context)
