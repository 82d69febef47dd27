"""Applying an attendance file to a session: check everything, then write it all or nothing.

A file is parsed and every person matched before anything is written. The write is one
transaction: an AttendanceImport row (the SHA-256 of the bytes: the same file for the same
session a second time changes nothing), `attendance_record_many` for the people (which posts the
ledger credit), and an UnmatchedParticipant for each meeting-report participant who matched
nobody, for an administrator to resolve or dismiss.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser, login_of
from cecto.scheduling.attendance import (
    AttendanceChange,
    AttendanceRowRefused,
    attendance_check,
    attendance_record,
    attendance_record_many,
)
from cecto.scheduling.imports.attendance_csv import parse_attendance_csv
from cecto.scheduling.imports.intervals import Interval, Presence, attendance_status_for, presence_within
from cecto.scheduling.imports.meeting_reports import (
    AUTO,
    KIND_LABELS,
    ReportParticipant,
    name_variants,
    normalize_name,
    parse_meeting_report,
)
from cecto.scheduling.imports.reading import ImportFailed, Problem
from cecto.scheduling.imports.selectors import enrollments_for_session, staff_emails_for
from cecto.scheduling.models import (
    AttendanceImport,
    AttendanceRecord,
    Enrollment,
    Session,
    UnmatchedParticipant,
)
from cecto.scheduling.querysets import CURRENT_STATUSES

MEETING_REPORT = "meeting_report"
CSV_IMPORT = "csv_import"
Progress = Callable[[int, int], None]

# Rows applied per set-based call: bounded memory, and a progress update per chunk.
CHUNK = 1000


class UnmatchedRefused(DomainError):
    pass


@dataclass(frozen=True)
class UnmatchedRow:
    """A participant put in the review queue, and why no enrollment was chosen."""

    name: str
    email: str
    minutes: int
    line: int
    reason: str


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    kind: str
    rows_total: int = 0
    created: int = 0  # people with a new attendance record
    changed: int = 0  # people whose record was corrected
    unchanged: int = 0  # people whose record already said exactly this
    skipped: int = 0  # enrolled after the session, or no time within it
    staff: int = 0  # instructors and administrators seen in a meeting report
    unmatched: tuple[UnmatchedRow, ...] = ()
    warnings: tuple[Problem, ...] = ()
    already_imported_at: datetime | None = None

    @property
    def is_repeat(self) -> bool:
        return self.already_imported_at is not None

    @property
    def recorded(self) -> int:
        return self.created + self.changed + self.unchanged

    def summary(self) -> str:
        if self.already_imported_at is not None:
            day = timezone.localdate(self.already_imported_at)
            return f"{self.file_name} was already imported on {day:%b %-d, %Y}: nothing changed."
        parts = [
            f"{self.file_name}: {self.rows_total} rows read",
            f"{self.recorded} people recorded ({self.created} new, {self.changed} corrected, "
            f"{self.unchanged} unchanged)",
        ]
        if self.unmatched:
            parts.append(f"{len(self.unmatched)} unmatched, waiting for review")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        if self.staff:
            parts.append(f"{self.staff} instructors or administrators not counted")
        return "; ".join(parts) + "."


@dataclass(frozen=True)
class _Planned:
    enrollment: Enrollment
    status: str
    minutes: int | None
    note: str
    line: int
    column: str | None


@dataclass
class _Plan:
    records: list[_Planned] = field(default_factory=list)
    queue: list[tuple[ReportParticipant, Presence, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    skipped: int = 0
    staff: int = 0


# --- the two imports ---------------------------------------------------------------------------


def meeting_report_import(
    *,
    session: Session,
    file_name: str,
    data: bytes,
    by: AnyUser | None,
    kind: str = AUTO,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a Zoom or Teams participant report for the session (kind: auto, zoom or teams)."""
    digest = hashlib.sha256(data).hexdigest()
    repeat = _repeat_of(session=session, digest=digest, file_name=file_name)
    if repeat is not None:
        return repeat
    _check_session(session, file_name)
    report = parse_meeting_report(
        data, file_name=file_name, tz=session.zone, kind=kind, session_day=_held_on(session)
    )
    plan = _plan_meeting_report(session, report.participants, file_name=file_name, kind=report.kind)
    return _write(
        session=session,
        kind=report.kind,
        file_name=file_name,
        digest=digest,
        rows_total=report.rows,
        plan=plan,
        warnings=[*report.warnings, *plan.warnings],
        source_kind=MEETING_REPORT,
        by=by,
        progress=progress,
    )


def attendance_csv_import(
    *, session: Session, file_name: str, data: bytes, by: AnyUser | None, progress: Progress | None = None
) -> ImportResult:
    """Import our attendance CSV (README, "Attendance CSV format") for the session."""
    digest = hashlib.sha256(data).hexdigest()
    repeat = _repeat_of(session=session, digest=digest, file_name=file_name)
    if repeat is not None:
        return repeat
    _check_session(session, file_name)
    parsed = parse_attendance_csv(data, file_name=file_name)
    held_on = _held_on(session)
    candidates = {e.person.email.casefold(): e for e in enrollments_for_session(session=session)}
    others = {
        e.person.email.casefold(): e
        for e in Enrollment.objects.filter(cohort_id=session.cohort_id).select_related("person", "track")
    }
    plan = _Plan()
    problems: list[Problem] = []
    for row in parsed.rows:
        enrollment = candidates.get(row.email.casefold())
        if enrollment is None:
            problems.append(
                Problem(
                    file_name,
                    row.line,
                    "email",
                    _why_not_a_candidate(session, others.get(row.email.casefold()), row.email),
                )
            )
            continue
        if enrollment.enrolled_on > held_on:
            plan.warnings.append(_late_enrollee(file_name, row.line, "email", enrollment, held_on))
            plan.skipped += 1
            continue
        if row.minutes_attended is not None and row.minutes_attended > session.contact_minutes:
            problems.append(
                Problem(
                    file_name,
                    row.line,
                    "minutes_attended",
                    f"{row.minutes_attended} minutes is more than the session's "
                    f"{session.contact_minutes} contact minutes.",
                )
            )
            continue
        plan.records.append(
            _Planned(
                enrollment=enrollment,
                status=row.status,
                minutes=row.minutes_attended,
                note=row.note,
                line=row.line,
                column="status",
            )
        )
    problems += _final_checks(session, plan.records, file_name)
    if problems:
        raise ImportFailed(problems)
    return _write(
        session=session,
        kind=AttendanceImport.Kind.CSV,
        file_name=file_name,
        digest=digest,
        rows_total=len(parsed.rows),
        plan=plan,
        warnings=plan.warnings,
        source_kind=CSV_IMPORT,
        by=by,
        progress=progress,
    )


# --- the review queue --------------------------------------------------------------------------


@transaction.atomic
def unmatched_participant_resolve(
    *, unmatched: UnmatchedParticipant, enrollment: Enrollment, by: AnyUser | None
) -> AttendanceRecord:
    """Say who an unmatched participant was: their minutes are recorded for that enrollment.

    Other participants already resolved to the same enrollment in this session (a second device)
    are merged with this one, so an overlap is counted once. A record the enrollment already has
    for the session is kept when it credits more: the intervals behind it are not stored, so the
    larger figure is the one that cannot double-count.
    """
    locked = (
        UnmatchedParticipant.objects.select_for_update(of=("self",))
        .select_related("session__cohort", "session__track")
        .get(pk=unmatched.pk)
    )
    if locked.status != UnmatchedParticipant.Status.PENDING:
        raise UnmatchedRefused(f"{locked} was already {locked.get_status_display().lower()}.")
    session = locked.session
    siblings = UnmatchedParticipant.objects.filter(
        session=session, status=UnmatchedParticipant.Status.RESOLVED, resolved_enrollment=enrollment
    )
    intervals = [*_stored_intervals(locked)]
    for sibling in siblings:
        intervals += _stored_intervals(sibling)
    presence = presence_within(intervals, start=session.starts_at, end=session.ends_at)
    status = attendance_status_for(
        presence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        contact_minutes=session.contact_minutes,
    )
    minutes = min(presence.minutes, session.contact_minutes)
    existing = AttendanceRecord.objects.filter(enrollment=enrollment, session=session).first()
    if existing is not None and existing.minutes_attended >= minutes:
        attendance_check(
            enrollment=enrollment,
            session=session,
            status=existing.status,
            minutes_attended=existing.minutes_attended,
        )
        record = existing
    else:
        record = attendance_record(
            enrollment=enrollment,
            session=session,
            status=status,
            minutes_attended=minutes,
            source_kind=MEETING_REPORT,
            note=_report_note(locked.attendance_import.kind),
            by=by,
        )
    locked.status = UnmatchedParticipant.Status.RESOLVED
    locked.resolved_enrollment = enrollment
    locked.resolved_by = login_of(by)
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["status", "resolved_enrollment", "resolved_by", "resolved_at"])
    audit_event_record(
        actor=by,
        verb="attendance.unmatched_resolved",
        subject_kind="unmatched_participant",
        subject_id=locked.uuid,
        data={"enrollment": str(enrollment.uuid), "minutes": record.minutes_attended},
    )
    return record


@transaction.atomic
def unmatched_participant_dismiss(
    *, unmatched: UnmatchedParticipant, reason: str, by: AnyUser | None
) -> UnmatchedParticipant:
    """Say an unmatched participant was not a participant of the class (a guest, a test call)."""
    reason = reason.strip()
    if not reason:
        raise UnmatchedRefused("Say why the participant is dismissed.")
    locked = UnmatchedParticipant.objects.select_for_update().get(pk=unmatched.pk)
    if locked.status != UnmatchedParticipant.Status.PENDING:
        raise UnmatchedRefused(f"{locked} was already {locked.get_status_display().lower()}.")
    locked.status = UnmatchedParticipant.Status.DISMISSED
    locked.resolved_by = login_of(by)
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["status", "resolved_by", "resolved_at"])
    audit_event_record(
        actor=by,
        verb="attendance.unmatched_dismissed",
        subject_kind="unmatched_participant",
        subject_id=locked.uuid,
        data={"reason": reason[:300], "name": locked.name, "email": locked.email},
    )
    return locked


# --- planning ----------------------------------------------------------------------------------


def _plan_meeting_report(
    session: Session, participants: Sequence[ReportParticipant], *, file_name: str, kind: str
) -> _Plan:
    enrollments = list(enrollments_for_session(session=session))
    by_email: dict[str, list[Enrollment]] = defaultdict(list)
    by_name: dict[str, list[Enrollment]] = defaultdict(list)
    for enrollment in enrollments:
        by_email[enrollment.person.email.casefold()].append(enrollment)
        by_name[normalize_name(enrollment.person.full_name)].append(enrollment)
    staff = staff_emails_for(session=session)
    others = {
        e.person.email.casefold(): e
        for e in Enrollment.objects.filter(cohort_id=session.cohort_id).select_related("person", "track")
    }
    held_on = _held_on(session)
    plan = _Plan()
    matched: dict[int, list[ReportParticipant]] = defaultdict(list)
    chosen: dict[int, Enrollment] = {}
    for participant in participants:
        match, reason = _match(participant, by_email, by_name)
        if match is not None:
            matched[match.pk].append(participant)
            chosen[match.pk] = match
            continue
        if participant.email and participant.email.casefold() in staff:
            plan.staff += 1
            continue
        if participant.email and participant.email.casefold() in others:
            reason = _why_not_a_candidate(session, others[participant.email.casefold()], participant.email)
        presence = _presence(session, participant.intervals, participant.cap_seconds)
        if presence.minutes == 0:
            plan.warnings.append(_outside(file_name, participant, session))
            plan.skipped += 1
            continue
        plan.queue.append((participant, presence, reason))
        plan.warnings.append(
            Problem(
                file_name,
                participant.line,
                None,
                f"{_who(participant)} matched nobody ({reason}): queued for review.",
            )
        )

    note = _report_note(kind)
    for pk, group in matched.items():
        enrollment = chosen[pk]
        line = min(p.line for p in group)
        caps = [p.cap_seconds for p in group]
        cap = sum(c for c in caps if c is not None) if all(c is not None for c in caps) else None
        presence = _presence(session, [i for p in group for i in p.intervals], cap)
        if enrollment.enrolled_on > held_on:
            plan.warnings.append(_late_enrollee(file_name, line, None, enrollment, held_on))
            plan.skipped += 1
            continue
        if presence.minutes == 0:
            plan.warnings.append(_outside(file_name, group[0], session))
            plan.skipped += 1
            continue
        status = attendance_status_for(
            presence,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            contact_minutes=session.contact_minutes,
        )
        plan.records.append(
            _Planned(
                enrollment=enrollment,
                status=status,
                minutes=min(presence.minutes, session.contact_minutes),
                note=note,
                line=line,
                column=None,
            )
        )
    nobody_there = all(_presence(session, p.intervals, p.cap_seconds).seconds == 0 for p in participants)
    if participants and nobody_there:
        raise ImportFailed(
            [
                *plan.warnings,
                Problem(
                    file_name,
                    None,
                    None,
                    f"Nobody in the report attended {session.title} ({_when(session)}): is it the "
                    "report of another meeting?",
                ),
            ]
        )
    problems = _final_checks(session, plan.records, file_name)
    if problems:
        raise ImportFailed(problems)
    return plan


def _match(
    participant: ReportParticipant,
    by_email: dict[str, list[Enrollment]],
    by_name: dict[str, list[Enrollment]],
) -> tuple[Enrollment | None, str]:
    """By e-mail first, then by the exact full name when only one enrollment has it."""
    if participant.email:
        found = by_email.get(participant.email.casefold(), [])
        if len(found) == 1:
            return found[0], ""
    candidates: dict[int, Enrollment] = {}
    for variant in name_variants(participant.name):
        for enrollment in by_name.get(variant, []):
            candidates[enrollment.pk] = enrollment
    if len(candidates) == 1:
        return next(iter(candidates.values())), ""
    if candidates:
        return None, f"{len(candidates)} people in the class have this name"
    if participant.email:
        return None, "no one in the class has this e-mail or name"
    return None, "no one in the class has this name"


def _final_checks(session: Session, records: Sequence[_Planned], file_name: str) -> list[Problem]:
    """What attendance_record would refuse, found before anything is written."""
    problems: list[Problem] = []
    for item in records:
        try:
            attendance_check(
                enrollment=item.enrollment, session=session, status=item.status, minutes_attended=item.minutes
            )
        except DomainError as error:
            problems.append(Problem(file_name, item.line, item.column, str(error)))
    return problems


# --- writing -----------------------------------------------------------------------------------


def _write(
    *,
    session: Session,
    kind: str,
    file_name: str,
    digest: str,
    rows_total: int,
    plan: _Plan,
    warnings: Sequence[Problem],
    source_kind: str,
    by: AnyUser | None,
    progress: Progress | None,
) -> ImportResult:
    existing = {
        record.enrollment_id: record
        for record in AttendanceRecord.objects.filter(
            session=session, enrollment__in=[p.enrollment for p in plan.records]
        )
    }
    created = changed = unchanged = 0
    notes = list(warnings)
    total = len(plan.records)
    try:
        with transaction.atomic():
            attendance_import = AttendanceImport.objects.create(
                session=session,
                kind=kind,
                file_name=file_name[:255],
                sha256=digest,
                imported_by=login_of(by),
                rows_total=rows_total,
                rows_matched=total,
                rows_unmatched=len(plan.queue),
            )
            # Set-based, in chunks so a long file still moves the progress bar.
            for offset in range(0, total, CHUNK):
                chunk = plan.records[offset : offset + CHUNK]
                try:
                    records = attendance_record_many(
                        session=session,
                        changes=[
                            AttendanceChange(
                                enrollment=item.enrollment,
                                status=item.status,
                                minutes_attended=item.minutes,
                                note=item.note,
                            )
                            for item in chunk
                        ],
                        source_kind=source_kind,
                        by=by,
                    )
                except AttendanceRowRefused as error:
                    item = chunk[error.index]
                    raise ImportFailed([Problem(file_name, item.line, item.column, str(error))]) from error
                for item, record in zip(chunk, records, strict=True):
                    before = existing.get(item.enrollment.pk)
                    if before is None:
                        created += 1
                    elif record.version == before.version:
                        unchanged += 1
                    else:
                        changed += 1
                        notes.append(_correction(file_name, item, before, record))
                if progress is not None:
                    progress(min(offset + CHUNK, total), total)
            UnmatchedParticipant.objects.bulk_create(
                UnmatchedParticipant(
                    attendance_import=attendance_import,
                    session=session,
                    name=participant.name[:200],
                    email=participant.email[:254],
                    minutes=presence.minutes,
                    intervals=[
                        [
                            i.start.astimezone(session.zone).isoformat(),
                            i.end.astimezone(session.zone).isoformat(),
                        ]
                        for i in presence.intervals
                    ],
                )
                for participant, presence, _ in plan.queue
            )
            audit_event_record(
                actor=by,
                verb="attendance.imported",
                subject_kind="attendance_import",
                subject_id=attendance_import.uuid,
                data={
                    "session": str(session.uuid),
                    "file_name": file_name,
                    "kind": kind,
                    "created": created,
                    "changed": changed,
                    "unchanged": unchanged,
                    "unmatched": len(plan.queue),
                },
            )
    except IntegrityError:
        # Someone imported the same file at the same moment: theirs stands.
        repeat = _repeat_of(session=session, digest=digest, file_name=file_name)
        if repeat is None:
            raise
        return repeat
    return ImportResult(
        file_name=file_name,
        kind=kind,
        rows_total=rows_total,
        created=created,
        changed=changed,
        unchanged=unchanged,
        skipped=plan.skipped,
        staff=plan.staff,
        unmatched=tuple(
            UnmatchedRow(name=p.name, email=p.email, minutes=presence.minutes, line=p.line, reason=reason)
            for p, presence, reason in plan.queue
        ),
        warnings=tuple(notes),
    )


# --- helpers -----------------------------------------------------------------------------------


def _repeat_of(*, session: Session, digest: str, file_name: str) -> ImportResult | None:
    previous = AttendanceImport.objects.filter(session=session, sha256=digest).first()
    if previous is None:
        return None
    return ImportResult(file_name=file_name, kind=previous.kind, already_imported_at=previous.imported_at)


def _check_session(session: Session, file_name: str) -> None:
    if session.status == Session.Status.CANCELLED:
        raise ImportFailed(
            [
                Problem(
                    file_name, None, None, f"{session.title} was cancelled: there is no attendance to import."
                )
            ]
        )


def _held_on(session: Session) -> date:
    return timezone.localdate(session.starts_at, session.zone)


def _presence(session: Session, intervals: Sequence[Interval], cap: int | None) -> Presence:
    return presence_within(intervals, start=session.starts_at, end=session.ends_at, cap_seconds=cap)


def _stored_intervals(unmatched: UnmatchedParticipant) -> list[Interval]:
    return [
        Interval(datetime.fromisoformat(start), datetime.fromisoformat(end))
        for start, end in unmatched.intervals
    ]


def _report_note(kind: str) -> str:
    return f"From the {KIND_LABELS.get(kind, 'meeting report')}."


def _who(participant: ReportParticipant) -> str:
    if participant.name and participant.email:
        return f"{participant.name} <{participant.email}>"
    return participant.name or participant.email


def _when(session: Session) -> str:
    starts = timezone.localtime(session.starts_at, session.zone)
    ends = timezone.localtime(session.ends_at, session.zone)
    return f"{starts:%b %-d, %Y, %-I:%M %p} to {ends:%-I:%M %p} {session.time_zone}"


def _outside(file_name: str, participant: ReportParticipant, session: Session) -> Problem:
    return Problem(
        file_name,
        participant.line,
        None,
        f"{_who(participant)} was not connected during the session ({_when(session)}): nothing credited.",
    )


def _late_enrollee(
    file_name: str, line: int, column: str | None, enrollment: Enrollment, held_on: date
) -> Problem:
    return Problem(
        file_name,
        line,
        column,
        f"{enrollment.person} enrolled on {enrollment.enrolled_on:%b %-d, %Y}, after the session "
        f"({held_on:%b %-d, %Y}): skipped.",
    )


def _why_not_a_candidate(session: Session, enrollment: Enrollment | None, email: str) -> str:
    if enrollment is None:
        return f"No one enrolled in {session.cohort.name} has the e-mail {email}."
    person = enrollment.person
    if enrollment.status not in CURRENT_STATUSES:
        return f"{person}'s enrollment is {enrollment.get_status_display().lower()}, not current."
    if session.track_id is not None and enrollment.track_id != session.track_id:
        return f"{person} is on the {enrollment.track.name} track; {session.title} is for {session.track}."
    return f"{person} cannot attend {session.title}."


def _correction(file_name: str, item: _Planned, before: AttendanceRecord, after: AttendanceRecord) -> Problem:
    return Problem(
        file_name,
        item.line,
        item.column,
        f"{item.enrollment.person}: was {before.get_status_display().lower()} "
        f"({before.minutes_attended} min, {before.source_kind.replace('_', ' ')}), now "
        f"{after.get_status_display().lower()} ({after.minutes_attended} min).",
    )
