"""`cecto import attendance|meeting-report FILE --session ID`: output and exit status."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from cecto.cli import main
from cecto.scheduling.imports import apply
from cecto.scheduling.models import AttendanceImport, AttendanceRecord
from cecto.scheduling.tests.import_workshop import DATA, Workshop, make_workshop

# `import` is a keyword: the module is loaded by name, as Django itself does.
import_command = importlib.import_module("cecto.scheduling.management.commands.import")
ZOOM = str(DATA / "zoom_participants_with_summary.csv")
TEAMS = str(DATA / "teams_attendance_report.csv")
CSV = str(DATA / "attendance_utf8_bom.csv")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def workshop(db) -> Workshop:
    return make_workshop()


def run(*args: str, stderr: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_meeting_report_and_prints_a_summary_warnings_and_the_review_page(workshop):
    out, err = run("meeting-report", ZOOM, "--session", str(workshop.session.uuid))

    lines = out.splitlines()
    assert lines[0] == (
        f"Session 7: Cybersecurity leadership ({workshop.cohort}): {ZOOM}: 10 rows read; 3 people recorded "
        "(3 new, 0 corrected, 0 unchanged); 2 unmatched, waiting for review; 2 skipped; 1 instructors or "
        "administrators not counted."
    )
    assert (
        f"{ZOOM}:12: warning: Chris Lee matched nobody (2 people in the class have this name): "
        "queued for review." in lines
    )
    assert (
        f"{ZOOM}:11: warning: Lee Latecomer enrolled on Dec 1, 2026, after the session (Nov 14, 2026): "
        "skipped." in lines
    )
    assert lines[-1] == f"Review the unmatched participants at /sessions/{workshop.session.uuid}/review/"
    assert err == ""
    assert AttendanceRecord.objects.count() == 3


def test_a_second_run_with_the_same_file_changes_nothing(workshop):
    with time_machine.travel(dt.datetime(2026, 11, 16, 15, tzinfo=dt.UTC), tick=False):
        run("meeting-report", TEAMS, "--session", str(workshop.session.uuid), "--kind", "teams")

    out, _ = run("meeting-report", TEAMS, "--session", str(workshop.session.uuid))

    assert out == (
        f"Session 7: Cybersecurity leadership ({workshop.cohort}): {TEAMS} was already imported on "
        "Nov 16, 2026: nothing changed.\n"
    )
    assert AttendanceImport.objects.count() == 1


def test_it_imports_our_csv(workshop):
    out, _ = run("attendance", CSV, "--session", str(workshop.session.uuid))

    assert "3 people recorded (3 new, 0 corrected, 0 unchanged)." in out
    assert "Review the unmatched" not in out


def test_every_problem_is_printed_as_file_line_column_message_and_it_fails(workshop, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        b"email,status,minutes_attended\n"
        b"pat.participant@wake.k12.example,present,\n"
        b"nobody@nowhere.example,present,\n"
        b"jose.munoz@durham.k12.example,late,200\n"
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"^Nothing was imported: 2 problems in .*bad\.csv\.$"):
        run("attendance", str(bad), "--session", str(workshop.session.uuid), stderr=err)

    assert err.getvalue().splitlines() == [
        f"{bad}:3: column email: No one enrolled in {workshop.cohort.name} has the e-mail "
        "nobody@nowhere.example.",
        f"{bad}:4: column minutes_attended: 200 minutes is more than the session's 180 contact minutes.",
    ]
    assert AttendanceRecord.objects.count() == 0


def test_from_the_command_line_a_failure_exits_non_zero(workshop, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"email,status\npat.participant@wake.k12.example,sometimes\n")

    with pytest.raises(SystemExit) as exit_info:
        main(["import", "--skip-checks", "attendance", str(bad), "--session", str(workshop.session.uuid)])

    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert (
        f"{bad}:2: column status: 'sometimes' is not one of present, late, left_early, absent, excused."
        in err
    )
    assert "Nothing was imported: 1 problem in" in err


def test_from_the_command_line_a_success_exits_zero(workshop, capsys):
    assert main(["import", "--skip-checks", "attendance", CSV, "--session", str(workshop.session.uuid)]) == 0

    assert "3 people recorded" in capsys.readouterr().out


def test_the_wrong_kind_is_a_problem_of_the_file(workshop):
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 problem in"):
        run("meeting-report", TEAMS, "--session", str(workshop.session.uuid), "--kind", "zoom", stderr=err)

    assert "This is a Microsoft Teams attendance report, not a Zoom one" in err.getvalue()


@pytest.mark.parametrize(
    ("session", "message"),
    [
        ("seven", "'seven' is not a session id (a uuid)."),
        (
            "00000000-0000-4000-8000-000000000000",
            "No session has the id 00000000-0000-4000-8000-000000000000.",
        ),
    ],
)
def test_an_unknown_session_is_refused(workshop, session, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("attendance", CSV, "--session", session)


def test_a_missing_file_is_refused(workshop, tmp_path):
    missing = tmp_path / "missing.csv"

    with pytest.raises(CommandError, match=r"missing\.csv: No such file or directory\."):
        run("attendance", str(missing), "--session", str(workshop.session.uuid))


def test_a_subcommand_is_required(db):
    with pytest.raises(CommandError, match="required"):
        run()


def test_progress_goes_to_stderr_as_plain_lines_when_piped(workshop, monkeypatch):
    monkeypatch.setattr(import_command.Command, "progress_from", 2)
    monkeypatch.setattr(apply, "CHUNK", 1)

    _, err = run("attendance", CSV, "--session", str(workshop.session.uuid))

    assert err.splitlines() == [
        "Recorded 1 of 3 people.",
        "Recorded 2 of 3 people.",
        "Recorded 3 of 3 people.",
    ]


def test_progress_is_a_bar_on_a_terminal(workshop, monkeypatch):
    monkeypatch.setattr(import_command.Command, "progress_from", 2)
    monkeypatch.setattr(apply, "CHUNK", 1)

    _, err = run("attendance", CSV, "--session", str(workshop.session.uuid), stderr=Terminal())

    assert err == (
        "\r[##########....................] 1/3"
        "\r[####################..........] 2/3"
        "\r[##############################] 3/3\n"
    )


def test_small_imports_show_no_progress(workshop):
    _, err = run("attendance", CSV, "--session", str(workshop.session.uuid))

    assert err == ""


def test_the_command_module_is_found_by_its_name():
    assert Path(import_command.__file__).name == "import.py"
