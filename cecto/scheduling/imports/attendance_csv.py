"""Our attendance CSV: one row per person for one session. Pure: no ORM.

    email,status,minutes_attended,note
    pat@district.example,present,,
    sam@district.example,late,150,Flight delayed

`email` and `status` are required columns, `minutes_attended` and `note` optional ones; any
other column is an error. Status is present, late, left_early, absent or excused. Minutes may be
empty for present (the session's full contact minutes), are required for late and left_early,
and must be empty or 0 for absent and excused. The README's "Attendance CSV format" documents it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cecto.scheduling.imports.reading import (
    ImportFailed,
    Problem,
    decode,
    normalize_header,
    read_rows,
    sniff_delimiter,
)

COLUMNS = ("email", "status", "minutes_attended", "note")
REQUIRED_COLUMNS = ("email", "status")
STATUSES = ("present", "late", "left_early", "absent", "excused")
NEEDS_MINUTES = ("late", "left_early")
NO_MINUTES = ("absent", "excused")
NOTE_MAX_LENGTH = 300  # AttendanceRecord.note
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class AttendanceRow:
    line: int
    email: str
    status: str
    minutes_attended: int | None  # None: the session's contact minutes (present only)
    note: str


@dataclass(frozen=True)
class AttendanceCsv:
    file_name: str
    encoding: str
    rows: tuple[AttendanceRow, ...]


def parse_attendance_csv(data: bytes, *, file_name: str) -> AttendanceCsv:
    """Every row checked; ImportFailed lists every problem by line and column."""
    decoded = decode(data, file_name=file_name)
    delimiter = sniff_delimiter(decoded.text)
    rows = [
        row for row in read_rows(decoded.text, delimiter=delimiter, file_name=file_name) if not row.is_blank
    ]
    if not rows:
        raise ImportFailed([Problem(file_name, None, None, "The file is empty: expected a header line.")])
    header = rows[0]
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for index, cell in enumerate(header.cells):
        name = normalize_header(cell)
        if name not in COLUMNS:
            problems.append(
                Problem(
                    file_name,
                    header.line,
                    cell or f"#{index + 1}",
                    f"Unknown column; expected {', '.join(COLUMNS)}.",
                )
            )
        elif name in columns:
            problems.append(Problem(file_name, header.line, name, "The column appears twice."))
        else:
            columns[name] = index
    problems += [
        Problem(file_name, header.line, name, "The required column is missing.")
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    if problems:
        raise ImportFailed(problems)
    if len(rows) == 1:
        raise ImportFailed([Problem(file_name, header.line, None, "The file has a header but no rows.")])

    parsed: list[AttendanceRow] = []
    seen: dict[str, int] = {}
    for row in rows[1:]:
        if len(row.cells) > len(header.cells):
            problems.append(
                Problem(
                    file_name,
                    row.line,
                    None,
                    f"The row has {len(row.cells)} fields; the header has {len(header.cells)}"
                    " (a comma in a note needs quotes).",
                )
            )
            continue
        # A row may stop early (no trailing note): the missing fields are empty.
        values = {name: row.cells[i] if i < len(row.cells) else "" for name, i in columns.items()}

        row_problems: list[Problem] = []
        email = values["email"]
        if not email:
            row_problems.append(Problem(file_name, row.line, "email", "The e-mail is missing."))
        elif not _EMAIL.match(email):
            row_problems.append(Problem(file_name, row.line, "email", f"{email!r} is not an e-mail address."))
        elif email.casefold() in seen:
            row_problems.append(
                Problem(
                    file_name,
                    row.line,
                    "email",
                    f"{email} appears twice: on lines {seen[email.casefold()]} and {row.line}.",
                )
            )
        else:
            seen[email.casefold()] = row.line
        status = values["status"].lower()
        if status not in STATUSES:
            row_problems.append(
                Problem(
                    file_name,
                    row.line,
                    "status",
                    f"{values['status']!r} is not one of {', '.join(STATUSES)}.",
                )
            )
        minutes = _minutes(values.get("minutes_attended", ""), status, file_name, row.line, row_problems)
        note = values.get("note", "")
        if len(note) > NOTE_MAX_LENGTH:
            row_problems.append(
                Problem(file_name, row.line, "note", f"The note is longer than {NOTE_MAX_LENGTH} characters.")
            )
        if row_problems:
            problems += row_problems
            continue
        parsed.append(
            AttendanceRow(line=row.line, email=email, status=status, minutes_attended=minutes, note=note)
        )
    if problems:
        raise ImportFailed(problems)
    return AttendanceCsv(file_name=file_name, encoding=decoded.encoding, rows=tuple(parsed))


def _minutes(value: str, status: str, file_name: str, line: int, problems: list[Problem]) -> int | None:
    column = "minutes_attended"
    minutes: int | None = None
    if value:
        if not value.isdigit():
            problems.append(Problem(file_name, line, column, f"{value!r} is not a whole number of minutes."))
            return None
        minutes = int(value)
    if status in NEEDS_MINUTES and not minutes:
        problems.append(Problem(file_name, line, column, f"A {status} row needs the minutes attended."))
    if status in NO_MINUTES and minutes:
        problems.append(Problem(file_name, line, column, f"An {status} row cannot have minutes attended."))
    return minutes if status not in NO_MINUTES else 0
