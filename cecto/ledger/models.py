from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from cecto.ledger.querysets import HoursEntryQuerySet


class HoursEntry(models.Model):
    """One credited (or, when negative, withdrawn) amount of minutes: append-only.

    The ledger never imports scheduling: it keeps the enrollment and the session as opaque
    references (their public uuids), and where the minutes came from as `source_kind`/`source_id`.
    A correction is a new entry that `reverses` an earlier one; nothing is ever edited.

    .. pii: who earned what, when. Retention: seven years after the cohort ends (CEU practice).
    """

    class Category(models.TextChoices):
        INSTRUCTION = "instruction", "Instruction"
        MENTORING = "mentoring", "Mentoring"
        OTHER = "other", "Other"

    class Source(models.TextChoices):
        ROLL_CALL = "roll_call", "Roll call"
        QR_CHECK_IN = "qr_check_in", "QR check-in"
        MEETING_REPORT = "meeting_report", "Meeting report import"
        SELF_PACED = "self_paced", "Self-paced completion"
        CSV_IMPORT = "csv_import", "CSV import"
        MANUAL = "manual", "Manual adjustment"
        REVERSAL = "reversal", "Reversal"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hours_entries")
    enrollment_ref = models.UUIDField(db_index=True, help_text="The enrollment credited (its uuid).")
    session_ref = models.UUIDField(
        null=True, blank=True, help_text="The session the minutes are for (its uuid), if any."
    )
    category = models.CharField(max_length=16, choices=Category.choices, default=Category.INSTRUCTION)
    minutes = models.IntegerField(help_text="Credited minutes; negative only on a reversal.")
    occurred_on = models.DateField(help_text="When the instruction happened (for hours by month).")
    source_kind = models.CharField(max_length=16, choices=Source.choices)
    source_id = models.CharField(max_length=64, blank=True, help_text="The record it came from.")
    reason = models.CharField(max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = HoursEntryQuerySet.as_manager()

    class Meta:
        ordering = ("recorded_at", "id")
        verbose_name_plural = "hours entries"
        constraints = (
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, minutes__gte=0)
                | Q(reverses__isnull=False, source_kind="reversal"),
                name="hours_entry_negative_only_as_reversal",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="manual") | ~Q(reason=""),
                name="hours_entry_manual_has_reason",
            ),
        )
        indexes = (
            # Covers the balances (enrollment, category: SUM of minutes) and the per-session credit
            # (enrollment, instruction, session: SUM of minutes): read from the index alone.
            models.Index(
                fields=("enrollment_ref", "category", "session_ref", "minutes"),
                name="ledger_entry_balance_cover",
            ),
            models.Index(fields=("enrollment_ref", "session_ref")),
        )

    def __str__(self) -> str:
        return f"{self.minutes:+d} min ({self.get_source_kind_display()})"
