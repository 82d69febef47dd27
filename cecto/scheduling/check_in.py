"""QR self check-in for in-person sessions.

The room's screen shows a code for a signed, short-lived URL: the session's uuid and the current
30-second slot, signed by Django's TimestampSigner. A code is accepted for 90 seconds, so a photo
of the screen sent to someone at home is useless a minute later. A participant who scans it and
confirms is recorded present, unless something (a roll call, an earlier scan) already recorded
them: check-in never overwrites.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db import transaction
from django.utils import timezone

from cecto.core.errors import DomainError
from cecto.core.types import AnyUser
from cecto.ledger.api import HoursEntry
from cecto.scheduling.attendance import StaleAttendance, attendance_check, attendance_record
from cecto.scheduling.models import AttendanceRecord, Enrollment, Session

CODE_ROTATES_SECONDS = 30
CODE_ACCEPTED_SECONDS = 90
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)
_SALT = "cecto.scheduling.check-in"


class CheckInRefused(DomainError):
    pass


class CheckInCodeInvalid(CheckInRefused):
    """Not a code we made (or its session is gone)."""


class CheckInCodeExpired(CheckInRefused):
    """A real code, older than CODE_ACCEPTED_SECONDS."""


class AlreadyRecorded(CheckInRefused):
    """The person's attendance is recorded already (by a scan or a roll call): nothing to do."""


def _signer() -> TimestampSigner:
    return TimestampSigner(salt=_SALT)


def check_in_slot(now: datetime) -> int:
    return int(now.timestamp()) // CODE_ROTATES_SECONDS


def check_in_token_for(session: Session) -> str:
    """The code for this session in the current 30-second slot."""
    return _signer().sign(f"{session.uuid}.{check_in_slot(timezone.now())}")


def check_in_session_for(token: str) -> Session:
    """The session a code is for; CheckInCodeExpired or CheckInCodeInvalid otherwise."""
    try:
        value = _signer().unsign(token, max_age=CODE_ACCEPTED_SECONDS)
    except SignatureExpired as expired:
        raise CheckInCodeExpired("This code has expired: scan the new one on the screen.") from expired
    except BadSignature as forged:
        raise CheckInCodeInvalid("This is not a cecto check-in code.") from forged
    session_uuid = value.partition(".")[0]
    session = Session.objects.select_related("cohort__program", "track").filter(uuid=session_uuid).first()
    if session is None:
        raise CheckInCodeInvalid("This check-in code is for a session that no longer exists.")
    return session


def check_in_window(session: Session) -> tuple[datetime, datetime]:
    """From half an hour before the start to the end."""
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def _time(moment: datetime, session: Session) -> str:
    return f"{timezone.localtime(moment, session.zone):%-I:%M %p}"


def check_in_enrollment_for(*, session: Session, user: AnyUser) -> Enrollment:
    enrollment = (
        Enrollment.objects.current()
        .of_person_user(user)
        .filter(cohort_id=session.cohort_id)
        .select_related("person", "track")
        .first()
    )
    if enrollment is None:
        raise CheckInRefused(
            f"You are not enrolled in {session.cohort.name}: only its participants check in to "
            f"{session.title}."
        )
    return enrollment


def check_in_check(*, session: Session, enrollment: Enrollment, now: datetime) -> None:
    """Raise CheckInRefused (or AttendanceRefused) when this person cannot check in now."""
    if session.mode != Session.Mode.IN_PERSON:
        raise CheckInRefused(f"{session.title} is not held in person: there is nothing to check in to.")
    attendance_check(
        enrollment=enrollment, session=session, status=AttendanceRecord.Status.PRESENT, minutes_attended=None
    )
    record = AttendanceRecord.objects.filter(enrollment=enrollment, session=session).first()
    if record is not None and record.source_kind == "qr_check_in":
        raise AlreadyRecorded(f"You already checked in at {_time(record.created_at, session)}.")
    if record is not None:
        source = HoursEntry.Source(record.source_kind).label
        raise AlreadyRecorded(
            f"The {source.lower()} already has you as {record.get_status_display().lower()}: "
            "checking in changes nothing."
        )
    opens_at, ends_at = check_in_window(session)
    if now < opens_at:
        raise CheckInRefused(
            f"Check-in for {session.title} opens at {_time(opens_at, session)}, "
            "half an hour before it starts."
        )
    if now > ends_at:
        raise CheckInRefused(
            f"{session.title} ended at {_time(ends_at, session)}: ask the instructor to mark you "
            "on the roll call."
        )


@transaction.atomic
def check_in_record(*, session: Session, user: AnyUser, now: datetime | None = None) -> AttendanceRecord:
    """Record the person behind `user` present at the session, unless anything recorded them."""
    enrollment = check_in_enrollment_for(session=session, user=user)
    check_in_check(session=session, enrollment=enrollment, now=now or timezone.now())
    try:
        return attendance_record(
            enrollment=enrollment,
            session=session,
            status=AttendanceRecord.Status.PRESENT,
            source_kind="qr_check_in",
            by=user,
            expected_version=0,  # only where nothing is recorded yet, even in a race
        )
    except StaleAttendance as raced:
        raise AlreadyRecorded(
            "Your attendance was recorded a moment ago: checking in changes nothing."
        ) from raced


def check_in_count_for(session: Session) -> int:
    return session.attendance.filter(source_kind="qr_check_in").count()
