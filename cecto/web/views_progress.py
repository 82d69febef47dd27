"""The pages that show hours: an enrollment's progress and transcript, a cohort's dashboard.

Thin views: authorize through scheduling.permissions, read through scheduling.dashboard, render
or hand the rows to a writer in cecto.web.exports.

The progress page and the dashboard are cached whole (decision 0008): each template wraps its
content in `{% cache %}` keyed on the page's version (`scheduling.dashboard.cache`, one query),
and the view hands it the page's data lazily, so a cached page reads nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from cecto.core.types import AnyUser
from cecto.programs.api import Track
from cecto.scheduling.dashboard import (
    DEFAULT_SORT,
    FLAG_CHOICES,
    PAGE_CACHE_SECONDS,
    SORT_KEYS,
    DashboardRow,
    Flag,
    FlagCount,
    ProgressPage,
    dashboard_cached,
    dashboard_filtered,
    dashboard_sorted,
    dashboard_version,
    flag_counts,
    progress_page_for,
    progress_page_version,
    transcript_for,
)
from cecto.scheduling.models import Cohort
from cecto.scheduling.permissions import can_see_roster_details, get_cohort_for, get_enrollment_for
from cecto.web.charts import hours_by_month_chart
from cecto.web.exports import cohort_sheet_title, dashboard_csv, dashboard_xlsx, transcript_csv
from cecto.web.templatetags.cecto_format import hours

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
    now = timezone.now()
    # A ProgressPage when read (typed as one: SimpleLazyObject forwards every attribute).
    page = cast(ProgressPage, SimpleLazyObject(lambda: progress_page_for(enrollment=enrollment, now=now)))
    context = {
        "enrollment": enrollment,
        "version": progress_page_version(enrollment=enrollment, now=now),
        "cache_seconds": PAGE_CACHE_SECONDS,
        # Read only when the template's cached fragment is missing.
        "page": page,
        "chart": SimpleLazyObject(lambda: hours_by_month_chart(page.months)),
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


@dataclass(frozen=True)
class DashboardLine:
    """A row as the table prints it, as text worked out here: for a class of 470, the template's
    lookups, `{% url %}` and number formatting would cost several times more."""

    url: str
    name: str
    district: str
    track: str
    done: str  # the <progress> element's value and maximum (the target, at least 1), in minutes
    bar_max: str
    hours: str  # "21 of 240"
    ceus: str
    sessions: str  # "1 of 3", or "—" when the track requires none
    flags: tuple[Flag, ...]


def _lines(rows: list[DashboardRow]) -> list[DashboardLine]:
    # reverse() takes ~50 µs a call: once, with a placeholder in the enrollment's place.
    placeholder = str(UUID(int=0))
    url = reverse("web:enrollment-progress", args=[placeholder])
    return [
        DashboardLine(
            url=url.replace(placeholder, str(row.enrollment.uuid)),
            name=row.person.full_name,
            district=row.district_name or "—",
            track=row.enrollment.track.name,
            done=str(row.done_minutes),
            bar_max=str(row.target_minutes or 1),
            hours=f"{hours(row.done_minutes)} of {hours(row.target_minutes)}",
            ceus=str(row.ceus),
            sessions=f"{row.sessions_attended} of {row.sessions_required}" if row.sessions_required else "—",
            flags=row.flags,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DashboardTable:
    """Every current member's row, and the rows the query shows, in its order."""

    rows: list[DashboardRow]
    shown: list[DashboardRow]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def lines(self) -> list[DashboardLine]:
        return _lines(self.shown)

    @property
    def tracks(self) -> list[Track]:
        tracks = {row.enrollment.track.pk: row.enrollment.track for row in self.rows}
        return sorted(tracks.values(), key=lambda track: (track.position, track.name))

    @property
    def flag_counts(self) -> list[FlagCount]:
        return flag_counts(self.rows)


def _table(cohort: Cohort, query: DashboardQuery, *, version: str, now: datetime) -> DashboardTable:
    rows = dashboard_cached(cohort=cohort, version=version, now=now)
    shown = dashboard_filtered(rows, track=query.track, flag=query.flag)
    return DashboardTable(rows, dashboard_sorted(shown, sort=query.sort, descending=query.descending))


def _shown(cohort: Cohort, query: DashboardQuery) -> list[DashboardRow]:
    """The rows the query shows, for a download: from the cache when they are there."""
    now = timezone.now()
    return _table(cohort, query, version=dashboard_version(cohort=cohort, now=now), now=now).shown


@login_required
def cohort_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    query = DashboardQuery.from_params(request.GET)
    now = timezone.now()
    version = dashboard_version(cohort=cohort, now=now)
    context = {
        "cohort": cohort,
        "version": version,
        "cache_seconds": PAGE_CACHE_SECONDS,
        # Read only when the template's cached fragment is missing.
        "table": SimpleLazyObject(lambda: _table(cohort, query, version=version, now=now)),
        "query": query,
        "headers": _headers(query),
        "export_query": query.query_string(),
        "clear_query": query.query_string(track="", flag=""),
    }
    return render(request, "web/cohort_dashboard.html", context)


@login_required
def cohort_dashboard_csv(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    shown = _shown(cohort, DashboardQuery.from_params(request.GET))
    return _download(dashboard_csv(shown), CSV, f"{cohort.slug}-progress.csv")


@login_required
def cohort_dashboard_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = _staff_cohort_for(request.user, slug)
    shown = _shown(cohort, DashboardQuery.from_params(request.GET))
    title = cohort_sheet_title(program=str(cohort.program), cohort=cohort.name)
    return _download(dashboard_xlsx(title, shown), XLSX, f"{cohort.slug}-progress.xlsx")
