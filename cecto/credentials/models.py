"""Credentials: what a person earned, signed as it was issued, and its status since.

A `Credential` keeps the signed JSON exactly as issued (text, not a JSON column: the bytes a holder
downloads are the bytes we signed). Its status (active, suspended, revoked) lives in a row, and the
W3C Bitstring Status Lists are derived from those rows whenever a list is asked for, so the two can
never disagree.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cecto.core.models import TimeStampedModel

STATUS_LIST_SIZE = 131_072  # 16 KB of bits: the minimum the Bitstring Status List spec asks for, for privacy


class SigningKey(TimeStampedModel):
    """An Ed25519 issuer key. The private half is stored encrypted with CECTO_KEY_ENCRYPTION_KEY.

    .. pii: none. The encrypted private key is a secret: never log, print or export it.
    """

    key_id = models.CharField(
        max_length=64, unique=True, help_text="The fragment in the verification method."
    )
    public_key_multibase = models.CharField(max_length=64, unique=True)
    encrypted_private_key = models.BinaryField(editable=False)
    is_active = models.BooleanField(default=True, help_text="New credentials are signed with the active key.")
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("is_active",), condition=Q(is_active=True), name="one_active_signing_key"
            ),
        )

    def __str__(self) -> str:
        return f"{self.key_id} ({'active' if self.is_active else 'retired'})"


class Achievement(TimeStampedModel):
    """What a track awards, as Open Badges describes it: criteria, alignment, credit, renewal."""

    class Kind(models.TextChoices):
        # Open Badges 3.0 achievementType values that fit certification programmes.
        CERTIFICATE = "Certificate", "Certificate"
        CERTIFICATION = "Certification", "Certification"
        LICENSE = "License", "Licence"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    track = models.OneToOneField("programs.Track", on_delete=models.PROTECT, related_name="achievement")
    name = models.CharField(max_length=200)
    description = models.TextField()
    criteria = models.TextField(help_text="What a person did to earn it, in words anyone can read.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CERTIFICATE)
    skill_areas = models.JSONField(
        default=list,
        blank=True,
        help_text="Numbers of the framework's skill areas it aligns with (CoSN 1 to 10).",
    )
    valid_for_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Renewal cycle (3 for CETL-style certification); empty: never expires.",
    )

    def __str__(self) -> str:
        return self.name


class StatusList(models.Model):
    """One block of status indexes, published as two lists: revocation and suspension.

    Indexes are handed out in a scrambled order (a fixed odd multiplier modulo the size), so a
    credential's index says nothing about when it was issued, as the spec's privacy section asks.
    """

    number = models.PositiveIntegerField(unique=True)
    size = models.PositiveIntegerField(default=STATUS_LIST_SIZE)
    allocated = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(
        default=0, help_text="Bumped whenever a status in this list changes."
    )

    class Meta:
        ordering = ("number",)
        constraints = (
            models.CheckConstraint(
                condition=Q(allocated__lte=models.F("size")), name="status_list_not_overfull"
            ),
        )

    def __str__(self) -> str:
        return f"Status list {self.number}"


class IssuanceRun(TimeStampedModel):
    """A bulk issuance for a graduating class, run in the background; resumable."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Failed"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cohort = models.ForeignKey("scheduling.Cohort", on_delete=models.PROTECT, related_name="issuance_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0, help_text="Enrollments looked at so far.")
    issued = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = (models.Index(fields=("cohort", "status")),)

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.done * 100 // self.total)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class Credential(models.Model):
    """A signed credential as issued, and its status.

    .. pii: `document` names the person (name, and the award). Public by design: the holder shares
       it; revoking does not unpublish the verification page, which then says "revoked".
    """

    class Kind(models.TextChoices):
        OPEN_BADGE = "ob3", "Open Badges 3.0 credential"
        TRANSCRIPT = "clr2", "CLR 2.0 transcript"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        REVOKED = "revoked", "Revoked"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="credentials")
    enrollment = models.ForeignKey(
        "scheduling.Enrollment", null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    achievement = models.ForeignKey(
        Achievement, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    document = models.TextField(help_text="The signed JSON, byte for byte as issued.")
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="credentials")
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="credentials")
    status_index = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A newer transcript replaced this one.",
    )
    issuance_run = models.ForeignKey(
        IssuanceRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="credentials"
    )

    class Meta:
        ordering = ("-issued_at",)
        constraints = (
            models.UniqueConstraint(
                fields=("status_list", "status_index"), name="credential_status_index_unique"
            ),
            models.UniqueConstraint(
                fields=("enrollment",), condition=Q(kind="ob3"), name="one_open_badge_per_enrollment"
            ),
            models.CheckConstraint(
                condition=Q(kind="clr2") | Q(enrollment__isnull=False, achievement__isnull=False),
                name="open_badge_names_its_award",
            ),
        )
        indexes = (
            models.Index(fields=("person", "kind")),
            models.Index(fields=("status_list", "status")),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"


class CredentialStatusChange(models.Model):
    """Who suspended, reinstated or revoked a credential, when, and why. Append-only."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=Credential.Status.choices)
    to_status = models.CharField(max_length=12, choices=Credential.Status.choices)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("changed_at", "pk")

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
