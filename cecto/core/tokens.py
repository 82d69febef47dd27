"""API tokens: made once (the secret is shown then and never again), checked by hash, revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.models import ApiToken

TOKEN_PREFIX = "cecto_"  # noqa: S105 (a fixed prefix that marks our tokens, not a secret)
# last_used_at is written at most this often, so that a busy script does not write on every call.
_TOUCH_EVERY = timedelta(minutes=5)


class TokenRefused(DomainError):
    pass


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str = "", by: User | None = None) -> tuple[ApiToken, str]:
    """A new token for USER: the row, and the secret to hand over (it is not stored)."""
    if not user.is_active:
        raise TokenRefused(f"The login {user.get_username()!r} is inactive.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), token_hash=token_hash(raw), prefix=raw[:12])
    token.full_clean()
    token.save()
    audit_event_record(
        actor=by,
        verb="api_token.created",
        subject_kind="api_token",
        subject_id=token.pk,
        data={"user": user.get_username(), "name": token.name},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User | None = None) -> ApiToken:
    if token.revoked_at is not None:
        raise TokenRefused(f"Token {token.pk} was revoked on {token.revoked_at:%Y-%m-%d}.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_event_record(
        actor=by,
        verb="api_token.revoked",
        subject_kind="api_token",
        subject_id=token.pk,
        data={"user": token.user.get_username(), "name": token.name},
    )
    return token


def api_token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The active login behind an unrevoked token, or None for anything else."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, token
