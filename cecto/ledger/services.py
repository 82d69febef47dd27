"""Writing to the ledger: record, reverse, and set a session's credit by reversal."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum

from cecto.core.errors import DomainError
from cecto.core.types import AnyUser
from cecto.ledger.models import HoursEntry
from cecto.people.api import Person


class LedgerRefused(DomainError):
    pass


def _user(actor: AnyUser | None) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


@transaction.atomic
def hours_entry_record(
    *,
    person: Person,
    enrollment_ref: UUID,
    minutes: int,
    occurred_on: date,
    source_kind: str,
    by: AnyUser | None,
    session_ref: UUID | None = None,
    category: str = HoursEntry.Category.INSTRUCTION,
    source_id: str = "",
    reason: str = "",
) -> HoursEntry:
    if minutes < 0:
        raise LedgerRefused("Credit cannot be negative: correct an entry by reversing it.")
    if source_kind == HoursEntry.Source.REVERSAL:
        raise LedgerRefused("Use hours_entry_reverse to reverse an entry.")
    if source_kind == HoursEntry.Source.MANUAL and not reason.strip():
        raise LedgerRefused("A manual adjustment needs a reason.")
    entry = HoursEntry(
        person=person,
        enrollment_ref=enrollment_ref,
        session_ref=session_ref,
        category=category,
        minutes=minutes,
        occurred_on=occurred_on,
        source_kind=source_kind,
        source_id=source_id,
        reason=reason,
        recorded_by=_user(by),
    )
    # Field validation only: the rules above are the check constraints, and the database enforces
    # them (and uniqueness) again on insert. Django's Python re-check would cost four queries an
    # entry, which is most of an import's time (bench/attendance_import.py).
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry.save()
    return entry


@transaction.atomic
def hours_entry_reverse(*, entry: HoursEntry, reason: str, by: AnyUser | None) -> HoursEntry:
    """Add the negating entry; the original stays as it was, forever."""
    if not reason.strip():
        raise LedgerRefused("Say why the entry is reversed.")
    locked = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if locked.source_kind == HoursEntry.Source.REVERSAL:
        raise LedgerRefused("A reversal cannot itself be reversed; record a new entry instead.")
    if HoursEntry.objects.filter(reverses=locked).exists():
        raise LedgerRefused("This entry is already reversed.")
    return HoursEntry.objects.create(
        person_id=locked.person_id,
        enrollment_ref=locked.enrollment_ref,
        session_ref=locked.session_ref,
        category=locked.category,
        minutes=-locked.minutes,
        occurred_on=locked.occurred_on,
        source_kind=HoursEntry.Source.REVERSAL,
        source_id=str(locked.uuid),
        reason=reason,
        reverses=locked,
        recorded_by=_user(by),
    )


@transaction.atomic
def session_credit_set(
    *,
    person: Person,
    enrollment_ref: UUID,
    session_ref: UUID,
    minutes: int,
    occurred_on: date,
    source_kind: str,
    source_id: str,
    by: AnyUser | None,
    reason: str = "",
) -> HoursEntry | None:
    """Make the ledger credit exactly `minutes` for this enrollment and session.

    Every minute is counted once: whatever recorded the session before (a roll call, an import,
    a check-in), its live entries are reversed and one new entry carries the new figure. Setting
    the figure it already has writes nothing, which makes every import idempotent.
    Returns the new entry, or None when nothing changed.
    """
    live = list(
        HoursEntry.objects.select_for_update(of=("self",))
        .filter(
            enrollment_ref=enrollment_ref,
            session_ref=session_ref,
            category=HoursEntry.Category.INSTRUCTION,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .exclude(source_kind=HoursEntry.Source.REVERSAL)
    )
    current = sum(entry.minutes for entry in live)
    if current == minutes and len(live) <= 1:
        return None
    why = reason or f"Replaced by a new {HoursEntry.Source(source_kind).label.lower()} figure."
    for entry in live:
        hours_entry_reverse(entry=entry, reason=why, by=by)
    if minutes == 0:
        return None
    return hours_entry_record(
        person=person,
        enrollment_ref=enrollment_ref,
        session_ref=session_ref,
        minutes=minutes,
        occurred_on=occurred_on,
        source_kind=source_kind,
        source_id=source_id,
        reason=reason,
        by=by,
    )


def net_minutes(*, enrollment_ref: UUID, session_ref: UUID) -> int:
    total = HoursEntry.objects.filter(
        enrollment_ref=enrollment_ref, session_ref=session_ref, category=HoursEntry.Category.INSTRUCTION
    ).aggregate(total=Sum("minutes"))["total"]
    return int(total or 0)
