"""A mentoring scene on top of the shared cast: two mentors, two mentees waiting for a match."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cecto.mentoring.models import MenteeIntake, MentoringSettings, MentorProfile
from cecto.mentoring.tests.factories import (
    MenteeIntakeFactory,
    MentoringSettingsFactory,
    MentorProfileFactory,
)
from cecto.people.tests.factories import DistrictFactory, PersonFactory, UserFactory
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.tests.factories import EnrollmentFactory


@dataclass
class Scene:
    cast: Any
    cohort: Cohort
    settings: MentoringSettings
    mentor_user: Any
    mentor: MentorProfile  # has a login, two places
    second_mentor: MentorProfile  # no login, one place, leadership only
    mentee_user: Any
    intake: MenteeIntake  # the cast's participant
    classmate_user: Any
    classmate_intake: MenteeIntake
    renewal: Enrollment  # the mentor's own enrollment, where their mentoring hours go


@pytest.fixture
def scene(cast: Any) -> Scene:
    cohort = cast.cohort
    program = cohort.program
    settings = MentoringSettingsFactory(program=program)
    mentor_user = UserFactory(username="mentor")
    mentor = MentorProfileFactory(
        program=program,
        person__user=mentor_user,
        person__full_name="Mona Mentor",
        strands=["education", "technology"],
        capacity=2,
        region="Bay Area",
    )
    renewal = EnrollmentFactory(person=mentor.person, cohort=cast.other_cohort)
    mentor.renewal_enrollment = renewal
    mentor.save()
    second = MentorProfileFactory(
        program=program, person__full_name="Theo Second", strands=["leadership"], capacity=1, region="Valley"
    )
    intake = MenteeIntakeFactory(enrollment=cast.participant_enrollment, strands_wanted=["education"])
    classmate_user = UserFactory(username="classmate")
    classmate = EnrollmentFactory(
        cohort=cohort,
        track=cast.participant_enrollment.track,
        person=PersonFactory(user=classmate_user, full_name="Cleo Classmate", organization=DistrictFactory()),
    )
    classmate_intake = MenteeIntakeFactory(
        enrollment=classmate, strands_wanted=["leadership"], region="Valley"
    )
    return Scene(
        cast=cast,
        cohort=cohort,
        settings=settings,
        mentor_user=mentor_user,
        mentor=mentor,
        second_mentor=second,
        mentee_user=cast.participant,
        intake=intake,
        classmate_user=classmate_user,
        classmate_intake=classmate_intake,
        renewal=renewal,
    )
