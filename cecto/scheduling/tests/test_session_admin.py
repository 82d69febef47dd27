"""Editing a session in the Django admin goes through session_update: SEQUENCE bumped, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cecto.core.models import AuditEvent
from cecto.scheduling.models import Session
from cecto.scheduling.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(cast):
    return SessionFactory(cohort=cast.cohort, title="E-Rate workshop", contact_minutes=360)


@pytest.fixture
def admin_client(client, cast):
    cast.admin.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["scheduling", "programs", "people"])
    )
    client.force_login(cast.admin)
    return client


def form_data(session, **overrides):
    data = {
        "cohort": session.cohort_id,
        "title": session.title,
        "description": "",
        "mode": session.mode,
        "starts_at_0": "2026-03-10",
        "starts_at_1": "10:00:00",
        "ends_at_0": "2026-03-10",
        "ends_at_1": "17:00:00",
        "time_zone": session.time_zone,
        "contact_minutes": session.contact_minutes,
        "track": "",
        "location": session.location,
        "meeting_url": "",
        "makeup_for": "",
    }
    data.update(overrides)
    return data


def test_an_edit_bumps_the_calendar_sequence_and_is_audited(admin_client, session):
    url = reverse("admin:scheduling_session_change", args=[session.pk])

    response = admin_client.post(url, form_data(session, title="E-Rate workshop (moved)"))

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.sequence) == ("E-Rate workshop (moved)", 1)
    event = AuditEvent.objects.get(verb="session.updated")
    assert event.data["changes"]["title"] == ["E-Rate workshop", "E-Rate workshop (moved)"]


def test_a_session_outside_the_class_dates_is_refused_with_the_reason(admin_client, session):
    url = reverse("admin:scheduling_session_change", args=[session.pk])

    response = admin_client.post(url, form_data(session, starts_at_0="2027-03-10", ends_at_0="2027-03-10"))

    assert response.status_code == 200
    assert "after the graduation" in response.text
    session.refresh_from_db()
    assert session.sequence == 0
    assert session.starts_at.year == 2026


def test_the_status_cannot_be_changed_in_the_admin(admin_client, session):
    url = reverse("admin:scheduling_session_change", args=[session.pk])

    admin_client.post(url, form_data(session, status=Session.Status.CANCELLED))

    session.refresh_from_db()
    assert session.status == Session.Status.SCHEDULED
    assert session.starts_at.date() == dt.date(2026, 3, 10)
