from __future__ import annotations

import factory

from cecto.programs.models import EligibilityRule, Program, ProgramAdministrator, Track


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    short_name = factory.Sequence(lambda n: f"P{n}")
    eligibility_summary = "District technology leaders."


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    program = factory.SubFactory(ProgramFactory)
    slug = factory.Sequence(lambda n: f"track-{n}")
    name = factory.Sequence(lambda n: f"Track {n}")
    audience = Track.Audience.TECHNOLOGY_DIRECTOR
    required_contact_minutes = 240 * 60
    credential_name = "Certified Test Officer"


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    program = factory.SubFactory(ProgramFactory)
    kind = EligibilityRule.Kind.DISTRICT_IN_STATE
    state = "NC"


class ProgramAdministratorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramAdministrator

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory("cecto.people.tests.factories.PersonFactory")
