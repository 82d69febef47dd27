"""A programme's figures by class, for its report: one aggregate query whatever the programme's size.

Per class (cohort): how many enrolled (everyone admitted, whatever became of them), how many are
active, withdrawn, completed and certified, the contact hours credited on average, and how many
current members are on pace. Every figure comes from the database in one grouped query: each
enrollment's ledger sum is a correlated subquery on the ledger's (enrollment_ref, category) index,
pace is judged in SQL with the evaluator's own arithmetic (`cecto.ledger.requirements`), and the
per-enrollment rows are summed per class in an outer query, so no row is ever loaded into Python.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, DateField, F, Func, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.db.models.sql.compiler import SQLCompiler

from cecto.ledger.api import HoursEntry
from cecto.programs.api import Program
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.querysets import CURRENT_STATUSES

# "Enrolled" is everyone past the application, as on the public page (numbers_by_class_for).
COUNTED_STATUSES = ("admitted", "active", "withdrawn", "completed", "certified")


class DaysBetween(Func):
    """Whole days from the second date to the first (negative when it is later)."""

    arity = 2
    output_field = IntegerField()
    template = "(%(expressions)s)"
    arg_joiner = " - "  # PostgreSQL: date - date is a whole number of days

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        # SQLite keeps dates as ISO text: julianday() turns each into a day number.
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


@dataclass(frozen=True)
class ClassInfo:
    """What the report says about a class itself: plain values (the report is cached whole)."""

    id: int
    slug: str
    name: str
    status_label: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class ClassFigures:
    """One class of the report (or a subtotal, or the total: then `cohort` is None)."""

    label: str
    cohort: ClassInfo | None
    year: int
    enrolled: int = 0
    admitted: int = 0
    active: int = 0
    withdrawn: int = 0
    completed: int = 0
    certified: int = 0
    credited_minutes: int = 0  # contact minutes credited to everyone enrolled
    pace_judged: int = 0  # current members (admitted, active, completed, certified)
    on_pace: int = 0
    credentials_issued: int = 0  # Open Badges issued to the class, whatever their status since
    credentials_revoked: int = 0

    @property
    def average_hours(self) -> Decimal | None:
        """Contact hours credited per person enrolled, to one decimal (None with nobody enrolled)."""
        if not self.enrolled:
            return None
        return (Decimal(self.credited_minutes) / 60 / self.enrolled).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def on_pace_percent(self) -> int | None:
        """The share of current members on pace, in whole percent (None with no current member)."""
        if not self.pace_judged:
            return None
        return int((Decimal(self.on_pace * 100) / self.pace_judged).quantize(Decimal(1), ROUND_HALF_UP))

    def plus(self, other: ClassFigures) -> ClassFigures:
        return replace(
            self,
            enrolled=self.enrolled + other.enrolled,
            admitted=self.admitted + other.admitted,
            active=self.active + other.active,
            withdrawn=self.withdrawn + other.withdrawn,
            completed=self.completed + other.completed,
            certified=self.certified + other.certified,
            credited_minutes=self.credited_minutes + other.credited_minutes,
            pace_judged=self.pace_judged + other.pace_judged,
            on_pace=self.on_pace + other.on_pace,
            credentials_issued=self.credentials_issued + other.credentials_issued,
            credentials_revoked=self.credentials_revoked + other.credentials_revoked,
        )


def _ledger_minutes(category: str) -> Coalesce:
    """One enrollment's net minutes of CATEGORY: a correlated subquery on the ledger's index."""
    total = (
        HoursEntry.objects.filter(enrollment_ref=OuterRef("uuid"), category=category)
        .order_by()
        .values("enrollment_ref")
        .annotate(total=Sum("minutes"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def _per_enrollment(program: Program, today: date, using: str) -> tuple[str, tuple[Any, ...]]:
    """Each counted enrollment of the programme: class, status, minutes credited, whether on pace.

    Pace as `ledger.requirements.evaluate_progress` judges it: credited (instruction, plus mentoring
    where the track counts it) at least 90% of an even spread from enrollment to graduation.
    """
    required = F("track__required_contact_minutes")
    span = DaysBetween(F("cohort__ends_on"), F("enrolled_on"))
    elapsed = Greatest(DaysBetween(Value(today, output_field=DateField()), F("enrolled_on")), Value(0))
    rows = (
        Enrollment.objects.filter(cohort__program=program, status__in=COUNTED_STATUSES)
        .exclude(cohort__status=Cohort.Status.CANCELLED)
        .annotate(
            instruction=_ledger_minutes(HoursEntry.Category.INSTRUCTION),
            counted_mentoring=Case(
                When(
                    track__mentoring_counts_as_instruction=True,
                    then=_ledger_minutes(HoursEntry.Category.MENTORING),
                ),
                default=Value(0),
                output_field=IntegerField(),
            ),
            expected=Case(
                When(Q(cohort__ends_on__lte=today) | Q(cohort__ends_on__lte=F("enrolled_on")), then=required),
                default=required * elapsed / span,
                output_field=IntegerField(),
            ),
        )
        .values("cohort_id", "status", "instruction", "counted_mentoring", "expected")
        .order_by()
    )
    sql, params = rows.query.get_compiler(using).as_sql()
    return sql, tuple(params)


def class_figures_for(*, program: Program, today: date, using: str = DEFAULT_DB_ALIAS) -> list[ClassFigures]:
    """Figures for every class of PROGRAM that has not been cancelled, oldest first: two queries,
    on the database USING (the programme report reads a replica when there is one)."""
    inner, params = _per_enrollment(program, today, using)
    statuses = ", ".join(
        f"SUM(CASE WHEN e.status = '{status}' THEN 1 ELSE 0 END)" for status in COUNTED_STATUSES
    )
    judged = "e.status IN (" + ", ".join(f"'{status}'" for status in CURRENT_STATUSES) + ")"
    on_pace_sql = "(e.instruction + e.counted_mentoring) * 10 >= e.expected * 9"
    # MATERIALIZED: each enrollment's ledger sums are computed once, however often the outer query
    # reads them (PostgreSQL 12+ and SQLite 3.35+ both honour it).
    sql = (
        f"WITH e AS MATERIALIZED ({inner}) "  # noqa: S608 (the inner query is Django's; the rest constants)
        f"SELECT e.cohort_id, COUNT(*), {statuses}, SUM(e.instruction), "
        f"SUM(CASE WHEN {judged} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {judged} AND {on_pace_sql} THEN 1 ELSE 0 END) "
        "FROM e GROUP BY e.cohort_id"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        by_cohort = {row[0]: row[1:] for row in cursor.fetchall()}
    result = []
    cohorts = (
        Cohort.objects.using(using)
        .filter(program=program)
        .exclude(status=Cohort.Status.CANCELLED)
        .order_by("starts_on", "name", "pk")
        .values_list("pk", "slug", "name", "status", "starts_on", "ends_on")
    )
    for pk, slug, name, status, starts_on, ends_on in cohorts:
        label = Cohort.Status(status).label
        cohort = ClassInfo(
            id=pk, slug=slug, name=name, status_label=label, starts_on=starts_on, ends_on=ends_on
        )
        figures = ClassFigures(label=name, cohort=cohort, year=starts_on.year)
        row = by_cohort.get(pk)
        if row is not None:
            enrolled, admitted, active, withdrawn, completed, certified, minutes, judged_n, on_pace = (
                int(value or 0) for value in row
            )
            figures = replace(
                figures,
                enrolled=enrolled,
                admitted=admitted,
                active=active,
                withdrawn=withdrawn,
                completed=completed,
                certified=certified,
                credited_minutes=minutes,
                pace_judged=judged_n,
                on_pace=on_pace,
            )
        result.append(figures)
    return result
