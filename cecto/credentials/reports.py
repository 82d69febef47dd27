"""Reads over many credentials at once: which a login may list (the JSON API), and the programme
report, which adds each class's credentials to its enrollment figures (`scheduling.reports`).

The report lives here because credentials is the first app that sees both enrollments and
credentials. It is cached per programme, keyed on the latest change that can move a figure: the
newest ledger entry, enrollment, enrollment status change, credential and credential status change
(one query, each part a read of a primary-key index), with the programme's row and today's date.
So a change shows at once, without per-programme bookkeeping; the price is that any change anywhere
makes every programme's next report a miss. An entry also expires after `REPORT_CACHE_SECONDS`,
which bounds how long an edit that leaves none of those traces (a track's requirement changed in
the admin) goes unseen.

The reports are kept in each process as objects (immutable dataclasses), not pickled into Django's
cache: unpickling the 2,000 classes of a national programme cost ~25 ms a view, more than all the
rest of the page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cachetools import TTLCache
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cecto.core.types import AnyUser
from cecto.core.versions import version_key
from cecto.credentials.models import Credential, CredentialStatusChange
from cecto.ledger.api import HoursEntry
from cecto.people.api import Person
from cecto.programs.api import Program
from cecto.scheduling.api import Cohort, Enrollment
from cecto.scheduling.models import EnrollmentStatusChange
from cecto.scheduling.reports import ClassFigures, class_figures_for

REPORT_CACHE_SECONDS = 300
_reports: TTLCache[str, ProgramReport] = TTLCache(maxsize=32, ttl=REPORT_CACHE_SECONDS)
_reports_lock = threading.Lock()  # cachetools caches are not thread-safe
# An administrator whose programmes run at least 1 in DENSE_SHARE of all classes lists credentials
# by walking them in id order; anyone else's are gathered through indexes (see credentials_listed_for).
DENSE_SHARE = 5
OPEN_BADGE = Credential.Kind.OPEN_BADGE


def credentials_listed_for(user: AnyUser) -> QuerySet[Credential]:
    """The credentials USER may list: their own, and those of the programmes they administer (a
    badge by its class, a transcript when its holder earned a badge in one of those programmes)."""
    if not user.is_authenticated:
        return Credential.objects.none()
    if user.is_superuser:
        return Credential.objects.all()
    own = Q(person__user=user)
    # The programmes first (one small query): a holder who administers none then gets a plain
    # indexed filter, instead of an OR that no index serves (a scan of every credential).
    programs = list(Program.objects.administered_by(user).values_list("pk", flat=True))
    if not programs:
        return Credential.objects.filter(own)
    classes = Cohort.objects.aggregate(every=Count("pk"), theirs=Count("pk", filter=Q(program__in=programs)))
    if classes["theirs"] * DENSE_SHARE >= classes["every"]:
        # Their programmes hold a good share of all credentials: walking credentials in id order
        # and keeping theirs fills a page after a few rows.
        badge_in_programs = Credential.objects.filter(
            person_id=OuterRef("person_id"), kind=OPEN_BADGE, enrollment__cohort__program__in=programs
        )
        return Credential.objects.filter(
            own
            | Q(kind=OPEN_BADGE, enrollment__cohort__program__in=programs)
            | Q(Exists(badge_in_programs), kind=Credential.Kind.TRANSCRIPT)
        )
    # A small share: each branch an IN over an indexed column (person, enrollment), so the few
    # matching rows are gathered from indexes instead of walking every credential in id order.
    enrollments = Enrollment.objects.filter(cohort__program__in=programs).values("pk")
    holders = Credential.objects.filter(kind=OPEN_BADGE, enrollment__in=enrollments).values("person_id")
    return Credential.objects.filter(
        Q(person__in=Person.objects.filter(user=user).values("pk"))
        | Q(kind=OPEN_BADGE, enrollment__in=enrollments)
        | Q(kind=Credential.Kind.TRANSCRIPT, person__in=holders)
    )


@dataclass(frozen=True)
class CredentialCounts:
    issued: int
    revoked: int


def credential_counts_by_cohort(
    *, program: Program, using: str = DEFAULT_DB_ALIAS
) -> dict[int, CredentialCounts]:
    """Open Badges issued to each class of PROGRAM, and how many of them are revoked: one query."""
    rows = (
        Credential.objects.using(using)
        .filter(kind=OPEN_BADGE, enrollment__cohort__program=program)
        .values("enrollment__cohort_id")
        .annotate(issued=Count("pk"), revoked=Count("pk", filter=Q(status=Credential.Status.REVOKED)))
        .order_by()
    )
    return {
        row["enrollment__cohort_id"]: CredentialCounts(issued=row["issued"], revoked=row["revoked"])
        for row in rows
    }


@dataclass(frozen=True)
class YearFigures:
    year: int
    classes: tuple[ClassFigures, ...]
    subtotal: ClassFigures


@dataclass(frozen=True)
class ProgramReport:
    program: Program
    years: tuple[YearFigures, ...]
    total: ClassFigures
    as_of: datetime
    key: str  # the version it was built for: the page caches its rendered table under it

    @property
    def classes(self) -> tuple[ClassFigures, ...]:
        return tuple(figures for year in self.years for figures in year.classes)


def _newest(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(queryset.order_by("-pk").values("pk")[:1])


def _latest_change_key(program: Program, now: datetime, using: str) -> str:
    """What the report's cache entry is valid for: one query of newest-row reads on primary keys."""
    marks = (
        Program.objects.using(using)
        .filter(pk=program.pk)
        .annotate(
            entry=_newest(HoursEntry.objects.all()),
            enrollment=_newest(Enrollment.objects.all()),
            status_change=_newest(EnrollmentStatusChange.objects.all()),
            credential=_newest(Credential.objects.all()),
            credential_change=_newest(CredentialStatusChange.objects.all()),
        )
        .values_list("updated_at", "entry", "enrollment", "status_change", "credential", "credential_change")
        .first()
    )
    today = timezone.localdate(now, program.zone)
    return version_key("program-report", (using, program.pk, today.isoformat(), marks))


def _build(program: Program, now: datetime, using: str, key: str) -> ProgramReport:
    classes = class_figures_for(program=program, today=timezone.localdate(now, program.zone), using=using)
    counts = credential_counts_by_cohort(program=program, using=using)
    years: dict[int, list[ClassFigures]] = {}
    for figures in classes:
        found = counts.get(figures.cohort.id) if figures.cohort is not None else None
        if found is not None:
            figures = replace(figures, credentials_issued=found.issued, credentials_revoked=found.revoked)
        years.setdefault(figures.year, []).append(figures)
    year_rows = []
    total = ClassFigures(label="Total", cohort=None, year=0)
    for year, rows in years.items():
        subtotal = ClassFigures(label=str(year), cohort=None, year=year)
        for figures in rows:
            subtotal = subtotal.plus(figures)
        total = total.plus(subtotal)
        year_rows.append(YearFigures(year=year, classes=tuple(rows), subtotal=subtotal))
    return ProgramReport(program=program, years=tuple(year_rows), total=total, as_of=now, key=key)


def program_report_for(*, program: Program, now: datetime | None = None) -> ProgramReport:
    """PROGRAM's figures by class, with subtotals by year and the total.

    Cached (see the module's docstring): a hit costs one query; a miss adds the classes,
    the enrollment figures and the credential counts — three queries, whatever the programme's size.
    All of them read `settings.REPORTS_DATABASE`: the replica for reports when one is configured
    (the figures are then as of the replica's last replayed change, normally under a second old).
    """
    now = now or timezone.now()
    using = settings.REPORTS_DATABASE
    key = _latest_change_key(program, now, using)
    with _reports_lock:
        report: ProgramReport | None = _reports.get(key)
    if report is None:
        report = _build(program, now, using, key)
        with _reports_lock:
            _reports[key] = report
    return report


def forget_cached_reports() -> None:
    """Empty this process's report cache (tests: each has its own database, whose ids repeat)."""
    with _reports_lock:
        _reports.clear()
