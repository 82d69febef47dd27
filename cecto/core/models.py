from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """An append-only record of a change that matters to a person (who did what to whom, when).

    .. pii: `actor` and `data` may identify people. Retention: kept with the records they explain
       (seven years is the common CEU record-keeping practice).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=64, help_text="What happened, e.g. enrollment.status_changed.")
    subject_kind = models.CharField(max_length=64, help_text="The kind of object, e.g. enrollment.")
    subject_id = models.CharField(max_length=64, help_text="Its public identifier.")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = (models.Index(fields=("subject_kind", "subject_id", "at")),)

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_kind}:{self.subject_id}"


class ApiToken(TimeStampedModel):
    """A bearer token that lets a script call the VC-API issuer route as its user.

    Only the token's SHA-256 is stored: the token itself is printed once, when it is made
    (`cecto api_token create`), and cannot be read back.

    .. pii: `user` (whose token it is) and `name` (a label its owner chose). Retention: kept, revoked,
       with the audit trail of what it issued.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(
        max_length=100, blank=True, help_text="What the token is for, e.g. the SIS bridge."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False, help_text="SHA-256, in hex.")
    prefix = models.CharField(
        max_length=12, editable=False, help_text="The token's first characters, to tell tokens apart."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'API token'})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
