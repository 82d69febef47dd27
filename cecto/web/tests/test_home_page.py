"""The signed-in home page: a fixed number of queries, whatever the number of classes and sessions.

The classes taught and administered come from the user's roles (one query), so a participant
pays nothing for them; upcoming sessions and today's roll calls are looked up by class.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cecto.core.types import AnyUser
from cecto.people.tests.factories import PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, ProgramFactory
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)

# 9:00 in New York on the day of the factories' sessions (10:00-17:00 in New York).
MORNING = dt.datetime(2026, 3, 10, 13, 0, tzinfo=dt.UTC)


def participant_of(classes: int) -> AnyUser:
    user = UserFactory()
    person = PersonFactory(user=user)
    for _ in range(classes):
        enrollment = EnrollmentFactory(person=person)
        SessionFactory.create_batch(2, cohort=enrollment.cohort, track=enrollment.track)
        SessionFactory(cohort=enrollment.cohort)
    return user


def instructor_of(classes: int) -> AnyUser:
    user = UserFactory()
    person = PersonFactory(user=user)
    for _ in range(classes):
        cohort = CohortFactory()
        CohortInstructorFactory(cohort=cohort, person=person)
        SessionFactory.create_batch(2, cohort=cohort)
    return user


def administrator_of(classes: int) -> AnyUser:
    user = UserFactory()
    program = ProgramFactory()
    ProgramAdministratorFactory(program=program, person=PersonFactory(user=user))
    for _ in range(classes):
        SessionFactory.create_batch(2, cohort=CohortFactory(program=program))
    return user


def queries_for_home(client, user: AnyUser) -> tuple[int, str]:
    client.force_login(user)
    with time_machine.travel(MORNING, tick=False), CaptureQueriesContext(connection) as measured:
        response = client.get(reverse("web:home"))
    assert response.status_code == 200
    return len(measured.captured_queries), response.content.decode()


@pytest.mark.parametrize("make", [participant_of, instructor_of, administrator_of])
def test_the_home_takes_the_same_queries_for_1_and_for_8_classes(client, db, make):
    small, small_page = queries_for_home(client, make(1))
    large, large_page = queries_for_home(client, make(8))

    assert small == large
    assert small_page.count("<li>") < large_page.count("<li>")  # the larger one lists more


def test_a_participant_home_reads_no_classes_taught_or_administered(client, db):
    count, page = queries_for_home(client, participant_of(3))

    # The session, the user, the person, the roles, the enrollments, the upcoming sessions.
    assert count == 6
    assert "Upcoming sessions" in page
    assert "Today's sessions" not in page
    assert "Classes you teach" not in page


def test_the_instructor_home_lists_todays_roll_calls_and_upcoming_sessions(client, db):
    _, page = queries_for_home(client, instructor_of(2))

    assert "Today's sessions" in page
    assert page.count("Roll call<span") == 4
    assert "Classes you teach" in page
    assert "Classes you administer" not in page


def test_the_administrator_home_lists_the_programmes_classes(client, db):
    _, page = queries_for_home(client, administrator_of(2))

    assert "Classes you administer" in page
    assert page.count("Roll call<span") == 4
    assert "Classes you teach" not in page
