from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from cecto.people.models import Person


def person_for_user(user: AbstractBaseUser | AnonymousUser) -> Person | None:
    """The Person behind a login, or None for a visitor or a login with no profile."""
    if not user.is_authenticated:
        return None
    try:
        person: Person = user.person  # type: ignore[union-attr]  # reverse one-to-one on User
    except Person.DoesNotExist:
        return None
    return person
