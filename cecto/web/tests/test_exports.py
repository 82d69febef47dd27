"""The files: the transcript CSV, the dashboard's CSV and XLSX, and the writers' safety rules."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from cecto.people.tests.factories import PersonFactory
from cecto.scheduling.tests.factories import EnrollmentFactory
from cecto.scheduling.tests.hours_case import FORMULA_REASON, NOW, HoursCase, build_hours_case
from cecto.web.exports import (
    DASHBOARD_HEADER,
    TRANSCRIPT_HEADER,
    cohort_sheet_title,
    csv_bytes,
    neutralized,
    sheet_title,
)

BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(cast) -> HoursCase:
    return build_hours_case(cast)


def rows_of(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def download(client, name: str, *args, query: str = ""):
    response = client.get(reverse(name, args=args) + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response


# --- the transcript CSV ------------------------------------------------------------------------


def test_the_transcript_csv_is_utf8_with_a_bom_a_header_and_a_running_total(client, case):
    enrollment = case.cast.participant_enrollment
    client.force_login(case.cast.participant)

    response = download(client, "web:enrollment-transcript-csv", enrollment.uuid)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="transcript-pat-participant-{enrollment.cohort.slug}.csv"'
    )
    assert response.content.startswith(BOM)
    header, *rows = rows_of(response.content)
    assert header == list(TRANSCRIPT_HEADER)
    columns = ["Date", "Session", "Source", "Minutes", "Hours", "Running total (contact minutes)"]
    picked = [[row[header.index(c)] for c in columns] for row in rows]
    assert picked == [
        ["2026-02-10", "Kick-off (joint)", "Roll call", "360", "6.00", "360"],
        ["2026-03-19", "Month 2, day 1", "Roll call", "300", "5.00", "660"],
        ["2026-05-15", "", "Manual adjustment", "600", "10.00", "1260"],
        ["2026-05-20", "", "Manual adjustment", "90", "1.50", "1350"],
        ["2026-05-20", "", "Reversal", "-90", "-1.50", "1260"],
    ]
    assert rows[-1][header.index("Running total (contact hours)")] == "21.00"


def test_the_transcript_csv_shows_the_reversal_and_neutralizes_a_formula(client, case):
    client.force_login(case.cast.participant)

    header, *rows = rows_of(
        download(client, "web:enrollment-transcript-csv", case.cast.participant_enrollment.uuid).content
    )

    reversal, reason = header.index("Reversal"), header.index("Reason")
    mistaken, undo = rows[3], rows[4]
    assert mistaken[reason] == "'" + FORMULA_REASON
    assert mistaken[reversal] == "Reversed later"
    assert undo[reversal] == "Reverses the 2026-05-20 Manual adjustment entry"
    assert undo[reason] == "Entered twice"
    assert rows[0][reversal] == ""
    assert rows[0][header.index("Category")] == "Instruction"


def test_an_empty_transcript_is_just_the_header(client, cast):
    client.force_login(cast.participant)

    content = download(client, "web:enrollment-transcript-csv", cast.participant_enrollment.uuid).content

    assert rows_of(content) == [list(TRANSCRIPT_HEADER)]


# --- the dashboard's CSV and XLSX --------------------------------------------------------------


def test_the_dashboard_csv_has_a_row_per_member_with_numbers(client, case):
    client.force_login(case.cast.admin)

    response = download(client, "web:cohort-dashboard-csv", case.cast.cohort.slug, query="sort=name")

    assert response.content.startswith(BOM)
    assert response["Content-Disposition"] == f'attachment; filename="{case.cast.cohort.slug}-progress.csv"'
    header, pat, sam = rows_of(response.content)
    assert header == list(DASHBOARD_HEADER)
    assert dict(zip(header, pat, strict=True)) == {
        "Name": "Pat Participant",
        "E-mail": case.cast.participant_enrollment.person.email,
        "District or organization": case.cast.participant_enrollment.person.organization.name,
        "Track": case.cast.participant_enrollment.track.name,
        "Status": "Active",
        "Hours done": "21.00",
        "Hours required": "240.00",
        "Percent done": "8",
        "CEUs": "2.1",
        "Required sessions attended": "1",
        "Required sessions": "3",
        "Behind pace": "Yes",
        "Missed required sessions": "0",
        "Cannot finish": "Yes",
        "Sessions missed": "",
    }
    assert sam[header.index("Sessions missed")] == "Kick-off (joint) (Feb 10)"
    assert sam[header.index("Missed required sessions")] == "1"


def test_the_dashboard_csv_follows_the_filters_and_the_sort(client, case):
    client.force_login(case.cast.admin)

    by_flag = rows_of(
        download(client, "web:cohort-dashboard-csv", case.cast.cohort.slug, query="flag=missed").content
    )
    by_name = rows_of(
        download(
            client, "web:cohort-dashboard-csv", case.cast.cohort.slug, query="sort=name&dir=desc"
        ).content
    )

    assert [row[0] for row in by_flag[1:]] == ["Sam Superintendent"]
    assert [row[0] for row in by_name[1:]] == ["Sam Superintendent", "Pat Participant"]


def test_a_name_that_looks_like_a_formula_is_neutralized_in_the_csv(client, cast):
    EnrollmentFactory(cohort=cast.cohort, person=PersonFactory(full_name="=1+2", email="@x@example.org"))
    client.force_login(cast.admin)

    rows = rows_of(download(client, "web:cohort-dashboard-csv", cast.cohort.slug, query="sort=name").content)

    assert rows[1][:2] == ["'=1+2", "'@x@example.org"]


def test_the_dashboard_xlsx_reads_back_with_a_bold_frozen_header_and_numbers(client, case):
    EnrollmentFactory(
        cohort=case.cast.cohort,
        track=case.cast.participant_enrollment.track,
        person=PersonFactory(full_name="=HYPERLINK(1)"),
    )
    client.force_login(case.cast.admin)

    response = download(
        client, "web:cohort-dashboard-xlsx", case.cast.cohort.slug, query="sort=hours&dir=desc"
    )

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{case.cast.cohort.slug}-progress.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cohort = case.cast.cohort
    assert sheet.title == f"{cohort.program} {cohort.name}"
    assert [cell.value for cell in sheet[1]] == list(DASHBOARD_HEADER)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 4
    pat = dict(zip(DASHBOARD_HEADER, sheet[2], strict=True))
    assert pat["Name"].value == "Pat Participant"
    assert (pat["Hours done"].value, pat["Hours done"].data_type, pat["Hours done"].number_format) == (
        21,
        "n",
        "0.00",
    )
    assert (pat["CEUs"].value, pat["CEUs"].number_format) == (2.1, "0.0")
    assert pat["Percent done"].value == 8
    assert pat["Required sessions"].value == 3
    assert pat["Behind pace"].value == "Yes"
    formula_like = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "=HYPERLINK(1)"]
    assert [cell.data_type for cell in formula_like[0][:1]] == ["s"]  # text, never a formula
    assert sheet.column_dimensions["A"].width == len("Sam Superintendent") + 2
    assert sheet.column_dimensions["O"].width == len("Kick-off (joint) (Feb 10)") + 2


@pytest.mark.parametrize(("who", "status"), [("participant", 403), ("outsider", 404), ("instructor", 200)])
@pytest.mark.parametrize("name", ["web:cohort-dashboard-csv", "web:cohort-dashboard-xlsx"])
def test_the_dashboard_files_have_the_dashboards_access(client, cast, who, status, name):
    client.force_login(getattr(cast, who))

    assert client.get(reverse(name, args=[cast.cohort.slug])).status_code == status


# --- the writers' rules ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"])
def test_text_that_starts_like_a_formula_gets_a_quote(text):
    assert neutralized(text) == "'" + text


@pytest.mark.parametrize("value", ["Plain", "", "a=b", -90, 0, Decimal("-1.50")])
def test_other_cells_are_left_alone(value):
    assert neutralized(value) == value


def test_csv_bytes_neutralizes_the_header_too():
    assert csv_bytes(["=bad", "ok"], [[1, "x"]]) == "\ufeff'=bad,ok\r\n1,x\r\n".encode()


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Class of 2026", "Class of 2026"),
        ("CeCTO [2026]: a/b\\c*?", "CeCTO  2026   a b c"),
        ("A" * 40, "A" * 31),
        ("'quoted'", "quoted"),
        ("[]", "Sheet"),
    ],
)
def test_a_sheet_title_is_what_excel_accepts(name, title):
    assert sheet_title(name) == title
    assert len(sheet_title(name)) <= 31


def test_the_cohort_sheet_title_keeps_the_cohort_name_when_both_are_too_long():
    assert cohort_sheet_title(program="CeCTO", cohort="Class of 2026") == "CeCTO Class of 2026"
    long = "Certified Educational Chief Technology Officer"
    assert cohort_sheet_title(program=long, cohort="Class of 2026") == "Class of 2026"
