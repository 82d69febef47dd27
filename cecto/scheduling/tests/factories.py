from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.models import Cohort, CohortInstructor, Enrollment, Session


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    program = factory.SubFactory(ProgramFactory)
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    name = factory.Sequence(lambda n: f"Class of {2000 + n}")
    starts_on = dt.date(2026, 2, 10)
    ends_on = dt.date(2026, 12, 3)
    status = Cohort.Status.IN_PROGRESS


class CohortInstructorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortInstructor

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory("cecto.people.tests.factories.PersonFactory")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    """An enrollment written directly (no history); tests of the lifecycle use the services."""

    class Meta:
        model = Enrollment

    person = factory.SubFactory("cecto.people.tests.factories.PersonFactory")
    cohort = factory.SubFactory(CohortFactory)
    track = factory.SubFactory(TrackFactory, program=factory.SelfAttribute("..cohort.program"))
    status = Enrollment.Status.ACTIVE
    enrolled_on = dt.date(2026, 2, 10)
    status_changed_at = factory.LazyFunction(timezone.now)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    mode = Session.Mode.IN_PERSON
    location = "Raleigh"
    starts_at = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)
    ends_at = dt.datetime(2026, 3, 10, 21, 0, tzinfo=dt.UTC)
    contact_minutes = 360
