"""Thin HTML views: authorize, read through selectors, render."""

from __future__ import annotations

import re
from datetime import datetime
from typing import cast
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from cecto.people.selectors import person_for_user
from cecto.programs.models import Program, Track
from cecto.programs.selectors import catalogue_version
from cecto.scheduling.dashboard import (
    PAGE_CACHE_SECONDS,
    TeamProgress,
    dashboard_cached,
    dashboard_version,
    district_team_progress_for,
    team_progress_from,
)
from cecto.scheduling.data import ClassNumbers, ProgramNumbers
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.numbers import program_has_classes_in, program_numbers_cached, program_numbers_version
from cecto.scheduling.permissions import (
    can_manage_cohort,
    can_see_roster_details,
    get_cohort_for,
    get_enrollment_for,
)
from cecto.scheduling.roles import roles_of
from cecto.scheduling.selectors import (
    DistrictTeam,
    district_teams_for,
    led_district_teams_for,
    roster_for,
)
from cecto.web import views_reports
from cecto.web.views_reports import can_see_program_report

# What the home page's cards show (a programme's name is its short name, else its name).
_PROGRAM_NAME = ("program__short_name", "program__name")
HOME_COHORT_FIELDS = ("slug", "name", "status", *_PROGRAM_NAME)
HOME_ENROLLMENT_FIELDS = (
    "uuid",
    "status",
    "track__name",
    "cohort__slug",
    "cohort__name",
    "cohort__starts_on",
    "cohort__ends_on",
    *(f"cohort__{name}" for name in _PROGRAM_NAME),
)
HOME_SESSION_FIELDS = ("uuid", "title", "mode", "track_id", "time_zone", "starts_at", "ends_at")


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/home_public.html", {"programs": Program.objects.public()})
    person = person_for_user(request.user)
    # The user's roles (one query, read once per request) give the classes taught and the
    # programmes administered: no query for them when there are none (most people), and the
    # sessions below are looked up by their classes' ids (`on_calendar_of`, `todays_roll_calls`).
    roles = roles_of(request.user)
    administered = (
        Cohort.objects.all()
        if roles.superuser
        else Cohort.objects.filter(program_id__in=roles.administered_programs)
    )
    # Each list reads only the columns its cards show (the page is every signed-in user's first).
    context = {
        "person": person,
        "enrollments": Enrollment.objects.of_person_user(request.user)
        .select_related("cohort__program", "track")
        .only(*HOME_ENROLLMENT_FIELDS)
        .order_by("-cohort__starts_on"),
        "taught_cohorts": Cohort.objects.filter(pk__in=roles.taught_cohorts)
        .select_related("program")
        .only(*HOME_COHORT_FIELDS),
        "administered_cohorts": administered.select_related("program")
        .only(*HOME_COHORT_FIELDS)
        .order_by("-starts_on")[:12],
        "upcoming_sessions": Session.objects.on_calendar_of(request.user)
        .upcoming(timezone.now())
        .only(*HOME_SESSION_FIELDS)[:5],
        "led_teams": led_district_teams_for(person=person) if person else [],
    }
    return render(request, "web/home.html", context)


def program_list(request: HttpRequest) -> HttpResponse:
    # The cards are cached by the catalogue's version and by which programmes the viewer sees: the
    # public ones plus those they administer (every one for a superuser). The query below runs
    # only on a miss, reading only what a card shows, the tracks in their own order (the default
    # orders them by programme name, a join).
    roles = roles_of(request.user)
    audience = "all" if roles.superuser else ",".join(map(str, sorted(roles.administered_programs)))
    tracks = Track.objects.order_by("position", "id").only("program_id", "name")
    programs = (
        Program.objects.visible_to(request.user)
        .only("slug", "name", "eligibility_summary")
        .prefetch_related(Prefetch("tracks", queryset=tracks))
    )
    context = {
        "programs": programs,
        "version": catalogue_version(),
        "audience": audience,
        "cache_seconds": PAGE_CACHE_SECONDS,
    }
    return render(request, "web/program_list.html", context)


def _numbers_year_asked(request: HttpRequest, program: Program) -> int | None:
    """`?year=`: a year in which a class of the programme started (404 otherwise), or None."""
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not re.fullmatch(r"[1-9][0-9]{3}", raw) or not program_has_classes_in(program=program, year=int(raw)):
        raise Http404("No class of this programme started that year.")
    return int(raw)


def _numbers_listed(numbers: ProgramNumbers, *, year: int | None, by_year: bool) -> list[ClassNumbers]:
    """The classes listed a line each: the year's asked for, else all of them unless by year."""
    if year is not None:
        found = numbers.year(year)
        return list(found.classes) if found is not None else []
    return [] if by_year else list(numbers.classes)


def _numbers_context(program: Program, year: int | None) -> dict[str, object]:
    """The numbers by class, cached by their version (one query): read only on a cache miss.

    Past `CLASSES_SHOWN_AT_ONCE` classes (a national programme starts ~180 a year) the page lists
    a line per year, each a link to its classes, as the programme report does (decision 0008).
    """
    version = program_numbers_version(program=program)
    by_year = year is None and version.classes > views_reports.CLASSES_SHOWN_AT_ONCE
    cached = SimpleLazyObject(lambda: program_numbers_cached(program=program, version=version))
    numbers = cast(ProgramNumbers, cached)
    return {
        "version": version.key,
        "cache_seconds": PAGE_CACHE_SECONDS,
        "year": year,
        "by_year": by_year,
        "program_numbers": numbers,
        "year_numbers": SimpleLazyObject(lambda: numbers.year(year)) if year is not None else None,
        "numbers": SimpleLazyObject(lambda: _numbers_listed(numbers, year=year, by_year=by_year)),
    }


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = Program.objects.visible_to(request.user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such programme.")
    year = _numbers_year_asked(request, program)
    context = {
        "program": program,
        "tracks": list(program.tracks.all()),
        "partners": program.partnerships.select_related("organization"),
        "contacts": program.contacts.select_related("organization"),
        **_numbers_context(program, year),
        "can_see_report": can_see_program_report(request.user, program),
    }
    return render(request, "web/program_detail.html", context)


def _cohort_teams(
    cohort: Cohort, *, show_details: bool, version: str, now: datetime
) -> list[DistrictTeam] | list[TeamProgress]:
    """The district teams; for staff with each member's hours, from the cached dashboard rows."""
    teams = district_teams_for(cohort=cohort)
    if not show_details:
        return teams
    rows = dashboard_cached(cohort=cohort, version=version, now=now)
    return team_progress_from(cohort=cohort, teams=teams, rows=rows, now=now)


@login_required
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug)
    show_details = can_see_roster_details(request.user, cohort)
    now = timezone.now()
    version = dashboard_version(cohort=cohort, now=now)
    context = {
        "cohort": cohort,
        # The roster and the teams are cached by the dashboard's version (decision 0008), one
        # fragment for all staff and one per other viewer (their own enrollment is a link):
        # both are read only on a miss.
        "version": version,
        "viewer": "staff" if show_details else request.user.pk,
        "cache_seconds": PAGE_CACHE_SECONDS,
        "roster": SimpleLazyObject(lambda: list(roster_for(cohort=cohort, members_only=not show_details))),
        "district_teams": SimpleLazyObject(
            lambda: _cohort_teams(cohort, show_details=show_details, version=version, now=now)
        ),
        "sessions": cohort.sessions.select_related("track").order_by("starts_at"),
        "show_details": show_details,
        "can_manage": can_manage_cohort(request.user, cohort),
    }
    return render(request, "web/cohort_detail.html", context)


@login_required
def enrollment_detail(request: HttpRequest, enrollment_uuid: UUID) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_uuid)
    history = enrollment.status_changes.select_related("by")
    return render(request, "web/enrollment_detail.html", {"enrollment": enrollment, "history": history})


@login_required
def district_team(request: HttpRequest) -> HttpResponse:
    person = person_for_user(request.user)
    teams = district_team_progress_for(person=person) if person else []
    return render(request, "web/district_team.html", {"teams": teams, "person": person})
