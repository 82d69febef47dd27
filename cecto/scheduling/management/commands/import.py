# noqa: N999 (the module is named for the command, `cecto import`; Django loads it by name)
"""`cecto import …`: files for a session (attendance, meeting-report); rosters come later.

    cecto import attendance FILE --session ID
    cecto import meeting-report FILE --session ID [--kind auto|zoom|teams]

Each import is all or nothing and the same file twice changes nothing. Problems are printed as
``FILE:LINE: column COLUMN: message``, and the command exits non-zero when nothing was imported.
(`import` is a Python keyword, but Django loads commands by their module name: it works.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import NoReverseMatch, reverse

from cecto.scheduling.imports.apply import ImportResult, attendance_csv_import, meeting_report_import
from cecto.scheduling.imports.meeting_reports import KINDS
from cecto.scheduling.imports.reading import ImportFailed
from cecto.scheduling.models import Session

Progress = Callable[[int, int], None]


class Command(BaseCommand):
    help = "Import a file: attendance (our CSV) or a meeting report (Zoom or Teams) for a session."
    # Below this many people an import ends before a progress bar is worth drawing.
    progress_from = 200

    def add_arguments(self, parser: CommandParser) -> None:
        subparsers = parser.add_subparsers(dest="what", required=True, metavar="{attendance,meeting-report}")
        attendance = subparsers.add_parser(
            "attendance",
            help="our attendance CSV: email,status,minutes_attended,note (see the README)",
            description="Import our attendance CSV for one session.",
        )
        attendance.add_argument("file", help="the CSV file")
        attendance.add_argument("--session", required=True, help="the session's id (its uuid)")
        report = subparsers.add_parser(
            "meeting-report",
            help="a Zoom participant report or a Microsoft Teams attendance report",
            description="Import a Zoom or Teams participant report for one live online session.",
        )
        report.add_argument("file", help="the report as downloaded (.csv)")
        report.add_argument("--session", required=True, help="the session's id (its uuid)")
        report.add_argument(
            "--kind", choices=KINDS, default="auto", help="the report's source (default: auto)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        session = self._session(options["session"])
        file_name = options["file"]
        data = self._read(file_name)
        try:
            if options["what"] == "attendance":
                result = attendance_csv_import(
                    session=session, file_name=file_name, data=data, by=None, progress=self._progress()
                )
            else:
                result = meeting_report_import(
                    session=session,
                    file_name=file_name,
                    data=data,
                    kind=options["kind"],
                    by=None,
                    progress=self._progress(),
                )
        except ImportFailed as failure:
            for problem in failure.problems:
                self.stderr.write(str(problem))
            count = len(failure.problems)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in {file_name}."
            ) from failure
        self._report(result, session)

    def _session(self, value: str) -> Session:
        try:
            session_uuid = UUID(value)
        except ValueError:
            raise CommandError(f"{value!r} is not a session id (a uuid).") from None
        session = Session.objects.select_related("cohort__program", "track").filter(uuid=session_uuid).first()
        if session is None:
            raise CommandError(f"No session has the id {value}.")
        return session

    def _read(self, file_name: str) -> bytes:
        try:
            return Path(file_name).read_bytes()
        except OSError as error:
            raise CommandError(f"{file_name}: {error.strerror or error}.") from error

    def _report(self, result: ImportResult, session: Session) -> None:
        self.stdout.write(f"{session.title} ({session.cohort}): {result.summary()}")
        if result.is_repeat:
            return
        for warning in result.warnings:
            self.stdout.write(str(dataclasses.replace(warning, message=f"warning: {warning.message}")))
        if result.unmatched:
            self.stdout.write(f"Review the unmatched participants at {self._review_path(session)}")

    def _review_path(self, session: Session) -> str:
        try:
            return reverse("web:session-review", args=[session.uuid])
        except NoReverseMatch:
            return f"/sessions/{session.uuid}/review/"

    def _progress(self) -> Progress:
        """A bar on a terminal; plain lines (every tenth) when stderr is a file or a pipe."""
        on_terminal = self.stderr.isatty()

        def show(done: int, total: int) -> None:
            if total < self.progress_from:
                return
            if on_terminal:
                width = 30
                filled = width * done // total
                bar = "#" * filled + "." * (width - filled)
                ending = "\n" if done == total else ""
                self.stderr.write(f"\r[{bar}] {done}/{total}", style_func=str, ending=ending)
            elif done == total or done % max(1, total // 10) == 0:
                self.stderr.write(f"Recorded {done} of {total} people.", style_func=str)

        return show
