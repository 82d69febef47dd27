"""Mentoring: mentor profiles, mentee intakes, matching runs and their proposals, matches, meetings, goals."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from cecto.core.models import TimeStampedModel
from cecto.mentoring.data import STRANDS, Objective, Rules, Weights
from cecto.mentoring.querysets import MatchQuerySet, MenteeIntakeQuerySet, MentorProfileQuerySet

if TYPE_CHECKING:
    from cecto.people.models import Person

WEIGHT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
MAX_CAPACITY = 10
MAX_MEETING_MINUTES = 600
DEFAULT_QUIET_AFTER_DAYS = 30


class Strand(models.TextChoices):
    EDUCATION = "education", "Education"
    TECHNOLOGY = "technology", "Technology"
    LEADERSHIP = "leadership", "Leadership"


def validate_strands(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
        raise ValidationError("Give the strands as a list of names.")
    unknown = sorted(set(value) - set(STRANDS))
    if unknown:
        raise ValidationError(
            f"Unknown strand(s): {', '.join(unknown)}. The strands are {', '.join(STRANDS)}."
        )


def validate_regions(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise ValidationError("Give the regions as a list of names.")


class MentoringSettings(TimeStampedModel):
    """A programme's mentoring rules: who may mentor, how pairs are scored, when a match is quiet.

    .. pii: none.
    """

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="mentoring_settings"
    )
    min_years_as_cto = models.PositiveSmallIntegerField(
        default=8, help_text="Years in the job a mentor needs (the CTO Mentor programme asks for 8)."
    )
    weight_strand_fit = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("4.0"), validators=WEIGHT_VALIDATORS
    )
    weight_district_size = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("1.5"), validators=WEIGHT_VALIDATORS
    )
    weight_region = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("1.0"), validators=WEIGHT_VALIDATORS
    )
    weight_experience_gap = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("1.0"), validators=WEIGHT_VALIDATORS
    )
    weight_preference = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("2.5"), validators=WEIGHT_VALIDATORS
    )
    objective = models.CharField(
        max_length=12,
        choices=[
            (Objective.COVERAGE.value, "Match as many people as possible, then the best total score"),
            (Objective.SCORE.value, "The best total score, even if fewer people are matched"),
        ],
        default=Objective.COVERAGE.value,
    )
    quiet_after_days = models.PositiveSmallIntegerField(
        default=DEFAULT_QUIET_AFTER_DAYS,
        validators=[MinValueValidator(1)],
        help_text="A match with no meeting for this many days is stalled, and its pair is reminded.",
    )

    class Meta:
        verbose_name = "mentoring settings"
        verbose_name_plural = "mentoring settings"

    def __str__(self) -> str:
        return f"Mentoring settings of {self.program}"

    @property
    def rules(self) -> Rules:
        return Rules(
            min_years_as_cto=self.min_years_as_cto,
            weights=Weights(
                strand_fit=float(self.weight_strand_fit),
                district_size=float(self.weight_district_size),
                region=float(self.weight_region),
                experience_gap=float(self.weight_experience_gap),
                preference=float(self.weight_preference),
            ),
            objective=Objective(self.objective),
        )


class MentorProfile(TimeStampedModel):
    """A sitting CTO who mentors in a programme, with the strands they offer and their places.

    .. pii: the person, their years in the job, region, notes and declared conflicts. Retention: while
       the programme runs matches with them, and as long as those matches are kept.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="mentor_profiles")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="mentor_profiles")
    years_as_cto = models.PositiveSmallIntegerField(help_text="Years in the CTO's job so far.")
    strands = models.JSONField(default=list, validators=[validate_strands], help_text="Strands offered.")
    capacity = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)],
        help_text="Mentees at once.",
    )
    region = models.CharField(max_length=80, blank=True, help_text="E.g. Bay Area, Central Valley.")
    is_available = models.BooleanField(default=True, help_text="Takes new mentees.")
    notes = models.TextField(blank=True)
    renewal_enrollment = models.ForeignKey(
        "scheduling.Enrollment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The mentor's own enrollment (e.g. a renewal track) their mentoring time counts towards.",
    )
    avoid_people: models.ManyToManyField[Person, models.Model] = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="+",
        help_text="People this mentor must not be paired with (a declared conflict).",
    )

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ("program", "person__full_name")
        constraints = (
            models.UniqueConstraint(fields=("program", "person"), name="mentor_profile_once_per_program"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="mentor_profile_capacity_range"
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} (mentor in {self.program})"

    def clean(self) -> None:
        if isinstance(self.strands, list) and not self.strands:
            raise ValidationError({"strands": "Offer at least one strand."})


class MenteeIntake(TimeStampedModel):
    """What a member of a cohort wants from mentoring, in their own words.

    .. pii: goals, region, preferences and the mentors to avoid. Retention: as the enrollment.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    enrollment = models.OneToOneField(
        "scheduling.Enrollment", on_delete=models.CASCADE, related_name="mentee_intake"
    )
    strands_wanted = models.JSONField(default=list, blank=True, validators=[validate_strands])
    goals = models.TextField(blank=True, help_text="What they want from the year, in their own words.")
    region = models.CharField(max_length=80, blank=True)
    preferred_mentors: models.ManyToManyField[MentorProfile, models.Model] = models.ManyToManyField(
        MentorProfile, blank=True, related_name="preferred_by"
    )
    preferred_regions = models.JSONField(default=list, blank=True, validators=[validate_regions])
    avoid_mentors: models.ManyToManyField[MentorProfile, models.Model] = models.ManyToManyField(
        MentorProfile,
        blank=True,
        related_name="avoided_by",
        help_text="Mentors they must not be paired with.",
    )

    objects = MenteeIntakeQuerySet.as_manager()

    class Meta:
        ordering = ("enrollment__person__full_name",)

    def __str__(self) -> str:
        return f"Mentoring intake of {self.enrollment.person}"


class MatchingRun(models.Model):
    """One run of the matching over a cohort: the rules it used, its totals and who was left unmatched.

    .. pii: the names and reasons in `unmatched`. Retention: as the cohort's matches.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey("scheduling.Cohort", on_delete=models.CASCADE, related_name="matching_runs")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rules = models.JSONField(default=dict, help_text="Minimum years, weights and objective used.")
    mentors_count = models.PositiveIntegerField(default=0)
    mentees_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    total_score = models.DecimalField(max_digits=12, decimal_places=3, default=Decimal("0"))
    unmatched = models.JSONField(default=list, help_text='[{"mentee": uuid, "name", "kind", "reasons"}]')
    refused_pins = models.JSONField(default=list, help_text='[{"mentor", "mentee", "reason"}]')
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")
        get_latest_by = ("created_at", "id")

    def __str__(self) -> str:
        return f"Matching of {self.cohort} at {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """A pair a run proposes, with its score broken down by criterion; accepting it makes a Match."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded by a later run"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    run = models.ForeignKey(MatchingRun, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="proposals")
    mentee = models.ForeignKey(MenteeIntake, on_delete=models.CASCADE, related_name="proposals")
    score = models.DecimalField(max_digits=8, decimal_places=3)
    breakdown = models.JSONField(
        default=list, help_text='[{"key", "label", "weight", "fraction", "points", …}]'
    )
    is_pinned = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("run", "mentee__enrollment__person__full_name")
        constraints = (models.UniqueConstraint(fields=("run", "mentee"), name="proposal_once_per_mentee"),)

    def __str__(self) -> str:
        return f"{self.mentor.person} for {self.mentee.enrollment.person} ({self.score})"


class PinnedPair(models.Model):
    """An administrator's decision that this mentee gets this mentor in every run of the cohort."""

    cohort = models.ForeignKey("scheduling.Cohort", on_delete=models.CASCADE, related_name="pinned_pairs")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(MenteeIntake, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("cohort", "mentee"), name="pinned_pair_once_per_mentee"),
        )

    def __str__(self) -> str:
        return f"Pinned: {self.mentor_id} with {self.mentee_id}"


class ForbiddenPair(models.Model):
    """An administrator's decision that this mentee never gets this mentor in the cohort."""

    cohort = models.ForeignKey("scheduling.Cohort", on_delete=models.CASCADE, related_name="forbidden_pairs")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(MenteeIntake, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = (
            models.UniqueConstraint(fields=("cohort", "mentor", "mentee"), name="forbidden_pair_once"),
        )

    def __str__(self) -> str:
        return f"Forbidden: {self.mentor_id} with {self.mentee_id}"


class Match(TimeStampedModel):
    """A mentor and a mentee working together in a cohort, from an accepted proposal.

    .. pii: who mentors whom. Retention: as the mentee's enrollment.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey(
        "scheduling.Cohort", on_delete=models.PROTECT, related_name="mentoring_matches"
    )
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="matches")
    mentee = models.ForeignKey(MenteeIntake, on_delete=models.PROTECT, related_name="matches")
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="match"
    )
    score = models.DecimalField(max_digits=8, decimal_places=3, default=Decimal("0"))
    breakdown = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True, help_text="When the pair was last reminded.")

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ("cohort", "mentee__enrollment__person__full_name")
        verbose_name_plural = "matches"
        constraints = (
            models.UniqueConstraint(
                fields=("mentee",), condition=Q(status="active"), name="match_one_active_per_mentee"
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False, ended_on__gte=F("started_on")),
                name="match_ended_has_end_date",
            ),
        )
        indexes = (models.Index(fields=("cohort", "status")),)

    def __str__(self) -> str:
        return f"{self.mentor.person} mentors {self.mentee.enrollment.person}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class MeetingLog(models.Model):
    """One mentoring meeting; its minutes are credited in the hours ledger as mentoring.

    .. pii: notes on the conversation. Retention: as the match.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MEETING_MINUTES)]
    )
    strand = models.CharField(max_length=12, choices=Strand.choices)
    notes = models.TextField(blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    mentee_entry_ref = models.UUIDField(null=True, blank=True, help_text="The mentee's ledger entry (uuid).")
    mentor_entry_ref = models.UUIDField(null=True, blank=True, help_text="The mentor's ledger entry, if any.")

    class Meta:
        ordering = ("-held_on", "-id")
        constraints = (
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=MAX_MEETING_MINUTES),
                name="meeting_log_minutes_range",
            ),
        )
        indexes = (models.Index(fields=("match", "held_on")),)

    def __str__(self) -> str:
        return f"Meeting on {self.held_on} ({self.minutes} min)"


class Goal(TimeStampedModel):
    """A goal the pair sets in one strand, with milestones on the way.

    .. pii: the goal's text. Retention: as the match.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    strand = models.CharField(max_length=12, choices=Strand.choices)
    text = models.CharField(max_length=300)
    is_done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("match", "strand", "created_at", "id")

    def __str__(self) -> str:
        return self.text


class Milestone(models.Model):
    """A step towards a goal."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    text = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_done = models.BooleanField(default=False)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ("goal", "position", "id")

    def __str__(self) -> str:
        return self.text
