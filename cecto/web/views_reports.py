"""The programme report: figures by class for the programme's administrators, as a page and as CSV.

The figures come from `cecto.credentials.reports.program_report_for` (a fixed number of queries
whatever the programme's size, cached until something changes). A programme with many classes
(a national one has hundreds a year) shows a line per year first, and a year's classes on asking.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from cecto.core.types import AnyUser
from cecto.credentials.reports import REPORT_CACHE_SECONDS, ProgramReport, program_report_for
from cecto.programs.models import Program
from cecto.scheduling.reports import ClassFigures
from cecto.web.exports import Cell, csv_bytes

# Past this many classes the page lists years, each a link to its classes: the page stays small.
CLASSES_SHOWN_AT_ONCE = 60

REPORT_HEADER = (
    "Year",
    "Class",
    "Status",
    "Kick-off",
    "Graduation",
    "Enrolled",
    "Admitted",
    "Active",
    "Withdrawn",
    "Completed",
    "Certified",
    "Average contact hours credited",
    "Current members",
    "On pace",
    "On pace (%)",
    "Credentials issued",
    "Credentials revoked",
)


def can_see_program_report(user: AnyUser, program: Program) -> bool:
    """The programme's administrators (and superusers): one query, none for a visitor."""
    if not user.is_authenticated:
        return False
    return Program.objects.administered_by(user).filter(pk=program.pk).exists()


def get_program_to_report_for(user: AnyUser, slug: str) -> Program:
    """The programme, if the user may see it (404 otherwise) and administers it (403 otherwise)."""
    program = Program.objects.visible_to(user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such programme.")
    if not can_see_program_report(user, program):
        raise PermissionDenied
    return program


def _year_asked(request: HttpRequest, report: ProgramReport) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    years = {year.year for year in report.years}
    if not raw.isdigit() or int(raw) not in years:
        raise Http404("No class of this programme started that year.")
    return int(raw)


@login_required
def program_report(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_to_report_for(request.user, slug)
    report = program_report_for(program=program)
    year = _year_asked(request, report)
    by_year = len(report.classes) > CLASSES_SHOWN_AT_ONCE and year is None
    context = {
        "program": program,
        "report": report,
        "years": [y for y in report.years if year is None or y.year == year],
        "year": year,
        "by_year": by_year,
        # The table is a function of the report's version and the year asked for: rendered once
        # per version (its ~13 rows of includes were half the page's time on a hit).
        "cache_seconds": REPORT_CACHE_SECONDS,
    }
    return render(request, "web/program_report.html", context)


def _cells(figures: ClassFigures) -> list[Cell]:
    cohort = figures.cohort
    average = figures.average_hours
    percent = figures.on_pace_percent
    return [
        figures.year if cohort is not None else "",
        figures.label,
        cohort.status_label if cohort is not None else "",
        f"{cohort.starts_on:%Y-%m-%d}" if cohort is not None else "",
        f"{cohort.ends_on:%Y-%m-%d}" if cohort is not None else "",
        figures.enrolled,
        figures.admitted,
        figures.active,
        figures.withdrawn,
        figures.completed,
        figures.certified,
        average if average is not None else Decimal(0),
        figures.pace_judged,
        figures.on_pace,
        percent if percent is not None else "",
        figures.credentials_issued,
        figures.credentials_revoked,
    ]


@login_required
def program_report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_program_to_report_for(request.user, slug)
    report = program_report_for(program=program)
    rows = [_cells(figures) for figures in report.classes] + [_cells(report.total)]
    response = HttpResponse(csv_bytes(REPORT_HEADER, rows), content_type="text/csv; charset=utf-8")
    filename = f"{program.slug}-report-{report.as_of:%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
