"""Roll call: an instructor marks everyone expected at one session at once, all or nothing.

Everyone is present by default; the instructor changes the exceptions. Each row goes through
`attendance_record` with the record's version as the form showed it, so two instructors editing
one roll call never overwrite each other: the second is told whose record changed, and nothing of
theirs is saved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.types import AnyUser
from cecto.people.api import person_for_user
from cecto.scheduling.attendance import AttendanceRefused, StaleAttendance, attendance_record
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session
from cecto.scheduling.roles import roles_of

A = AttendanceRecord.Status
# Roll call opens with the doors: half an hour before the start, like the QR check-in.
ROLL_CALL_OPENS_BEFORE = timedelta(minutes=30)
PARTIAL = (A.LATE, A.LEFT_EARLY)
NO_MINUTES = (A.ABSENT, A.EXCUSED)


@dataclass(frozen=True)
class RollCallRow:
    """One enrollment expected at the session, with its attendance record if there is one."""

    enrollment: Enrollment
    record: AttendanceRecord | None
    contact_minutes: int
    joined_later: bool

    @property
    def version(self) -> int:
        return self.record.version if self.record else 0

    @property
    def status(self) -> str:
        return self.record.status if self.record else A.PRESENT

    @property
    def minutes_attended(self) -> int:
        return self.record.minutes_attended if self.record else self.contact_minutes

    @property
    def note(self) -> str:
        return self.record.note if self.record else ""


@dataclass(frozen=True)
class RollCallMark:
    """What the form says about one enrollment, and the record version it was showing."""

    enrollment_uuid: UUID
    status: str
    minutes_attended: int | None
    note: str
    version: int


@dataclass(frozen=True)
class RollCallResult:
    records: tuple[AttendanceRecord, ...]

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(record.status for record in self.records)
        return {status: counted[status] for status in A.values}

    @property
    def summary(self) -> str:
        parts = [f"{n} {A(status).label.lower()}" for status, n in self.counts.items() if n]
        return "Roll call saved: " + (", ".join(parts) if parts else "nobody is expected") + "."


class RollCallRefused(AttendanceRefused):
    """Nothing was saved. `problems` says why for each enrollment (by uuid); `stale` names those
    whose record someone else changed since the form was shown."""

    def __init__(
        self, message: str, *, problems: dict[UUID, str] | None = None, stale: frozenset[UUID] = frozenset()
    ) -> None:
        super().__init__(message)
        self.problems = problems or {}
        self.stale = stale


def roll_call_for(session: Session) -> list[RollCallRow]:
    """The current enrollments whose track fits the session, by name, with their records: two
    queries whatever the class size. Who enrolled after the session's day is `joined_later`."""
    held_on = timezone.localdate(session.starts_at, session.zone)
    enrollments = (
        Enrollment.objects.current()
        .filter(cohort_id=session.cohort_id)
        .select_related("person", "track")
        .order_by("person__full_name", "pk")
    )
    if session.track_id is not None:
        enrollments = enrollments.filter(track_id=session.track_id)
    records = {
        record.enrollment_id: record
        for record in session.attendance.select_related("recorded_by__person").order_by()
    }
    return [
        RollCallRow(
            enrollment=enrollment,
            record=records.get(enrollment.pk),
            contact_minutes=session.contact_minutes,
            joined_later=enrollment.enrolled_on > held_on,
        )
        for enrollment in enrollments
    ]


def roll_call_opens_at(session: Session) -> datetime:
    return session.starts_at - ROLL_CALL_OPENS_BEFORE


def roll_call_check(*, session: Session, now: datetime) -> None:
    """Raise RollCallRefused when this session takes no roll call (now)."""
    if session.mode == Session.Mode.ONLINE_SELF_PACED:
        raise RollCallRefused(
            f"{session.title} is a self-paced module: approve its completions instead of a roll call."
        )
    if session.status == Session.Status.CANCELLED:
        raise RollCallRefused(f"{session.title} was cancelled: there is no roll call to take.")
    opens_at = roll_call_opens_at(session)
    if now < opens_at:
        local = timezone.localtime(opens_at, session.zone)
        raise RollCallRefused(
            f"The roll call of {session.title} opens at {local:%-I:%M %p} on {local:%b %-d, %Y}, "
            "half an hour before it starts."
        )


def _minutes_for(mark: RollCallMark, session: Session, enrollment: Enrollment) -> int | None:
    """The minutes to record: none for an absence (whatever the form still says), and for a late
    arrival or an early departure fewer than the full session (the form prefills the full one)."""
    if mark.status in NO_MINUTES:
        return None
    minutes = mark.minutes_attended
    if mark.status in PARTIAL and minutes is not None and minutes >= session.contact_minutes:
        raise AttendanceRefused(
            f"{enrollment.person} is marked {A(mark.status).label.lower()}: give the minutes they "
            f"attended, fewer than the session's {session.contact_minutes}, or mark them present."
        )
    return mark.minutes_attended


def _recorder(record: AttendanceRecord) -> str:
    user = record.recorded_by
    if user is None:
        return "someone"
    person = person_for_user(user)
    return person.full_name if person is not None else user.get_username()


def _stale_message(session: Session, enrollment: Enrollment) -> str:
    record = (
        AttendanceRecord.objects.select_related("recorded_by__person")
        .filter(session=session, enrollment=enrollment)
        .first()
    )
    if record is None:
        return f"{enrollment.person}'s attendance was removed while you were editing."
    now = f"{record.get_status_display().lower()}, {record.minutes_attended} minutes"
    if record.note:
        now += f' ("{record.note}")'
    return (
        f"{enrollment.person}'s attendance was changed by {_recorder(record)} while you were editing: "
        f"it is now {now}."
    )


@transaction.atomic
def roll_call_save(
    *, session: Session, rows: Sequence[RollCallMark], by: AnyUser | None, now: datetime | None = None
) -> RollCallResult:
    """Record every row, or none: RollCallRefused lists what stopped it, person by person."""
    roll_call_check(session=session, now=now or timezone.now())
    expected = {row.enrollment.uuid: row for row in roll_call_for(session)}
    problems: dict[UUID, str] = {}
    stale: set[UUID] = set()
    records: list[AttendanceRecord] = []
    seen: set[UUID] = set()
    for mark in rows:
        row = expected.get(mark.enrollment_uuid)
        if row is None:
            problems[mark.enrollment_uuid] = "This enrollment is not expected at this session."
            continue
        if mark.enrollment_uuid in seen:
            problems[mark.enrollment_uuid] = f"{row.enrollment.person} appears twice in the roll call."
            continue
        seen.add(mark.enrollment_uuid)
        enrollment = row.enrollment
        try:
            record = attendance_record(
                enrollment=enrollment,
                session=session,
                status=mark.status,
                source_kind="roll_call",
                by=by,
                minutes_attended=_minutes_for(mark, session, enrollment),
                note=mark.note.strip(),
                expected_version=mark.version,
            )
        except StaleAttendance:
            stale.add(mark.enrollment_uuid)
            problems[mark.enrollment_uuid] = _stale_message(session, enrollment)
        except AttendanceRefused as refused:
            problems[mark.enrollment_uuid] = str(refused)
        else:
            records.append(record)
    if stale:
        names = ", ".join(str(expected[uuid].enrollment.person) for uuid in expected if uuid in stale)
        raise RollCallRefused(
            f"Nothing was saved: someone changed the attendance of {names} while you were editing. "
            "Their rows now show the current record; check them and save again.",
            problems=problems,
            stale=frozenset(stale),
        )
    if problems:
        count = len(problems)
        raise RollCallRefused(
            f"Nothing was saved: {count} row{'s' if count > 1 else ''} need{'' if count > 1 else 's'} "
            "a correction (marked below).",
            problems=problems,
        )
    result = RollCallResult(records=tuple(records))
    audit_event_record(
        actor=by,
        verb="session.roll_call_saved",
        subject_kind="session",
        subject_id=session.uuid,
        data={"counts": result.counts},
    )
    return result


def roll_call_sessions_on(*, user: AnyUser, day: date) -> QuerySet[Session]:
    """The scheduled sessions with a roll call (not self-paced) that start on `day` (in the current
    time zone) in the classes this user teaches or administers.

    The classes come from the user's roles (read once per request): no query at all for someone
    who teaches and administers nothing, and for the others a range of `starts_at` within their
    classes, which the (cohort, starts_at) index answers. (`starts_at__date=day` and subqueries
    for the classes made PostgreSQL read every session in the table.)
    """
    roles = roles_of(user)
    staff = Q()
    if not roles.superuser:
        if not (roles.taught_cohorts or roles.administered_programs):
            return Session.objects.none()
        staff = Q(cohort_id__in=roles.taught_cohorts) | Q(cohort__program_id__in=roles.administered_programs)
    zone = timezone.get_current_timezone()
    starts = datetime.combine(day, time.min, tzinfo=zone)  # the first instant of the local day
    ends = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return (
        Session.objects.scheduled()
        .filter(staff, starts_at__gte=starts, starts_at__lt=ends)
        .exclude(mode=Session.Mode.ONLINE_SELF_PACED)
        .select_related("cohort", "track")
        .order_by("starts_at", "pk")
    )
