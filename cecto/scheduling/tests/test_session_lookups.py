"""Whose sessions: `Session.objects.on_calendar_of` and `roll_call_sessions_on`, read by the user's
classes (their roles) so that the database uses its indexes.

Both were rewritten from OR-ed subqueries that made PostgreSQL read every session. The old
queries are kept here as the reference: over a world of mixed roles, tracks, statuses and
session times, the new ones return exactly the same sessions for everyone.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cecto.core.types import AnyUser
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory, TrackFactory
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.querysets import MEMBER_STATUSES
from cecto.scheduling.roll_call import roll_call_sessions_on
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)

S = Enrollment.Status
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC)


# --- the queries as they were (the reference) ---------------------------------------------------


def old_on_calendar_of(user: AnyUser) -> QuerySet[Session]:
    if not user.is_authenticated:
        return Session.objects.none()
    membership = Enrollment.objects.filter(
        person__user=user, status__in=MEMBER_STATUSES, cohort_id=OuterRef("cohort_id")
    )
    return Session.objects.filter(
        (Q(track__isnull=True) & Exists(membership))
        | Exists(membership.filter(track_id=OuterRef("track_id")))
        | Q(cohort__in=Cohort.objects.taught_by(user).values("pk"))
        | Q(cohort__in=Cohort.objects.administered_by(user).values("pk"))
    )


def old_roll_call_sessions_on(user: AnyUser, day: dt.date) -> QuerySet[Session]:
    staff = Q(cohort__in=Cohort.objects.taught_by(user).values("pk"))
    staff |= Q(cohort__in=Cohort.objects.administered_by(user).values("pk"))
    return (
        Session.objects.scheduled()
        .filter(staff, starts_at__date=day)
        .exclude(mode=Session.Mode.ONLINE_SELF_PACED)
        .order_by("starts_at", "pk")
    )


# --- a world of mixed roles ------------------------------------------------------------------------


@dataclass
class World:
    users: dict[str, AnyUser]
    cohorts: dict[str, Cohort]


def at(day: dt.date, hour: int, minute: int = 0, zone: dt.tzinfo = NEW_YORK) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


@pytest.fixture
def world(db) -> World:
    programme_a, programme_b = ProgramFactory(), ProgramFactory()
    a_candidates = TrackFactory(program=programme_a)
    a_supers = TrackFactory(program=programme_a)
    b_candidates = TrackFactory(program=programme_b)
    b_supers = TrackFactory(program=programme_b)
    cohorts = {
        "a1": CohortFactory(program=programme_a),
        "a2": CohortFactory(program=programme_a),
        "b1": CohortFactory(program=programme_b),
    }
    tracks = {"a1": (a_candidates, a_supers), "a2": (a_candidates, a_supers), "b1": (b_candidates, b_supers)}
    # Sessions of every kind in every class: joint and per track, cancelled, self-paced, past and
    # to come, and at the edges of a New York day (and of the UTC day), the day clocks change included.
    days = (dt.date(2026, 3, 8), dt.date(2026, 3, 9), dt.date(2026, 3, 10))  # 8 March: clocks go forward
    for name, cohort in cohorts.items():
        for track in (None, *tracks[name]):
            for day in days:
                for starts in (at(day, 0, 0), at(day, 9), at(day, 19, 30), at(day, 23, 59)):
                    SessionFactory(
                        cohort=cohort, track=track, starts_at=starts, ends_at=starts + dt.timedelta(hours=1)
                    )
            cancelled = {"status": Session.Status.CANCELLED}
            self_paced = {"mode": Session.Mode.ONLINE_SELF_PACED}
            for extra, starts, ends in (
                (cancelled, at(days[1], 10), at(days[1], 11)),
                (self_paced, at(days[0], 8), at(days[2], 20)),
                ({}, at(days[1], 0, 0, dt.UTC), at(days[1], 2, 0, dt.UTC)),
            ):
                SessionFactory(cohort=cohort, track=track, starts_at=starts, ends_at=ends, **extra)

    def user(username: str) -> AnyUser:
        login = UserFactory(username=username)
        PersonFactory(user=login)
        return login

    def enroll(login: AnyUser, cohort: str, track: int, status: str = S.ACTIVE) -> None:
        EnrollmentFactory(
            person=login.person, cohort=cohorts[cohort], track=tracks[cohort][track], status=status
        )

    member = user("member")
    enroll(member, "a1", 0)
    # Two classes of one programme on different tracks: a track alone must not leak across classes.
    two_tracks = user("two-tracks")
    enroll(two_tracks, "a1", 0, S.COMPLETED)
    enroll(two_tracks, "a2", 1, S.ADMITTED)
    former = user("withdrawn-and-applicant")
    enroll(former, "a1", 1, S.WITHDRAWN)
    enroll(former, "b1", 0, S.APPLIED)
    certified = user("certified")
    enroll(certified, "b1", 1, S.CERTIFIED)
    instructor = user("instructor-and-member")
    CohortInstructorFactory(cohort=cohorts["a2"], person=instructor.person)
    enroll(instructor, "b1", 0)
    admin = user("admin-and-instructor")
    ProgramAdministratorFactory(program=programme_b, person=admin.person)
    CohortInstructorFactory(cohort=cohorts["a1"], person=admin.person)
    users: dict[str, AnyUser] = {
        "member": member,
        "two-tracks": two_tracks,
        "withdrawn-and-applicant": former,
        "certified": certified,
        "instructor-and-member": instructor,
        "admin-and-instructor": admin,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
        "login-without-person": UserFactory(username="nobody"),
        "anonymous": AnonymousUser(),
    }
    return World(users=users, cohorts=cohorts)


def fresh(user: AnyUser) -> AnyUser:
    """The same user as the next request would load it (no roles remembered)."""
    if isinstance(user, AnonymousUser):
        return user
    return type(user).objects.get(pk=user.pk)


def pks(sessions: QuerySet[Session]) -> list[int]:
    return list(sessions.values_list("pk", flat=True))


# --- on_calendar_of --------------------------------------------------------------------------------


def test_the_calendar_holds_the_same_sessions_as_the_old_query_for_everyone(world):
    for name, user in world.users.items():
        expected = sorted(pks(old_on_calendar_of(user)))
        assert sorted(pks(Session.objects.on_calendar_of(fresh(user)))) == expected, name


def test_the_upcoming_sessions_are_the_same_as_the_old_query_for_everyone(world):
    for name, user in world.users.items():
        for now in (NOW, NOW + dt.timedelta(days=1), NOW + dt.timedelta(days=3)):
            expected = pks(old_on_calendar_of(user).upcoming(now).order_by("starts_at", "pk")[:5])
            found = pks(
                Session.objects.on_calendar_of(fresh(user)).upcoming(now).order_by("starts_at", "pk")[:5]
            )
            assert found == expected, (name, now)


def test_the_world_covers_every_kind_of_calendar(world):
    sizes = {name: len(pks(old_on_calendar_of(user))) for name, user in world.users.items()}

    assert sizes["anonymous"] == sizes["login-without-person"] == 0
    assert sizes["withdrawn-and-applicant"] == 0
    assert 0 < sizes["member"] < sizes["two-tracks"] < sizes["admin-and-instructor"] < sizes["superuser"]


def test_a_member_sees_joint_sessions_and_their_own_tracks_only(world):
    user = world.users["two-tracks"]
    a1, a2 = world.cohorts["a1"], world.cohorts["a2"]
    own = {(e.cohort_id, e.track_id) for e in Enrollment.objects.filter(person__user=user)}

    sessions = list(Session.objects.on_calendar_of(user))

    assert {s.cohort_id for s in sessions} == {a1.pk, a2.pk}
    assert all(s.track_id is None or (s.cohort_id, s.track_id) in own for s in sessions)
    assert any(s.track_id is None for s in sessions)


def test_a_login_without_a_class_costs_no_query_for_its_calendar(world, django_assert_num_queries):
    user = fresh(world.users["withdrawn-and-applicant"])

    with django_assert_num_queries(1):  # the roles
        assert list(Session.objects.on_calendar_of(user)) == []
    with django_assert_num_queries(0):
        assert list(Session.objects.on_calendar_of(AnonymousUser())) == []


def test_the_calendar_takes_the_same_queries_for_2_and_for_12_classes(db, django_assert_num_queries):
    def member_of(classes: int) -> AnyUser:
        user = UserFactory()
        person = PersonFactory(user=user)
        for _ in range(classes):
            enrollment = EnrollmentFactory(person=person)
            SessionFactory.create_batch(3, cohort=enrollment.cohort, track=enrollment.track)
            SessionFactory(cohort=enrollment.cohort)
        return user

    small, large = member_of(2), member_of(12)

    with CaptureQueriesContext(connection) as measured:
        assert len(Session.objects.on_calendar_of(small).upcoming(NOW)) == 8
    with django_assert_num_queries(len(measured.captured_queries)):
        assert len(Session.objects.on_calendar_of(large).upcoming(NOW)) == 48
    assert len(measured.captured_queries) == 2  # the roles, the sessions


# --- roll_call_sessions_on -------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Pacific/Auckland"])
def test_the_roll_calls_of_a_day_are_the_same_as_the_old_query_for_everyone(world, zone):
    with timezone.override(zone):
        for name, user in world.users.items():
            for day in (dt.date(2026, 3, 7), dt.date(2026, 3, 8), dt.date(2026, 3, 9), dt.date(2026, 3, 10)):
                expected = pks(old_roll_call_sessions_on(user, day))
                assert pks(roll_call_sessions_on(user=fresh(user), day=day)) == expected, (name, day)


def test_the_roll_calls_are_those_of_the_classes_taught_and_administered(world):
    user = world.users["admin-and-instructor"]
    day = dt.date(2026, 3, 9)

    sessions = list(roll_call_sessions_on(user=user, day=day))

    assert {s.cohort_id for s in sessions} == {world.cohorts["a1"].pk, world.cohorts["b1"].pk}
    assert all(timezone.localdate(s.starts_at) == day for s in sessions)
    # 2 classes, 3 audiences, 4 sessions that day (the one at 00:00 UTC falls on the day before)
    assert len(sessions) == 2 * 3 * 4


def test_someone_who_teaches_nothing_costs_no_query_for_roll_calls(world, django_assert_num_queries):
    member = fresh(world.users["member"])

    with django_assert_num_queries(1):  # the roles
        assert list(roll_call_sessions_on(user=member, day=dt.date(2026, 3, 9))) == []
    with django_assert_num_queries(1):  # the sessions: the roles are remembered for the request
        assert list(Session.objects.on_calendar_of(member))
