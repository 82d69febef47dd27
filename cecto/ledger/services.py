"""Writing to the ledger: record, reverse, and set a session's credit by reversal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet

from cecto.core.errors import DomainError
from cecto.core.types import AnyUser, login_of
from cecto.ledger.models import HoursEntry
from cecto.people.api import Person


class LedgerRefused(DomainError):
    pass


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
        recorded_by=login_of(by),
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
        recorded_by=login_of(by),
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
    live = list(_live_session_entries().filter(enrollment_ref=enrollment_ref, session_ref=session_ref))
    reverse, new_minutes = _credit_plan(live, minutes)
    why = reason or _replaced_reason(source_kind)
    for entry in reverse:
        hours_entry_reverse(entry=entry, reason=why, by=by)
    if new_minutes is None:
        return None
    return hours_entry_record(
        person=person,
        enrollment_ref=enrollment_ref,
        session_ref=session_ref,
        minutes=new_minutes,
        occurred_on=occurred_on,
        source_kind=source_kind,
        source_id=source_id,
        reason=reason,
        by=by,
    )


@dataclass(frozen=True)
class SessionCredit:
    """What one enrollment should be credited for the session, for session_credits_set_many."""

    person_id: int
    enrollment_ref: UUID
    minutes: int
    source_id: str
    reason: str = ""


@transaction.atomic
def session_credits_set_many(
    *,
    session_ref: UUID,
    occurred_on: date,
    source_kind: str,
    credits: Sequence[SessionCredit],
    by: AnyUser | None,
) -> int:
    """session_credit_set for many enrollments of one session, in three queries whatever their
    number: the same entries, reversals and reasons, written in bulk. Returns entries written."""
    if any(credit.minutes < 0 for credit in credits):
        raise LedgerRefused("Credit cannot be negative: correct an entry by reversing it.")
    if source_kind in (HoursEntry.Source.REVERSAL, HoursEntry.Source.MANUAL):
        raise LedgerRefused("Session credits come from attendance, not from reversals or adjustments.")
    live: dict[UUID, list[HoursEntry]] = {}
    for entry in _live_session_entries().filter(
        session_ref=session_ref, enrollment_ref__in=[credit.enrollment_ref for credit in credits]
    ):
        live.setdefault(entry.enrollment_ref, []).append(entry)
    recorder = login_of(by)
    entries: list[HoursEntry] = []
    for credit in credits:
        reverse, new_minutes = _credit_plan(live.get(credit.enrollment_ref, []), credit.minutes)
        why = credit.reason or _replaced_reason(source_kind)
        entries.extend(
            HoursEntry(
                person_id=old.person_id,
                enrollment_ref=old.enrollment_ref,
                session_ref=old.session_ref,
                category=old.category,
                minutes=-old.minutes,
                occurred_on=old.occurred_on,
                source_kind=HoursEntry.Source.REVERSAL,
                source_id=str(old.uuid),
                reason=why,
                reverses=old,
                recorded_by=recorder,
            )
            for old in reverse
        )
        if new_minutes is not None:
            entries.append(
                HoursEntry(
                    person_id=credit.person_id,
                    enrollment_ref=credit.enrollment_ref,
                    session_ref=session_ref,
                    minutes=new_minutes,
                    occurred_on=occurred_on,
                    source_kind=source_kind,
                    source_id=credit.source_id,
                    reason=credit.reason,
                    recorded_by=recorder,
                )
            )
    HoursEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _live_session_entries() -> QuerySet[HoursEntry]:
    """Instruction entries for sessions that are neither reversals nor reversed, locked."""
    return (
        HoursEntry.objects.select_for_update(of=("self",))
        .filter(
            category=HoursEntry.Category.INSTRUCTION,
            reverses__isnull=True,
            reversed_by__isnull=True,
        )
        .exclude(source_kind=HoursEntry.Source.REVERSAL)
    )


def _credit_plan(live: Sequence[HoursEntry], minutes: int) -> tuple[Sequence[HoursEntry], int | None]:
    """Which live entries to reverse, and the minutes of the new entry (None: no new entry), for
    the session's credit to become `minutes`. The same figure again changes nothing."""
    if sum(entry.minutes for entry in live) == minutes and len(live) <= 1:
        return (), None
    return live, minutes if minutes > 0 else None


def _replaced_reason(source_kind: str) -> str:
    return f"Replaced by a new {HoursEntry.Source(source_kind).label.lower()} figure."
