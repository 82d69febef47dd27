from __future__ import annotations

import datetime as dt

import factory

from cecto.mentoring.models import Match, MenteeIntake, MentoringSettings, MentorProfile
from cecto.people.models import Person
from cecto.people.tests.factories import DistrictFactory, PersonFactory
from cecto.programs.tests.factories import ProgramFactory
from cecto.scheduling.tests.factories import EnrollmentFactory


class MentoringSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringSettings
        django_get_or_create = ("program",)

    program = factory.SubFactory(ProgramFactory)


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(
        PersonFactory,
        district_role=Person.DistrictRole.TECHNOLOGY_DIRECTOR,
        organization=factory.SubFactory(DistrictFactory, enrollment=20_000),
        years_in_role=12,
    )
    years_as_cto = 12
    strands = factory.LazyFunction(lambda: ["education", "technology", "leadership"])
    capacity = 2
    region = "Bay Area"


class MenteeIntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteeIntake
        skip_postgeneration_save = True

    enrollment = factory.SubFactory(EnrollmentFactory)
    strands_wanted = factory.LazyFunction(lambda: ["education"])
    goals = "Lead the district's technology plan."
    region = "Bay Area"


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    mentee = factory.SubFactory(MenteeIntakeFactory)
    cohort = factory.SelfAttribute("mentee.enrollment.cohort")
    mentor = factory.SubFactory(MentorProfileFactory, program=factory.SelfAttribute("..cohort.program"))
    started_on = dt.date(2026, 2, 24)
