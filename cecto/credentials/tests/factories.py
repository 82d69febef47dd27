"""Graduates: enrolled people with enough hours to be certified, and their issued credentials."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cecto.credentials.certification import certification_table
from cecto.credentials.models import Credential
from cecto.credentials.services import credential_issue
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.tests.factories import EnrollmentFactory


def credit_hours(enrollment: Enrollment, *, minutes: int | None = None) -> HoursEntry:
    """A manual ledger entry worth the enrollment's whole requirement (or MINUTES)."""
    return hours_entry_record(
        person=enrollment.person,
        enrollment_ref=enrollment.uuid,
        minutes=enrollment.track.required_contact_minutes if minutes is None else minutes,
        occurred_on=max(enrollment.cohort.starts_on, enrollment.enrolled_on) + dt.timedelta(days=30),
        source_kind=HoursEntry.Source.MANUAL,
        reason="Credit for the test",
        by=None,
    )


def graduate_enrollment(**kwargs: Any) -> Enrollment:
    """An active enrollment whose track needs no designated session, with all its hours credited.

    Keyword arguments go to `EnrollmentFactory` (e.g. ``cohort=``, ``person__full_name=``).
    """
    kwargs.setdefault("track__required_sessions", "none")
    enrollment: Enrollment = EnrollmentFactory(**kwargs)
    credit_hours(enrollment)
    return enrollment


def issue_for(enrollment: Enrollment, *, by: Any = None) -> Credential:
    """Issue ENROLLMENT's Open Badge through the service (its transcript comes with it)."""
    row = next(row for row in certification_table(cohort=enrollment.cohort) if row.enrollment == enrollment)
    credential = credential_issue(row=row, by=by)
    assert credential is not None, f"{enrollment} already had a credential"
    return credential


def transcript_of(credential: Credential) -> Credential:
    return Credential.objects.get(
        person=credential.person, kind=Credential.Kind.TRANSCRIPT, superseded_by__isnull=True
    )


def graduating_class(cohort: Cohort, count: int, *, track: Any = None) -> list[Enrollment]:
    """COUNT graduates in COHORT (one track), named so that they sort in creation order."""
    first = graduate_enrollment(
        cohort=cohort, person__full_name="Graduate 00", **({"track": track} if track is not None else {})
    )
    if track is None:
        track = first.track
    rest = [
        graduate_enrollment(cohort=cohort, track=track, person__full_name=f"Graduate {n:02d}")
        for n in range(1, count)
    ]
    return [first, *rest]
