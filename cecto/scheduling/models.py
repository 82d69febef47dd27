from __future__ import annotations

import uuid
import zoneinfo
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
        indexes = (
            # A programme's classes newest first (the API's keyset pages, read backwards): without
            # it both databases sort a national programme's 2,000 classes for every page.
            models.Index(fields=("program", "starts_on", "id"), name="cohort_program_keyset"),
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
        indexes = (
            models.Index(fields=("cohort", "status")),
            # A class's enrollments in id order (the API's keyset pages): without it PostgreSQL
            # walks the primary key of every enrollment and filters, ~30 ms for a national class.
            models.Index(fields=("cohort", "id"), name="enrollment_cohort_keyset"),
        )

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
    series_ref = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="Sessions created together as one series."
    )
    makeup_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="makeups",
        help_text="The session this one makes up for: attending it satisfies that one's requirement.",
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Revision number; calendars (iCalendar SEQUENCE) see changes by it."
    )
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
        indexes = (
            models.Index(fields=("cohort", "starts_at")),
            # The sessions that have not ended yet ("upcoming": the home page, "My calendar") of
            # a programme's many classes: without it PostgreSQL reads every session (~15 ms for a
            # national programme's administrator); with it only those to come.
            models.Index(fields=("ends_at",), name="session_ends_at"),
        )

    def __str__(self) -> str:
        return self.title

    @property
    def is_joint(self) -> bool:
        return self.track_id is None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

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


class AttendanceRecord(TimeStampedModel):
    """How one enrollment attended one session: one row per pair, whatever recorded it.

    The ledger entry for the session follows this row (scheduling.services.attendance_record),
    so a change here reverses the old credit and posts the new one: never counted twice.

    .. pii: attendance of a person. Retention: as the enrollment.
    """

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        LEFT_EARLY = "left_early", "Left early"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="attendance")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=12, choices=Status.choices)
    minutes_attended = models.PositiveIntegerField(
        help_text="Minutes attended within the scheduled time (clipped to the contact minutes)."
    )
    source_kind = models.CharField(max_length=16, help_text="A ledger source: roll_call, qr_check_in, …")
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every change: a stale roll-call form is refused, not applied."
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("enrollment", "session"), name="attendance_once_per_session"),
        )
        indexes = (models.Index(fields=("session", "status")),)

    def __str__(self) -> str:
        return f"{self.enrollment.person} at {self.session}: {self.get_status_display()}"


class SelfPacedCompletion(TimeStampedModel):
    """A participant's claim to have completed a self-paced module, for an instructor to approve."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Returned"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="completions")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="completions")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("enrollment", "session"), name="completion_once_per_module"),
        )

    def __str__(self) -> str:
        return f"{self.enrollment.person}: {self.session} ({self.get_status_display()})"


class AttendanceImport(models.Model):
    """One imported file (a Zoom or Teams participant report, or our CSV) for one session.

    The file's SHA-256 makes a second import of the same file a no-op.
    """

    class Kind(models.TextChoices):
        ZOOM = "zoom", "Zoom participant report"
        TEAMS = "teams", "Microsoft Teams attendance report"
        CSV = "csv", "cecto attendance CSV"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="imports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_matched = models.PositiveIntegerField(default=0)
    rows_unmatched = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-imported_at",)
        constraints = (
            models.UniqueConstraint(fields=("session", "sha256"), name="attendance_import_once_per_file"),
        )

    def __str__(self) -> str:
        return f"{self.file_name} for {self.session}"


class UnmatchedParticipant(models.Model):
    """A meeting-report participant who matched nobody, waiting for an administrator."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        RESOLVED = "resolved", "Matched to an enrollment"
        DISMISSED = "dismissed", "Dismissed (not a participant)"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    attendance_import = models.ForeignKey(
        AttendanceImport, on_delete=models.CASCADE, related_name="unmatched"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="unmatched_participants")
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    minutes = models.PositiveIntegerField(help_text="Merged, clipped minutes within the session.")
    intervals = models.JSONField(default=list, help_text="[[join ISO, leave ISO], …] as merged.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    resolved_enrollment = models.ForeignKey(
        Enrollment, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("session", "name")
        indexes = (models.Index(fields=("status", "session")),)

    def __str__(self) -> str:
        return self.name or self.email


class CalendarFeedToken(models.Model):
    """The secret in a person's iCalendar feed URL; rotating it revokes old subscriptions."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"
