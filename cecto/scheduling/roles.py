"""What a user is to the classes: the roles behind every per-object permission, in one query.

`Cohort.objects.visible_to(user)` and its siblings answer "which objects may this user see" for
lists. For one object a page already holds, asking the database the same question again (a
query of OR-ed subqueries) cost more to plan and run than the rest of a cached page. So a page
reads the user's roles once (programmes administered, classes taught, classes attended, and the
district they lead as its superintendent) and decides in memory. The two must agree: the tests
check every user against every object both ways.

The roles are read once per request: they are kept on the user object, which Django's
authentication middleware loads afresh for every request. A role granted or taken away during a
request counts from the next one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from django.db import connection
from django.db.models import Q, QuerySet

from cecto.core.sql import table
from cecto.core.types import AnyUser as User
from cecto.scheduling.querysets import MEMBER_STATUSES

if TYPE_CHECKING:
    from cecto.scheduling.models import Cohort, Enrollment

_CACHE_ATTRIBUTE = "_cecto_roles"


@dataclass(frozen=True)
class Roles:
    authenticated: bool = False
    superuser: bool = False
    user_id: int | None = None
    administered_programs: frozenset[int] = frozenset()
    taught_cohorts: frozenset[int] = frozenset()
    attended_cohorts: frozenset[int] = frozenset()  # as a member (MEMBER_STATUSES)
    member_tracks: frozenset[tuple[int, int]] = frozenset()  # (cohort, track) of each membership
    led_districts: frozenset[int] = frozenset()  # school districts whose superintendent this is

    def administers(self, cohort: Cohort) -> bool:
        """Programme administrators (and superusers) admit, withdraw and schedule."""
        return self.superuser or cohort.program_id in self.administered_programs

    def teaches(self, cohort: Cohort) -> bool:
        return cohort.pk in self.taught_cohorts

    def staffs(self, cohort: Cohort) -> bool:
        """The class's staff: its programme's administrators and its instructors."""
        return self.administers(cohort) or self.teaches(cohort)

    def attends(self, cohort: Cohort) -> bool:
        return cohort.pk in self.attended_cohorts

    def sees_cohort(self, cohort: Cohort) -> bool:
        """As `Cohort.objects.visible_to`."""
        return self.staffs(cohort) or self.attends(cohort)

    def sees_enrollment(self, enrollment: Enrollment) -> bool:
        """As `Enrollment.objects.visible_to`: one's own; the class's staff; the superintendent
        of the person's district, when a member of the same class."""
        if not self.authenticated:
            return False
        if self.superuser or enrollment.person.user_id == self.user_id:
            return True
        cohort = enrollment.cohort
        if self.staffs(cohort):
            return True
        return enrollment.person.organization_id in self.led_districts and self.attends(cohort)

    def visible_cohorts(self, cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
        """COHORTS narrowed as `Cohort.objects.visible_to` would, with the ids already known
        instead of its subqueries (which cost PostgreSQL more to plan than a page to render)."""
        if self.superuser:
            return cohorts
        if not self.authenticated:
            return cohorts.none()
        return cohorts.filter(
            Q(program_id__in=self.administered_programs)
            | Q(pk__in=self.taught_cohorts | self.attended_cohorts)
        )


_ANONYMOUS = Roles()


def roles_of(user: User) -> Roles:
    """USER's roles, read once per user object (so once per request)."""
    if not user.is_authenticated:
        return _ANONYMOUS
    cached = user.__dict__.get(_CACHE_ATTRIBUTE)
    if cached is None:
        cached = _read_roles(user)
        user.__dict__[_CACHE_ATTRIBUTE] = cached
    return cached


def forget_roles(user: User) -> None:
    """For the rare code that changes a user's roles and then asks again in the same request."""
    user.__dict__.pop(_CACHE_ATTRIBUTE, None)


def _read_roles(user: User) -> Roles:
    if user.is_superuser:
        return Roles(authenticated=True, superuser=True, user_id=user.pk)
    from cecto.people.models import Organization, Person
    from cecto.programs.models import ProgramAdministrator
    from cecto.scheduling.models import CohortInstructor, Enrollment

    user_id = cast(int, user.pk)  # an authenticated user is a saved one

    # Four indexed lookups by the user's person, as one UNION ALL: one round trip, cheap to plan.
    # The third column is a membership's track (the other rows have none). Raw SQL: built with
    # the ORM, the same query cost ~3.5 ms of Python, several times what the database takes.
    members = ", ".join(["%s"] * len(MEMBER_STATUSES))
    sql = f"""SELECT 'a', x.program_id, CAST(NULL AS bigint) FROM {table(ProgramAdministrator)} x
        JOIN {table(Person)} p ON p.id = x.person_id WHERE p.user_id = %s
    UNION ALL SELECT 't', x.cohort_id, CAST(NULL AS bigint) FROM {table(CohortInstructor)} x
        JOIN {table(Person)} p ON p.id = x.person_id WHERE p.user_id = %s
    UNION ALL SELECT 'm', x.cohort_id, x.track_id FROM {table(Enrollment)} x
        JOIN {table(Person)} p ON p.id = x.person_id WHERE p.user_id = %s AND x.status IN ({members})
    UNION ALL SELECT 's', p.organization_id, CAST(NULL AS bigint) FROM {table(Person)} p
        JOIN {table(Organization)} o ON o.id = p.organization_id
        WHERE p.user_id = %s AND p.district_role = %s AND o.kind = %s"""  # noqa: S608 (names from the models)
    params = (
        user_id,
        user_id,
        user_id,
        *MEMBER_STATUSES,
        user_id,
        Person.DistrictRole.SUPERINTENDENT.value,
        Organization.Kind.SCHOOL_DISTRICT.value,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: dict[str, set[int]] = {"a": set(), "t": set(), "m": set(), "s": set()}
    member_tracks: set[tuple[int, int]] = set()
    for letter, identifier, track_id in rows:
        found[letter].add(identifier)
        if letter == "m":
            member_tracks.add((identifier, track_id))
    return Roles(
        authenticated=True,
        user_id=user_id,
        administered_programs=frozenset(found["a"]),
        taught_cohorts=frozenset(found["t"]),
        attended_cohorts=frozenset(found["m"]),
        member_tracks=frozenset(member_tracks),
        led_districts=frozenset(found["s"]),
    )
