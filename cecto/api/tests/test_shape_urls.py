"""The API's links, built from a route template reversed once, are exactly what reverse() gives."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from cecto.api import shapes

SLUG_ROUTES = [
    "web:program-detail",
    "api:program-cohorts",
    "web:cohort-detail",
    "api:cohort-sessions",
    "api:cohort-enrollments",
]
UUID_ROUTES = ["web:enrollment-progress"]


@pytest.mark.parametrize("name", SLUG_ROUTES)
@pytest.mark.parametrize("slug", ["nc-cecto", "class-of-2026", "a", "x_y-1", "CAPS-9"])
def test_a_slug_route_links_as_reverse_does(name, slug):
    request = RequestFactory().get("/api/v1/programs/")

    assert shapes._url(request, name, slug) == request.build_absolute_uri(reverse(name, args=[slug]))


@pytest.mark.parametrize("name", UUID_ROUTES)
def test_a_uuid_route_links_as_reverse_does(name):
    request = RequestFactory().get("/api/v1/me/enrollments/", secure=True)
    value = uuid.uuid4()

    assert shapes._url(request, name, value) == request.build_absolute_uri(reverse(name, args=[value]))
    assert shapes._url(request, name, value).startswith("https://")


def test_a_route_without_one_slug_or_uuid_argument_is_refused():
    with pytest.raises(NoReverseMatch):
        shapes._path_template("web:home")


def test_links_keep_the_host_and_port_asked_for(settings):
    settings.ALLOWED_HOSTS = ["cecto.example"]
    request = RequestFactory().get("/api/v1/programs/", HTTP_HOST="cecto.example:8443")

    first = shapes._url(request, "web:program-detail", "nc-cecto")
    again = shapes._url(request, "web:cohort-detail", "class-of-2026")

    assert first == "http://cecto.example:8443/programs/nc-cecto/"
    assert again == request.build_absolute_uri(reverse("web:cohort-detail", args=["class-of-2026"]))
