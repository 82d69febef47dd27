"""The pages that show hours: an enrollment's progress and transcript, a cohort's dashboard.

Thin views: authorize through scheduling.permissions, read through scheduling.dashboard, render
or hand the rows to a writer in cecto.web.exports.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from cecto.core.types import AnyUser
from cecto.scheduling.dashboard import (
    DEFAULT_SORT,
    FLAG_CHOICES,
    SORT_KEYS,
    DashboardRow,
    dashboard_filtered,
    dashboard_for,
    dashboard_sorted,
    flag_counts,
    progress_page_for,
    transcript_for,
)
from cecto.scheduling.models import Cohort
from cecto.scheduling.permissions import can_see_roster_details, get_cohort_for, get_enrollment_for
from cecto.web.charts import hours_by_month_chart
from cecto.web.exports import cohort_sheet_title, dashboard_csv, dashboard_xlsx, transcript_csv

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

COLUMNS = (
    ("name", "Name"),
    ("district", "District or organization"),
    ("track", "Track"),
    ("hours", "Contact hours"),
    ("ceus", "CEUs"),
    ("sessions", "Required sessions"),
    ("flags", "Flags"),
)
FLAGS = dict(FLAG_CHOICES)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@login_required
def enrollment_progress(request: HttpRequest, enrollment_uuid: UUID) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_uuid)
    page = progress_page_for(enrollment=enrollment)
    context = {
        "enrollment": enrollment,
        "page": page,
        "chart": hours_by_month_chart(page.months),
        "chart_title": f"Contact hours by month for {enrollment.person.full_name}",
    }
    return render(request, "web/enrollment_progress.html", context)


@login_required
def enrollment_transcript_csv(request: HttpRequest, enrollment_uuid: UUID) -> HttpResponse:
    enrollment = get_enrollment_for(request.user, enrollment_uuid)
    filename = f"transcript-{slugify(enrollment.person.full_name)}-{enrollment.cohort.slug}.csv"
    return _download(transcript_csv(transcript_for(enrollment=enrollment)), CSV, filename)


# --- the cohort dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardQuery:
    """What the dashboard's query string asks for; anything unknown falls back to the default."""

    sort: str = DEFAULT_SORT
    descending: bool = False
    track: str = ""
    flag: str = ""

    @classmethod
    def from_params(cls, params: QueryDict) -> DashboardQuery:
        sort = params.get("sort", DEFAULT_SORT)
        flag = params.get("flag", "")
        return cls(
            sort=sort if sort in SORT_KEYS else DEFAULT_SORT,
            descending=params.get("dir") == "desc",
            track=params.get("track", "").strip(),
            flag=flag if flag in FLAGS else "",
        )

    def query_string(self, **changes: str) -> str:
        values = {
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "track": self.track,
            "flag": self.flag,
            **changes,
        }
        return urlencode({key: value for key, value in values.items() if value})


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    query: str  # the query string that sorts by this column (or reverses it)
    aria_sort: str  # "ascending", "descending", or "" when not sorted by it
    next_direction: str  # in words, for the link's accessible name


def _headers(query: DashboardQuery) -> list[Header]:
    headers = []
    for key, label in COLUMNS:
        current = query.sort == key
        descending_next = current and not query.descending
        direction = "desc" if descending_next else "asc"
        headers.append(
            Header(
                key=key,
                label=label,
                query=query.query_string(sort=key, dir=direction),
                aria_sort=("descending" if query.descending else "ascending") if current else "",
                next_direction="descending" if descending_next else "ascending",
            )
        )
    return headers


def _staff_cohort_for(user: AnyUser, slug: str) -> Cohort:
    """Outsiders get 404 from get_cohort_for; members who are not staff of the class get 403."""
    cohort = get_cohort_for(user, slug)
    if not can_see_roster_details(user, cohort):
        raise PermissionDenied
    return cohort


def _rows(cohort: Cohort, query: DashboardQuery) -> tuple[list[DashboardRow], list[DashboardRow]]:
    """All the dashboard's rows, and those the query shows, in its order."""
    rows = dashboard_for(cohort=cohort)
    shown = dashboard_filtered(rows, track=query.track, flag=query.flag)
    return rows, dashboard_sorted(shown, sort=query.sort, descending=query.descending)


@login_required
def cohort_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    query = DashboardQuery.from_params(request.GET)
    rows, shown = _rows(cohort, query)
    tracks = {row.enrollment.track.pk: row.enrollment.track for row in rows}
    context = {
        "cohort": cohort,
        "rows": shown,
        "total": len(rows),
        "query": query,
        "headers": _headers(query),
        "tracks": sorted(tracks.values(), key=lambda track: (track.position, track.name)),
        "flag_counts": flag_counts(rows),
        "export_query": query.query_string(),
        "clear_query": query.query_string(track="", flag=""),
    }
    return render(request, "web/cohort_dashboard.html", context)


@login_required
def cohort_dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    _, shown = _rows(cohort, DashboardQuery.from_params(request.GET))
    return _download(dashboard_csv(shown), CSV, f"{cohort.slug}-progress.csv")


@login_required
def cohort_dashboard_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    _, shown = _rows(cohort, DashboardQuery.from_params(request.GET))
    title = cohort_sheet_title(program=str(cohort.program), cohort=cohort.name)
    return _download(dashboard_xlsx(title, shown), XLSX, f"{cohort.slug}-progress.xlsx")
