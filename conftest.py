"""Shared test fixtures: the cast of every access test, and the browser wiring."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from cecto.credentials.reports import forget_cached_reports
from cecto.credentials.services import forget_cached_documents
from cecto.people.models import Person
from cecto.people.tests.factories import AgencyFactory, PersonFactory, UserFactory
from cecto.programs.tests.factories import ProgramAdministratorFactory, TrackFactory
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.tests.factories import CohortFactory, CohortInstructorFactory, EnrollmentFactory

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the test thread owns its connection).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/lib/chromium/chromium"
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    # Caches are keyed for one database (versions from its rows); every test has its own, and two
    # tests' rows can agree on a version (the same ids and, with the clock frozen, timestamps).
    cache.clear()
    forget_cached_documents()
    forget_cached_reports()


@dataclass
class Cast:
    """One cohort and everyone who may or may not look at it (healthchecks' Alice/Bob/Charlie)."""

    cohort: Cohort
    admin: Any
    instructor: Any
    participant: Any
    superintendent: Any
    outsider: Any
    participant_enrollment: Enrollment
    superintendent_enrollment: Enrollment
    other_cohort: Cohort


@pytest.fixture
def cast(db: None) -> Cast:
    cohort = CohortFactory(slug="class-of-2026")
    track = TrackFactory(program=cohort.program, slug="candidate")
    supt_track = TrackFactory(program=cohort.program, slug="superintendent", audience="superintendent")

    admin_user = UserFactory(username="admin", is_staff=True)
    ProgramAdministratorFactory(
        program=cohort.program, person=PersonFactory(user=admin_user, organization=AgencyFactory())
    )
    instructor_user = UserFactory(username="instructor")
    CohortInstructorFactory(cohort=cohort, person=PersonFactory(user=instructor_user))

    participant_user = UserFactory(username="participant")
    participant = PersonFactory(user=participant_user, full_name="Pat Participant")
    participant_enrollment = EnrollmentFactory(person=participant, cohort=cohort, track=track)

    superintendent_user = UserFactory(username="superintendent")
    superintendent = PersonFactory(
        user=superintendent_user,
        organization=participant.organization,
        district_role=Person.DistrictRole.SUPERINTENDENT,
        full_name="Sam Superintendent",
    )
    superintendent_enrollment = EnrollmentFactory(person=superintendent, cohort=cohort, track=supt_track)

    outsider_user = UserFactory(username="outsider")
    other_cohort = CohortFactory(slug="other-class")
    EnrollmentFactory(person=PersonFactory(user=outsider_user), cohort=other_cohort)
    return Cast(
        cohort=cohort,
        admin=admin_user,
        instructor=instructor_user,
        participant=participant_user,
        superintendent=superintendent_user,
        outsider=outsider_user,
        participant_enrollment=participant_enrollment,
        superintendent_enrollment=superintendent_enrollment,
        other_cohort=other_cohort,
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Drive Debian's chromium: Playwright's own browser download cannot work offline."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
