"""The OpenAPI document: valid OpenAPI 3.1, in step with the URL patterns, and with the responses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from cecto.api.openapi import openapi_document
from cecto.api.tests.helpers import credential_row
from cecto.credentials.models import Credential
from cecto.scheduling.tests.factories import SessionFactory

API_PREFIX = "api/v1/"
CATCH_ALL = "not-found"


def api_patterns() -> list[URLPattern]:
    (api,) = [
        p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and str(p.pattern) == API_PREFIX
    ]
    return [p for p in api.url_patterns if isinstance(p, URLPattern)]


def as_openapi_path(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_the_document_is_valid_openapi_3_1():
    document = openapi_document()

    validate(document)  # raises with the reason when it is not

    assert document["openapi"] == "3.1.0"


def test_every_url_pattern_under_the_api_is_described():
    routes = {as_openapi_path(str(p.pattern)) for p in api_patterns() if p.name != CATCH_ALL}

    assert routes == set(openapi_document()["paths"])


def test_every_described_path_resolves_to_its_endpoint():
    names = {p.name for p in api_patterns()}
    for path in openapi_document()["paths"]:
        match = resolve("/api/v1" + re.sub(r"\{\w+\}", "some-slug", path))
        assert match.url_name in names - {CATCH_ALL}, path
        assert match.namespace == "api"


def test_every_operation_has_an_id_and_answers_its_problems():
    operations = [path["get"] for path in openapi_document()["paths"].values()]

    assert len({op["operationId"] for op in operations}) == len(operations)
    for op in operations:
        if op["operationId"] != "getOpenApiDocument":
            assert {"200", "400", "401", "405"} <= set(op["responses"]), op["operationId"]


def test_the_document_is_served_with_this_servers_address(client, db):
    response = client.get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert response.json() == openapi_document(server_url="http://testserver/api/v1")
    assert "public" in response["Cache-Control"]


def schema_validator(name: str) -> Draft202012Validator:
    components = openapi_document()["components"]
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": components})


@pytest.fixture
def full_class(cast: Any) -> Any:
    SessionFactory(cohort=cast.cohort, track=cast.participant_enrollment.track)
    SessionFactory(cohort=cast.cohort, starts_at=dt.datetime(2026, 4, 1, 14, tzinfo=dt.UTC),
                   ends_at=dt.datetime(2026, 4, 1, 20, tzinfo=dt.UTC))  # fmt: skip
    credential_row(enrollment=cast.participant_enrollment)
    credential_row(person=cast.participant_enrollment.person, kind=Credential.Kind.TRANSCRIPT)
    return cast


@pytest.mark.parametrize(
    ("who", "url", "schema"),
    [
        ("participant", "/api/v1/programs/?limit=1", "ProgramPage"),
        ("participant", "/api/v1/programs/{program}/cohorts/", "CohortPage"),
        ("participant", "/api/v1/cohorts/{cohort}/sessions/?limit=1", "SessionPage"),
        ("admin", "/api/v1/cohorts/{cohort}/enrollments/", "RosterEnrollmentPage"),
        ("participant", "/api/v1/me/enrollments/", "OwnEnrollmentPage"),
        ("admin", "/api/v1/credentials/", "CredentialPage"),
        ("participant", "/api/v1/cohorts/no-such-class/sessions/", "Problem"),
        ("participant", "/api/v1/programs/?limit=0", "Problem"),
    ],
)
def test_the_responses_match_their_schemas(client, full_class, who, url, schema):
    cast = full_class
    client.force_login(getattr(cast, who))

    response = client.get(url.format(program=cast.cohort.program.slug, cohort=cast.cohort.slug))

    body = response.json()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator(schema).iter_errors(body)]
    assert errors == []
    if schema != "Problem":
        assert body["results"], "an empty page proves nothing about the rows' schema"


def test_the_schemas_name_every_field_the_rows_have(client, full_class):
    """additionalProperties is left open for clients; here the rows must not outgrow the document."""
    cast = full_class
    client.force_login(cast.admin)
    schemas = openapi_document()["components"]["schemas"]
    pages = {
        "Program": "/api/v1/programs/",
        "Cohort": f"/api/v1/programs/{cast.cohort.program.slug}/cohorts/",
        "Session": f"/api/v1/cohorts/{cast.cohort.slug}/sessions/",
        "RosterEnrollment": f"/api/v1/cohorts/{cast.cohort.slug}/enrollments/",
        "Credential": "/api/v1/credentials/",
    }
    for name, url in pages.items():
        for row in client.get(url).json()["results"]:
            assert set(row) == set(schemas[name]["properties"]), name
