from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cecto.core.models import TimeStampedModel
from cecto.people.querysets import OrganizationQuerySet, PersonQuerySet


class Organization(TimeStampedModel):
    """A state agency, university centre, non-profit network or school district.

    .. pii: none (organizations are public bodies).
    """

    class Kind(models.TextChoices):
        STATE_AGENCY = "state_agency", "State agency"
        UNIVERSITY_CENTRE = "university_centre", "University centre"
        NONPROFIT_NETWORK = "nonprofit_network", "Non-profit network"
        SCHOOL_DISTRICT = "school_district", "School district"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True, help_text="E.g. NCDPI.")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter US state code.")
    state_code = models.CharField(
        max_length=16, blank=True, help_text="The state's own code for a district (NC: LEA code)."
    )
    county = models.CharField(max_length=80, blank=True)
    enrollment = models.PositiveIntegerField(
        null=True, blank=True, help_text="Students (average daily membership) for a district."
    )
    website = models.URLField(blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ("name",)
        constraints = (
            models.UniqueConstraint(
                fields=("state", "state_code"),
                condition=Q(kind="school_district"),
                name="organization_district_code_unique_per_state",
            ),
            models.CheckConstraint(
                condition=~Q(kind="school_district") | ~Q(state_code="") & ~Q(state=""),
                name="organization_district_has_state_code",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.SCHOOL_DISTRICT

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Person(TimeStampedModel):
    """Someone the programmes know: a candidate, superintendent, instructor, mentor or staff member.

    .. pii: full_name, email, phone, title, organization, career fields. Retention: while any
       enrollment or credential of theirs is kept; directory visibility only with directory_opt_in.
    """

    class DistrictRole(models.TextChoices):
        TECHNOLOGY_DIRECTOR = "technology_director", "Technology director / CTO"
        SUPERINTENDENT = "superintendent", "Superintendent"
        TECHNOLOGY_STAFF = "technology_staff", "Technology staff"
        AGENCY_STAFF = "agency_staff", "State agency staff"
        OTHER = "other", "Other"

    class Degree(models.TextChoices):
        NONE = "none", "No degree"
        ASSOCIATE = "associate", "Associate"
        BACHELOR = "bachelor", "Bachelor's"
        MASTER = "master", "Master's"
        SPECIALIST = "specialist", "Education specialist"
        DOCTORATE = "doctorate", "Doctorate"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        help_text="The login, if this person has one.",
    )
    full_name = models.CharField(max_length=200)
    email = models.EmailField(unique=True)
    phone = models.CharField(max_length=40, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text="Job title.")
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text="The district (or agency) they work for.",
    )
    district_role = models.CharField(max_length=24, choices=DistrictRole.choices, default=DistrictRole.OTHER)
    years_in_role = models.PositiveSmallIntegerField(null=True, blank=True)
    years_in_k12_technology = models.PositiveSmallIntegerField(null=True, blank=True)
    highest_degree = models.CharField(max_length=16, choices=Degree.choices, blank=True)
    directory_opt_in = models.BooleanField(default=False, help_text="Listed in the public alumni directory.")

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("full_name",)
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def district(self) -> Organization | None:
        if self.organization is not None and self.organization.is_district:
            return self.organization
        return None
