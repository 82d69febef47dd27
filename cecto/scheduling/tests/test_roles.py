"""The in-memory roles decide exactly as the visibility querysets do, for everyone and everything.

`roles.py` answers per-object questions without asking the database again; the querysets answer
the same questions for lists. A world with mixed and overlapping roles checks every user against
every cohort and enrollment both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from cecto.people.models import Person
from cecto.people.tests.factories import AgencyFactory, DistrictFactory, PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.querysets import MEMBER_STATUSES
from cecto.scheduling.roles import forget_roles, roles_of
from cecto.scheduling.tests.factories import CohortFactory, CohortInstructorFactory, EnrollmentFactory

S = Enrollment.Status
SUPERINTENDENT = Person.DistrictRole.SUPERINTENDENT


@dataclass
class World:
    users: dict[str, object]
    cohorts: list[Cohort]
    enrollments: list[Enrollment]


@pytest.fixture
def world(db) -> World:
    programme_a, programme_b = ProgramFactory(), ProgramFactory()
    a1 = CohortFactory(program=programme_a, slug="a-1")
    a2 = CohortFactory(program=programme_a, slug="a-2")
    b1 = CohortFactory(program=programme_b, slug="b-1")
    district, other_district = DistrictFactory(), DistrictFactory()
    agency = AgencyFactory()

    def person(username: str, organization: object = None, **fields: object) -> Person:
        user = UserFactory(username=username)
        return PersonFactory(user=user, organization=organization or district, **fields)

    # An administrator of programme A who is also a member of a class of programme B.
    admin = person("admin-and-member", organization=agency)
    ProgramAdministratorFactory(program=programme_a, person=admin)
    EnrollmentFactory(person=admin, cohort=b1, status=S.ACTIVE)
    # An instructor of one class, withdrawn from another.
    instructor = person("instructor-withdrawn")
    CohortInstructorFactory(cohort=a1, person=instructor)
    EnrollmentFactory(person=instructor, cohort=b1, status=S.WITHDRAWN)
    # A superintendent: a member of a-1, an applicant to b-1.
    superintendent = person("superintendent", district_role=SUPERINTENDENT)
    EnrollmentFactory(person=superintendent, cohort=a1, status=S.ADMITTED)
    EnrollmentFactory(person=superintendent, cohort=b1, status=S.APPLIED)
    # A "superintendent" of an agency, which is no district: leads no team.
    agency_head = person("agency-superintendent", organization=agency, district_role=SUPERINTENDENT)
    EnrollmentFactory(person=agency_head, cohort=a1, status=S.ACTIVE)
    # Candidates of both districts across the classes, in every status.
    for index, (cohort, status, organization) in enumerate(
        [
            (a1, S.ACTIVE, district),
            (a1, S.COMPLETED, other_district),
            (a1, S.WITHDRAWN, district),
            (a2, S.CERTIFIED, district),
            (b1, S.ACTIVE, district),
            (b1, S.APPLIED, other_district),
        ]
    ):
        EnrollmentFactory(
            person=person(f"candidate-{index}", organization=organization), cohort=cohort, status=status
        )
    # A second superintendent, of the other district, a member of b-1 only.
    other_superintendent = person(
        "other-superintendent", organization=other_district, district_role=SUPERINTENDENT
    )
    EnrollmentFactory(person=other_superintendent, cohort=b1, status=S.ACTIVE)
    users: dict[str, object] = {p.user.username: p.user for p in Person.objects.exclude(user=None)}
    users["superuser"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    users["login-without-person"] = UserFactory(username="nobody")
    users["anonymous"] = AnonymousUser()
    return World(users=users, cohorts=[a1, a2, b1], enrollments=list(Enrollment.objects.all()))


def fresh(user: object) -> object:
    """A new object for the same user, as the next request would load (no remembered roles)."""
    if isinstance(user, AnonymousUser):
        return user
    return type(user).objects.get(pk=user.pk)


def test_roles_see_the_cohorts_the_queryset_shows(world):
    for name, user in world.users.items():
        visible = set(Cohort.objects.visible_to(user).values_list("pk", flat=True))
        roles = roles_of(fresh(user))
        for cohort in world.cohorts:
            assert roles.sees_cohort(cohort) is (cohort.pk in visible), (name, cohort.slug)


def test_roles_narrow_a_queryset_to_the_cohorts_the_queryset_shows(world):
    for name, user in world.users.items():
        expected = set(Cohort.objects.visible_to(user).values_list("pk", flat=True))
        narrowed = roles_of(fresh(user)).visible_cohorts(Cohort.objects.all())
        assert set(narrowed.values_list("pk", flat=True)) == expected, name


def test_roles_administer_the_cohorts_the_queryset_says(world):
    for name, user in world.users.items():
        administered = set(Cohort.objects.administered_by(user).values_list("pk", flat=True))
        taught = set(Cohort.objects.taught_by(user).values_list("pk", flat=True))
        roles = roles_of(fresh(user))
        for cohort in world.cohorts:
            assert roles.administers(cohort) is (cohort.pk in administered), (name, cohort.slug)
            assert roles.teaches(cohort) is (cohort.pk in taught), (name, cohort.slug)


def test_roles_see_the_enrollments_the_queryset_shows(world):
    seen_by_someone_else = 0
    for name, user in world.users.items():
        visible = set(Enrollment.objects.visible_to(user).values_list("pk", flat=True))
        roles = roles_of(fresh(user))
        for enrollment in world.enrollments:
            assert roles.sees_enrollment(enrollment) is (enrollment.pk in visible), (name, enrollment.pk)
            if enrollment.pk in visible and enrollment.person.user_id != getattr(user, "pk", None):
                seen_by_someone_else += 1
    # A guard: the world really has staff and team leads seeing others' enrollments.
    assert seen_by_someone_else > len(world.enrollments)


def test_the_superintendent_sees_their_district_in_their_own_class_only(world):
    roles = roles_of(world.users["superintendent"])
    seen = {(e.cohort.slug, e.person.user.username) for e in world.enrollments if roles.sees_enrollment(e)}

    assert ("a-1", "candidate-0") in seen  # same district, same class
    assert ("a-1", "candidate-1") not in seen  # another district
    assert ("b-1", "candidate-4") not in seen  # only an applicant to b-1
    assert not any(
        roles_of(world.users["agency-superintendent"]).sees_enrollment(e)
        for e in world.enrollments
        if e.person.user.username.startswith("candidate")
    )


def test_roles_know_the_track_of_each_class_attended(world):
    for name, user in world.users.items():
        memberships = Enrollment.objects.of_person_user(user).filter(status__in=MEMBER_STATUSES)
        roles = roles_of(fresh(user))
        assert roles.member_tracks == set(memberships.values_list("cohort_id", "track_id")), name
        assert {cohort_id for cohort_id, _ in roles.member_tracks} == roles.attended_cohorts, name
    # A guard: the world has members, and people whose other enrollments are no membership.
    assert roles_of(fresh(world.users["superintendent"])).member_tracks
    assert not roles_of(fresh(world.users["instructor-withdrawn"])).member_tracks


def test_roles_are_read_in_one_query_once_per_user_object(world, django_assert_num_queries):
    user = fresh(world.users["admin-and-member"])
    with django_assert_num_queries(1):
        roles_of(user)
        roles_of(user)
        assert roles_of(user).sees_cohort(world.cohorts[0])


def test_a_superuser_and_a_visitor_cost_no_query(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert roles_of(world.users["superuser"]).sees_cohort(world.cohorts[2])
        assert not roles_of(AnonymousUser()).sees_cohort(world.cohorts[2])


def test_forgetting_reads_the_roles_again(world):
    user = fresh(world.users["candidate-0"])
    b1 = world.cohorts[2]
    assert not roles_of(user).sees_cohort(b1)

    CohortInstructorFactory(cohort=b1, person=user.person)
    assert not roles_of(user).sees_cohort(b1)  # remembered for this request
    forget_roles(user)

    assert roles_of(user).teaches(b1)
