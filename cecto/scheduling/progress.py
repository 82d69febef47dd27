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


@dataclass(frozen=True)
class _Held:
    """What every enrollment's facts need of one session, worked out once per cohort."""

    session: Session
    pk: int
    held_on: date
    is_upcoming: bool
    makeups: tuple[tuple[int, int], ...]  # (pk, contact minutes) of its make-up sessions


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
    # Make-up sessions are counted through the session they make up for.
    held = [
        _Held(
            session=session,
            pk=session.pk,
            held_on=timezone.localdate(session.starts_at, session.zone),
            is_upcoming=session.ends_at > now,
            makeups=tuple((m.pk, m.contact_minutes) for m in makeups.get(session.pk, ())),
        )
        for session in sessions
        if session.makeup_for_id is None
    ]
    # Minutes by enrollment, then by session pk: looked up tens of thousands of times below, and an
    # int hashes far faster than a pair of UUIDs.
    session_pks = {session.uuid: session.pk for session in sessions}
    minutes: dict[UUID, dict[int, int]] = defaultdict(dict)
    for (ref, session_ref), total in credited.items():
        session_pk = session_pks.get(session_ref)
        if session_pk is not None:
            minutes[ref][session_pk] = total
    by_track: dict[int, list[tuple[_Held, bool]]] = {}
    facts: dict[tuple[object, ...], SessionFact] = {}
    result = []
    for enrollment in enrollments:
        track = enrollment.track
        if track.pk not in by_track:
            by_track[track.pk] = [
                (item, is_required_for(track, item.session))
                for item in held
                if item.session.track_id is None or item.session.track_id == track.pk
            ]
        result.append(
            _one(
                enrollment,
                by_track[track.pk],
                balances[enrollment.uuid],
                minutes.get(enrollment.uuid, {}),
                excused,
                facts,
                today,
                ends_on,
            )
        )
    return result


def progress_for(enrollment: Enrollment, *, now: datetime | None = None) -> EnrollmentProgress:
    return progress_for_cohort(cohort=enrollment.cohort, enrollments=[enrollment], now=now)[0]


def _one(
    enrollment: Enrollment,
    held: list[tuple[_Held, bool]],
    balance: HoursBalance,
    credited: dict[int, int],
    excused: set[tuple[int, int]],
    facts_made: dict[tuple[object, ...], SessionFact],
    today: date,
    ends_on: date,
) -> EnrollmentProgress:
    """One enrollment's progress from the cohort's sessions of its track (with whether each is
    required) and its minutes by session pk. Facts are plain values shared between enrollments:
    most people of a class attend a session alike, so a fact is made once per distinct (session,
    minutes, excuse, …)."""
    track = enrollment.track
    policy = policy_for(track)
    facts: list[SessionFact] = []
    remaining = 0
    pk, enrolled_on = enrollment.pk, enrollment.enrolled_on
    for item, is_required in held:
        session = item.session
        if item.is_upcoming:
            remaining += session.contact_minutes
        made_up = any(
            credited.get(makeup_pk, 0) * 100 >= makeup_minutes * policy.required_session_min_percent
            for makeup_pk, makeup_minutes in item.makeups
        )
        minutes = credited.get(item.pk, 0)
        is_excused = (pk, item.pk) in excused
        before = item.held_on < enrolled_on
        key = (item.pk, is_required, minutes, is_excused, made_up, before)
        fact = facts_made.get(key)
        if fact is None:
            fact = facts_made[key] = SessionFact(
                session_ref=session.uuid,
                title=session.title,
                held_on=item.held_on,
                contact_minutes=session.contact_minutes,
                credited_minutes=minutes,
                is_required=is_required,
                is_upcoming=item.is_upcoming,
                is_excused=is_excused,
                made_up=made_up,
                before_enrollment=before,
            )
        facts.append(fact)
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
