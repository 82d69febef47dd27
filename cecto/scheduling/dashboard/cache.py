"""Versions of the hours pages, to cache them by: a digest of what a cohort's dashboard (or one
enrollment's progress page) is computed from, read in one query (decision 0008).

A version changes as soon as anything the page shows changes, so a cached page is never stale.
Its parts are counters that every write moves, whatever the clock says (the tests freeze time),
and timestamps for the edits that leave no other trace:

- the ledger: how many entries the enrollments have (append-only: every credit, reversal and
  correction adds one);
- attendance: for the dashboard, the excused records (it reads no other: how many, the sum of
  their ids and of their versions: a record that joins or leaves them moves the count or the
  ids, an edit bumps its version); for one enrollment, all its records (how many and the sum of
  their versions);
- enrollments: how many in each status (a status change moves one), and their newest
  `updated_at` and `status_changed_at`;
- sessions: how many, the sum of their SEQUENCE (every change and cancellation bumps it), their
  newest `updated_at`, and how many have ended by now (an ending session turns from "to come"
  into attended or missed);
- the rows the page has loaded already: cohort, programme and tracks by `updated_at` (with the
  person, organization and status of a progress page's enrollment), and today's date where the
  programme is (pace is reckoned by the day).

Each part reads an index on the cohort or the enrollment (the ledger's is covering): a few
milliseconds for the largest class, against ~115 ms to compute its rows. A dashboard's version
leaves out its people's names and districts (a join per member, a third of the query's time on
PostgreSQL): a renamed person or district shows when the entry expires, after
`PAGE_CACHE_SECONDS`, which also bounds how long an edit that leaves none of these traces (a
queryset `update()` in a shell) goes unseen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from cecto.core.sql import table
from cecto.core.versions import version_key
from cecto.ledger.api import HoursEntry
from cecto.programs.api import Track
from cecto.scheduling.attendance import policy_for
from cecto.scheduling.dashboard.rows import DashboardRow, dashboard_for
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, Session

PAGE_CACHE_SECONDS = 300
EXCUSED = AttendanceRecord.Status.EXCUSED.value
STATUSES = tuple(status.value for status in Enrollment.Status)

# Raw SQL rather than the ORM: as annotated subqueries, the dashboard's version costs ~8 ms of
# Python to build, more than the database takes to answer it. Each derived table is one row; the
# names in braces are tables (quoted names from the models), everything else a parameter.
_DASHBOARD = """SELECT * FROM
    (SELECT COUNT(*) AS n FROM {entry}
     WHERE enrollment_ref IN (SELECT uuid FROM {enrollment} WHERE cohort_id = %s)) AS entries,
    (SELECT COUNT(*) AS n, SUM(r.id) AS ids, SUM(r.version) AS versions
     FROM {record} r JOIN {session} s ON s.id = r.session_id
     WHERE s.cohort_id = %s AND r.status = %s) AS excused,
    (SELECT {by_status}, MAX(updated_at) AS at, MAX(status_changed_at) AS changed_at
     FROM {enrollment} WHERE cohort_id = %s) AS enrollments,
    (SELECT MAX(updated_at) AS at FROM {track} WHERE program_id = %s) AS tracks,
    {sessions}"""
_PROGRESS_PAGE = """SELECT * FROM
    (SELECT COUNT(*) AS n FROM {entry}
     WHERE enrollment_ref = (SELECT uuid FROM {enrollment} WHERE id = %s)) AS entries,
    (SELECT COUNT(*) AS n, SUM(version) AS versions FROM {record} WHERE enrollment_id = %s) AS records,
    {sessions}"""
_SESSIONS = """(SELECT COUNT(*) AS n, SUM(sequence) AS seq, MAX(updated_at) AS at,
            SUM(CASE WHEN ends_at <= %s THEN 1 ELSE 0 END) AS ended
     FROM {session} WHERE cohort_id = %s) AS sessions"""
# One column per status: a status change moves one enrollment from one to another.
_BY_STATUS = ", ".join(f"SUM(CASE WHEN status = '{status}' THEN 1 ELSE 0 END)" for status in STATUSES)


def _marks(sql: str, params: Sequence[Any]) -> tuple[Any, ...]:
    """The one row of SQL, with the tables' names filled in."""
    tables = {
        "entry": table(HoursEntry),
        "record": table(AttendanceRecord),
        "enrollment": table(Enrollment),
        "session": table(Session),
        "track": table(Track),
    }
    sessions = _SESSIONS.format(**tables)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(sessions=sessions, by_status=_BY_STATUS, **tables), params)
        return tuple(cursor.fetchone() or ())


def dashboard_version(*, cohort: Cohort, now: datetime) -> str:
    """The version of COHORT's dashboard rows at NOW: one query (see the module's docstring)."""
    pk, program = cohort.pk, cohort.program
    at = connection.ops.adapt_datetimefield_value(now)
    marks = _marks(_DASHBOARD, (pk, pk, EXCUSED, pk, program.pk, at, pk))
    today = timezone.localdate(now, program.zone)
    return version_key("dashboard", (cohort.uuid, cohort.updated_at, program.updated_at, today, marks))


def progress_page_version(*, enrollment: Enrollment, now: datetime) -> str:
    """The version of ENROLLMENT's progress page at NOW: one query (see the module's docstring).

    The enrollment comes with its person, organization, track, cohort and programme loaded
    (`get_enrollment_for`): their rows count as they are.
    """
    person, track, cohort = enrollment.person, enrollment.track, enrollment.cohort
    at = connection.ops.adapt_datetimefield_value(now)
    marks = _marks(_PROGRESS_PAGE, (enrollment.pk, enrollment.pk, at, cohort.pk))
    parts = (
        enrollment.uuid,
        enrollment.status,
        enrollment.updated_at,
        person.full_name,
        person.updated_at,
        person.organization.updated_at if person.organization is not None else None,
        track.updated_at,
        policy_for(track),
        cohort.updated_at,
        cohort.program.updated_at,
        timezone.localdate(now, cohort.program.zone),
        marks,
    )
    return version_key("progress-page", parts)


def dashboard_cached(*, cohort: Cohort, version: str, now: datetime) -> list[DashboardRow]:
    """`dashboard_for(cohort)`, from the cache when VERSION (`dashboard_version` at NOW) is there."""
    rows: list[DashboardRow] | None = cache.get(version)
    if rows is None:
        rows = dashboard_for(cohort=cohort, now=now)
        cache.set(version, rows, PAGE_CACHE_SECONDS)
    return rows
