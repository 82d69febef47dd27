"""Calendars: a class's calendar, a person's own calendar, and their iCalendar feeds."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cecto.people.selectors import person_for_user
from cecto.scheduling.calendars import (
    calendar_months_for,
    calendar_sessions_of_cohort,
    calendar_sessions_of_user,
    cancellation_reasons_for,
    get_feed_owner_for,
    person_calendar_months_for,
)
from cecto.scheduling.ical import cohort_calendar_ics, person_calendar_ics
from cecto.scheduling.models import AttendanceRecord, Cohort
from cecto.scheduling.permissions import can_manage_cohort, get_cohort_for
from cecto.scheduling.services import calendar_feed_token_get_or_create, calendar_feed_token_rotate


def _ics_response(body: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
def cohort_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug)
    sessions = list(calendar_sessions_of_cohort(cohort=cohort))
    can_manage = can_manage_cohort(request.user, cohort)
    context = {
        "cohort": cohort,
        "months": calendar_months_for(sessions=sessions),
        "count": len(sessions),
        "can_manage": can_manage,
        # The sessions that took place (attendance recorded) cannot be cancelled: one query.
        "attended_ids": _attended_session_ids(cohort) if can_manage else set(),
    }
    return render(request, "web/calendar_cohort.html", context)


def _attended_session_ids(cohort: Cohort) -> set[int]:
    return set(AttendanceRecord.objects.filter(session__cohort=cohort).values_list("session_id", flat=True))


@login_required
def cohort_calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug)
    sessions = list(calendar_sessions_of_cohort(cohort=cohort))
    reasons = cancellation_reasons_for(sessions=sessions)
    return _ics_response(
        cohort_calendar_ics(cohort=cohort, sessions=sessions, reasons=reasons), filename=f"{cohort.slug}.ics"
    )


@login_required
def person_calendar(request: HttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    months = person_calendar_months_for(user=request.user, now=timezone.now(), past=past)
    person = person_for_user(request.user)
    feed = calendar_feed_token_get_or_create(person=person) if person is not None else None
    feed_url = (
        request.build_absolute_uri(reverse("web:person-calendar-feed", args=[feed.token])) if feed else ""
    )
    context = {
        "past": past,
        "rotated": request.GET.get("rotated") == "1",
        "months": months,
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[-1] if feed_url else "",
    }
    return render(request, "web/calendar_person.html", context)


@require_POST
@login_required
def person_calendar_rotate(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    if person is None:
        raise Http404("You have no profile, so no calendar feed.")
    calendar_feed_token_rotate(person=person, by=request.user)
    # Said by the page itself, not django.contrib.messages: base.html's message list puts
    # role="status" on its <ul>, which axe-core reports as a serious violation (list items in no list).
    return redirect(f"{reverse('web:person-calendar')}?rotated=1")


def person_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """No login: calendar applications cannot log in, so the secret token in the URL is the key."""
    feed, user = get_feed_owner_for(token)
    sessions = list(calendar_sessions_of_user(user=user))
    reasons = cancellation_reasons_for(sessions=sessions)
    body = person_calendar_ics(person=feed.person, sessions=sessions, reasons=reasons)
    return _ics_response(body, filename="cecto.ics")
