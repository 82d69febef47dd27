"""Thin HTML views: authorize, read through selectors, render."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cecto.people.selectors import person_for_user
from cecto.programs.models import Program
from cecto.scheduling.dashboard import district_team_progress_for, team_progress_for
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.permissions import (
    can_manage_cohort,
    can_see_roster_details,
    get_cohort_for,
    get_enrollment_for,
)
from cecto.scheduling.selectors import (
    district_teams_for,
    led_district_teams_for,
    numbers_by_class_for,
    roster_for,
)
from cecto.web.views_reports import can_see_program_report


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "web/home_public.html", {"programs": Program.objects.public()})
    person = person_for_user(request.user)
    context = {
        "person": person,
        "enrollments": Enrollment.objects.of_person_user(request.user)
        .select_related("cohort__program", "track")
        .order_by("-cohort__starts_on"),
        "taught_cohorts": Cohort.objects.taught_by(request.user).select_related("program"),
        "administered_cohorts": Cohort.objects.administered_by(request.user)
        .select_related("program")
        .order_by("-starts_on")[:12],
        "upcoming_sessions": Session.objects.on_calendar_of(request.user)
        .upcoming(timezone.now())
        .select_related("cohort", "track")[:5],
        "led_teams": led_district_teams_for(person=person) if person else [],
    }
    return render(request, "web/home.html", context)


def program_list(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.visible_to(request.user).prefetch_related("tracks")
    return render(request, "web/program_list.html", {"programs": programs})


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = Program.objects.visible_to(request.user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such programme.")
    tracks = list(program.tracks.all())
    context = {
        "program": program,
        "tracks": tracks,
        "partners": program.partnerships.select_related("organization"),
        "contacts": program.contacts.select_related("organization"),
        "numbers": numbers_by_class_for(program=program),
        "track_names": [track.name for track in tracks],
        "can_see_report": can_see_program_report(request.user, program),
    }
    return render(request, "web/program_detail.html", context)


@login_required
def cohort_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = get_cohort_for(request.user, slug)
    show_details = can_see_roster_details(request.user, cohort)
    teams = district_teams_for(cohort=cohort)
    context = {
        "cohort": cohort,
        "roster": roster_for(cohort=cohort, members_only=not show_details),
        "sessions": cohort.sessions.select_related("track").order_by("starts_at"),
        # Staff see each team member's hours too (a fixed number of queries: team_progress_for).
        "district_teams": team_progress_for(cohort=cohort, teams=teams) if show_details else teams,
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
