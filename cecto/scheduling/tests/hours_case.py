"""A hand-built class with hours, shared by the tests of the hours pages (dashboard, progress, exports).

On the `cast` cohort (Feb 10 → Dec 3, 2026), seen on June 1, 2026:

- Pat Participant (candidate track, 240 h, the sessions marked required): present at the joint
  kick-off (6 h), left the March day early (5 of 7 h), absent from the April webinar; a manual
  adjustment of 10 h (CGCIO credit), and a 1.5 h manual entry, whose reason starts with "=", reversed.
  That is 1,260 minutes: 21 of 240 hours, 2.1 CEUs, behind pace, cannot finish.
- Sam Superintendent (superintendent track): excused from the joint kick-off, nothing credited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from cecto.ledger.api import HoursEntry, hours_entry_record, hours_entry_reverse
from cecto.scheduling.attendance import attendance_record
from cecto.scheduling.models import AttendanceRecord, Session
from cecto.scheduling.tests.factories import SessionFactory

A = AttendanceRecord.Status
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
FORMULA_REASON = '=HYPERLINK("http://evil.example","Click")'
PAT_MINUTES = 360 + 300 + 600


@dataclass
class HoursCase:
    cast: Any
    kickoff: Session
    day: Session
    webinar: Session
    september: Session
    closing: Session
    adjustment: HoursEntry
    mistaken: HoursEntry
    reversal: HoursEntry


def _at(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=dt.UTC)


def session(
    cohort: Any, title: str, starts_at: dt.datetime, hours: int, contact: int, **kwargs: Any
) -> Session:
    return SessionFactory(
        cohort=cohort,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        contact_minutes=contact,
        **kwargs,
    )


def build_hours_case(cast: Any) -> HoursCase:
    cohort = cast.cohort
    pat = cast.participant_enrollment
    sam = cast.superintendent_enrollment
    kickoff = session(cohort, "Kick-off (joint)", _at(2, 10, 14), 7, 360, is_required=True)
    day = session(cohort, "Month 2, day 1", _at(3, 19, 12), 8, 420, track=pat.track)
    webinar = session(cohort, "Month 3: live webinar", _at(4, 8, 19), 2, 120, track=pat.track)
    september = session(cohort, "September joint session", _at(9, 8, 13), 7, 360, is_required=True)
    closing = session(cohort, "Closing joint meeting", _at(12, 3, 14), 7, 360, is_required=True)

    def take(enrollment: Any, on: Session, status: str, minutes: int | None = None, note: str = "") -> None:
        attendance_record(
            enrollment=enrollment,
            session=on,
            status=status,
            minutes_attended=minutes,
            source_kind="roll_call",
            by=cast.admin,
            note=note,
        )

    take(pat, kickoff, A.PRESENT)
    take(pat, day, A.LEFT_EARLY, 300)
    take(pat, webinar, A.ABSENT, note="Sick")
    take(sam, kickoff, A.EXCUSED, note="Board meeting")
    adjustment = hours_entry_record(
        person=pat.person,
        enrollment_ref=pat.uuid,
        minutes=600,
        occurred_on=dt.date(2026, 5, 15),
        source_kind=HoursEntry.Source.MANUAL,
        reason="CGCIO credit transferred",
        by=cast.admin,
    )
    mistaken = hours_entry_record(
        person=pat.person,
        enrollment_ref=pat.uuid,
        minutes=90,
        occurred_on=dt.date(2026, 5, 20),
        source_kind=HoursEntry.Source.MANUAL,
        reason=FORMULA_REASON,
        by=cast.admin,
    )
    reversal = hours_entry_reverse(entry=mistaken, reason="Entered twice", by=cast.admin)
    return HoursCase(
        cast=cast,
        kickoff=kickoff,
        day=day,
        webinar=webinar,
        september=september,
        closing=closing,
        adjustment=adjustment,
        mistaken=mistaken,
        reversal=reversal,
    )
