"""Errors as RFC 9457 problem details (`application/problem+json`), raised anywhere in an endpoint."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import JsonResponse

PROBLEM_JSON = "application/problem+json"


class ApiProblem(Exception):
    """Stops an endpoint with a problem-details response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        invalid_params: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.invalid_params = invalid_params or []
        self.headers = headers or {}

    def response(self) -> JsonResponse:
        return problem_response(
            self.status, self.detail, invalid_params=self.invalid_params, headers=self.headers
        )


def invalid_parameter(name: str, reason: str) -> ApiProblem:
    """400: one query parameter is wrong, named in `invalid-params` (RFC 9457's own example)."""
    return ApiProblem(
        HTTPStatus.BAD_REQUEST,
        f"The query parameter {name!r} is invalid: {reason}",
        invalid_params=[{"name": name, "reason": reason}],
    )


def problem_response(
    status: int,
    detail: str,
    *,
    invalid_params: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JsonResponse:
    """A problem of the plain HTTP kind: type about:blank, title the status's reason phrase."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if invalid_params:
        body["invalid-params"] = invalid_params
    response = JsonResponse(body, status=status, content_type=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response[name] = value
    return response
