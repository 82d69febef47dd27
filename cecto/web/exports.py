"""CSV and XLSX files of the hours pages: pure writers from rows to bytes (the views add HTTP).

CSV is UTF-8 with a byte-order mark, so Excel reads accents right, and no cell can run as a
formula: text starting with = + - @ (or a tab or carriage return) gets a leading apostrophe, as
OWASP advises. Numbers stay numbers. In XLSX every text cell is stored as text, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

# openpyxl ships no type information and types-openpyxl is not a dependency: it is used untyped here.
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cecto.ledger.api import hours_for_minutes
from cecto.scheduling.dashboard import DashboardRow, TranscriptLine

Cell = str | int | Decimal
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31
MAX_COLUMN_WIDTH = 60

TRANSCRIPT_HEADER = (
    "Date",
    "Session",
    "Category",
    "Source",
    "Minutes",
    "Hours",
    "Running total (contact minutes)",
    "Running total (contact hours)",
    "Reversal",
    "Reason",
    "Recorded at (UTC)",
)

DASHBOARD_HEADER = (
    "Name",
    "E-mail",
    "District or organization",
    "Track",
    "Status",
    "Hours done",
    "Hours required",
    "Percent done",
    "CEUs",
    "Required sessions attended",
    "Required sessions",
    "Behind pace",
    "Missed required sessions",
    "Cannot finish",
    "Sessions missed",
)


def neutralized(value: Cell) -> Cell:
    """A cell no spreadsheet will run as a formula: text that starts like one gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralized(cell) for cell in header])
    writer.writerows([neutralized(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def _reversal(line: TranscriptLine) -> str:
    if line.reverses is not None:
        original = line.reverses
        return f"Reverses the {original.occurred_on:%Y-%m-%d} {original.get_source_kind_display()} entry"
    return "Reversed later" if line.is_reversed else ""


def transcript_rows(lines: Iterable[TranscriptLine]) -> list[list[Cell]]:
    return [
        [
            f"{line.entry.occurred_on:%Y-%m-%d}",
            line.session_title,
            line.entry.get_category_display(),
            line.entry.get_source_kind_display(),
            line.entry.minutes,
            hours_for_minutes(line.entry.minutes),
            line.running_minutes,
            hours_for_minutes(line.running_minutes),
            _reversal(line),
            line.entry.reason,
            f"{line.entry.recorded_at:%Y-%m-%d %H:%M}",
        ]
        for line in lines
    ]


def transcript_csv(lines: Iterable[TranscriptLine]) -> bytes:
    return csv_bytes(TRANSCRIPT_HEADER, transcript_rows(lines))


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def dashboard_rows(rows: Iterable[DashboardRow]) -> list[list[Cell]]:
    return [
        [
            row.person.full_name,
            row.person.email,
            row.district_name,
            row.enrollment.track.name,
            row.enrollment.get_status_display(),
            row.done_hours,
            row.target_hours,
            row.percent,
            row.ceus,
            row.sessions_attended,
            row.sessions_required,
            _yes("behind" in row.flag_keys),
            len(row.missed_required),
            _yes("cannot-finish" in row.flag_keys),
            row.missed_titles,
        ]
        for row in rows
    ]


def dashboard_csv(rows: Iterable[DashboardRow]) -> bytes:
    return csv_bytes(DASHBOARD_HEADER, dashboard_rows(rows))


def sheet_title(name: str) -> str:
    """A worksheet title Excel accepts: at most 31 characters, none of [ ] : * ? / \\."""
    cleaned = SHEET_TITLE_FORBIDDEN.sub(" ", name).strip().strip("'")
    return cleaned[:SHEET_TITLE_MAX].strip() or "Sheet"


def cohort_sheet_title(*, program: str, cohort: str) -> str:
    """ "CeCTO Class of 2026" when it fits in a sheet title, else the cohort's name alone."""
    both = sheet_title(f"{program} {cohort}")
    return both if len(f"{program} {cohort}") <= SHEET_TITLE_MAX else sheet_title(cohort)


NUMBER_FORMATS = {"Hours done": "0.00", "Hours required": "0.00", "CEUs": "0.0"}


def dashboard_xlsx(title: str, rows: Iterable[DashboardRow]) -> bytes:
    """One sheet: a bold, frozen header row, numbers as numbers, columns as wide as their text."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook always has its first sheet)
    sheet.title = sheet_title(title)
    sheet.append(list(DASHBOARD_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in dashboard_rows(rows):
        sheet.append(values)
    widths = [len(label) for label in DASHBOARD_HEADER]
    for row_cells in sheet.iter_rows(min_row=2):
        for index, cell in enumerate(row_cells):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
            label = DASHBOARD_HEADER[index]
            if label in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[label]
            widths[index] = max(widths[index], len(str(cell.value or "")))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, width + 2)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
