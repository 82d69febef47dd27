from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from cecto.core.models import AuditEvent
from cecto.core.types import AnyUser


def audit_event_record(
    *,
    actor: AnyUser | None,
    verb: str,
    subject_kind: str,
    subject_id: object,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if isinstance(actor, User) and actor.is_authenticated else None,
        verb=verb,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        data=data or {},
    )
