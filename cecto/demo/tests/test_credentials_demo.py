"""The demo's graduates: the Class of 2015-16 certified through the ordinary path, with a login."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth import authenticate

from cecto.credentials.models import Credential
from cecto.credentials.services import verify_document
from cecto.demo.credentials import GRADUATING_CLASS, load_credentials_demo
from cecto.demo.nc_cecto import DEMO_PASSWORD, load_demo
from cecto.ledger.models import HoursEntry
from cecto.scheduling.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduates(time_machine):
    time_machine.move_to("2026-11-22T17:00:00Z", tick=False)
    load_demo(today=date(2026, 11, 22))
    load_credentials_demo(password=DEMO_PASSWORD)


def test_every_graduate_of_2015_16_holds_a_valid_badge_and_transcript(graduates) -> None:
    finished = Enrollment.objects.filter(cohort__slug=GRADUATING_CLASS, status__in=("completed", "certified"))
    assert finished.count() == 25
    assert set(finished.values_list("status", flat=True)) == {"certified"}
    badges = Credential.objects.filter(kind="ob3", enrollment__cohort__slug=GRADUATING_CLASS)
    assert badges.count() == 25
    assert Credential.objects.filter(kind="clr2", superseded_by__isnull=True).count() == 25
    for credential in [badges.first(), Credential.objects.filter(kind="clr2").first()]:
        assert credential is not None
        assert verify_document(json.loads(credential.document)).is_valid


def test_their_hours_arrive_as_manual_adjustments_with_a_reason(graduates) -> None:
    entries = HoursEntry.objects.filter(source_kind=HoursEntry.Source.MANUAL, reason__contains="2015-16")
    assert entries.count() == 25
    assert all("register kept before cecto" in entry.reason for entry in entries)


def test_the_graduate_login_holds_a_technology_director_badge(graduates) -> None:
    user = authenticate(username="graduate", password=DEMO_PASSWORD)
    assert user is not None
    badge = Credential.objects.get(person__user=user, kind="ob3")
    assert badge.enrollment is not None
    assert badge.enrollment.track.required_contact_minutes == 240 * 60
    assert badge.achievement is not None
    assert badge.achievement.skill_areas == list(range(1, 11))


def test_loading_twice_issues_nothing_more(graduates) -> None:
    before = (Credential.objects.count(), HoursEntry.objects.count())
    load_credentials_demo(password=DEMO_PASSWORD)
    assert (Credential.objects.count(), HoursEntry.objects.count()) == before
