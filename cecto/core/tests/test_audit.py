"""The audit trail: who did what to whom, recorded by one service and never edited afterwards."""

from __future__ import annotations

import uuid

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from cecto.core.audit import audit_event_record
from cecto.core.models import AuditEvent
from cecto.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def record(**overrides: object) -> AuditEvent:
    arguments: dict[str, object] = {
        "actor": None,
        "verb": "enrollment.status_changed",
        "subject_kind": "enrollment",
        "subject_id": "abc",
    }
    arguments.update(overrides)
    return audit_event_record(**arguments)  # type: ignore[arg-type]


def test_it_stores_an_authenticated_actor() -> None:
    user = UserFactory()
    event = record(actor=user)
    event.refresh_from_db()
    assert event.actor == user


def test_it_stores_no_actor_for_an_anonymous_user() -> None:
    event = record(actor=AnonymousUser())
    event.refresh_from_db()
    assert event.actor is None


def test_it_stores_no_actor_when_there_is_none() -> None:
    event = record(actor=None)
    event.refresh_from_db()
    assert event.actor is None


def test_it_stores_the_verb_and_subject_kind() -> None:
    event = record(verb="enrollment.created", subject_kind="enrollment")
    event.refresh_from_db()
    assert event.verb == "enrollment.created"
    assert event.subject_kind == "enrollment"
    assert event.at is not None


@pytest.mark.parametrize(
    ("subject_id", "stored"),
    [
        (42, "42"),
        ("cecto-2026", "cecto-2026"),
        (uuid.UUID("12345678-1234-5678-1234-567812345678"), "12345678-1234-5678-1234-567812345678"),
    ],
)
def test_it_stores_the_subject_id_as_a_string(subject_id: object, stored: str) -> None:
    event = record(subject_id=subject_id)
    event.refresh_from_db()
    assert event.subject_id == stored
    assert AuditEvent.objects.filter(subject_id=stored).count() == 1


def test_it_stores_an_empty_dict_when_no_data_is_given() -> None:
    event = record()
    event.refresh_from_db()
    assert event.data == {}


def test_it_stores_an_empty_dict_for_data_none() -> None:
    event = record(data=None)
    event.refresh_from_db()
    assert event.data == {}


def test_it_stores_the_data_it_is_given() -> None:
    event = record(data={"from": "active", "to": "withdrawn", "reason": "Moved away"})
    event.refresh_from_db()
    assert event.data == {"from": "active", "to": "withdrawn", "reason": "Moved away"}


def test_it_gives_each_event_its_own_public_identifier() -> None:
    first, second = record(), record()
    assert first.uuid != second.uuid


# The admin: evidence is read, never added, changed or deleted.


def test_the_admin_refuses_add_change_and_delete_even_to_a_superuser(rf) -> None:
    model_admin = admin.site._registry[AuditEvent]
    request = rf.get("/admin/core/auditevent/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    event = record()
    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_change_permission(request, event) is False
    assert model_admin.has_delete_permission(request) is False
    assert model_admin.has_delete_permission(request, event) is False
    assert model_admin.has_view_permission(request, event) is True


def test_the_admin_lists_events_but_refuses_the_add_page(admin_client) -> None:
    record(subject_id="visible-subject")
    assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:core_auditevent_add"),
        {"verb": "forged", "subject_kind": "enrollment", "subject_id": "x", "data": "{}"},
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(verb="forged").exists()


def test_the_admin_refuses_to_change_an_event(admin_client) -> None:
    event = record(verb="enrollment.created")
    url = reverse("admin:core_auditevent_change", args=[event.pk])
    response = admin_client.post(
        url, {"verb": "forged", "subject_kind": "enrollment", "subject_id": "abc", "data": "{}"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.verb == "enrollment.created"


def test_the_admin_refuses_to_delete_an_event(admin_client) -> None:
    event = record()
    url = reverse("admin:core_auditevent_delete", args=[event.pk])
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_admin_offers_no_bulk_delete_action(admin_client) -> None:
    event = record()
    response = admin_client.post(
        reverse("admin:core_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert response.status_code in (200, 302)
