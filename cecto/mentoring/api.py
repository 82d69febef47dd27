"""What other apps (and the interfaces) may use from mentoring."""

from cecto.mentoring.data import STRANDS, MatchingResult, Objective, Rules, Weights
from cecto.mentoring.demo import MentoringDemo, load_mentoring_demo
from cecto.mentoring.models import Match, MenteeIntake, MentorProfile
from cecto.mentoring.services import MentoringRefused

__all__ = [
    "STRANDS",
    "Match",
    "MatchingResult",
    "MenteeIntake",
    "MentorProfile",
    "MentoringDemo",
    "MentoringRefused",
    "Objective",
    "Rules",
    "Weights",
    "load_mentoring_demo",
]
