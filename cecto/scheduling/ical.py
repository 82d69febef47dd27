"""iCalendar (RFC 5545) feeds of sessions, built with the icalendar library.

Every session is one VEVENT with a stable UID (`<session uuid>@cecto`) and SEQUENCE (the session's
revision number), so a subscribed calendar updates the event in place when it changes, and removes
it when the feed says STATUS:CANCELLED: cancelled sessions stay in the feed for that reason.
Timed sessions carry their time zone (DTSTART;TZID=…, with its VTIMEZONE); self-paced modules are
all-day events that span their window.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vDuration

from cecto.people.api import Person
from cecto.scheduling.models import Cohort, Session

PRODID = "-//cecto//Session calendar 1.0//EN"
UID_DOMAIN = "cecto"
REFRESH = timedelta(hours=1)  # how often a subscribed calendar should look again


def cohort_calendar_ics(*, cohort: Cohort, sessions: Sequence[Session], reasons: Mapping[UUID, str]) -> bytes:
    """The cohort's calendar: every session of the class, cancelled ones included."""
    return calendar_ics(
        name=f"{cohort.program} {cohort.name}",
        time_zone=cohort.program.time_zone,
        sessions=sessions,
        reasons=reasons,
    )


def person_calendar_ics(*, person: Person, sessions: Sequence[Session], reasons: Mapping[UUID, str]) -> bytes:
    """A person's own calendar: the sessions they take part in, in whichever programmes."""
    zones = Counter(session.cohort.program.time_zone for session in sessions)
    time_zone = zones.most_common(1)[0][0] if zones else str(settings.TIME_ZONE)
    return calendar_ics(
        name=f"cecto sessions of {person.full_name}", time_zone=time_zone, sessions=sessions, reasons=reasons
    )


def calendar_ics(
    *, name: str, time_zone: str, sessions: Sequence[Session], reasons: Mapping[UUID, str]
) -> bytes:
    """A VCALENDAR of the sessions, as bytes (UTF-8, CRLF line ends, lines folded at 75 octets)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", time_zone)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # an X- property: give its type
    first, last = _span(sessions)
    # The programme's zone always, even when no timed session uses it (X-WR-TIMEZONE names it).
    calendar.add_component(Timezone.from_tzid(time_zone, first_date=first, last_date=last))
    for session in sessions:
        calendar.add_component(session_event(session, reason=reasons.get(session.uuid, "")))
    calendar.add_missing_timezones(first_date=first, last_date=last)
    ical: bytes = calendar.to_ical()
    return ical


def session_event(session: Session, *, reason: str = "") -> Event:
    event = Event()
    event.add("uid", f"{session.uuid}@{UID_DOMAIN}")
    event.add("dtstamp", session.updated_at)
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    event.add("summary", session.title)
    zone = ZoneInfo(session.time_zone)
    if session.mode == Session.Mode.ONLINE_SELF_PACED:
        # All day, from the day it opens to the day it closes (DTEND is exclusive: the day after).
        event.add("dtstart", session.starts_at.astimezone(zone).date())
        event.add("dtend", session.ends_at.astimezone(zone).date() + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", session.starts_at.astimezone(zone))
        event.add("dtend", session.ends_at.astimezone(zone))
    if session.location:
        event.add("location", session.location)
    if session.meeting_url:
        event.add("url", session.meeting_url)
    event.add("description", _description(session, reason=reason))
    cancelled = session.status == Session.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _description(session: Session, *, reason: str) -> str:
    hours = f"{session.contact_minutes / 60:.2f}".rstrip("0").rstrip(".")
    audience = "joint session of every track" if session.track is None else f"{session.track.name} track"
    lines = []
    if session.status == Session.Status.CANCELLED:
        lines.append(f"CANCELLED: {reason}" if reason else "CANCELLED")
    lines += [
        f"{session.get_mode_display()} · {hours} contact hour{'' if hours == '1' else 's'}",
        f"For: {audience}" + (" (required)" if session.is_required else ""),
        f"Class: {session.cohort.program} {session.cohort.name}",
    ]
    if session.meeting_url:
        lines.append(f"Join: {session.meeting_url}")
    if session.description:
        lines += ["", session.description]
    return "\n".join(lines)


def _span(sessions: Sequence[Session]) -> tuple[date, date]:
    """The years the VTIMEZONE must describe: those of the sessions, and one on either side."""
    years = [moment.year for session in sessions for moment in (session.starts_at, session.ends_at)]
    if not years:
        years = [timezone.now().year]
    return date(min(years) - 1, 1, 1), date(max(years) + 2, 1, 1)
