"""The read-only JSON API, `/api/v1/`: list endpoints, keyset-paginated, filtered by visibility.

Each endpoint parses, authorizes through the same QuerySets and permission helpers as the pages,
reads one page and answers; errors are problem details (`problems.py`). A page costs a fixed
number of queries whatever the size of the tables: the caller (a token, or the session and its
user), the object the list hangs off, the page, and at most one more for what the page's rows need
(their tracks, or their ledger balances in one grouped query).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from http import HTTPStatus
from typing import Any, Concatenate, ParamSpec, TypeVar, cast
from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.views.decorators.csrf import csrf_exempt

from cecto.api import shapes
from cecto.api.auth import authentication_required, caller_of
from cecto.api.openapi import openapi_document
from cecto.api.pagination import Keyset, limit_from
from cecto.api.problems import ApiProblem, invalid_parameter, problem_response
from cecto.core.types import AnyUser
from cecto.credentials.reports import credentials_listed_for
from cecto.ledger.api import HoursBalance, balances_for
from cecto.programs.models import Program, Track
from cecto.scheduling.models import Cohort, Enrollment
from cecto.scheduling.permissions import can_see_roster_details, get_cohort_for
from cecto.scheduling.roles import roles_of

P = ParamSpec("P")
# A row of a list: a model instance or a `.values()` dict.
R = TypeVar("R", bound=models.Model | dict[str, Any])
E = TypeVar("E", bound=Enrollment | dict[str, Any])
View = Callable[Concatenate[HttpRequest, AnyUser, P], HttpResponse]

READ_METHODS = ("GET", "HEAD")

# Each list's order: stable and unique (its last field is), so a cursor marks one place in it.
BY_SLUG = Keyset(("slug",))
NEWEST_FIRST = Keyset(("-starts_on", "-id"))
BY_START = Keyset(("starts_at", "id"))
BY_ID = Keyset(("id",))


def endpoint(
    *, public: bool = False
) -> Callable[[View[P]], Callable[Concatenate[HttpRequest, P], HttpResponse]]:
    """GET (and HEAD) only; the caller authenticated (401 unless PUBLIC); 404, 403 and bad
    parameters answered as problem details; never cached by a shared cache."""

    def decorate(view: View[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            try:
                if request.method not in READ_METHODS:
                    raise ApiProblem(
                        HTTPStatus.METHOD_NOT_ALLOWED,
                        f"{request.method} is not allowed: this API only reads.",
                        headers={"Allow": ", ".join(READ_METHODS)},
                    )
                caller = caller_of(request)
                if not public and not caller.is_authenticated:
                    raise authentication_required()
                response = view(request, caller, *args, **kwargs)
            except ApiProblem as problem:
                response = problem.response()
            except Http404:
                response = problem_response(HTTPStatus.NOT_FOUND, "There is nothing here that you may see.")
            except PermissionDenied:
                response = problem_response(HTTPStatus.FORBIDDEN, "You may not see this list.")
            patch_vary_headers(response, ("Authorization", "Cookie"))
            if not response.has_header("Cache-Control"):
                add_never_cache_headers(response)
            return response

        # Reads only, so there is nothing to forge; a POST gets our 405, not the CSRF page.
        return cast(Callable[Concatenate[HttpRequest, P], HttpResponse], csrf_exempt(wrapper))

    return decorate


def _next_url(request: HttpRequest, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.GET.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def _listing(
    request: HttpRequest,
    queryset: QuerySet[Any, R],
    keyset: Keyset,
    render: Callable[[Sequence[R]], list[shapes.JSON]],
    *,
    filters: dict[str, str] | None = None,
) -> JsonResponse:
    """One page of QUERYSET in KEYSET's order as {"results": [...], "next": url or null}."""
    limit = limit_from(request.GET.get("limit"))
    scope = request.path + ("?" + urlencode(sorted(filters.items())) if filters else "")
    page = keyset.page(queryset, cursor=request.GET.get("cursor"), limit=limit, scope=scope)
    return JsonResponse({"results": render(page.items), "next": _next_url(request, page.next_cursor)})


def _choice(request: HttpRequest, name: str, choices: Sequence[str]) -> str:
    value = request.GET.get(name, "")
    if value and value not in choices:
        raise invalid_parameter(name, f"use one of {', '.join(choices)}.")
    return value


def _program_for(user: AnyUser, slug: str) -> Program:
    program = Program.objects.visible_to(user).filter(slug=slug).first()
    if program is None:
        raise Http404("No such programme.")
    return program


@endpoint(public=True)
def program_list(request: HttpRequest, caller: AnyUser) -> HttpResponse:
    # The tracks in their own order (the default orders by programme name, a join) and only what
    # shapes.track shows.
    tracks = Track.objects.order_by("position", "id").only(
        "program_id",
        "slug",
        "name",
        "audience",
        "required_contact_minutes",
        "required_sessions",
        "credential_name",
        "ceu_policy",
    )
    programs = Program.objects.visible_to(caller).prefetch_related(Prefetch("tracks", queryset=tracks))
    return _listing(request, programs, BY_SLUG, lambda items: [shapes.program(request, p) for p in items])


@endpoint()
def program_cohorts(request: HttpRequest, caller: AnyUser, slug: str) -> HttpResponse:
    program = _program_for(caller, slug)
    cohorts = (
        roles_of(caller).visible_cohorts(Cohort.objects.filter(program=program)).select_related("program")
    )
    return _listing(request, cohorts, NEWEST_FIRST, lambda items: [shapes.cohort(request, c) for c in items])


@endpoint()
def cohort_sessions(request: HttpRequest, caller: AnyUser, slug: str) -> HttpResponse:
    cohort = get_cohort_for(caller, slug)
    sessions = cohort.sessions.select_related("track")
    return _listing(request, sessions, BY_START, lambda items: [shapes.session(s) for s in items])


def _with_hours(
    request: HttpRequest, shape: Callable[[HttpRequest, E, HoursBalance], shapes.JSON]
) -> Callable[[Sequence[E]], list[shapes.JSON]]:
    """Rows of enrollments (objects or `.values()` rows) with their ledger balances: one grouped
    query for the whole page."""

    def render(items: Sequence[E]) -> list[shapes.JSON]:
        balances = balances_for(_uuid_of(e) for e in items)
        return [shape(request, e, balances[_uuid_of(e)]) for e in items]

    return render


def _uuid_of(row: Enrollment | dict[str, Any]) -> UUID:
    return cast(UUID, row["uuid"]) if isinstance(row, dict) else row.uuid


@endpoint()
def cohort_enrollments(request: HttpRequest, caller: AnyUser, slug: str) -> HttpResponse:
    cohort = get_cohort_for(caller, slug)
    if not can_see_roster_details(caller, cohort):
        raise PermissionDenied
    status = _choice(request, "status", Enrollment.Status.values)
    enrollments = cohort.enrollments.values(*shapes.ROSTER_VALUES)
    if status:
        enrollments = enrollments.filter(status=status)
    render = _with_hours(request, shapes.roster_enrollment)
    return _listing(request, enrollments, BY_ID, render, filters={"status": status} if status else None)


@endpoint()
def my_enrollments(request: HttpRequest, caller: AnyUser) -> HttpResponse:
    enrollments = Enrollment.objects.of_person_user(caller).select_related("cohort__program", "track")
    return _listing(request, enrollments, BY_ID, _with_hours(request, shapes.own_enrollment))


@endpoint()
def credential_list(request: HttpRequest, caller: AnyUser) -> HttpResponse:
    # Only what a row shows: the signed document (kilobytes of JSON a row) stays in the database.
    credentials = (
        credentials_listed_for(caller)
        .select_related("person", "achievement")
        .only(
            "uuid",
            "kind",
            "status",
            "issued_at",
            "valid_until",
            "person__uuid",
            "person__full_name",
            "achievement__name",
        )
    )
    return _listing(request, credentials, BY_ID, lambda items: [shapes.credential(c) for c in items])


@endpoint(public=True)
def openapi(request: HttpRequest, caller: AnyUser) -> HttpResponse:
    response = JsonResponse(openapi_document(server_url=request.build_absolute_uri("/api/v1")))
    patch_cache_control(response, public=True, max_age=3600)
    return response


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/v1/: a problem, not the HTML error page."""
    return problem_response(HTTPStatus.NOT_FOUND, f"No endpoint at {request.path}: see /api/v1/openapi.json.")
