from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from cecto.core.models import TimeStampedModel
from cecto.programs.models import validate_time_zone
from cecto.scheduling.querysets import CohortQuerySet, EnrollmentQuerySet, SessionQuerySet

if TYPE_CHECKING:
    from cecto.people.models import Person
    from cecto.programs.models import Topic


class Cohort(TimeStampedModel):
    """One yearly run of a programme (a "class"), from kick-off to graduation."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ADMITTING = "admitting", "Admitting"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="cohorts")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120, help_text='E.g. "Class of 2016".')
    starts_on = models.DateField(help_text="Kick-off.")
    ends_on = models.DateField(help_text="Graduation.")
    capacity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Most active enrollments; empty for no limit."
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PLANNED)
    instructors: models.ManyToManyField[Person, CohortInstructor] = models.ManyToManyField(
        "people.Person", through="CohortInstructor", related_name="taught_cohorts"
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ("-starts_on", "name")
        constraints = (
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="cohort_ends_after_start"),
        )

    def __str__(self) -> str:
        return f"{self.program} {self.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Graduation cannot come before the kick-off."})

    def is_running_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class CohortInstructor(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="instructor_roles")
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="cohort_instructor_roles"
    )

    class Meta:
        constraints = (models.UniqueConstraint(fields=("cohort", "person"), name="cohort_instructor_unique"),)

    def __str__(self) -> str:
        return f"{self.person} teaches {self.cohort}"


class Enrollment(TimeStampedModel):
    """A person in a cohort on a track, with a status whose every change is kept.

    .. pii: who took part, and how far they got. Retention: seven years after the cohort ends
       (CEU record-keeping practice), longer while a credential depends on it.
    """

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        ADMITTED = "admitted", "Admitted"
        ACTIVE = "active", "Active"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"
        CERTIFIED = "certified", "Certified"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="enrollments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrollments")
    track = models.ForeignKey("programs.Track", on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    enrolled_on = models.DateField(help_text="When they joined; earlier sessions are not missed.")
    status_changed_at = models.DateTimeField(default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ("cohort", "person__full_name")
        constraints = (
            models.UniqueConstraint(fields=("person", "cohort"), name="enrollment_once_per_cohort"),
        )
        indexes = (models.Index(fields=("cohort", "status")),)

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort} ({self.track})"

    def clean(self) -> None:
        if self.cohort_id and self.track_id and self.track.program_id != self.cohort.program_id:
            raise ValidationError({"track": "The track belongs to another programme."})


class EnrollmentStatusChange(models.Model):
    """The history of an enrollment's status: append-only."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=Enrollment.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Enrollment.Status.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("enrollment", "at", "id")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


class Session(TimeStampedModel):
    """A scheduled piece of instruction in one of three modes, for one track or joint."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE_LIVE = "online_live", "Live online"
        ONLINE_SELF_PACED = "online_self_paced", "Self-paced online"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    starts_at = models.DateTimeField(help_text="For self-paced modules: when the module opens.")
    ends_at = models.DateTimeField(help_text="For self-paced modules: when it closes.")
    time_zone = models.CharField(max_length=64, default="America/New_York", validators=[validate_time_zone])
    contact_minutes = models.PositiveIntegerField(
        help_text="Instruction time credited for full attendance (breaks and meals excluded)."
    )
    track = models.ForeignKey(
        "programs.Track",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text="The audience; empty for a joint session of every track.",
    )
    is_required = models.BooleanField(
        default=False, help_text="Attendance is required by tracks that require designated sessions."
    )
    location = models.CharField(max_length=300, blank=True)
    meeting_url = models.URLField(blank=True)
    instructors: models.ManyToManyField[Person, Any] = models.ManyToManyField(
        "people.Person", blank=True, related_name="taught_sessions"
    )
    topics: models.ManyToManyField[Topic, Any] = models.ManyToManyField(
        "programs.Topic", blank=True, related_name="sessions"
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ("starts_at", "id")
        constraints = (
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(contact_minutes__gt=0), name="session_has_contact_minutes"),
        )
        indexes = (models.Index(fields=("cohort", "starts_at")),)

    def __str__(self) -> str:
        return self.title

    @property
    def is_joint(self) -> bool:
        return self.track_id is None

    @property
    def scheduled_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if isinstance(self.starts_at, datetime) and isinstance(self.ends_at, datetime):
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = "The session must end after it starts."
            elif (
                self.mode != self.Mode.ONLINE_SELF_PACED
                and self.contact_minutes
                and self.contact_minutes > self.scheduled_minutes
            ):
                errors["contact_minutes"] = (
                    f"{self.contact_minutes} contact minutes do not fit in a "
                    f"{self.scheduled_minutes}-minute session."
                )
        if self.mode == self.Mode.IN_PERSON and not self.location:
            errors["location"] = "An in-person session needs a location."
        if self.mode == self.Mode.ONLINE_LIVE and not self.meeting_url:
            errors["meeting_url"] = "A live online session needs a meeting URL."
        if self.track is not None and self.cohort_id and self.track.program_id != self.cohort.program_id:
            errors["track"] = "The track belongs to another programme."
        if errors:
            raise ValidationError(errors)
