from __future__ import annotations

import factory

from cecto.core.tests.factories import UserFactory
from cecto.people.models import Organization, Person

__all__ = ["AgencyFactory", "DistrictFactory", "PersonFactory", "UserFactory"]


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"District {n} Schools")
    slug = factory.Sequence(lambda n: f"district-{n}")
    kind = Organization.Kind.SCHOOL_DISTRICT
    state = "NC"
    state_code = factory.Sequence(lambda n: f"{n:03d}")
    county = "Wake"
    enrollment = 5000


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")
    kind = Organization.Kind.STATE_AGENCY
    state = "NC"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    organization = factory.SubFactory(DistrictFactory)
    district_role = Person.DistrictRole.TECHNOLOGY_DIRECTOR
    years_in_role = 5
    years_in_k12_technology = 10
    highest_degree = Person.Degree.MASTER
    user = None
