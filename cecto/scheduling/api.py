"""What other apps may use from scheduling."""

from cecto.scheduling.attendance import AttendanceRefused, attendance_record
from cecto.scheduling.models import AttendanceRecord, Cohort, Enrollment, Session
from cecto.scheduling.progress import EnrollmentProgress, progress_for, progress_for_cohort
from cecto.scheduling.services import enrollment_create, enrollment_status_change

__all__ = [
    "AttendanceRecord",
    "AttendanceRefused",
    "Cohort",
    "Enrollment",
    "EnrollmentProgress",
    "Session",
    "attendance_record",
    "enrollment_create",
    "enrollment_status_change",
    "progress_for",
    "progress_for_cohort",
]
