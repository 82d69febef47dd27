"""Where each enrollment stands against its track: facts from scheduling and the ledger, judged by
the pure evaluator in cecto.ledger.requirements. A fixed number of queries for a whole cohort."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import prefetch_related_objects
from django.utils import timezone

from cecto.ledger.api import (
    HoursBalance,
    Progress,
    ProgressFacts,
    SessionFact,
    TrackPolicy,
    balances_for,
    evaluate_progress,
    session_minutes_for,
)
from cecto.programs.api import Track
from cecto.scheduling.attendance import policy_for
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, Session


@dataclass(frozen=True)
class EnrollmentProgress:
    enrollment: Enrollment
    balance: HoursBalance
    progress: Progress
    policy: TrackPolicy

    @property
    def missed_required(self) -> tuple[SessionFact, ...]:
        return tuple(s for s in self.progress.missed if s.is_required)


def is_required_for(track: Track, session: Session) -> bool:
    """Whether attending `session` is a requirement of `track` (its required-sessions policy)."""
    if track.required_sessions == Track.RequiredSessions.DESIGNATED:
        return session.is_required
    if track.required_sessions == Track.RequiredSessions.ALL_JOINT:
        return session.track_id is None
    return False


def progress_for_cohort(
    *, cohort: Cohort, enrollments: Sequence[Enrollment], now: datetime | None = None
) -> list[EnrollmentProgress]:
    """Progress of the given enrollments (of one cohort): four queries whatever their number, and
    two more when neither their tracks nor the cohort's programme are loaded yet."""
    now = now or timezone.now()
    enrollments = list(enrollments)
    # Each enrollment's track in one query (none when the caller loaded them), and the day and the
    # graduation from the cohort given: a fixed number of queries however the enrollments came.
    prefetch_related_objects(enrollments, "track")
    today, ends_on = timezone.localdate(now, cohort.program.zone), cohort.ends_on
    sessions = list(cohort.sessions.filter(status=Session.Status.SCHEDULED).order_by("starts_at"))
    refs = [e.uuid for e in enrollments]
    balances = balances_for(refs)
    credited = session_minutes_for(refs)
    excused = set(
        AttendanceRecord.objects.filter(
            enrollment__in=[e.pk for e in enrollments], status=AttendanceRecord.Status.EXCUSED
        ).values_list("enrollment_id", "session_id")
    )
    makeups: dict[int, list[Session]] = defaultdict(list)
    for session in sessions:
        if session.makeup_for_id is not None:
            makeups[session.makeup_for_id].append(session)
    return [
        _one(enrollment, sessions, balances[enrollment.uuid], credited, excused, makeups, now, today, ends_on)
        for enrollment in enrollments
    ]


def progress_for(enrollment: Enrollment, *, now: datetime | None = None) -> EnrollmentProgress:
    return progress_for_cohort(cohort=enrollment.cohort, enrollments=[enrollment], now=now)[0]


def _one(
    enrollment: Enrollment,
    sessions: list[Session],
    balance: HoursBalance,
    credited: dict[tuple[UUID, UUID], int],
    excused: set[tuple[int, int]],
    makeups: dict[int, list[Session]],
    now: datetime,
    today: date,
    ends_on: date,
) -> EnrollmentProgress:
    track = enrollment.track
    policy = policy_for(track)
    facts: list[SessionFact] = []
    remaining = 0
    for session in sessions:
        if session.track_id is not None and session.track_id != track.pk:
            continue
        if session.makeup_for_id is not None:
            continue  # counted through the session it makes up for
        upcoming = session.ends_at > now
        held_on = timezone.localdate(session.starts_at, session.zone)
        if upcoming:
            remaining += session.contact_minutes
        minutes = credited.get((enrollment.uuid, session.uuid), 0)
        made_up = any(
            credited.get((enrollment.uuid, makeup.uuid), 0) * 100
            >= makeup.contact_minutes * policy.required_session_min_percent
            for makeup in makeups.get(session.pk, ())
        )
        facts.append(
            SessionFact(
                session_ref=session.uuid,
                title=session.title,
                held_on=held_on,
                contact_minutes=session.contact_minutes,
                credited_minutes=minutes,
                is_required=is_required_for(track, session),
                is_upcoming=upcoming,
                is_excused=(enrollment.pk, session.pk) in excused,
                made_up=made_up,
                before_enrollment=held_on < enrollment.enrolled_on,
            )
        )
    progress = evaluate_progress(
        policy,
        ProgressFacts(
            credited_minutes=balance.instruction_minutes
            + (balance.mentoring_minutes if track.mentoring_counts_as_instruction else 0),
            today=today,
            enrolled_on=enrollment.enrolled_on,
            ends_on=ends_on,
            remaining_scheduled_minutes=remaining,
            sessions=tuple(facts),
        ),
    )
    return EnrollmentProgress(enrollment=enrollment, balance=balance, progress=progress, policy=policy)
