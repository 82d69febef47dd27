"""What each list endpoint says about one row: plain dicts, ready for JSON (the OpenAPI schemas in
`openapi.py` describe the same shapes; a test keeps the two in step)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from cecto.credentials.models import Credential
from cecto.credentials.services import credential_url
from cecto.ledger.api import HoursBalance
from cecto.programs.models import Program, Track
from cecto.scheduling.models import Cohort, Enrollment, Session

JSON = dict[str, Any]


# Arguments that fit the routes' converters (a slug, a uuid) and appear nowhere else in a path.
_SAMPLES = ("zz-sample-slug-zz", "00000000-0000-4000-8000-00000000abcd")


@cache
def _path_template(name: str) -> str:
    """The path of route NAME with "{}" where its one argument goes.

    A page of 50 rows links each row two or three times: `reverse()` per link was a third of a
    list's time. The route is reversed once, with a sample argument its converter accepts.
    """
    for sample in _SAMPLES:
        try:
            path = reverse(name, args=[sample])
        except NoReverseMatch:
            continue
        return path.replace("{", "{{").replace("}", "}}").replace(sample, "{}")
    raise NoReverseMatch(f"{name} takes neither a slug nor a uuid")


def _url(request: HttpRequest, name: str, arg: object) -> str:
    # The argument is a slug or a uuid, which the route's converter matched on the way in; quoted
    # as reverse() would quote it.
    path = _path_template(name).format(quote(str(arg), safe="!$&'()*+,;=/~:@"))
    return _origin(request) + path


def _origin(request: HttpRequest) -> str:
    """The scheme and host of REQUEST ("https://host"), worked out once a request:
    `build_absolute_uri()` per link (it parses the URL it is given) was a tenth of a list's time,
    and for a path it gives this prefix."""
    origin: str | None = getattr(request, "_cecto_origin", None)
    if origin is None:
        origin = request.build_absolute_uri("/").removesuffix("/")
        request._cecto_origin = origin  # type: ignore[attr-defined]
    return origin


def _number(value: Decimal) -> float:
    return float(value)


def track(item: Track) -> JSON:
    return {
        "slug": item.slug,
        "name": item.name,
        "audience": item.audience,
        "required_contact_hours": _number(item.required_contact_hours.quantize(Decimal("0.01"))),
        "required_sessions": item.required_sessions,
        "credential_name": item.credential_name,
        "awards_ceus": item.ceu_policy != Track.CeuPolicy.NONE,
    }


def program(request: HttpRequest, item: Program) -> JSON:
    return {
        "slug": item.slug,
        "name": item.name,
        "short_name": item.short_name,
        "description": item.description,
        "eligibility_summary": item.eligibility_summary,
        "time_zone": item.time_zone,
        "tracks": [track(t) for t in item.tracks.all()],
        "url": _url(request, "web:program-detail", item.slug),
        "cohorts_url": _url(request, "api:program-cohorts", item.slug),
    }


def cohort(request: HttpRequest, item: Cohort) -> JSON:
    return {
        "slug": item.slug,
        "name": item.name,
        "program": item.program.slug,
        "status": item.status,
        "starts_on": item.starts_on.isoformat(),
        "ends_on": item.ends_on.isoformat(),
        "capacity": item.capacity,
        "url": _url(request, "web:cohort-detail", item.slug),
        "sessions_url": _url(request, "api:cohort-sessions", item.slug),
        "enrollments_url": _url(request, "api:cohort-enrollments", item.slug),
    }


def session(item: Session) -> JSON:
    return {
        "uuid": str(item.uuid),
        "title": item.title,
        "mode": item.mode,
        "status": item.status,
        "starts_at": item.starts_at.isoformat(),
        "ends_at": item.ends_at.isoformat(),
        "time_zone": item.time_zone,
        "contact_minutes": item.contact_minutes,
        "track": item.track.slug if item.track is not None else None,
        "is_required": item.is_required,
        "location": item.location,
        "meeting_url": item.meeting_url,
    }


def hours(balance: HoursBalance, *, ceu_policy: str) -> JSON:
    """The ledger's sums; CEUs only where the track awards them (as the progress page says)."""
    awards_ceus = ceu_policy != Track.CeuPolicy.NONE
    return {
        "instruction_minutes": balance.instruction_minutes,
        "contact_hours": _number(balance.instruction_hours),
        "mentoring_minutes": balance.mentoring_minutes,
        "other_minutes": balance.other_minutes,
        "ceus": _number(balance.ceus) if awards_ceus else 0.0,
    }


# The columns a roster row reads, for `.values()`: as model objects (enrollment, person,
# organization, track) a page of 50 rows was 200 objects and a third of the list's time.
ROSTER_VALUES = (
    "id",
    "uuid",
    "status",
    "enrolled_on",
    "status_changed_at",
    "person__uuid",
    "person__full_name",
    "person__email",
    "person__organization__name",
    "track__slug",
    "track__ceu_policy",
)


def roster_enrollment(request: HttpRequest, row: JSON, balance: HoursBalance) -> JSON:
    """An enrollment (a row of ROSTER_VALUES) as the class's staff see it: who, on which track,
    where they stand."""
    return {
        "uuid": str(row["uuid"]),
        "person": {
            "uuid": str(row["person__uuid"]),
            "full_name": row["person__full_name"],
            "email": row["person__email"],
            "organization": row["person__organization__name"],  # None without a district
        },
        "track": row["track__slug"],
        "status": row["status"],
        "enrolled_on": row["enrolled_on"].isoformat(),
        "status_changed_at": row["status_changed_at"].isoformat(),
        "hours": hours(balance, ceu_policy=row["track__ceu_policy"]),
        "url": _url(request, "web:enrollment-progress", row["uuid"]),
    }


def own_enrollment(request: HttpRequest, item: Enrollment, balance: HoursBalance) -> JSON:
    """One of the caller's own enrollments, with the class and programme it is in."""
    return {
        "uuid": str(item.uuid),
        "program": {"slug": item.cohort.program.slug, "name": item.cohort.program.name},
        "cohort": {
            "slug": item.cohort.slug,
            "name": item.cohort.name,
            "starts_on": item.cohort.starts_on.isoformat(),
            "ends_on": item.cohort.ends_on.isoformat(),
        },
        "track": {"slug": item.track.slug, "name": item.track.name},
        "status": item.status,
        "enrolled_on": item.enrolled_on.isoformat(),
        "hours": hours(balance, ceu_policy=item.track.ceu_policy),
        "url": _url(request, "web:enrollment-progress", item.uuid),
    }


def credential(item: Credential) -> JSON:
    return {
        "uuid": str(item.uuid),
        "kind": item.kind,
        "status": item.status,
        "issued_at": item.issued_at.isoformat(),
        "valid_until": item.valid_until.isoformat() if item.valid_until is not None else None,
        "person": {"uuid": str(item.person.uuid), "full_name": item.person.full_name},
        "achievement": {"name": item.achievement.name} if item.achievement is not None else None,
        "url": credential_url(item.uuid),  # the public verification page, as in the signed document
    }
