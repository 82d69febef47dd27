"""Credentials written straight as rows, as issuance leaves them but without signing a document:
for tests of lists and counts (the API, the programme report), which never read the document."""

from __future__ import annotations

import itertools

from django.utils import timezone

from cecto.credentials.issuer import active_signing_key
from cecto.credentials.models import Credential, StatusList
from cecto.credentials.services import achievement_for
from cecto.people.models import Person
from cecto.scheduling.models import Enrollment

_index = itertools.count(1)


def credential_row(
    *,
    enrollment: Enrollment | None = None,
    person: Person | None = None,
    kind: str = Credential.Kind.OPEN_BADGE,
    status: str = Credential.Status.ACTIVE,
) -> Credential:
    """An Open Badge of ENROLLMENT, or (kind="clr2") a transcript of PERSON."""
    holder = person if person is not None else enrollment.person if enrollment is not None else None
    assert holder is not None
    badge = kind == Credential.Kind.OPEN_BADGE
    status_list, _ = StatusList.objects.get_or_create(number=1)
    return Credential.objects.create(
        kind=kind,
        person=holder,
        enrollment=enrollment if badge else None,
        achievement=achievement_for(enrollment.track) if badge and enrollment is not None else None,
        document="{}",
        signing_key=active_signing_key(),
        issued_at=timezone.now(),
        status_list=status_list,
        status_index=next(_index),
        status=status,
    )
