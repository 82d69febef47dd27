"""Helpers for the API tests: a paginated walk, a bearer header (and credentials as rows)."""

from __future__ import annotations

from typing import Any

from cecto.core.tokens import api_token_create
from cecto.credentials.tests.rows import credential_row


def bearer(user: Any) -> dict[str, str]:
    _token, raw = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def walk(client: Any, url: str, **headers: str) -> tuple[list[dict[str, Any]], int]:
    """Every row of a list, following `next`: the rows and the number of pages read."""
    rows: list[dict[str, Any]] = []
    pages = 0
    next_url: str | None = url
    while next_url is not None:
        response = client.get(next_url, **headers)
        assert response.status_code == 200, response.content
        body = response.json()
        rows.extend(body["results"])
        next_url = body["next"]
        pages += 1
        assert pages < 1000
    return rows, pages


__all__ = ["bearer", "credential_row", "walk"]
