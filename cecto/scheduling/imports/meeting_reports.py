"""Zoom and Microsoft Teams participant reports: who was connected, and when. Pure: no ORM.

Zoom (Reports → Usage → Participants → Export, "Show unique users" unticked): comma-separated,
one row per connection under the header ``Name (Original Name), User Email, Join Time,
Leave Time, Duration (Minutes), Guest, …``; some exports put a meeting summary (Meeting ID,
Topic, Start Time, …, then a blank line) above it. Times like ``11/14/2026 09:02:13 AM`` are in
the Zoom account's time zone: the session's.

Microsoft Teams (the meeting's Attendance tab → Download): UTF-16 with a byte-order mark,
tab-separated, in sections: ``1. Summary``, ``2. Participants`` (Name, First Join, Last Leave,
In-Meeting Duration, Email, Participant ID (UPN), Role) and ``3. In-Meeting Activities`` (Name,
Join Time, Leave Time, Duration, Email, Role; one row per join). The activities give the rejoins,
so they are used when present. Times like ``11/14/26, 9:02:13 AM``. Older Teams reports are a
single table ``Full Name, User Action (Joined/Left), Timestamp``; those are read too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from cecto.scheduling.imports.intervals import Interval
from cecto.scheduling.imports.reading import (
    ImportFailed,
    Problem,
    Row,
    decode,
    normalize_header,
    read_rows,
    sniff_delimiter,
)

ZOOM = "zoom"
TEAMS = "teams"
AUTO = "auto"
KINDS = (AUTO, ZOOM, TEAMS)
KIND_LABELS = {ZOOM: "Zoom participant report", TEAMS: "Microsoft Teams attendance report"}

_NAME_COLUMNS = ("name (original name)", "user name (original name)", "name", "full name", "user name")
_EMAIL_COLUMNS = ("user email", "email", "e-mail")
_SECTION_TITLE = re.compile(r"^\d+\.\s+\S")


@dataclass(frozen=True)
class ReportParticipant:
    """One person as the report shows them, every connection of theirs gathered."""

    name: str
    email: str
    intervals: tuple[Interval, ...]
    lines: tuple[int, ...]
    cap_seconds: int | None = None  # Teams without activities: the in-meeting duration
    role: str = ""

    @property
    def line(self) -> int:
        return self.lines[0]


@dataclass(frozen=True)
class MeetingReport:
    kind: str
    file_name: str
    encoding: str
    participants: tuple[ReportParticipant, ...]
    rows: int
    warnings: tuple[Problem, ...] = ()


def parse_meeting_report(
    data: bytes, *, file_name: str, tz: tzinfo, kind: str = AUTO, session_day: date | None = None
) -> MeetingReport:
    """Read a Zoom or Teams report; times become aware datetimes in `tz`.

    `session_day` settles numeric dates that could be either day/month or month/day; without a
    hint, month first (US) is assumed. Raises ImportFailed listing every bad row.
    """
    if kind not in KINDS:
        raise ImportFailed([Problem(file_name, None, None, f"Unknown report kind {kind!r}: zoom or teams.")])
    decoded = decode(data, file_name=file_name)
    rows = list(read_rows(decoded.text, delimiter=sniff_delimiter(decoded.text), file_name=file_name))
    tables = _find_tables(rows)
    found = _choose_kind(tables, kind=kind, file_name=file_name)
    reader = _Reader(file_name=file_name, tz=tz, session_day=session_day)
    used = _used_table(found, tables)
    table = tables[used]
    if used == "zoom":
        participants = reader.zoom(table)
    elif used == "teams_activities":
        participants = reader.teams_joins(table, join="join time", leave="leave time")
    elif used == "teams_participants":
        participants = reader.teams_joins(table, join="first join", leave="last leave")
    else:
        participants = reader.teams_legacy(table)
    if reader.problems:
        raise ImportFailed(reader.problems)
    return MeetingReport(
        kind=found,
        file_name=file_name,
        encoding=decoded.encoding,
        participants=participants,
        rows=len(table.rows),
        warnings=tuple(reader.warnings),
    )


def name_variants(name: str) -> tuple[str, ...]:
    """The names to try for a person: Zoom shows a renamed participant as "New (Original)"."""
    variants = [normalize_name(name)]
    match = re.fullmatch(r"(.+?)\s*\((.+)\)", name.strip())
    if match:
        variants += [normalize_name(match.group(2)), normalize_name(match.group(1))]
    return tuple(dict.fromkeys(v for v in variants if v))


def normalize_name(name: str) -> str:
    return " ".join(name.casefold().split())


# --- tables ------------------------------------------------------------------------------------


@dataclass
class _Table:
    kind: str
    header: Row
    columns: dict[str, int]  # normalized name → index
    titles: dict[str, str]  # normalized name → as written, for problems
    rows: list[Row] = field(default_factory=list)

    def index(self, *names: str) -> int | None:
        for name in names:
            if name in self.columns:
                return self.columns[name]
        return None

    def title(self, *names: str) -> str:
        for name in names:
            if name in self.titles:
                return self.titles[name]
        return names[0]


def _table_kind(columns: set[str]) -> str | None:
    has_name = any(name in columns for name in _NAME_COLUMNS)
    if {"full name", "user action", "timestamp"} <= columns:
        return "teams_legacy"
    if has_name and {"first join", "last leave"} <= columns:
        return "teams_participants"
    if has_name and {"join time", "leave time"} <= columns:
        teams_only = {"role", "participant id (upn)"} & columns and "name (original name)" not in columns
        return "teams_activities" if teams_only else "zoom"
    if "name (original name)" in columns or "user name (original name)" in columns:
        return "zoom_unique"
    return None


def _is_section_title(row: Row) -> bool:
    filled = [cell for cell in row.cells if cell]
    return len(filled) == 1 and bool(_SECTION_TITLE.match(filled[0]))


def _find_tables(rows: Sequence[Row]) -> dict[str, _Table]:
    """Each recognised table's header and data rows; a table ends at a section title or header."""
    tables: dict[str, _Table] = {}
    current: _Table | None = None
    for row in rows:
        if row.is_blank:
            continue
        normalized = [normalize_header(cell) for cell in row.cells]
        kind = _table_kind(set(normalized))
        if kind is not None:
            columns: dict[str, int] = {}
            titles: dict[str, str] = {}
            for index, (name, title) in enumerate(zip(normalized, row.cells, strict=True)):
                if name and name not in columns:
                    columns[name] = index
                    titles[name] = title.replace("\ufeff", "")
            # A second header of the same kind (two exports pasted together) continues the first.
            current = tables.setdefault(kind, _Table(kind=kind, header=row, columns=columns, titles=titles))
        elif _is_section_title(row):
            current = None
        elif current is not None:
            current.rows.append(row)
    return tables


def _choose_kind(tables: dict[str, _Table], *, kind: str, file_name: str) -> str:
    teams = any(name.startswith("teams_") for name in tables)
    zoom = "zoom" in tables
    if kind in (AUTO, ZOOM) and zoom and not (kind == AUTO and teams):
        return ZOOM
    if kind in (AUTO, TEAMS) and teams:
        return TEAMS
    if kind == ZOOM and teams:
        message = "This is a Microsoft Teams attendance report, not a Zoom one: import it as Teams."
    elif kind == TEAMS and zoom:
        message = "This is a Zoom participant report, not a Teams one: import it as Zoom."
    elif "zoom_unique" in tables:
        message = (
            "This Zoom export has no Join Time and Leave Time columns: export the participants "
            'again with "Show unique users" unticked.'
        )
    else:
        message = (
            "No participant table found: expected a Zoom header (Name (Original Name), User Email, "
            "Join Time, Leave Time) or a Teams one (Name, Join Time, Leave Time / First Join, Last Leave)."
        )
    raise ImportFailed([Problem(file_name, None, None, message)])


def _used_table(kind: str, tables: dict[str, _Table]) -> str:
    if kind == ZOOM:
        return "zoom"
    if "teams_activities" in tables and tables["teams_activities"].rows:
        return "teams_activities"
    if "teams_participants" in tables:
        return "teams_participants"
    return "teams_legacy"


# --- dates and durations -----------------------------------------------------------------------

_NUMERIC = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?\s*[Mm]\.?)?$"
)
_MONTH_NAME = re.compile(
    r"^([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"(?:\s*([AaPp])\.?\s*[Mm]\.?)?$"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_DURATION = re.compile(r"^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?$")


def decide_day_first(values: Iterable[str], *, session_day: date | None) -> bool:
    """Whether numeric dates are day/month: a part above 12 says so; else the session's date does."""
    pairs = [(int(m.group(1)), int(m.group(2))) for m in map(_NUMERIC.match, values) if m]
    if any(first > 12 for first, _ in pairs):
        return True
    if any(second > 12 for _, second in pairs):
        return False
    if session_day is not None:
        if (session_day.month, session_day.day) in pairs:
            return False
        if (session_day.day, session_day.month) in pairs:
            return True
    return False


def parse_report_datetime(value: str, *, tz: tzinfo, day_first: bool) -> datetime:
    """A report's local time as an aware datetime; ValueError when it is not one."""
    value = " ".join(value.split())
    numeric = _NUMERIC.match(value)
    named = _MONTH_NAME.match(value) if numeric is None else None
    if numeric is not None:
        first, second, year, hour, minute, second_s, meridiem = numeric.groups()
        day, month = (first, second) if day_first else (second, first)
        year_number = int(year) + (2000 if len(year) == 2 else 0)
        return _local(year_number, int(month), int(day), hour, minute, second_s, meridiem, tz)
    if named is not None:
        month_name, day, year, hour, minute, second_s, meridiem = named.groups()
        month_number = _MONTHS.get(month_name.lower())
        if month_number is None:
            raise ValueError(value)
        return _local(int(year), month_number, int(day), hour, minute, second_s, meridiem, tz)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=tz)


def _local(
    year: int,
    month: int,
    day: int,
    hour: str,
    minute: str,
    second: str | None,
    meridiem: str | None,
    tz: tzinfo,
) -> datetime:
    hours = int(hour)
    if meridiem is not None:
        if not 1 <= hours <= 12:
            raise ValueError("hour")
        hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
    return datetime(year, month, day, hours, int(minute), int(second or 0), tzinfo=tz)


def parse_duration_seconds(value: str) -> int:
    """Teams durations: "1h 2m 3s", "10m 59s", "45s"; ValueError otherwise."""
    match = _DURATION.match(value.strip())
    if not value.strip() or match is None or not any(match.groups()):
        raise ValueError(value)
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


# --- reading rows ------------------------------------------------------------------------------


@dataclass
class _Person:
    name: str
    email: str
    role: str = ""
    intervals: list[Interval] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    cap_seconds: int | None = None
    has_cap: bool = True

    def frozen(self) -> ReportParticipant:
        return ReportParticipant(
            name=self.name,
            email=self.email,
            intervals=tuple(self.intervals),
            lines=tuple(self.lines),
            cap_seconds=self.cap_seconds if self.has_cap else None,
            role=self.role,
        )


class _Reader:
    def __init__(self, *, file_name: str, tz: tzinfo, session_day: date | None) -> None:
        self.file_name = file_name
        self.tz = tz
        self.session_day = session_day
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.day_first = False

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file_name, line, column, message))

    def cell(self, row: Row, index: int | None) -> str:
        if index is None or index >= len(row.cells):
            return ""
        return row.cells[index]

    def when(self, row: Row, index: int, title: str) -> datetime | None:
        value = self.cell(row, index)
        if not value:
            self.problem(row.line, title, "The time is missing.")
            return None
        try:
            return parse_report_datetime(value, tz=self.tz, day_first=self.day_first)
        except ValueError:
            self.problem(row.line, title, f"{value!r} is not a date and time like 11/14/2026 09:02:13 AM.")
            return None

    def settle_date_order(self, table: _Table, *names: str) -> None:
        indexes = [table.columns[name] for name in names if name in table.columns]
        values = [self.cell(row, index) for row in table.rows for index in indexes]
        self.day_first = decide_day_first(values, session_day=self.session_day)

    def check_width(self, table: _Table, row: Row, needed: Sequence[int | None]) -> bool:
        width = max((i for i in needed if i is not None), default=0) + 1
        if len(row.cells) < width:
            self.problem(
                row.line,
                None,
                f"The row has {len(row.cells)} fields; the header on line {table.header.line} "
                f"has {len(table.header.cells)}.",
            )
            return False
        return True

    def gather(self, people: dict[tuple[str, str], _Person], *, name: str, email: str, role: str) -> _Person:
        key = ("email", email.casefold()) if email else ("name", normalize_name(name))
        if key not in people:
            people[key] = _Person(name=name, email=email, role=role)
        return people[key]

    def interval(self, row: Row, table: _Table, join: str, leave: str) -> Interval | None:
        joined = self.when(row, table.columns[join], table.title(join))
        left = self.when(row, table.columns[leave], table.title(leave))
        if joined is None or left is None:
            return None
        if left < joined:
            self.problem(row.line, table.title(leave), "The participant leaves before joining.")
            return None
        return Interval(joined, left)

    def zoom(self, table: _Table) -> tuple[ReportParticipant, ...]:
        name_at = table.index(*_NAME_COLUMNS)
        email_at = table.index(*_EMAIL_COLUMNS)
        self.settle_date_order(table, "join time", "leave time")
        people: dict[tuple[str, str], _Person] = {}
        for row in table.rows:
            if not self.check_width(
                table, row, [name_at, table.columns["join time"], table.columns["leave time"]]
            ):
                continue
            name, email = self.cell(row, name_at), self.cell(row, email_at)
            if not name and not email:
                self.problem(row.line, table.title(*_NAME_COLUMNS), "The participant has no name or e-mail.")
                continue
            interval = self.interval(row, table, "join time", "leave time")
            if interval is not None:
                person = self.gather(people, name=name, email=email, role="")
                person.intervals.append(interval)
                person.lines.append(row.line)
        return tuple(person.frozen() for person in people.values())

    def teams_joins(self, table: _Table, *, join: str, leave: str) -> tuple[ReportParticipant, ...]:
        """The activities (one row per join) or, without them, the participants section."""
        name_at = table.index(*_NAME_COLUMNS)
        email_at = table.index(*_EMAIL_COLUMNS)
        upn_at = table.index("participant id (upn)")
        role_at = table.index("role")
        duration_at = table.index("in-meeting duration") if join == "first join" else None
        self.settle_date_order(table, join, leave)
        people: dict[tuple[str, str], _Person] = {}
        for row in table.rows:
            if not self.check_width(table, row, [name_at, table.columns[join], table.columns[leave]]):
                continue
            name = self.cell(row, name_at)
            email = self.cell(row, email_at)
            upn = self.cell(row, upn_at)
            if not email and "@" in upn:
                email = upn
            if not name and not email:
                self.problem(row.line, table.title(*_NAME_COLUMNS), "The participant has no name or e-mail.")
                continue
            interval = self.interval(row, table, join, leave)
            if interval is None:
                continue
            person = self.gather(people, name=name, email=email, role=self.cell(row, role_at))
            person.intervals.append(interval)
            person.lines.append(row.line)
            if duration_at is None:
                person.has_cap = False
                continue
            try:
                seconds = parse_duration_seconds(self.cell(row, duration_at))
            except ValueError:
                self.problem(
                    row.line,
                    table.title("in-meeting duration"),
                    f"{self.cell(row, duration_at)!r} is not a duration like 1h 2m 3s.",
                )
                continue
            person.cap_seconds = (person.cap_seconds or 0) + seconds
        return tuple(person.frozen() for person in people.values())

    def teams_legacy(self, table: _Table) -> tuple[ReportParticipant, ...]:
        """The old single table: Joined/Left events per full name, paired in time order."""
        name_at, action_at, time_at = (table.columns[c] for c in ("full name", "user action", "timestamp"))
        self.settle_date_order(table, "timestamp")
        events: dict[str, list[tuple[datetime, int, str, str]]] = {}
        names: dict[str, str] = {}
        for row in table.rows:
            if not self.check_width(table, row, [name_at, action_at, time_at]):
                continue
            name = self.cell(row, name_at)
            action = " ".join(self.cell(row, action_at).casefold().split())
            if not name:
                self.problem(row.line, table.title("full name"), "The participant has no name.")
                continue
            if action not in ("joined", "joined before", "left"):
                self.problem(row.line, table.title("user action"), f"{action!r} is not Joined or Left.")
                continue
            at = self.when(row, time_at, table.title("timestamp"))
            if at is not None:
                key = normalize_name(name)
                names.setdefault(key, name)
                events.setdefault(key, []).append((at, row.line, action, name))
        if self.problems:
            return ()
        last = max((at for person_events in events.values() for at, *_ in person_events), default=None)
        participants: list[ReportParticipant] = []
        for key, person_events in events.items():
            person = _Person(name=names[key], email="")
            open_count, opened_at, opened_line = 0, None, 0
            for at, line, action, _ in sorted(person_events):
                person.lines.append(line)
                if action.startswith("joined"):
                    if open_count == 0:
                        opened_at, opened_line = at, line
                    open_count += 1
                elif open_count == 0:
                    self.warnings.append(
                        Problem(
                            self.file_name,
                            line,
                            table.title("user action"),
                            "'Left' without a 'Joined' before it: ignored.",
                        )
                    )
                else:
                    open_count -= 1
                    if open_count == 0 and opened_at is not None:
                        person.intervals.append(Interval(opened_at, at))
            if open_count and opened_at is not None and last is not None:
                self.warnings.append(
                    Problem(
                        self.file_name,
                        opened_line,
                        table.title("user action"),
                        f"{person.name} never left: counted until the report's last time.",
                    )
                )
                person.intervals.append(Interval(opened_at, last))
            person.has_cap = False
            participants.append(person.frozen())
        return tuple(participants)
