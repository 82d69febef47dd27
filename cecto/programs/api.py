"""What other apps may use from programs."""

from cecto.programs.models import Program, ProgramAdministrator, Topic, Track

__all__ = ["Program", "ProgramAdministrator", "Topic", "Track"]
