from __future__ import annotations

import zoneinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cecto.core.models import TimeStampedModel
from cecto.programs.querysets import ProgramQuerySet

if TYPE_CHECKING:
    from cecto.people.models import Organization, Person


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/New_York.")


class Program(TimeStampedModel):
    """A certification offered by one or more partner organizations.

    .. pii: none.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, help_text="E.g. CeCTO.")
    description = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    is_public = models.BooleanField(default=True, help_text="Shown on the public programme pages.")
    eligibility_summary = models.CharField(
        max_length=300, blank=True, help_text="Who may apply, in one sentence for the public page."
    )
    partners: models.ManyToManyField[Organization, ProgramPartner] = models.ManyToManyField(
        "people.Organization", through="ProgramPartner", related_name="partner_programs"
    )
    administrators: models.ManyToManyField[Person, ProgramAdministrator] = models.ManyToManyField(
        "people.Person", through="ProgramAdministrator", related_name="administered_programs"
    )

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class ProgramPartner(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partnerships")
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.PROTECT, related_name="partnerships"
    )
    role = models.CharField(max_length=120, blank=True, help_text="What the partner contributes.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = (
            models.UniqueConstraint(fields=("program", "organization"), name="program_partner_unique"),
        )

    def __str__(self) -> str:
        return f"{self.organization} for {self.program}"


class ProgramContact(models.Model):
    """A public contact named on the programme page.

    .. pii: name, email, phone (published with the contact's consent, as on the partners' sites).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="contacts")
    organization = models.ForeignKey(
        "people.Organization", on_delete=models.PROTECT, related_name="program_contacts"
    )
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


class ProgramAdministrator(models.Model):
    """Programme staff who design tracks, open classes and admit candidates."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="administrator_roles")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="program_administrator_roles"
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("program", "person"), name="program_administrator_unique"),
        )

    def __str__(self) -> str:
        return f"{self.person} administers {self.program}"


class EligibilityRule(models.Model):
    """One condition an applicant must meet; all of a programme's rules must hold."""

    class Kind(models.TextChoices):
        DISTRICT_IN_STATE = "district_in_state", "Works for a school district in the state"
        DISTRICT_ROLE = "district_role", "Holds one of the listed district roles"
        MIN_YEARS_IN_ROLE = "min_years_in_role", "At least N years in the role"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    state = models.CharField(max_length=2, blank=True)
    district_roles = models.JSONField(default=list, blank=True)
    min_years = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        if self.kind == self.Kind.DISTRICT_IN_STATE and not self.state:
            raise ValidationError({"state": "Name the state whose districts are eligible."})
        if self.kind == self.Kind.DISTRICT_ROLE and not self.district_roles:
            raise ValidationError({"district_roles": "List at least one eligible district role."})
        if self.kind == self.Kind.MIN_YEARS_IN_ROLE and self.min_years is None:
            raise ValidationError({"min_years": "Give the minimum number of years."})


class Track(TimeStampedModel):
    """One path through a programme for one audience, with its requirements."""

    class Audience(models.TextChoices):
        TECHNOLOGY_DIRECTOR = "technology_director", "Technology directors"
        SUPERINTENDENT = "superintendent", "Superintendents"
        ALUMNI = "alumni", "Graduates (follow-on)"
        OTHER = "other", "Other"

    class RequiredSessions(models.TextChoices):
        NONE = "none", "No session is required by itself"
        DESIGNATED = "designated", "The sessions marked required"
        ALL_JOINT = "all_joint", "Every joint session"

    class PartialCredit(models.TextChoices):
        PROPORTIONAL = "proportional", "Minutes attended are credited"
        THRESHOLD = "threshold", "Full credit from a minimum share of the session, else none"
        NONE = "none", "Only complete attendance is credited"

    class CeuPolicy(models.TextChoices):
        NONE = "none", "No CEUs"
        IACET = "iacet", "1 CEU per 10 contact hours, in tenths"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tracks")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=24, choices=Audience.choices)
    description = models.TextField(blank=True)
    required_contact_minutes = models.PositiveIntegerField(
        help_text="Contact time the track requires, in minutes (240 hours = 14,400)."
    )
    required_sessions = models.CharField(
        max_length=16, choices=RequiredSessions.choices, default=RequiredSessions.DESIGNATED
    )
    duration_months = models.PositiveSmallIntegerField(default=10)
    credential_name = models.CharField(max_length=200, help_text="The credential this track awards.")
    ceu_policy = models.CharField(max_length=8, choices=CeuPolicy.choices, default=CeuPolicy.IACET)
    partial_credit = models.CharField(
        max_length=16, choices=PartialCredit.choices, default=PartialCredit.PROPORTIONAL
    )
    partial_credit_threshold_percent = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="With the threshold policy: the share that earns credit."
    )
    mentoring_counts_as_instruction = models.BooleanField(
        default=False,
        help_text="Mentoring minutes in the ledger count towards this track's contact hours.",
    )
    required_session_min_percent = models.PositiveSmallIntegerField(
        default=75,
        help_text="Share of a required session someone must attend for it to count as attended.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("program", "position", "id")
        constraints = (
            models.UniqueConstraint(fields=("program", "slug"), name="track_slug_unique_in_program"),
            models.CheckConstraint(
                condition=~Q(partial_credit="threshold")
                | Q(
                    # NULL must fail too: a CHECK passes when its condition is unknown.
                    partial_credit_threshold_percent__isnull=False,
                    partial_credit_threshold_percent__gte=1,
                    partial_credit_threshold_percent__lte=100,
                ),
                name="track_threshold_policy_has_percent",
            ),
        )

    def __str__(self) -> str:
        return self.name

    @property
    def required_contact_hours(self) -> Decimal:
        return Decimal(self.required_contact_minutes) / 60

    def clean(self) -> None:
        if self.partial_credit == self.PartialCredit.THRESHOLD and not (
            self.partial_credit_threshold_percent and 1 <= self.partial_credit_threshold_percent <= 100
        ):
            raise ValidationError({"partial_credit_threshold_percent": "Give a share from 1 to 100 percent."})


class Topic(models.Model):
    """A subject sessions cover (E-Rate, risk management, social media law, …)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name
