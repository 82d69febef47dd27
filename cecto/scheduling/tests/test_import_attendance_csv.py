"""Our attendance CSV: columns, statuses, minutes, duplicates, encodings."""

from __future__ import annotations

import pytest

from cecto.scheduling.imports.attendance_csv import AttendanceRow, parse_attendance_csv
from cecto.scheduling.imports.reading import ImportFailed
from cecto.scheduling.tests.import_workshop import DATA, sample


def problems(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as excinfo:
        parse_attendance_csv(data, file_name="a.csv")
    return [str(p) for p in excinfo.value.problems]


def test_it_reads_a_utf8_file_with_a_bom_as_excel_writes_it():
    parsed = parse_attendance_csv(sample("attendance_utf8_bom.csv"), file_name="attendance_utf8_bom.csv")

    assert parsed.encoding == "utf-8"
    assert parsed.rows == (
        AttendanceRow(2, "pat.participant@wake.k12.example", "present", None, ""),
        AttendanceRow(3, "jose.munoz@durham.k12.example", "late", 150, "Flight from Asheville delayed"),
        AttendanceRow(4, "sam.superintendent@wake.k12.example", "excused", 0, "Board meeting"),
    )


def test_it_reads_an_excel_csv_in_windows_1252():
    parsed = parse_attendance_csv(sample("attendance_excel_cp1252.csv"), file_name="x.csv")

    assert parsed.encoding == "cp1252"
    assert parsed.rows[0].note == "Left at 11:00 \u2013 sick child"
    assert parsed.rows[1].note == "Jos\xe9 presented the district\u2019s plan"


def test_the_committed_sample_in_docs_is_valid():
    sample_file = DATA.parents[3] / "docs" / "samples" / "attendance.csv"

    parsed = parse_attendance_csv(sample_file.read_bytes(), file_name="attendance.csv")

    assert {row.status for row in parsed.rows} == {"present", "late", "left_early", "absent", "excused"}


def test_it_accepts_tabs_any_header_case_optional_columns_and_short_rows():
    data = b"Email\tSTATUS\tNote\nPat@Example.org\tPresent\n\nsam@example.org\tabsent\tIll\n"

    parsed = parse_attendance_csv(data, file_name="a.tsv")

    assert parsed.rows == (
        AttendanceRow(2, "Pat@Example.org", "present", None, ""),
        AttendanceRow(4, "sam@example.org", "absent", 0, "Ill"),
    )


def test_unknown_duplicate_and_missing_columns_are_errors():
    assert problems(b"e-mail,status,status,minutes,\nx@example.org,present,present,,\n") == [
        "a.csv:1: column e-mail: Unknown column; expected email, status, minutes_attended, note.",
        "a.csv:1: column status: The column appears twice.",
        "a.csv:1: column minutes: Unknown column; expected email, status, minutes_attended, note.",
        "a.csv:1: column #5: Unknown column; expected email, status, minutes_attended, note.",
        "a.csv:1: column email: The required column is missing.",
    ]


def test_a_person_twice_is_an_error_naming_both_lines():
    data = b"email,status\npat@example.org,present\nsam@example.org,present\nPAT@example.org,late\n"

    assert problems(data) == [
        "a.csv:4: column email: PAT@example.org appears twice: on lines 2 and 4.",
        "a.csv:4: column minutes_attended: A late row needs the minutes attended.",
    ]


def test_every_row_is_checked_before_failing():
    data = (
        "email,status,minutes_attended,note\n"
        ",present,,\n"
        "not-an-address,present,,\n"
        "a@example.org,here,,\n"
        "b@example.org,late,,\n"
        "c@example.org,left_early,0,\n"
        "d@example.org,absent,30,\n"
        "e@example.org,present,ninety,\n"
        "f@example.org,present,-5,\n"
        f"g@example.org,present,,{'x' * 301}\n"
        "h@example.org,present,,a note, with a comma\n"
        "i@example.org,excused,0,\n"
    ).encode()

    assert problems(data) == [
        "a.csv:2: column email: The e-mail is missing.",
        "a.csv:3: column email: 'not-an-address' is not an e-mail address.",
        "a.csv:4: column status: 'here' is not one of present, late, left_early, absent, excused.",
        "a.csv:5: column minutes_attended: A late row needs the minutes attended.",
        "a.csv:6: column minutes_attended: A left_early row needs the minutes attended.",
        "a.csv:7: column minutes_attended: An absent row cannot have minutes attended.",
        "a.csv:8: column minutes_attended: 'ninety' is not a whole number of minutes.",
        "a.csv:9: column minutes_attended: '-5' is not a whole number of minutes.",
        "a.csv:10: column note: The note is longer than 300 characters.",
        "a.csv:11: The row has 5 fields; the header has 4 (a comma in a note needs quotes).",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "a.csv: The file is empty: expected a header line."),
        (b"\n\n", "a.csv: The file is empty: expected a header line."),
        (b"email,status\n", "a.csv:1: The file has a header but no rows."),
    ],
)
def test_an_empty_file_is_an_error(data, message):
    assert problems(data) == [message]
