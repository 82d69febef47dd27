"""What other apps may use from people."""

from cecto.people.models import Organization, Person
from cecto.people.selectors import person_for_user

__all__ = ["Organization", "Person", "person_for_user"]
