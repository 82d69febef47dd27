"""Who is calling: a bearer token (`Authorization: Bearer cecto_…`, see `cecto api_token`) or the
browser's Django session. A token that is malformed, unknown or revoked is refused (401), never
silently treated as a visitor: a script should learn at once that its token stopped working.
"""

from __future__ import annotations

from http import HTTPStatus

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from cecto.api.problems import ApiProblem
from cecto.core.tokens import api_token_user
from cecto.core.types import AnyUser

CHALLENGE = 'Bearer realm="cecto"'


def not_authenticated(detail: str, *, error: str = "") -> ApiProblem:
    challenge = f'{CHALLENGE}, error="{error}"' if error else CHALLENGE
    return ApiProblem(HTTPStatus.UNAUTHORIZED, detail, headers={"WWW-Authenticate": challenge})


def caller_of(request: HttpRequest) -> AnyUser:
    """The caller's login (AnonymousUser for a visitor); raises 401 for a bad Authorization header.

    A token's lookup is one query (plus an update of its last use, at most every five minutes);
    the session costs the session and user queries, as on every page.
    """
    header = request.headers.get("Authorization")
    if header is None:
        user = request.user
        return user if user.is_authenticated else AnonymousUser()
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise not_authenticated("Send the token as 'Authorization: Bearer <token>'.", error="invalid_request")
    found = api_token_user(raw.strip())
    if found is None:
        raise not_authenticated(
            "The token is unknown, revoked, or its login is inactive.", error="invalid_token"
        )
    user, _token = found
    return user


def authentication_required() -> ApiProblem:
    return not_authenticated("Log in, or send a token as 'Authorization: Bearer <token>'.")
