"""Classmates see current members only; staff see every enrollment, applicants and withdrawals too."""

import pytest
from django.urls import reverse

from cecto.people.tests.factories import PersonFactory
from cecto.scheduling.models import Enrollment
from cecto.scheduling.tests.factories import EnrollmentFactory


@pytest.fixture
def applicant_and_withdrawn(cast):
    track = cast.participant_enrollment.track
    for status, name in (
        (Enrollment.Status.APPLIED, "Ada Applicant"),
        (Enrollment.Status.WITHDRAWN, "Wes Withdrawn"),
    ):
        EnrollmentFactory(
            cohort=cast.cohort, track=track, status=status, person=PersonFactory(full_name=name)
        )
    return cast


@pytest.mark.parametrize("role", ["participant", "superintendent"])
def test_a_classmate_sees_only_current_members(client, applicant_and_withdrawn, role):
    client.force_login(getattr(applicant_and_withdrawn, role))
    response = client.get(reverse("web:cohort-detail", args=[applicant_and_withdrawn.cohort.slug]))
    assert response.status_code == 200
    assert "Pat Participant" in response.text
    assert "Ada Applicant" not in response.text
    assert "Wes Withdrawn" not in response.text


@pytest.mark.parametrize("role", ["admin", "instructor"])
def test_staff_see_applicants_and_withdrawals_with_their_status(client, applicant_and_withdrawn, role):
    client.force_login(getattr(applicant_and_withdrawn, role))
    response = client.get(reverse("web:cohort-detail", args=[applicant_and_withdrawn.cohort.slug]))
    assert response.status_code == 200
    assert "Ada Applicant" in response.text
    assert "Wes Withdrawn" in response.text
    assert "Withdrawn</span>" in response.text
