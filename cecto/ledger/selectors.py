"""Balances are sums over the ledger, computed by the database (never a stored running total)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from uuid import UUID

from django.db import connection
from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth

from cecto.ledger.ceu import ceus_for_minutes
from cecto.ledger.data import HoursBalance, MonthMinutes
from cecto.ledger.models import HoursEntry

C = HoursEntry.Category


def _balance(ref: UUID, row: dict[str, int | None] | None) -> HoursBalance:
    row = row or {}
    instruction = int(row.get("instruction") or 0)
    return HoursBalance(
        enrollment_ref=ref,
        instruction_minutes=instruction,
        mentoring_minutes=int(row.get("mentoring") or 0),
        other_minutes=int(row.get("other") or 0),
        ceus=ceus_for_minutes(instruction),
    )


def balances_for(enrollment_refs: Iterable[UUID]) -> dict[UUID, HoursBalance]:
    """Every enrollment's balance in one grouped query; enrollments with no entry get zeros."""
    refs = list(enrollment_refs)
    rows = (
        HoursEntry.objects.filter(enrollment_ref__in=refs)
        .values("enrollment_ref")
        .annotate(
            instruction=Sum("minutes", filter=Q(category=C.INSTRUCTION)),
            mentoring=Sum("minutes", filter=Q(category=C.MENTORING)),
            other=Sum("minutes", filter=Q(category=C.OTHER)),
        )
    )
    by_ref = {row["enrollment_ref"]: row for row in rows}
    return {ref: _balance(ref, by_ref.get(ref)) for ref in refs}


def all_balances(*, chunk_size: int = 10_000) -> Iterator[HoursBalance]:
    """Every enrollment's balance, recomputed from the whole ledger in one streamed GROUP BY."""
    rows = (
        HoursEntry.objects.values("enrollment_ref")
        .annotate(
            instruction=Sum("minutes", filter=Q(category=C.INSTRUCTION)),
            mentoring=Sum("minutes", filter=Q(category=C.MENTORING)),
            other=Sum("minutes", filter=Q(category=C.OTHER)),
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=chunk_size):
        yield _balance(row["enrollment_ref"], row)


def balance_for(enrollment_ref: UUID) -> HoursBalance:
    return balances_for([enrollment_ref])[enrollment_ref]


def session_minutes_for(enrollment_refs: Iterable[UUID]) -> dict[tuple[UUID, UUID], int]:
    """Net instruction minutes per (enrollment, session), in one query.

    A large class has tens of thousands of such pairs but only a few hundred distinct uuids: the
    rows are read raw and each distinct uuid is made once (Django's converters would make two
    UUID objects per row, which cost more than the query itself).
    """
    refs = list(enrollment_refs)
    if not refs:
        return {}  # no query, as Django does for an empty IN
    rows = (
        HoursEntry.objects.filter(enrollment_ref__in=refs, session_ref__isnull=False, category=C.INSTRUCTION)
        .values("enrollment_ref", "session_ref")
        .annotate(total=Sum("minutes"))
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    made: dict[object, UUID] = {}

    def uuid_of(value: object) -> UUID:
        if isinstance(value, UUID):  # PostgreSQL gives a UUID already, SQLite the 32 hex digits
            return value
        found = made.get(value)
        if found is None:
            found = made[value] = UUID(str(value))
        return found

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (uuid_of(ref), uuid_of(session)): int(total or 0) for ref, session, total in cursor.fetchall()
        }


def minutes_by_month_for(enrollment_ref: UUID) -> list[MonthMinutes]:
    rows = (
        HoursEntry.objects.filter(enrollment_ref=enrollment_ref, category=C.INSTRUCTION)
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(total=Sum("minutes"))
        .order_by("month")
    )
    return [MonthMinutes(month=_as_date(row["month"]), minutes=int(row["total"] or 0)) for row in rows]


def _as_date(value: object) -> date:
    # TruncMonth over a DateField gives a date on PostgreSQL and on SQLite alike.
    assert isinstance(value, date)  # noqa: S101 (a type guard, not a runtime check)
    return value


def entries_for(enrollment_ref: UUID) -> list[HoursEntry]:
    """The transcript: every entry, reversals included, oldest first."""
    return list(
        HoursEntry.objects.filter(enrollment_ref=enrollment_ref)
        .select_related("recorded_by")
        .order_by("occurred_on", "recorded_at", "id")
    )


def net_minutes(*, enrollment_ref: UUID, session_ref: UUID) -> int:
    total = HoursEntry.objects.filter(
        enrollment_ref=enrollment_ref, session_ref=session_ref, category=HoursEntry.Category.INSTRUCTION
    ).aggregate(total=Sum("minutes"))["total"]
    return int(total or 0)
