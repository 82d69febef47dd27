"""The API's HTTP behaviour shared by every endpoint: authentication, methods, problem details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cecto.api.tests.helpers import bearer
from cecto.core.tokens import api_token_create, api_token_revoke

PROBLEM = "application/problem+json"

PRIVATE_URLS = [
    "/api/v1/programs/{program}/cohorts/",
    "/api/v1/cohorts/{cohort}/enrollments/",
    "/api/v1/cohorts/{cohort}/sessions/",
    "/api/v1/me/enrollments/",
    "/api/v1/credentials/",
]
ALL_URLS = ["/api/v1/programs/", "/api/v1/openapi.json", *PRIVATE_URLS]


def url_for(template: str, cast) -> str:
    return template.format(program=cast.cohort.program.slug, cohort=cast.cohort.slug)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"]
    return body


@pytest.mark.parametrize("template", PRIVATE_URLS)
def test_it_answers_401_with_a_challenge_to_a_visitor(client, cast, template):
    response = client.get(url_for(template, cast))

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="cecto"'


@pytest.mark.parametrize("template", ALL_URLS)
def test_it_refuses_an_unknown_token_everywhere(client, cast, template):
    response = client.get(url_for(template, cast), HTTP_AUTHORIZATION="Bearer cecto_not-a-token")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="cecto", error="invalid_token"'


@pytest.mark.parametrize("header", ["Basic YWRtaW46c2VjcmV0", "Bearer", "Bearer   ", "cecto_abc"])
def test_it_refuses_an_authorization_header_that_is_not_a_bearer_token(client, cast, header):
    response = client.get("/api/v1/me/enrollments/", HTTP_AUTHORIZATION=header)

    assert_problem(response, 401)
    assert 'error="invalid_request"' in response["WWW-Authenticate"]


def test_a_token_stands_for_its_user(client, cast):
    response = client.get("/api/v1/me/enrollments/", **bearer(cast.participant))

    assert response.status_code == 200
    assert [row["uuid"] for row in response.json()["results"]] == [str(cast.participant_enrollment.uuid)]


def test_a_token_wins_over_the_session(client, cast):
    client.force_login(cast.admin)

    response = client.get("/api/v1/me/enrollments/", **bearer(cast.participant))

    assert [row["uuid"] for row in response.json()["results"]] == [str(cast.participant_enrollment.uuid)]


def test_a_revoked_token_is_refused(client, cast):
    token, raw = api_token_create(user=cast.participant)
    api_token_revoke(token=token)

    response = client.get("/api/v1/me/enrollments/", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert_problem(response, 401)


def test_the_token_of_an_inactive_login_is_refused(client, cast):
    headers = bearer(cast.participant)
    cast.participant.is_active = False
    cast.participant.save()

    assert_problem(client.get("/api/v1/me/enrollments/", **headers), 401)


def test_the_browser_session_is_enough(client, cast):
    client.force_login(cast.participant)

    response = client.get("/api/v1/me/enrollments/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("template", ALL_URLS)
def test_it_only_reads(client, cast, method, template):
    client.force_login(cast.admin)

    response = getattr(client, method)(url_for(template, cast))

    assert_problem(response, 405)
    assert response["Allow"] == "GET, HEAD"


def test_an_unknown_address_is_a_problem_not_a_page(client, db):
    body = assert_problem(client.get("/api/v1/nothing/here/"), 404)

    assert "/api/v1/openapi.json" in body["detail"]
    assert_problem(client.get("/api/v1/"), 404)


def test_an_address_without_its_slash_is_redirected(client, db):
    response = client.get("/api/v1/programs")

    assert response.status_code == 301
    assert response.url == "/api/v1/programs/"


def test_lists_are_never_stored_by_a_cache_and_vary_on_credentials(client, cast):
    client.force_login(cast.admin)

    response = client.get(reverse("api:credential-list"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


def test_head_is_answered_like_get(client, db):
    assert client.head("/api/v1/programs/").status_code == 200
