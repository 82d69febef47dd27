"""What other apps may use from scheduling."""

from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.services import enrollment_create, enrollment_status_change

__all__ = ["Cohort", "Enrollment", "Session", "enrollment_create", "enrollment_status_change"]
