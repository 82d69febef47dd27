"""The OpenAPI 3.1 document of `/api/v1/`, maintained by hand next to the endpoints it describes.

A test checks that every URL pattern under /api/v1/ is described here and every path described
here resolves, and that the example responses of the tests match these schemas' required fields.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

API_VERSION = "1.0.0"


def _ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: JSON, *, required: list[str] | None = None, description: str = "") -> JSON:
    schema: JSON = {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }
    if description:
        schema["description"] = description
    return schema


STRING = {"type": "string"}
NULLABLE_STRING = {"type": ["string", "null"]}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
BOOLEAN = {"type": "boolean"}
UUID = {"type": "string", "format": "uuid"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
URL = {"type": "string", "format": "uri"}
ENROLLMENT_STATUSES = ["applied", "admitted", "active", "withdrawn", "completed", "certified"]

SCHEMAS: JSON = {
    "Problem": _object(
        {
            "type": {"type": "string", "format": "uri-reference"},
            "title": STRING,
            "status": INTEGER,
            "detail": STRING,
            "invalid-params": {
                "type": "array",
                "items": _object({"name": STRING, "reason": STRING}),
            },
        },
        required=["type", "title", "status", "detail"],
        description="RFC 9457 problem details.",
    ),
    "Track": _object(
        {
            "slug": STRING,
            "name": STRING,
            "audience": {
                "type": "string",
                "enum": ["technology_director", "superintendent", "alumni", "other"],
            },
            "required_contact_hours": NUMBER,
            "required_sessions": {"type": "string", "enum": ["none", "designated", "all_joint"]},
            "credential_name": STRING,
            "awards_ceus": BOOLEAN,
        }
    ),
    "Program": _object(
        {
            "slug": STRING,
            "name": STRING,
            "short_name": STRING,
            "description": STRING,
            "eligibility_summary": STRING,
            "time_zone": {"type": "string", "description": "IANA time zone, e.g. America/New_York."},
            "tracks": {"type": "array", "items": _ref("Track")},
            "url": {**URL, "description": "The public programme page."},
            "cohorts_url": URL,
        }
    ),
    "Cohort": _object(
        {
            "slug": STRING,
            "name": STRING,
            "program": {"type": "string", "description": "The programme's slug."},
            "status": {
                "type": "string",
                "enum": ["planned", "admitting", "in_progress", "completed", "cancelled"],
            },
            "starts_on": DATE,
            "ends_on": DATE,
            "capacity": {"type": ["integer", "null"]},
            "url": URL,
            "sessions_url": URL,
            "enrollments_url": {
                **URL,
                "description": "Open to the class's programme administrators and instructors.",
            },
        }
    ),
    "Session": _object(
        {
            "uuid": UUID,
            "title": STRING,
            "mode": {"type": "string", "enum": ["in_person", "online_live", "online_self_paced"]},
            "status": {"type": "string", "enum": ["scheduled", "cancelled"]},
            "starts_at": DATE_TIME,
            "ends_at": DATE_TIME,
            "time_zone": STRING,
            "contact_minutes": INTEGER,
            "track": {**NULLABLE_STRING, "description": "The track's slug; null for a joint session."},
            "is_required": BOOLEAN,
            "location": STRING,
            "meeting_url": STRING,
        }
    ),
    "Hours": _object(
        {
            "instruction_minutes": {**INTEGER, "description": "Net contact minutes credited."},
            "contact_hours": NUMBER,
            "mentoring_minutes": INTEGER,
            "other_minutes": INTEGER,
            "ceus": {
                **NUMBER,
                "description": "1 CEU per 10 contact hours, in tenths; 0 where the track awards none.",
            },
        },
        description="Sums over the append-only hours ledger.",
    ),
    "RosterEnrollment": _object(
        {
            "uuid": UUID,
            "person": _object(
                {"uuid": UUID, "full_name": STRING, "email": STRING, "organization": NULLABLE_STRING}
            ),
            "track": {"type": "string", "description": "The track's slug."},
            "status": {"type": "string", "enum": ENROLLMENT_STATUSES},
            "enrolled_on": DATE,
            "status_changed_at": DATE_TIME,
            "hours": _ref("Hours"),
            "url": {**URL, "description": "The progress page."},
        }
    ),
    "OwnEnrollment": _object(
        {
            "uuid": UUID,
            "program": _object({"slug": STRING, "name": STRING}),
            "cohort": _object({"slug": STRING, "name": STRING, "starts_on": DATE, "ends_on": DATE}),
            "track": _object({"slug": STRING, "name": STRING}),
            "status": {"type": "string", "enum": ENROLLMENT_STATUSES},
            "enrolled_on": DATE,
            "hours": _ref("Hours"),
            "url": {**URL, "description": "The progress page."},
        }
    ),
    "Credential": _object(
        {
            "uuid": UUID,
            "kind": {
                "type": "string",
                "enum": ["ob3", "clr2"],
                "description": "ob3: an Open Badges 3.0 credential; clr2: a CLR 2.0 transcript.",
            },
            "status": {"type": "string", "enum": ["active", "suspended", "revoked"]},
            "issued_at": DATE_TIME,
            "valid_until": {"type": ["string", "null"], "format": "date-time"},
            "person": _object({"uuid": UUID, "full_name": STRING}),
            "achievement": {
                "oneOf": [_object({"name": STRING}), {"type": "null"}],
                "description": "What an Open Badge awards; null for a transcript.",
            },
            "url": {**URL, "description": "The public verification page."},
        }
    ),
}


def _page_schema(item: str) -> JSON:
    return _object(
        {
            "results": {"type": "array", "items": _ref(item)},
            "next": {
                "type": ["string", "null"],
                "format": "uri",
                "description": "The next page (with its cursor), or null on the last page.",
            },
        }
    )


for _item in ("Program", "Cohort", "Session", "RosterEnrollment", "OwnEnrollment", "Credential"):
    SCHEMAS[f"{_item}Page"] = _page_schema(_item)


def _problem(description: str) -> JSON:
    return {"description": description, "content": {"application/problem+json": {"schema": _ref("Problem")}}}


RESPONSES: JSON = {
    "BadRequest": _problem("A query parameter is invalid (a cursor this list did not give out, a limit "
                           "out of range, an unknown status); `invalid-params` names it."),
    "Unauthorized": _problem("No valid credentials: log in, or send `Authorization: Bearer <token>`. "
                             "A token that is unknown or revoked is refused on every endpoint."),
    "Forbidden": _problem("You may see the class, but not this list of it."),
    "NotFound": _problem("No such object, or none you may see (the two are not told apart)."),
    "MethodNotAllowed": _problem("The API only reads: GET and HEAD."),
}  # fmt: skip

PARAMETERS: JSON = {
    "cursor": {
        "name": "cursor",
        "in": "query",
        "required": False,
        "description": "Opaque: the `next` link of the previous page carries it.",
        "schema": STRING,
    },
    "limit": {
        "name": "limit",
        "in": "query",
        "required": False,
        "description": "Rows per page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    },
    "programSlug": {"name": "slug", "in": "path", "required": True, "schema": STRING},
    "cohortSlug": {"name": "slug", "in": "path", "required": True, "schema": STRING},
}


def _list(
    *,
    operation_id: str,
    summary: str,
    description: str,
    item: str,
    tag: str,
    path_parameter: str = "",
    extra_parameters: list[JSON] | None = None,
    public: bool = False,
    forbidden: bool = False,
) -> JSON:
    parameters: list[JSON] = []
    if path_parameter:
        parameters.append({"$ref": f"#/components/parameters/{path_parameter}"})
    parameters += [{"$ref": "#/components/parameters/cursor"}, {"$ref": "#/components/parameters/limit"}]
    parameters += extra_parameters or []
    responses: JSON = {
        "200": {
            "description": "One page, in a stable order.",
            "content": {"application/json": {"schema": _ref(f"{item}Page")}},
        },
        "400": {"$ref": "#/components/responses/BadRequest"},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "405": {"$ref": "#/components/responses/MethodNotAllowed"},
    }
    if forbidden:
        responses["403"] = {"$ref": "#/components/responses/Forbidden"}
    if path_parameter:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    operation: JSON = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "tags": [tag],
        "parameters": parameters,
        "responses": dict(sorted(responses.items())),
    }
    if public:
        operation["security"] = [{}, {"bearerAuth": []}, {"sessionCookie": []}]
    return {"get": operation}


PATHS: JSON = {
    "/programs/": _list(
        operation_id="listPrograms",
        summary="Programmes",
        description="Public programmes, and those the caller administers; by slug.",
        item="Program",
        tag="programmes",
        public=True,
    ),
    "/programs/{slug}/cohorts/": _list(
        operation_id="listProgramCohorts",
        summary="A programme's classes",
        description=(
            "The programme's classes the caller may see (as administrator, instructor or member); "
            "newest first (by kick-off date, then id)."
        ),
        item="Cohort",
        tag="programmes",
        path_parameter="programSlug",
    ),
    "/cohorts/{slug}/enrollments/": _list(
        operation_id="listCohortEnrollments",
        summary="A class's enrollments, with hours and CEUs",
        description=(
            "For the class's programme administrators and instructors (members get 403, others "
            "404); by id. Hours and CEUs are sums over the ledger."
        ),
        item="RosterEnrollment",
        tag="classes",
        path_parameter="cohortSlug",
        forbidden=True,
        extra_parameters=[
            {
                "name": "status",
                "in": "query",
                "required": False,
                "description": "Only enrollments in this status.",
                "schema": {"type": "string", "enum": ENROLLMENT_STATUSES},
            }
        ],
    ),
    "/cohorts/{slug}/sessions/": _list(
        operation_id="listCohortSessions",
        summary="A class's sessions",
        description="For anyone who may see the class; by start time, then id.",
        item="Session",
        tag="classes",
        path_parameter="cohortSlug",
    ),
    "/me/enrollments/": _list(
        operation_id="listMyEnrollments",
        summary="The caller's own enrollments, with hours and CEUs",
        description="Every class the caller is (or was) enrolled in; by id.",
        item="OwnEnrollment",
        tag="me",
    ),
    "/credentials/": _list(
        operation_id="listCredentials",
        summary="Credentials",
        description=(
            "The caller's own credentials, and, for programme administrators, those of their "
            "programmes (badges of their classes, and their holders' transcripts); by id."
        ),
        item="Credential",
        tag="credentials",
    ),
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "tags": ["meta"],
            "security": [{}],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document of this API.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}


def openapi_document(*, server_url: str = "/api/v1") -> JSON:
    """The whole document; SERVER_URL is where /api/v1 is served (absolute when asked over HTTP)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "cecto API",
            "version": API_VERSION,
            "summary": "Read-only lists of programmes, classes, sessions, enrollments and credentials.",
            "description": (
                "Every list is keyset-paginated: follow `next` until it is null. `limit` is 1 to "
                "200 (50 by default). Authenticate with a token (`cecto api_token create`) as "
                "`Authorization: Bearer <token>`, or with the browser's session. Errors are RFC 9457 "
                "problem details."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "tags": [
            {"name": "programmes"},
            {"name": "classes"},
            {"name": "me"},
            {"name": "credentials"},
            {"name": "meta"},
        ],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "parameters": PARAMETERS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `cecto api_token create` (shown once).",
                },
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
            },
        },
    }
