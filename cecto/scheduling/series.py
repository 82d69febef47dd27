"""Recurring sessions: one RFC 5545 RRULE makes a series of sessions that share a `series_ref`.

The rule runs on the programme's local wall clock (dateutil.rrule over naive local times), so a
session at 9:00 stays at 9:00 local time across the March and November clock changes; each
occurrence is then given the programme's time zone and stored in UTC.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# No type stubs for dateutil are installed (types-python-dateutil is not a dependency): Any.
from dateutil.rrule import rrule as RRule  # noqa: N812 (lower-case in dateutil)
from dateutil.rrule import rrulestr
from django.db import transaction

from cecto.core.audit import audit_event_record
from cecto.programs.api import Track
from cecto.scheduling.models import Cohort, Session
from cecto.scheduling.services import Actor, SessionRefused, session_check

MAX_OCCURRENCES = 60
MAX_DAYS = 7
# Rule parts a series may use. The time of day comes from first_starts_at, so BYHOUR, BYMINUTE
# and BYSECOND are refused, as are frequencies finer than a day.
RULE_PARTS = frozenset(
    {
        "FREQ",
        "INTERVAL",
        "COUNT",
        "UNTIL",
        "BYDAY",
        "BYMONTHDAY",
        "BYYEARDAY",
        "BYWEEKNO",
        "BYMONTH",
        "BYSETPOS",
        "WKST",
    }
)
TIME_PARTS = frozenset({"BYHOUR", "BYMINUTE", "BYSECOND"})
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
EXAMPLE = "FREQ=MONTHLY;BYDAY=3TH;COUNT=10"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY = re.compile(rf"(?P<nth>[+-]?\d{{1,2}})?({'|'.join(WEEKDAYS)})")
NUMBER = re.compile(r"[+-]?\d{1,3}")
# The values RFC 5545 allows (never zero; negative ones count from the end, except for months).
NUMBER_RANGES = {
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
}


def _day(value: date) -> str:
    return f"{value:%a %b} {value.day}, {value.year}"


@dataclass(frozen=True)
class ParsedRule:
    """A recurrence rule split into its pattern (never ending) and how it ends."""

    pattern: RRule  # dateutil's rule over naive local times, without COUNT or UNTIL
    count: int | None
    until: datetime | None  # naive local time


def rule_parse(*, rule: str, first_local: datetime, zone: ZoneInfo) -> ParsedRule:
    """The rule of an RRULE value, starting at first_local; SessionRefused says what is wrong."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        raise SessionRefused(f"Give a recurrence rule, such as {EXAMPLE}.")
    if any(char in text for char in "\r\n:"):
        raise SessionRefused(f"Give only the rule itself, such as {EXAMPLE}, on one line.")
    parts: dict[str, str] = {}
    for part in text.split(";"):
        name, equals, value = part.partition("=")
        name = name.strip().upper()
        if not equals or not name or not value.strip():
            raise SessionRefused(f"{part!r} in the recurrence rule is not of the form NAME=VALUE.")
        if name in TIME_PARTS:
            raise SessionRefused(
                f"The recurrence rule may not use {name}: the series takes its time of day "
                "from the first session."
            )
        if name not in RULE_PARTS:
            raise SessionRefused(f"{name} is not a part of a recurrence rule a series can use.")
        if name in parts:
            raise SessionRefused(f"The recurrence rule gives {name} twice.")
        parts[name] = value.strip().upper()
    _check_parts(parts)
    count = int(parts.pop("COUNT")) if "COUNT" in parts else None
    until = _local_until(parts.pop("UNTIL"), zone) if "UNTIL" in parts else None
    pattern = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        parsed = rrulestr(pattern, dtstart=first_local)
    except (ValueError, TypeError) as error:  # pragma: no cover (every part is checked before; a net)
        raise SessionRefused(f"The recurrence rule {rule.strip()!r} is not valid: {error}.") from error
    if not isinstance(parsed, RRule):  # pragma: no cover (one RRULE line never makes a set)
        raise SessionRefused(f"The recurrence rule {rule.strip()!r} must be a single RRULE.")
    return ParsedRule(pattern=parsed, count=count, until=until)


def _check_parts(parts: dict[str, str]) -> None:
    if "FREQ" not in parts:
        raise SessionRefused(f"The recurrence rule needs a FREQ, such as {EXAMPLE}.")
    if parts["FREQ"] not in FREQUENCIES:
        raise SessionRefused(f"FREQ must be {', '.join(FREQUENCIES[:-1])} or {FREQUENCIES[-1]}.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise SessionRefused("Give COUNT or UNTIL in the recurrence rule, not both.")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise SessionRefused("The recurrence rule must end: give COUNT (how many) or UNTIL (the last date).")
    for name in ("COUNT", "INTERVAL"):
        if name in parts and not (parts[name].isdigit() and int(parts[name]) > 0):
            raise SessionRefused(f"{name} must be a whole number above zero, not {parts[name]!r}.")
    for name, (low, high) in NUMBER_RANGES.items():
        for value in parts.get(name, "").split(",") if name in parts else ():
            number = int(value) if NUMBER.fullmatch(value) else 0
            if not (low <= abs(number) <= high and (number > 0 or name != "BYMONTH")):
                signed = "" if name == "BYMONTH" else f" (or -{high} to -{low}, counting from the end)"
                raise SessionRefused(f"{name} {value!r} must be a number from {low} to {high}{signed}.")
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise SessionRefused(f"WKST {parts['WKST']!r} is not a weekday such as MO.")
    if "BYDAY" in parts:
        for day in parts["BYDAY"].split(","):
            _check_weekday(day, parts)


def _check_weekday(day: str, parts: dict[str, str]) -> None:
    """A BYDAY entry such as TH, 3TH or -1FR, with an ordinal only where RFC 5545 allows one."""
    match = WEEKDAY.fullmatch(day)
    if match is None:
        raise SessionRefused(
            f"BYDAY {day!r} is not a weekday such as TH, 3TH (the third) or -1FR (the last)."
        )
    if not match["nth"]:
        return
    monthly = parts["FREQ"] == "MONTHLY" or (parts["FREQ"] == "YEARLY" and "BYMONTH" in parts)
    if parts["FREQ"] not in ("MONTHLY", "YEARLY"):
        raise SessionRefused(f"BYDAY {day}: a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY.")
    most = 5 if monthly else 53
    if not 1 <= abs(int(match["nth"])) <= most:
        period = "month" if monthly else "year"
        raise SessionRefused(f"BYDAY {day}: a {period} has at most {most} of each weekday.")


def _local_until(value: str, zone: ZoneInfo) -> datetime:
    """UNTIL as naive local time: a date includes its whole day; a UTC time is converted."""
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d")  # noqa: DTZ007 (a local date, naive on purpose)
            return datetime.combine(day.date(), time(23, 59, 59))
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=ZoneInfo("UTC"))
            return moment.astimezone(zone).replace(tzinfo=None)
        return datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007 (a local time, naive on purpose)
    except ValueError as error:
        raise SessionRefused(
            f"UNTIL must be a date such as 20261203 or a time such as 20261203T170000Z, not {value!r}."
        ) from error


def _aware(local: datetime, zone: ZoneInfo) -> datetime:
    """The local wall-clock time in the zone; refused if the clocks skip it (spring forward)."""
    aware = local.replace(tzinfo=zone)
    if aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) != local:
        raise SessionRefused(
            f"{local:%H:%M} does not exist on {_day(local.date())} in {zone.key}: the clocks go forward then."
        )
    return aware


def _occurrences(rule: ParsedRule, *, cohort: Cohort) -> list[datetime]:
    """The rule's dates up to the graduation; an occurrence after it is refused by name.

    The search stops at the graduation (or two years after it, to name the first date too late).
    A rule that never matches at all (BYMONTH=2;BYMONTHDAY=30) still makes dateutil search until
    the year 9999: about 0.1 s for a yearly rule, 3 s for a daily one.
    """
    if rule.count is not None and rule.count > MAX_OCCURRENCES:
        raise SessionRefused(_too_many())
    graduation = datetime.combine(cohort.ends_on, time.max)
    limit = graduation if rule.until is None else min(rule.until, graduation)
    wanted = rule.count if rule.count is not None else MAX_OCCURRENCES + 1
    found = _first(rule, until=limit, wanted=wanted)
    if len(found) > MAX_OCCURRENCES:
        raise SessionRefused(_too_many())
    if rule.count is not None:
        cut_short = len(found) < rule.count
    else:
        cut_short = rule.until is not None and limit < rule.until
    if cut_short:
        horizon = graduation + timedelta(days=2 * 366)
        later = _first(rule, until=horizon if rule.until is None else min(rule.until, horizon), wanted=None)
        next_date = next((moment for moment in later if moment > graduation), None)
        if next_date is not None:
            raise SessionRefused(
                f"The rule's session on {_day(next_date.date())} falls after the graduation of "
                f"{cohort.name} ({_day(cohort.ends_on)})."
            )
        if found:
            raise SessionRefused(
                f"Only {len(found)} of the rule's {rule.count} sessions fall before the graduation of "
                f"{cohort.name} ({_day(cohort.ends_on)})."
            )
    if not found:
        raise SessionRefused("The recurrence rule makes no session at all: check its BY… parts and its end.")
    return found


def _first(rule: ParsedRule, *, until: datetime, wanted: int | None) -> list[datetime]:
    try:
        return list(itertools.islice(rule.pattern.replace(until=until), wanted))
    except (ValueError, IndexError, OverflowError) as error:  # pragma: no cover (checked before; a net)
        raise SessionRefused(f"The recurrence rule is not valid: {error or type(error).__name__}.") from error


def _too_many() -> str:
    return (
        f"The recurrence rule makes more than {MAX_OCCURRENCES} sessions; "
        "lower COUNT or bring UNTIL forward, or create several series."
    )


def _check_shape(
    *, cohort: Cohort, mode: str, first_starts_at: datetime, duration_minutes: int, days: int
) -> None:
    if first_starts_at.tzinfo is None or first_starts_at.utcoffset() is None:
        raise SessionRefused("The first session's start needs a time zone (an aware datetime).")
    if cohort.status in (Cohort.Status.CANCELLED, Cohort.Status.COMPLETED):
        raise SessionRefused(
            f"{cohort.name} is {cohort.get_status_display().lower()}: no session can be added."
        )
    if duration_minutes <= 0:
        raise SessionRefused("A session must last at least one minute.")
    if not 1 <= days <= MAX_DAYS:
        raise SessionRefused(f"A session lasts from 1 to {MAX_DAYS} days, not {days}.")
    if days > 1 and mode == Session.Mode.ONLINE_SELF_PACED:
        raise SessionRefused("A self-paced module is one window: give its length in minutes, with days=1.")
    if days > 1 and duration_minutes >= 24 * 60:
        raise SessionRefused("Each day of a multi-day session must be shorter than a day.")


def _days_of(occurrence: datetime, days: int) -> Iterator[tuple[int, datetime]]:
    for index in range(days):
        yield index + 1, occurrence + timedelta(days=index)


@transaction.atomic
def session_series_create(
    *,
    cohort: Cohort,
    title: str,
    mode: str,
    rrule: str,
    first_starts_at: datetime,
    duration_minutes: int,
    contact_minutes: int,
    track: Track | None = None,
    location: str = "",
    meeting_url: str = "",
    days: int = 1,
    is_required: bool = False,
    by: Actor,
) -> list[Session]:
    """Create the sessions of a recurring series; all of them, or none with a SessionRefused.

    A session of several days (`days=2` for a two-day session) becomes one session per day, on
    consecutive days, each `duration_minutes` long with `contact_minutes` of instruction.
    """
    _check_shape(
        cohort=cohort,
        mode=mode,
        first_starts_at=first_starts_at,
        duration_minutes=duration_minutes,
        days=days,
    )
    zone = ZoneInfo(cohort.program.time_zone)
    first_local = first_starts_at.astimezone(zone).replace(tzinfo=None)
    rule = rule_parse(rule=rrule, first_local=first_local, zone=zone)
    occurrences = _occurrences(rule, cohort=cohort)
    if occurrences[0] != first_local:
        raise SessionRefused(
            f"The first session ({_day(first_local.date())}) is not a date of the rule {rrule.strip()}: "
            f"its first date is {_day(occurrences[0].date())}."
        )
    series_ref = uuid.uuid4()
    sessions: list[Session] = []
    for occurrence in occurrences:
        for day, local_start in _days_of(occurrence, days):
            session = Session(
                cohort=cohort,
                title=f"{title} (day {day} of {days})" if days > 1 else title,
                mode=mode,
                starts_at=_aware(local_start, zone),
                ends_at=_aware(local_start + timedelta(minutes=duration_minutes), zone),
                time_zone=zone.key,
                contact_minutes=contact_minutes,
                track=track,
                is_required=is_required,
                location=location,
                meeting_url=meeting_url,
                series_ref=series_ref,
            )
            try:
                session_check(session)
            except SessionRefused as error:
                raise SessionRefused(f"{_day(local_start.date())}: {error}") from error
            sessions.append(session)
    Session.objects.bulk_create(sessions)
    audit_event_record(
        actor=by,
        verb="session_series.created",
        subject_kind="session_series",
        subject_id=series_ref,
        data={
            "cohort": cohort.slug,
            "title": title,
            "rrule": rrule.strip(),
            "first_starts_at": first_starts_at.isoformat(),
            "days": days,
            "sessions": len(sessions),
        },
    )
    return sessions
