"""Reads for calendars (pages and iCalendar feeds): the sessions on a calendar, why the cancelled
ones were cancelled, and the sessions grouped by month in their programme's time zone.

A fixed number of queries whatever the number of sessions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import Http404

from cecto.core.models import AuditEvent
from cecto.core.types import AnyUser
from cecto.scheduling.models import CalendarFeedToken, Cohort, Session


@dataclass(frozen=True)
class CalendarEntry:
    """One session as a calendar shows it."""

    session: Session
    zone: str  # the programme's time zone, which the page shows the times in
    cancellation_reason: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.session.status == Session.Status.CANCELLED


@dataclass(frozen=True)
class CalendarMonth:
    month: date  # its first day
    entries: tuple[CalendarEntry, ...]

    @property
    def anchor(self) -> str:
        return f"month-{self.month:%Y-%m}"


def calendar_sessions_of_cohort(*, cohort: Cohort) -> QuerySet[Session]:
    """Every session of the cohort, cancelled ones included, in order, in one query."""
    return (
        Session.objects.filter(cohort=cohort)
        .select_related("cohort__program", "track")
        .order_by("starts_at", "id")
    )


def calendar_sessions_of_user(*, user: AnyUser) -> QuerySet[Session]:
    """The sessions on the user's own calendar (Session.objects.on_calendar_of), in one query."""
    return (
        Session.objects.on_calendar_of(user)
        .select_related("cohort__program", "track")
        .order_by("starts_at", "id")
    )


def person_calendar_months_for(*, user: AnyUser, now: datetime, past: bool = False) -> list[CalendarMonth]:
    """ "My calendar": the sessions that have not ended yet, in order; or the past ones, latest first."""
    sessions = calendar_sessions_of_user(user=user)
    sessions = sessions.filter(ends_at__lt=now).reverse() if past else sessions.filter(ends_at__gte=now)
    return calendar_months_for(sessions=list(sessions))


def get_feed_owner_for(token: str) -> tuple[CalendarFeedToken, User]:
    """The feed token and its person's login, or 404: the secret in the URL is the only key, so an
    unknown or rotated token, or a login that was switched off, gets the same answer."""
    feed = CalendarFeedToken.objects.select_related("person__user").filter(token=token).first()
    if feed is None:
        raise Http404("No such calendar.")
    user = feed.person.user
    if user is None or not user.is_active:
        raise Http404("No such calendar.")
    return feed, user


def cancellation_reasons_for(*, sessions: Iterable[Session]) -> dict[UUID, str]:
    """Why each cancelled session was cancelled, from its audit trail (one query, none if none is)."""
    cancelled = {str(session.uuid): session.uuid for session in sessions if _is_cancelled(session)}
    if not cancelled:
        return {}
    events = (
        AuditEvent.objects.filter(
            subject_kind="session", verb="session.cancelled", subject_id__in=list(cancelled)
        )
        .order_by("at", "id")
        .values_list("subject_id", "data")
    )
    return {cancelled[subject_id]: str(data.get("reason", "")) for subject_id, data in events}


def calendar_months_for(
    *, sessions: Sequence[Session], reasons: dict[UUID, str] | None = None
) -> list[CalendarMonth]:
    """The sessions grouped by the month they start in, in their programme's time zone."""
    reasons = reasons if reasons is not None else cancellation_reasons_for(sessions=sessions)
    months: dict[date, list[CalendarEntry]] = {}
    for session in sessions:
        zone = session.cohort.program.time_zone
        month = session.starts_at.astimezone(ZoneInfo(zone)).date().replace(day=1)
        entry = CalendarEntry(session=session, zone=zone, cancellation_reason=reasons.get(session.uuid, ""))
        months.setdefault(month, []).append(entry)
    return [CalendarMonth(month=month, entries=tuple(entries)) for month, entries in months.items()]


def _is_cancelled(session: Session) -> bool:
    return session.status == Session.Status.CANCELLED
