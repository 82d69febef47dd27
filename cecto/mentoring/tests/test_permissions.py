"""Who sees what: every branch of the mentoring permissions and visibility."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from cecto.mentoring.models import Match, MentorProfile
from cecto.mentoring.permissions import (
    can_manage_matching,
    get_cohort_for_matching,
    get_match_for,
    get_pair_in,
    takes_part_in,
)
from cecto.mentoring.tests.factories import MatchFactory
from cecto.people.tests.factories import UserFactory


@pytest.fixture
def match(scene):
    return MatchFactory(mentee=scene.intake, mentor=scene.mentor)


def test_a_visitor_sees_and_manages_nothing(scene, match):
    visitor = AnonymousUser()
    assert can_manage_matching(visitor, scene.cohort) is False
    assert takes_part_in(visitor, match) is False
    assert not Match.objects.visible_to(visitor).exists()
    assert not Match.objects.of_user(visitor).exists()
    assert not MentorProfile.objects.of_user(visitor).exists()
    with pytest.raises(Http404):
        get_cohort_for_matching(visitor, scene.cohort.slug)
    with pytest.raises(Http404):
        get_match_for(visitor, match.uuid)


def test_a_superuser_sees_every_match_and_runs_every_matching(scene, match):
    root = UserFactory(is_superuser=True)
    assert Match.objects.visible_to(root).get() == match
    assert get_cohort_for_matching(root, scene.cohort.slug) == scene.cohort
    with pytest.raises(PermissionDenied):
        get_match_for(root, match.uuid, write=True)


def test_the_pair_writes_the_administrator_reads(scene, match):
    assert get_match_for(scene.mentor_user, match.uuid, write=True) == match
    assert get_match_for(scene.mentee_user, match.uuid, write=True) == match
    assert get_match_for(scene.cast.admin, match.uuid) == match
    with pytest.raises(PermissionDenied):
        get_match_for(scene.cast.admin, match.uuid, write=True)
    with pytest.raises(Http404):
        get_match_for(scene.classmate_user, match.uuid)


def test_a_pair_must_belong_to_the_cohort(scene):
    assert get_pair_in(scene.cohort, scene.mentor.uuid, scene.intake.uuid) == (scene.mentor, scene.intake)
    with pytest.raises(Http404):
        get_pair_in(scene.cast.other_cohort, scene.mentor.uuid, scene.intake.uuid)
