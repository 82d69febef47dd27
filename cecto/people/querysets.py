from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from cecto.people.models import Organization, Person

    _OrganizationBase = models.QuerySet[Organization]
    _PersonBase = models.QuerySet[Person]
else:
    _OrganizationBase = _PersonBase = models.QuerySet


class OrganizationQuerySet(_OrganizationBase):
    def districts(self) -> OrganizationQuerySet:
        return self.filter(kind="school_district")


class PersonQuerySet(_PersonBase):
    def in_directory(self) -> PersonQuerySet:
        return self.filter(directory_opt_in=True)
