from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cecto.people.api import Person
from cecto.people.selectors import person_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the navigation shows depends on who is looking (one query at most)."""
    user = getattr(request, "user", None)
    person = person_for_user(user) if user is not None else None
    return {
        "nav_person": person,
        "nav_is_superintendent": person is not None
        and person.district_role == Person.DistrictRole.SUPERINTENDENT,
        "nav_is_staff": bool(getattr(user, "is_staff", False)),
    }
