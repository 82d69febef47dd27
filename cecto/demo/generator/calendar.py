"""Class calendars: when a class runs, and its sessions in every mode, in the state's time zone.

A state programme's class (CeCTO-style) runs ten months from a kick-off on the second Tuesday of
February (or of August, in states that follow the school year) to graduation on the first Thursday
ten months later: three required joint sessions (kick-off, a joint session in the eighth month,
graduation day), the technology directors' monthly in-person days, live webinars and self-paced
modules worth about 270 hours, and the superintendents' five live evenings and a self-paced module
(20 hours). An exam-preparation class (CETL-style) runs five months, online but for one workshop.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = range(6)
IN_PERSON, ONLINE_LIVE, SELF_PACED = "in_person", "online_live", "online_self_paced"

JOINT_MINUTES = 360
TD_TARGET_MINUTES = 270 * 60  # offered to technology directors, joint sessions included (240 required)
TD_DAY_MINUTES = 420
TD_WEBINAR_MINUTES = 150
TD_PATTERN = (IN_PERSON, ONLINE_LIVE, SELF_PACED, IN_PERSON)
SUPERINTENDENT_SESSIONS = 6  # five live evenings and a self-paced module: 20 hours
CTL_SESSIONS = 8
FIXED_CECTO_SESSIONS = 3 + SUPERINTENDENT_SESSIONS
FRAMEWORK_DOMAINS = (
    "Leadership and vision",
    "Understanding the educational environment",
    "Managing technology and support resources",
)


@dataclass(frozen=True)
class SessionDraft:
    """One session before it has an id: audience is "joint", "td", "superintendent" or "ctl"."""

    audience: str
    title: str
    mode: str
    starts_at: datetime
    ends_at: datetime
    held_on: date
    contact_minutes: int
    is_required: bool = False
    series: str = ""  # sessions with the same series name were created as one series
    topic: str = ""


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth `weekday` of a month (month may run past 12: it rolls into the next years)."""
    first = date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def cecto_dates(year: int, *, school_year: bool) -> tuple[date, date]:
    """Kick-off and graduation of a state programme's class of `year`."""
    month = 8 if school_year else 2
    return nth_weekday(year, month, TUESDAY, 2), nth_weekday(year, month + 10, THURSDAY, 1)


def ctl_dates(year: int, *, fall: bool) -> tuple[date, date]:
    month = 9 if fall else 1
    kickoff = nth_weekday(year, month, TUESDAY, 2)
    return kickoff, nth_weekday(year, month + 4, SATURDAY, 2) + timedelta(days=14)


class _Drafts(list[SessionDraft]):
    """Sessions of one class, in its time zone (stored as UTC)."""

    def __init__(self, time_zone: str) -> None:
        super().__init__()
        self.zone = zone(time_zone)

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def add(
        self,
        audience: str,
        title: str,
        mode: str,
        day: date,
        hours: tuple[tuple[int, int], tuple[int, int]] | None,
        minutes: int,
        *,
        closes: date | None = None,
        required: bool = False,
        series: str = "",
        topic: str = "",
    ) -> None:
        """A session on `day` from hours[0] to hours[1] (local), or a self-paced module open from
        the start of `day` to the end of `closes`."""
        if hours is None:
            starts_at, ends_at = self.at(day, 0), self.at(closes or day, 23, 59)
        else:
            starts_at, ends_at = self.at(day, *hours[0]), self.at(day, *hours[1])
        self.append(
            SessionDraft(audience, title, mode, starts_at, ends_at, day, minutes, required, series, topic)
        )


def cecto_sessions(
    *,
    kickoff: date,
    graduation: date,
    time_zone: str,
    td_sessions: int,
    rng: random.Random,
    topics: list[str],
) -> list[SessionDraft]:
    """A state programme's year: joint, technology-director and superintendent sessions."""
    drafts = _Drafts(time_zone)
    year, month0 = kickoff.year, kickoff.month
    day_hours = ((9, 0), (16, 0))
    for day, title in (
        (kickoff, "Kick-off: transformational leadership in K-12 (joint)"),
        (nth_weekday(year, month0 + 7, TUESDAY, 2), "Joint session: technology and the district plan"),
        (graduation, "Closing joint meeting: best practices presented by the candidates"),
    ):
        drafts.add(
            "joint", title, IN_PERSON, day, day_hours, JOINT_MINUTES, required=True, topic="Leadership"
        )

    modes = [TD_PATTERN[i % len(TD_PATTERN)] for i in range(td_sessions)]
    days, webinars = modes.count(IN_PERSON), modes.count(ONLINE_LIVE)
    modules = max(1, modes.count(SELF_PACED))
    remaining = TD_TARGET_MINUTES - 3 * JOINT_MINUTES - days * TD_DAY_MINUTES - webinars * TD_WEBINAR_MINUTES
    module_minutes = max(120, remaining // modules // 15 * 15)
    seen: dict[tuple[int, str], int] = {}
    earliest = kickoff + timedelta(days=1)
    for index, mode in enumerate(modes):
        month = index * 10 // td_sessions
        nth = seen.get((month, mode), 0)
        seen[(month, mode)] = nth + 1
        topic = topics[(index + month) % len(topics)]
        if mode == IN_PERSON:
            day = max(earliest, nth_weekday(year, month0 + month, THURSDAY, 3)) + timedelta(days=nth)
            title = f"Month {month + 1}: {topic} (in person)"
            drafts.add("td", title, mode, day, ((8, 30), (16, 30)), TD_DAY_MINUTES, topic=topic)
        elif mode == ONLINE_LIVE:
            day = max(earliest, nth_weekday(year, month0 + month, WEDNESDAY, (2, 4, 1, 3)[nth % 4]))
            title = f"Month {month + 1}: live webinar on {topic.lower()}"
            drafts.add(
                "td",
                title,
                mode,
                day,
                ((15, 0), (17, 30)),
                TD_WEBINAR_MINUTES,
                series="td-webinars",
                topic=topic,
            )
        else:
            opens = max(earliest, nth_weekday(year, month0 + month, MONDAY, 1)) + timedelta(days=7 * nth)
            closes = max(opens, min(opens + timedelta(days=27), graduation))
            title = f"Month {month + 1}: self-paced module on {topic.lower()}"
            drafts.add("td", title, mode, opens, None, module_minutes, closes=closes, topic=topic)
    for part, month in enumerate((1, 3, 5, 6, 8)):
        day = nth_weekday(year, month0 + month, MONDAY, 2)
        title = f"Leaders for the 21st Century, part {part + 1}"
        topic = topics[(part * 5) % len(topics)]
        drafts.add(
            "superintendent",
            title,
            ONLINE_LIVE,
            day,
            ((18, 0), (21, 0)),
            180,
            series="superintendent-evenings",
            topic=topic,
        )
    opens = nth_weekday(year, month0 + 2, MONDAY, 1)
    title = "Leaders for the 21st Century: self-paced module"
    drafts.add(
        "superintendent",
        title,
        SELF_PACED,
        opens,
        None,
        300,
        closes=opens + timedelta(days=60),
        topic=rng.choice(topics),
    )
    drafts.sort(key=lambda draft: (draft.starts_at, draft.audience))
    return drafts


def ctl_sessions(*, kickoff: date, time_zone: str, venue_day: Callable[[], int]) -> list[SessionDraft]:
    """Exam preparation over five months: a live kick-off, a self-paced module and a live study
    session per framework domain, and an in-person workshop before the exam (40.5 hours offered)."""
    drafts = _Drafts(time_zone)
    year, month0 = kickoff.year, kickoff.month
    evening = ((16, 0), (19, 0))
    title = "Kick-off: the certification, the framework and the exam"
    drafts.add("ctl", title, ONLINE_LIVE, kickoff, evening, 180, series="ctl-live", topic="Leadership")
    for index, domain in enumerate(FRAMEWORK_DOMAINS):
        opens = max(kickoff + timedelta(days=1), nth_weekday(year, month0 + index, MONDAY, 1))
        title = f"Self-paced module: {domain.lower()}"
        drafts.add(
            "ctl", title, SELF_PACED, opens, None, 450, closes=opens + timedelta(days=34), topic=domain
        )
        day = nth_weekday(year, month0 + index + 1, TUESDAY, 3)
        title = f"Live study session: {domain.lower()}"
        drafts.add("ctl", title, ONLINE_LIVE, day, evening, 180, series="ctl-live", topic=domain)
    day = nth_weekday(year, month0 + 4, SATURDAY, 1 + venue_day())
    title = "Exam-preparation workshop (in person)"
    drafts.add("ctl", title, IN_PERSON, day, ((9, 0), (16, 0)), 360, topic="Project management")
    return drafts
