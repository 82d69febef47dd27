from __future__ import annotations

from cecto.core.types import AnyUser
from cecto.people.models import Person


def person_for_user(user: AnyUser) -> Person | None:
    """The Person behind a login, or None for a visitor or a login with no profile."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None
