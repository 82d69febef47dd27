"""Types shared by every app."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Whoever makes a request: a login, or a visitor. cecto uses Django's own User model.
AnyUser: TypeAlias = User | AnonymousUser


def login_of(actor: AnyUser | None) -> User | None:
    """The login to record as "by" or "recorded by": None for a visitor, a script or a task."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None
