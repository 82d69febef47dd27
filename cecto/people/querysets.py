from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from cecto.people.models import Organization, Person  # noqa: F401 (forward references)


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def districts(self) -> OrganizationQuerySet:
        return self.filter(kind="school_district")


class PersonQuerySet(models.QuerySet["Person"]):
    def in_directory(self) -> PersonQuerySet:
        return self.filter(directory_opt_in=True)
