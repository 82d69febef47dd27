from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cecto.core.models import AuditEvent


def audit_event_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    verb: str,
    subject_kind: str,
    subject_id: object,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    real_actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=real_actor,
        verb=verb,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        data=data or {},
    )
