"""Attendance that arrives as files: Zoom and Teams meeting reports, and our attendance CSV.

The parsing modules are pure (`reading`, `intervals`, `meeting_reports`, `attendance_csv`): bytes
in, frozen dataclasses out, every bad row reported as a `Problem` (file, line, column, message)
in one `ImportFailed`. `apply` validates a whole file against the session and then writes it in
one transaction through `scheduling.attendance.attendance_record`: all or nothing, and the same
file twice changes nothing.
"""

from cecto.scheduling.imports.reading import ImportFailed, Problem

__all__ = ["ImportFailed", "Problem"]
