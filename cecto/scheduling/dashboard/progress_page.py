"""One enrollment's progress page: its transcript, its sessions (attended, missed and why, still to
come) and its hours by month, in a fixed number of queries whatever the number of entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.utils import timezone

from cecto.ledger.api import (
    HoursEntry,
    MonthMinutes,
    TrackPolicy,
    entries_for,
    hours_for_minutes,
)
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.progress import (
    EnrollmentProgress,
    is_required_for,
    progress_for,
)

INSTRUCTION = HoursEntry.Category.INSTRUCTION
REVERSAL = HoursEntry.Source.REVERSAL


@dataclass(frozen=True)
class TranscriptLine:
    """One ledger entry as the transcript shows it, with the running total of contact minutes."""

    entry: HoursEntry
    session_title: str
    running_minutes: int
    reverses: HoursEntry | None  # the entry this one reverses
    is_reversed: bool  # a later entry reverses this one

    @property
    def is_reversal(self) -> bool:
        return self.entry.source_kind == REVERSAL

    @property
    def minutes_text(self) -> str:
        """+360, or -360 written with a true minus sign (U+2212)."""
        minutes = self.entry.minutes
        return f"+{minutes}" if minutes > 0 else f"\u2212{-minutes}" if minutes < 0 else "0"

    @property
    def counts_as_contact(self) -> bool:
        return self.entry.category == INSTRUCTION


def _transcript(entries: Sequence[HoursEntry], titles: dict[UUID, str]) -> list[TranscriptLine]:
    by_pk = {entry.pk: entry for entry in entries}
    reversed_pks = {entry.reverses_id for entry in entries if entry.reverses_id is not None}
    running = 0
    lines = []
    for entry in entries:
        if entry.category == INSTRUCTION:
            running += entry.minutes
        lines.append(
            TranscriptLine(
                entry=entry,
                session_title=titles.get(entry.session_ref, "") if entry.session_ref else "",
                running_minutes=running,
                reverses=by_pk.get(entry.reverses_id) if entry.reverses_id is not None else None,
                is_reversed=entry.pk in reversed_pks,
            )
        )
    return lines


def transcript_for(*, enrollment: Enrollment) -> list[TranscriptLine]:
    """Every ledger entry of the enrollment, oldest first, reversals included: two queries at most."""
    entries = entries_for(enrollment.uuid)
    refs = {entry.session_ref for entry in entries if entry.session_ref is not None}
    titles = dict(Session.objects.filter(uuid__in=refs).values_list("uuid", "title")) if refs else {}
    return _transcript(entries, titles)


@dataclass(frozen=True)
class SessionLine:
    """A session of the enrollment's track (or joint) as the progress page lists it."""

    session: Session
    held_on: date
    credited_minutes: int
    is_required: bool
    state: str  # "attended", "made_up", "missed" or "upcoming"
    note: str  # why it was missed, or what it makes up for

    @property
    def is_missed_required(self) -> bool:
        return self.state == "missed" and self.is_required


def _pct_needed(policy: TrackPolicy) -> str:
    return f"{policy.required_session_min_percent}% is needed for it to count as attended"


def _missed_reason(
    session: Session, record: AttendanceRecord | None, credited: int, policy: TrackPolicy, required: bool
) -> str:
    note = f" ({record.note})" if record is not None and record.note else ""
    if record is None and credited == 0:
        return "No attendance recorded."
    if record is not None and record.status == AttendanceRecord.Status.ABSENT:
        return f"Absent{note}."
    if record is not None and record.status == AttendanceRecord.Status.EXCUSED:
        return f"Excused{note}; " + ("a make-up session is needed." if required else "no credit.")
    label = record.get_status_display() if record is not None else "Credited"
    return (
        f"{label}{note}: {_hours(credited)} of {_hours(session.contact_minutes)} hours; "
        f"{_pct_needed(policy)}."
    )


def _session_lines(
    item: EnrollmentProgress,
    sessions: Sequence[Session],
    records: dict[int, AttendanceRecord],
    credited: dict[UUID, int],
    now: datetime,
) -> list[SessionLine]:
    enrollment, policy = item.enrollment, item.policy
    missed = {s.session_ref for s in item.progress.missed}
    by_pk = {session.pk: session for session in sessions}
    makeups: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.makeup_for_id is not None:
            makeups[session.makeup_for_id].append(session)
    lines = []
    for session in sessions:
        if session.track_id is not None and session.track_id != enrollment.track_id:
            continue
        minutes = credited.get(session.uuid, 0)
        held_on = timezone.localdate(session.starts_at, session.zone)
        if session.makeup_for_id is not None:  # optional: listed only once attended
            if minutes > 0:
                original = by_pk.get(session.makeup_for_id)
                note = f"Make-up for {original.title}." if original is not None else "Make-up session."
                lines.append(SessionLine(session, held_on, minutes, False, "attended", note))
            continue
        required = is_required_for(enrollment.track, session)
        if session.uuid in missed:
            reason = _missed_reason(session, records.get(session.pk), minutes, policy, required)
            lines.append(SessionLine(session, held_on, minutes, required, "missed", reason))
        elif session.status == Session.Status.CANCELLED or held_on < enrollment.enrolled_on:
            continue
        elif minutes * 100 >= session.contact_minutes * policy.required_session_min_percent:
            lines.append(SessionLine(session, held_on, minutes, required, "attended", ""))
        elif session.ends_at > now:
            lines.append(SessionLine(session, held_on, minutes, required, "upcoming", ""))
        else:  # held, not attended, yet not missed: a make-up session made up for it
            titles = ", ".join(m.title for m in makeups.get(session.pk, ()) if credited.get(m.uuid, 0))
            lines.append(SessionLine(session, held_on, minutes, required, "made_up", f"Made up at {titles}."))
    return lines


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from first's to last's, both included."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def minutes_by_month(entries: Sequence[HoursEntry]) -> list[MonthMinutes]:
    """Contact minutes by month of the entries (reversals net out), as `ledger.minutes_by_month_for`
    counts them, from entries already read."""
    totals: dict[date, int] = defaultdict(int)
    for entry in entries:
        if entry.category == INSTRUCTION:
            totals[entry.occurred_on.replace(day=1)] += entry.minutes
    return [MonthMinutes(month=month, minutes=totals[month]) for month in sorted(totals)]


def months_filled(months: Sequence[MonthMinutes], *, starts_on: date, ends_on: date) -> list[MonthMinutes]:
    """Minutes by month over the whole class (kick-off to graduation), empty months as zeros."""
    given = {m.month: m.minutes for m in months}
    first = min([starts_on, *given])
    last = max([ends_on, *given])
    return [MonthMinutes(month=day, minutes=given.get(day, 0)) for day in months_between(first, last)]


@dataclass(frozen=True)
class ProgressPage:
    item: EnrollmentProgress
    transcript: tuple[TranscriptLine, ...]
    months: tuple[MonthMinutes, ...]
    sessions: tuple[SessionLine, ...]
    remaining_minutes: int  # contact minutes of the sessions still to come, as the evaluator counts them

    @property
    def attended(self) -> tuple[SessionLine, ...]:
        return tuple(s for s in self.sessions if s.state in ("attended", "made_up"))

    @property
    def missed(self) -> tuple[SessionLine, ...]:
        return tuple(s for s in self.sessions if s.state == "missed")

    @property
    def upcoming(self) -> tuple[SessionLine, ...]:
        return tuple(s for s in self.sessions if s.state == "upcoming")

    @property
    def short_minutes(self) -> int:
        return max(0, self.item.policy.required_minutes - self.item.balance.instruction_minutes)

    @property
    def expected_minutes(self) -> int:
        return self.item.progress.expected_minutes_by_now

    @property
    def non_contact_minutes(self) -> int:
        return self.item.balance.mentoring_minutes + self.item.balance.other_minutes

    @property
    def cannot_finish_reasons(self) -> tuple[str, ...]:
        """Why the enrollment cannot finish as things stand, in words (empty when it can)."""
        if self.item.progress.can_still_finish:
            return ()
        reasons = []
        if self.short_minutes > self.remaining_minutes:
            reasons.append(
                f"the sessions still to come ({_hours(self.remaining_minutes)} hours) cannot cover "
                f"the {_hours(self.short_minutes)} contact hours still needed"
            )
        reasons.extend(
            f"{s.title} ({s.held_on:%b %-d}) was a required session, missed without an excuse"
            for s in self.item.missed_required
            if not s.is_excused and not s.is_upcoming
        )
        if not reasons:  # pragma: no cover (a safety net: the two reasons above are the evaluator's)
            reasons.append("the hours or sessions still missing cannot be made up as scheduled")
        return tuple(reasons)


def _hours(minutes: int) -> str:
    return f"{hours_for_minutes(minutes).normalize():f}"


def _remaining(enrollment: Enrollment, sessions: Sequence[Session], now: datetime) -> int:
    """As progress_for_cohort counts them: scheduled sessions of the track (or joint) still to come,
    make-ups left out."""
    return sum(
        s.contact_minutes
        for s in sessions
        if s.status == Session.Status.SCHEDULED
        and s.makeup_for_id is None
        and s.track_id in (None, enrollment.track_id)
        and s.ends_at > now
    )


def progress_page_for(*, enrollment: Enrollment, now: datetime | None = None) -> ProgressPage:
    """Everything the progress page shows for one enrollment: seven queries whatever its size."""
    now = now or timezone.now()
    item = progress_for(enrollment, now=now)
    entries = entries_for(enrollment.uuid)
    sessions = list(enrollment.cohort.sessions.order_by("starts_at", "id"))
    records = {r.session_id: r for r in AttendanceRecord.objects.filter(enrollment=enrollment)}
    credited: dict[UUID, int] = defaultdict(int)
    for entry in entries:
        if entry.session_ref is not None and entry.category == INSTRUCTION:
            credited[entry.session_ref] += entry.minutes
    titles = {session.uuid: session.title for session in sessions}
    missing = {e.session_ref for e in entries if e.session_ref is not None and e.session_ref not in titles}
    if missing:  # pragma: no cover (the ledger only credits sessions of the enrollment's cohort)
        titles.update(Session.objects.filter(uuid__in=missing).values_list("uuid", "title"))
    months = months_filled(
        minutes_by_month(entries),
        starts_on=enrollment.cohort.starts_on,
        ends_on=enrollment.cohort.ends_on,
    )
    return ProgressPage(
        item=item,
        transcript=tuple(_transcript(entries, titles)),
        months=tuple(months),
        sessions=tuple(_session_lines(item, sessions, records, credited, now)),
        remaining_minutes=_remaining(enrollment, sessions, now),
    )
