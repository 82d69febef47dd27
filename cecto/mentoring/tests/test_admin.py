"""The Django admin: mentoring pages open, scoped to the staff member's programmes; matches are read-only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cecto.mentoring.tests.factories import MatchFactory, MentorProfileFactory

MODELS = ("mentoringsettings", "mentorprofile", "menteeintake", "match", "meetinglog", "matchingrun")


@pytest.mark.parametrize("model", MODELS)
def test_every_mentoring_list_opens_for_a_superuser(admin_client, scene, model):
    MatchFactory(mentee=scene.intake, mentor=scene.mentor)
    assert admin_client.get(reverse(f"admin:mentoring_{model}_changelist")).status_code == 200


def test_a_programme_administrator_sees_only_their_programmes_mentors(client, scene):
    other = MentorProfileFactory(person__full_name="Olga Elsewhere")
    scene.cast.admin.user_permissions.add(*Permission.objects.filter(content_type__app_label="mentoring"))
    client.force_login(scene.cast.admin)
    page = client.get(reverse("admin:mentoring_mentorprofile_changelist")).content.decode()
    assert "Mona Mentor" in page
    assert other.person.full_name not in page


def test_matches_cannot_be_added_or_changed_in_the_admin(admin_client, scene):
    match = MatchFactory(mentee=scene.intake, mentor=scene.mentor)
    assert admin_client.get(reverse("admin:mentoring_match_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:mentoring_match_change", args=[match.pk]), {"status": "ended"}
    )
    assert response.status_code == 403
