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
