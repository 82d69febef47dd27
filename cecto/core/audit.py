from __future__ import annotations

from typing import Any

from cecto.core.models import AuditEvent
from cecto.core.types import AnyUser, login_of


def audit_event_record(
    *,
    actor: AnyUser | None,
    verb: str,
    subject_kind: str,
    subject_id: object,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=login_of(actor),
        verb=verb,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        data=data or {},
    )
