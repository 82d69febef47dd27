"""Who may take attendance: every branch (permissions need full coverage)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cecto.people.tests.factories import UserFactory
from cecto.scheduling.permissions import (
    can_take_attendance,
    get_cohort_to_take_attendance_for,
    get_session_for,
)
from cecto.scheduling.tests.factories import SessionFactory


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("instructor", True),
        ("admin", True),
        ("participant", False),
        ("superintendent", False),
        ("outsider", False),
    ],
)
def test_instructors_and_administrators_take_attendance(cast, who, expected):
    assert can_take_attendance(getattr(cast, who), cast.cohort) is expected


def test_a_superuser_takes_attendance_anywhere(cast):
    assert can_take_attendance(UserFactory(is_superuser=True), cast.cohort) is True


def test_a_visitor_takes_no_attendance(cast):
    assert can_take_attendance(AnonymousUser(), cast.cohort) is False


def test_a_session_is_found_for_its_class_only(cast):
    session = SessionFactory(cohort=cast.cohort)

    assert get_session_for(cast.participant, session.uuid) == session
    assert get_session_for(cast.instructor, session.uuid, take_attendance=True) == session
    with pytest.raises(PermissionDenied):
        get_session_for(cast.participant, session.uuid, take_attendance=True)
    with pytest.raises(Http404):
        get_session_for(cast.outsider, session.uuid)


def test_a_cohort_is_found_for_its_staff_only(cast):
    assert get_cohort_to_take_attendance_for(cast.admin, cast.cohort.slug) == cast.cohort
    with pytest.raises(PermissionDenied):
        get_cohort_to_take_attendance_for(cast.participant, cast.cohort.slug)
    with pytest.raises(Http404):
        get_cohort_to_take_attendance_for(cast.outsider, cast.cohort.slug)
