"""Who attended what: each enrollment's attendance, drawn from its own seeded generator.

`marks_for` gives the same marks every time it is called for an enrollment, so the planner (which
needs them to decide who completed), the attendance rows, the self-paced completions and the
ledger entries are made in separate passes without holding millions of rows in memory.

The ledger entries are what `scheduling.attendance.attendance_record` writes for a first record:
the track's partial-credit policy gives the credited minutes, nothing is written for none, and the
entry carries the record's source, uuid (as source_id), note and recorder.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from cecto.demo.generator.calendar import IN_PERSON, SELF_PACED
from cecto.demo.generator.entities import Enrollment, Person, Session
from cecto.ledger.api import credit_for

# By engagement (steady, patchy, struggling): the chance of being there for the whole of a live
# or in-person session, and of completing a self-paced module.
PRESENT = (0.95, 0.88, 0.6)
COMPLETES = (0.98, 0.92, 0.65)
LATE_BY = (15, 30, 45, 60)
LEFT_EARLY_BY = (30, 60, 90)
LATE_NOTES = ("", "", "Traffic", "Flight delayed", "Board meeting ran over", "Network outage at the district")
EARLY_NOTES = ("", "", "Called back to the district", "School emergency", "Doctor's appointment")
EXCUSED_NOTES = ("Board meeting", "District emergency", "Illness", "Family matter", "State testing window")
WITHDRAWAL_REASONS = (
    "Left the district's technology role.",
    "Moved to another state.",
    "Family reasons.",
    "Could not take the time this year.",
    "Changed roles within the district.",
)
NOT_MET = "Did not meet the track's requirements by graduation."
PRIOR_CREDIT = (
    "Credit for the sessions held before a late enrollment: equivalent coursework, confirmed by transcript."
)
# uuid4 from 128 random bits: the version and variant bits set as uuid.UUID(int=…, version=4) does.
_UUID4_MASK = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_UUID4_BITS = (0x4000 << 64) | (0x8000 << 48)


class Adjustment(NamedTuple):
    """A manual ledger entry (hours_entry_record with source "manual" and its reason)."""

    entry_uuid: int
    minutes: int
    occurred_on: date
    recorded_at: datetime
    recorded_by: Person
    reason: str


class Mark(NamedTuple):
    """One attendance record and what it credits. Uuids are kept as ints (uuid_hex() writes them)."""

    session: Session
    status: str
    minutes: int
    credited: int
    source_kind: str
    recorded_at: datetime
    recorded_by: Person | None
    note: str
    record_uuid: int
    entry_uuid: int  # the ledger entry's; 0 when nothing is credited (and no entry is written)
    completion_uuid: int  # a self-paced module's completion; 0 for other sessions
    submitted_at: datetime | None  # when the module was marked complete


def uuid4_int(rng: random.Random) -> int:
    return (rng.getrandbits(128) & _UUID4_MASK) | _UUID4_BITS


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=uuid4_int(rng))


def uuid_hex(value: int) -> str:
    """How Django stores a uuid on SQLite, and a form PostgreSQL's COPY reads too."""
    return f"{value:032x}"


def uuid_str(value: int) -> str:
    """str(uuid.UUID(int=value)), faster."""
    digits = f"{value:032x}"
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


# An enrollment's own generators, one per stream, so each can be drawn again on its own.
LIVE, OUTCOME, CREDIT, MODULES = range(4)


def enrollment_rng(seed: int, enrollment: Enrollment, stream: int = LIVE) -> random.Random:
    return random.Random((seed * 10_000_019 + enrollment.id) * 4 + stream)


def marks_for(enrollment: Enrollment, *, seed: int, self_paced_only: bool = False) -> list[Mark]:
    """The enrollment's attendance at its class's sessions held (or closed) by the plan's as-of
    day, which the planner lists per track in `cohort.held`.

    Self-paced modules draw from a generator of their own, so `self_paced_only` (for the
    completions) gives the same self-paced marks without drawing the rest."""
    if enrollment.status == "applied":
        return []
    rng, paced = enrollment_rng(seed, enrollment), enrollment_rng(seed, enrollment, MODULES)
    draw, paced_draw = rng.random, paced.random
    cohort, track, person = enrollment.cohort, enrollment.track, enrollment.person
    policy = track.policy
    present = PRESENT[enrollment.engagement]
    required_present = 1 - (1 - present) / 3  # people make the effort for a required session
    completes = COMPLETES[enrollment.engagement]
    admin = cohort.program.administrators[0]
    first, last = enrollment.enrolled_on, enrollment.withdraw_after or date.max
    qr, csv = cohort.check_in_by_qr, cohort.imports_csv
    marks: list[Mark] = []
    append = marks.append
    for session in cohort.held[track.id]:
        if not first <= session.held_on <= last:
            continue
        contact = session.contact_minutes
        mode = session.mode
        if mode == SELF_PACED:
            if paced_draw() >= completes:
                continue  # not completed: a self-paced module leaves no record
            window = (session.ends_at - session.starts_at).total_seconds() * 0.9
            submitted = session.starts_at + timedelta(seconds=int(paced_draw() * window))
            recorded_at = min(submitted + timedelta(hours=2 + int(paced_draw() * 70)), cohort.as_of_end)
            record, entry, completion = uuid4_int(paced), uuid4_int(paced), uuid4_int(paced)
            by = session.instructor
            # fmt: off
            append(Mark(session, "present", contact, contact, "self_paced", recorded_at, by, "", record,
                        entry, completion, submitted))
            # fmt: on
            continue
        if self_paced_only:
            continue
        chance = required_present if session.is_required else present
        value = draw()
        note = ""
        if value < chance:
            status, minutes = "present", contact
        else:
            share = (value - chance) / (1 - chance)
            if share < 0.35:
                status, minutes = "late", max(1, contact - LATE_BY[int(draw() * 4)])
                note = LATE_NOTES[int(draw() * len(LATE_NOTES))]
            elif share < 0.55:
                status, minutes = "left_early", max(1, contact - LEFT_EARLY_BY[int(draw() * 3)])
                note = EARLY_NOTES[int(draw() * len(EARLY_NOTES))]
            elif share < 0.9:
                status, minutes = "absent", 0
            else:
                status, minutes = "excused", 0
                note = EXCUSED_NOTES[int(draw() * len(EXCUSED_NOTES))]
        if mode == IN_PERSON:
            if qr and status == "present":
                source, by = "qr_check_in", person
                recorded_at = session.starts_at + timedelta(minutes=int(draw() * 30) - 10)
            else:
                source, by = "roll_call", session.instructor
                recorded_at = session.ends_at + timedelta(minutes=5 + int(draw() * 85))
        else:
            source, by = ("csv_import" if csv else "meeting_report"), admin
            recorded_at = session.ends_at + timedelta(hours=12 + int(draw() * 48))
        if minutes in (0, contact):
            credited = minutes  # every policy credits all of a whole session and nothing of none
        else:
            credited = credit_for(policy, contact_minutes=contact, attended_minutes=minutes)
        record = uuid4_int(rng)
        entry = uuid4_int(rng) if credited else 0
        append(
            Mark(session, status, minutes, credited, source, recorded_at, by, note, record, entry, 0, None)
        )
    return marks


def adjustments_for(enrollment: Enrollment, *, seed: int) -> list[Adjustment]:
    """A late technology-director candidate is credited, by hand, for the sessions held before they
    enrolled (as the NC demo's candidates are for their CGCIO coursework): whole hours, a fortnight
    after they joined."""
    cohort, track = enrollment.cohort, enrollment.track
    if (
        enrollment.status == "applied"
        or track.audience != "technology_director"
        or cohort.program.kind != "cecto"
    ):
        return []
    if enrollment.enrolled_on <= cohort.starts_on:
        return []
    missed = sum(s.contact_minutes for s in cohort.held[track.id] if s.held_on < enrollment.enrolled_on)
    day = enrollment.enrolled_on + timedelta(days=14)
    recorded_at = datetime.combine(day, time(15), tzinfo=UTC)
    if missed < 60 or recorded_at > cohort.as_of_end:
        return []
    rng = enrollment_rng(seed, enrollment, CREDIT)
    admin = cohort.program.administrators[0]
    return [Adjustment(uuid4_int(rng), missed // 60 * 60, day, recorded_at, admin, PRIOR_CREDIT)]


def requirements_met(enrollment: Enrollment, marks: list[Mark], adjustments: list[Adjustment]) -> bool:
    """The track's requirements as `ledger.requirements.evaluate_progress` reads them at the end of
    the class: the contact minutes, and each required session attended to the track's share."""
    track = enrollment.track
    credited = sum(mark.credited for mark in marks) + sum(adjustment.minutes for adjustment in adjustments)
    if credited < track.required_contact_minutes:
        return False
    if track.required_sessions == "none":
        return True
    by_session = {mark.session.id: mark.credited for mark in marks}
    share = track.required_session_min_percent
    for session in enrollment.cohort.held[track.id]:
        if session.held_on < enrollment.enrolled_on:
            continue
        required = session.is_required if track.required_sessions == "designated" else session.track is None
        if required and by_session.get(session.id, 0) * 100 < session.contact_minutes * share:
            return False
    return True
