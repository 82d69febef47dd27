"""Types shared by every app."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Whoever makes a request: a login, or a visitor. cecto uses Django's own User model.
AnyUser: TypeAlias = User | AnonymousUser
