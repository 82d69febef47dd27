"""Keyset pagination: every row exactly once, cursors that cannot be forged or replayed elsewhere,
and the same number of queries for a page whatever the size of the data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cecto.api.tests.helpers import bearer, credential_row, walk
from cecto.credentials.models import Credential
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.programs.models import Program
from cecto.programs.tests.factories import ProgramFactory, TrackFactory
from cecto.scheduling.models import Enrollment
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory, SessionFactory

KICK_OFF = dt.datetime(2026, 3, 10, 14, tzinfo=dt.UTC)


def grow(cast: Any, n: int, tag: str) -> dict[str, str]:
    """N more rows in every list the cast's administrator can read; the lists' URLs."""
    program, cohort = cast.cohort.program, cast.cohort
    admin_person = cast.admin.person
    for i in range(n):
        other = ProgramFactory(slug=f"{tag}-programme-{i:03d}")
        TrackFactory(program=other)
        TrackFactory(program=other)
        # Ties on the first sort key on purpose: the cursor's second field must break them.
        CohortFactory(program=program, slug=f"{tag}-class-{i:03d}", starts_on=dt.date(2020, 2, 11))
        SessionFactory(cohort=cohort, starts_at=KICK_OFF, ends_at=KICK_OFF + dt.timedelta(hours=6))
        enrollment = EnrollmentFactory(cohort=cohort, track=cast.participant_enrollment.track)
        EnrollmentFactory(
            person=admin_person, cohort=CohortFactory(program=other), status=Enrollment.Status.ACTIVE
        )
        for minutes in (60, 90):
            hours_entry_record(
                person=enrollment.person, enrollment_ref=enrollment.uuid, minutes=minutes,
                occurred_on=dt.date(2026, 3, 1), source_kind=HoursEntry.Source.MANUAL, reason="Test", by=None,
            )  # fmt: skip
        credential_row(enrollment=enrollment)
        credential_row(person=enrollment.person, kind=Credential.Kind.TRANSCRIPT)
    return {
        "programs": "/api/v1/programs/",
        "cohorts": f"/api/v1/programs/{program.slug}/cohorts/",
        "sessions": f"/api/v1/cohorts/{cohort.slug}/sessions/",
        "enrollments": f"/api/v1/cohorts/{cohort.slug}/enrollments/",
        "me": "/api/v1/me/enrollments/",
        "credentials": "/api/v1/credentials/",
    }


def uuids(queryset: Any) -> set[str]:
    return {str(u) for u in queryset.values_list("uuid", flat=True)}


LISTS = ["programs", "cohorts", "sessions", "enrollments", "me", "credentials"]
EXPECTED: dict[str, Callable[[Any], set[str]]] = {
    "programs": lambda cast: set(Program.objects.values_list("slug", flat=True)),  # all public
    "cohorts": lambda cast: set(cast.cohort.program.cohorts.values_list("slug", flat=True)),
    "sessions": lambda cast: uuids(cast.cohort.sessions),
    "enrollments": lambda cast: uuids(cast.cohort.enrollments),
    "me": lambda cast: uuids(Enrollment.objects.filter(person__user=cast.admin)),
    "credentials": lambda cast: uuids(Credential.objects.filter(person__enrollments__cohort=cast.cohort)),
}
KEY = {"programs": "slug", "cohorts": "slug"}


@pytest.mark.parametrize("name", LISTS)
def test_a_walk_with_small_pages_sees_every_row_exactly_once(client, cast, name):
    urls = grow(cast, 7, "walk")
    client.force_login(cast.admin)

    rows, pages = walk(client, urls[name] + "?limit=3")

    keys = [row[KEY.get(name, "uuid")] for row in rows]
    assert len(keys) == len(set(keys))
    assert set(keys) == EXPECTED[name](cast)
    assert pages == -(-len(keys) // 3)  # the last page is never an empty one
    assert len(keys) >= 7


def test_the_next_link_keeps_the_other_parameters(client, cast):
    urls = grow(cast, 3, "keep")
    client.force_login(cast.admin)

    body = client.get(urls["enrollments"] + "?status=active&limit=2").json()

    assert body["next"].startswith("http://testserver/api/v1/cohorts/class-of-2026/enrollments/?")
    assert "status=active" in body["next"]
    assert "limit=2" in body["next"]
    assert all(row["status"] == "active" for row in walk(client, body["next"])[0])


def test_the_last_page_has_no_next_link(client, cast):
    client.force_login(cast.admin)

    body = client.get("/api/v1/programs/?limit=200").json()

    assert body["next"] is None


@pytest.mark.parametrize("limit", ["0", "201", "-1", "ten", "1.5"])
def test_a_limit_out_of_range_is_a_bad_request(client, db, limit):
    response = client.get(f"/api/v1/programs/?limit={limit}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalid-params"] == [
        {"name": "limit", "reason": "give a whole number from 1 to 200."}
    ]


@pytest.mark.parametrize("name", LISTS)
def test_a_cursor_that_was_not_given_out_is_a_bad_request(client, cast, name):
    urls = grow(cast, 3, "forged")
    client.force_login(cast.admin)
    real = client.get(urls[name] + "?limit=1").json()["next"]
    token = real.split("cursor=")[1].split("&")[0]

    for cursor in ("nonsense", "eyJzIjoiLyJ9:forged", token[:-2] + "xx"):
        response = client.get(urls[name] + f"?cursor={cursor}")
        assert response.status_code == 400, cursor
        assert response.json()["invalid-params"][0]["name"] == "cursor"


def test_a_cursor_of_one_list_is_refused_by_another(client, cast):
    urls = grow(cast, 3, "replay")
    client.force_login(cast.admin)
    cursor = client.get(urls["enrollments"] + "?limit=1").json()["next"].split("cursor=")[1]

    other_list = client.get(urls["me"] + f"?cursor={cursor}")
    other_filter = client.get(urls["enrollments"] + f"?status=active&cursor={cursor}")

    assert other_list.status_code == other_filter.status_code == 400
    assert (
        other_list.json()["detail"] == "The query parameter 'cursor' is invalid: it belongs to another list."
    )


@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_for_small_and_large_data(
    client, cast, name, django_assert_num_queries
):
    headers = bearer(cast.admin)
    client.get("/api/v1/programs/", **headers)  # the token's first use records it (an UPDATE)
    small = grow(cast, 3, "small")
    with CaptureQueriesContext(connection) as measured:
        first = client.get(small[name] + "?limit=2", **headers)
        assert first.status_code == 200
        assert client.get(first.json()["next"], **headers).status_code == 200  # with a cursor, too
    large = grow(cast, 25, "large")

    with django_assert_num_queries(len(measured.captured_queries)):
        page = client.get(large[name] + "?limit=2", **headers)
        assert client.get(page.json()["next"], **headers).status_code == 200

    # The token (1); then for each list its page (1), and: the programmes' tracks (1); the
    # programme and the caller's roles (2); the class and the caller's roles (2); the same two and
    # the balances (1); the balances (1); the programmes the caller administers and their share of
    # classes (2).
    budget = {"programs": 2, "cohorts": 3, "sessions": 3, "enrollments": 4, "me": 2, "credentials": 3}
    assert len(measured.captured_queries) == 2 * (1 + budget[name])
