"""A session with the people the sample files in tests/data/ name, for the import tests.

The session is Sat Nov 14, 2026, 9:00 AM to 12:00 PM in America/New_York (14:00 to 17:00 UTC), joint,
live online, 180 contact minutes: the times in the sample Zoom and Teams reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cecto.people.models import Person
from cecto.people.tests.factories import PersonFactory
from cecto.programs.models import Track
from cecto.programs.tests.factories import TrackFactory
from cecto.scheduling.models import Cohort, Enrollment, Session
from cecto.scheduling.tests.factories import (
    CohortFactory,
    CohortInstructorFactory,
    EnrollmentFactory,
    SessionFactory,
)

DATA = Path(__file__).parent / "data"
STARTS_AT = dt.datetime(2026, 11, 14, 14, 0, tzinfo=dt.UTC)
ENDS_AT = dt.datetime(2026, 11, 14, 17, 0, tzinfo=dt.UTC)


def sample(name: str) -> bytes:
    return (DATA / name).read_bytes()


@dataclass
class Workshop:
    cohort: Cohort
    session: Session
    pat: Enrollment
    jose: Enrollment
    sam: Enrollment
    lee: Enrollment  # enrolled after the session
    chris: Enrollment
    christopher: Enrollment  # the second "Chris Lee"
    dana: Enrollment  # withdrawn
    instructor: Person


def make_workshop(*, cohort: Cohort | None = None, pat: Person | None = None) -> Workshop:
    cohort = cohort or CohortFactory()
    tracks = {t.audience: t for t in cohort.program.tracks.all()}
    candidates = tracks.get(Track.Audience.TECHNOLOGY_DIRECTOR) or TrackFactory(program=cohort.program)
    superintendents = tracks.get(Track.Audience.SUPERINTENDENT) or TrackFactory(
        program=cohort.program, audience=Track.Audience.SUPERINTENDENT
    )
    session = SessionFactory(
        cohort=cohort,
        title="Session 7: Cybersecurity leadership",
        mode=Session.Mode.ONLINE_LIVE,
        location="",
        meeting_url="https://meet.example/7",
        starts_at=STARTS_AT,
        ends_at=ENDS_AT,
        time_zone="America/New_York",
        contact_minutes=180,
    )

    def enroll(name: str, email: str, track: Track = candidates, **extra: object) -> Enrollment:
        return EnrollmentFactory(
            person=PersonFactory(full_name=name, email=email), cohort=cohort, track=track, **extra
        )

    if pat is None:
        pat_enrollment = enroll("Pat Participant", "pat.participant@wake.k12.example")
    else:
        Person.objects.filter(pk=pat.pk).update(email="pat.participant@wake.k12.example")
        pat_enrollment = Enrollment.objects.get(person=pat, cohort=cohort)
    instructor = PersonFactory(full_name="Irene Instructor", email="irene.instructor@ncdpi.example")
    CohortInstructorFactory(cohort=cohort, person=instructor)
    return Workshop(
        cohort=cohort,
        session=session,
        pat=pat_enrollment,
        jose=enroll("José Muñoz", "jose.munoz@durham.k12.example"),
        sam=enroll("Sam Superintendent", "sam.superintendent@wake.k12.example", superintendents),
        lee=enroll("Lee Latecomer", "lee.latecomer@orange.k12.example", enrolled_on=dt.date(2026, 12, 1)),
        chris=enroll("Chris Lee", "chris.lee@person.k12.example"),
        christopher=enroll("Chris  LEE", "christopher.lee@granville.k12.example"),
        dana=enroll("Dana Dropout", "dana.dropout@wilson.k12.example", status=Enrollment.Status.WITHDRAWN),
        instructor=instructor,
    )
