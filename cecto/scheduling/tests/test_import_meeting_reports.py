"""Zoom and Teams reports, read from files shaped like the real exports (tests/data/)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cecto.scheduling.imports.intervals import Interval
from cecto.scheduling.imports.meeting_reports import (
    MeetingReport,
    decide_day_first,
    name_variants,
    parse_duration_seconds,
    parse_meeting_report,
    parse_report_datetime,
)
from cecto.scheduling.imports.reading import ImportFailed
from cecto.scheduling.tests.import_workshop import sample

NY = ZoneInfo("America/New_York")
DAY = dt.date(2026, 11, 14)


def local(hour: int, minute: int, second: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, 14, hour, minute, second, tzinfo=NY)


def parse(name: str, **kwargs) -> MeetingReport:
    return parse_meeting_report(sample(name), file_name=name, tz=NY, session_day=DAY, **kwargs)


def by_name(report: MeetingReport) -> dict[str, tuple[Interval, ...]]:
    return {p.name: p.intervals for p in report.participants}


def problems(excinfo: pytest.ExceptionInfo[ImportFailed]) -> list[str]:
    return [str(p) for p in excinfo.value.problems]


def test_it_reads_a_zoom_export_with_the_meeting_summary_above_the_participants():
    report = parse("zoom_participants_with_summary.csv")

    assert report.kind == "zoom"
    assert report.encoding == "utf-8"
    assert report.rows == 10
    pat = next(p for p in report.participants if p.email == "pat.participant@wake.k12.example")
    # Two devices under two display names, one e-mail: one person, both connections.
    assert pat.name == "Pat Participant"
    assert pat.intervals == (
        Interval(local(8, 58, 2), local(10, 31, 15)),
        Interval(local(10, 29, 40), local(12, 2, 5)),
    )
    assert pat.lines == (6, 7)
    jose = next(p for p in report.participants if p.name == "José Muñoz")
    assert len(jose.intervals) == 2  # the e-mail's case differs between the rows
    assert "Superintendent, Sam (Sam Superintendent)" in by_name(report)  # quoted comma
    assert pat.intervals[0].start.utcoffset() == dt.timedelta(hours=-5)


def test_it_reads_a_zoom_export_without_the_summary():
    report = parse("zoom_participants.csv")

    assert report.kind == "zoom"
    assert by_name(report) == {
        "Pat Participant": (
            Interval(local(9, 2, 13), local(10, 15)),
            Interval(local(10, 45), local(12, 20)),
        )
    }


def test_it_reads_a_teams_report_in_utf16_from_its_in_meeting_activities():
    report = parse("teams_attendance_report.csv")

    assert report.kind == "teams"
    assert report.encoding == "utf-16-le"
    assert report.rows == 7
    people = {p.name: p for p in report.participants}
    assert people["Pat Participant"].intervals == (
        Interval(local(8, 58, 2), local(10, 31, 15)),
        Interval(local(10, 29, 40), local(12, 2, 5)),
    )
    assert people["Pat Participant"].cap_seconds is None
    assert people["Irene Instructor"].role == "Organizer"
    assert people["Sam Superintendent"].email == ""
    assert people["Muñoz, José"].lines == (22, 23)


def test_without_activities_it_reads_the_participants_capped_by_their_in_meeting_duration():
    report = parse("teams_attendance_participants_only.csv")

    people = {p.name: p for p in report.participants}
    assert people["Muñoz, José"].intervals == (Interval(local(9, 14, 30), local(12, 0, 30)),)
    assert people["Muñoz, José"].cap_seconds == 2 * 3600 + 26 * 60
    assert people["Sam Superintendent"].email == "sam.superintendent@wake.k12.example"  # from the UPN


def test_it_reads_the_old_teams_joined_left_table():
    report = parse("teams_attendance_legacy.csv")

    assert report.kind == "teams"
    people = {p.name: p for p in report.participants}
    assert people["Pat Participant"].intervals == (
        Interval(local(8, 58, 2), local(10, 0)),
        Interval(local(10, 30), local(12, 2, 5)),
    )
    assert people["Sam Superintendent"].intervals == (Interval(local(9, 1), local(12, 6, 41)),)
    assert [str(w) for w in report.warnings] == [
        "teams_attendance_legacy.csv:7: column User Action: "
        "Sam Superintendent never left: counted until the report's last time."
    ]


def test_the_old_teams_table_pairs_overlapping_devices_and_ignores_a_stray_left():
    text = (
        "Full Name\tUser Action\tTimestamp\n"
        "Pat\tLeft\t11/14/2026, 8:59:00 AM\n"
        "Pat\tJoined before\t11/14/2026, 9:00:00 AM\n"
        "Pat\tJoined\t11/14/2026, 9:30:00 AM\n"
        "Pat\tLeft\t11/14/2026, 10:00:00 AM\n"
        "Pat\tLeft\t11/14/2026, 11:00:00 AM\n"
    )

    report = parse_meeting_report(text.encode("utf-16"), file_name="t.csv", tz=NY)

    assert report.participants[0].intervals == (Interval(local(9, 0), local(11, 0)),)
    assert [w.line for w in report.warnings] == [2]


def test_the_old_teams_table_refuses_an_unknown_action():
    text = (
        "Full Name\tUser Action\tTimestamp\n"
        "Pat\tWaved\t11/14/2026, 9:00:00 AM\n"
        "\tJoined\t11/14/2026, 9:00:00 AM\n"
    )

    with pytest.raises(ImportFailed) as excinfo:
        parse_meeting_report(text.encode("utf-16"), file_name="t.csv", tz=NY)

    assert problems(excinfo) == [
        "t.csv:2: column User Action: 'waved' is not Joined or Left.",
        "t.csv:3: column Full Name: The participant has no name.",
    ]


def test_asking_for_the_wrong_kind_says_which_kind_the_file_is():
    with pytest.raises(ImportFailed, match="Teams attendance report, not a Zoom one"):
        parse("teams_attendance_report.csv", kind="zoom")
    with pytest.raises(ImportFailed, match="Zoom participant report, not a Teams one"):
        parse("zoom_participants.csv", kind="teams")
    with pytest.raises(ImportFailed, match="Unknown report kind 'webex'"):
        parse("zoom_participants.csv", kind="webex")


def test_it_explains_a_zoom_unique_users_export():
    data = b"Name (Original Name),User Email,Total Duration (Minutes),Guest\nPat,pat@example.org,180,No\n"

    with pytest.raises(ImportFailed, match='"Show unique users" unticked'):
        parse_meeting_report(data, file_name="z.csv", tz=NY)


def test_it_refuses_a_file_with_no_participant_table():
    with pytest.raises(ImportFailed, match="No participant table found"):
        parse_meeting_report(b"email,status\npat@example.org,present\n", file_name="x.csv", tz=NY)


def test_every_bad_row_is_reported_with_its_line_and_column():
    data = (
        b"Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        b"Pat,pat@example.org,11/14/2026 09:00:00 AM,11/14/2026 12:00:00 PM,180\n"
        b"Sam,sam@example.org,yesterday,11/14/2026 12:00:00 PM,180\n"
        b"Lee,lee@example.org,11/14/2026 11:00:00 AM,11/14/2026 10:00:00 AM,0\n"
        b"Kim,kim@example.org,11/14/2026 11:00:00 AM,,0\n"
        b",,11/14/2026 09:00:00 AM,11/14/2026 12:00:00 PM,180\n"
        b"Ola,ola@example.org\n"
        b"Max,max@example.org,11/14/2026 13:00:00 PM,11/14/2026 12:00:00 PM,180\n"
    )

    with pytest.raises(ImportFailed) as excinfo:
        parse_meeting_report(data, file_name="z.csv", tz=NY)

    assert problems(excinfo) == [
        "z.csv:3: column Join Time: 'yesterday' is not a date and time like 11/14/2026 09:02:13 AM.",
        "z.csv:4: column Leave Time: The participant leaves before joining.",
        "z.csv:5: column Leave Time: The time is missing.",
        "z.csv:6: column Name (Original Name): The participant has no name or e-mail.",
        "z.csv:7: The row has 2 fields; the header on line 1 has 5.",
        "z.csv:8: column Join Time: '11/14/2026 13:00:00 PM' is not a date and time like "
        "11/14/2026 09:02:13 AM.",
    ]


def test_teams_rows_are_checked_too():
    text = (
        "2. Participants\n"
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole\n"
        "Pat\t11/14/26, 9:00:00 AM\t11/14/26, 12:00:00 PM\tthree hours\tpat@example.org\t\tAttendee\n"
        "\t11/14/26, 9:00:00 AM\t11/14/26, 12:00:00 PM\t3h\t\t\tAttendee\n"
        "Sam\t11/14/26, 9:00:00 AM\n"
        "Lee\t11/14/26, 9:00:00 AM\tlater\t3h\t\t\tAttendee\n"
    )

    with pytest.raises(ImportFailed) as excinfo:
        parse_meeting_report(text.encode("utf-16"), file_name="t.csv", tz=NY)

    assert problems(excinfo) == [
        "t.csv:3: column In-Meeting Duration: 'three hours' is not a duration like 1h 2m 3s.",
        "t.csv:4: column Name: The participant has no name or e-mail.",
        "t.csv:5: The row has 2 fields; the header on line 2 has 7.",
        "t.csv:6: column Last Leave: 'later' is not a date and time like 11/14/2026 09:02:13 AM.",
    ]


def test_a_repeated_header_continues_the_same_table():
    header = "Name (Original Name),User Email,Join Time,Leave Time\n"
    data = (
        header
        + "Pat,pat@example.org,11/14/2026 09:00 AM,11/14/2026 10:00 AM\n\n"
        + header
        + "Pat,pat@example.org,11/14/2026 10:30 AM,11/14/2026 11:00 AM\n"
    ).encode()

    report = parse_meeting_report(data, file_name="z.csv", tz=NY)

    assert report.rows == 2
    assert len(report.participants[0].intervals) == 2


def test_day_first_dates_are_recognised_from_a_day_above_twelve():
    text = (
        "Name\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        "Pat\t15/11/26, 09:30:17\t15/11/26, 11:41:47\t2h 11m 30s\tpat@example.org\tPresenter\n"
    )

    report = parse_meeting_report(text.encode("utf-16"), file_name="t.csv", tz=NY)

    assert report.participants[0].intervals[0].start == dt.datetime(2026, 11, 15, 9, 30, 17, tzinfo=NY)


@pytest.mark.parametrize(
    ("values", "session_day", "day_first"),
    [
        (["11/14/2026 09:00:00 AM"], None, False),
        (["14/11/2026 09:00:00"], None, True),
        (["04/11/26, 09:00:00"], dt.date(2026, 11, 4), True),  # 4 November: day first
        (["04/11/26, 09:00:00"], dt.date(2026, 4, 11), False),
        (["04/11/26, 09:00:00"], dt.date(2026, 6, 1), False),  # no hint: US
        (["2026-11-14 09:00:00"], None, False),
    ],
)
def test_the_date_order_is_decided_once_per_file(values, session_day, day_first):
    assert decide_day_first(values, session_day=session_day) is day_first


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("11/14/2026 09:02:13 AM", local(9, 2, 13)),
        ("11/14/26, 9:02:13 PM", local(21, 2, 13)),
        ("11/14/26, 12:05:00 AM", local(0, 5)),
        ("11/14/26, 12:05:00 PM", local(12, 5)),
        ("11/14/2026 09:02 AM", local(9, 2)),
        ("11/14/2026  09:02:13 a.m.", local(9, 2, 13)),
        ("Nov 14, 2026 09:02:13 AM", local(9, 2, 13)),
        ("2026-11-14 09:02:13", local(9, 2, 13)),
        ("2026-11-14T14:02:13+00:00", dt.datetime(2026, 11, 14, 14, 2, 13, tzinfo=dt.UTC)),
    ],
)
def test_it_reads_the_time_formats_the_exports_use(value, expected):
    assert parse_report_datetime(value, tz=NY, day_first=False) == expected


@pytest.mark.parametrize("value", ["Foo 14, 2026 09:02:13", "11/14/26, 0:05:00 AM", "13/14/26, 9:00"])
def test_it_refuses_times_that_are_not(value):
    with pytest.raises(ValueError):  # noqa: PT011 (the exception carries only the value)
        parse_report_datetime(value, tz=NY, day_first=False)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1h 2m 3s", 3723), ("10m 59s", 659), ("45s", 45), ("2h", 7200), ("3h 12m", 11520), ("5 min", 300)],
)
def test_it_reads_teams_durations(value, seconds):
    assert parse_duration_seconds(value) == seconds


@pytest.mark.parametrize("value", ["", "soon", "1:02:03"])
def test_it_refuses_durations_that_are_not(value):
    with pytest.raises(ValueError):  # noqa: PT011 (the exception carries only the value)
        parse_duration_seconds(value)


def test_name_variants_try_a_zoom_rename_both_ways():
    assert name_variants("Pat's iPhone (Pat  Participant)") == (
        "pat's iphone (pat participant)",
        "pat participant",
        "pat's iphone",
    )
    assert name_variants(" Sam ") == ("sam",)
    assert name_variants("") == ()
