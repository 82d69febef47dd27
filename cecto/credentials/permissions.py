"""Who may do what with a credential.

- Everyone may open a credential's public page (that is what it is for).
- The holder may see their own private pages (their list, the LinkedIn link).
- The programme administrators of the credential's class (and superusers) manage it: suspend,
  reinstate, revoke. A transcript belongs to no class: the administrators of any class in which
  its holder earned a badge manage it.

Managing follows the cohort rule (`cecto.scheduling.permissions`): someone who cannot see the
class gets 404, someone who can see it but not manage it gets 403.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cecto.core.types import AnyUser as User
from cecto.credentials.models import Credential
from cecto.programs.models import Program
from cecto.scheduling.models import Cohort
from cecto.scheduling.permissions import can_manage_cohort


def _cohort_ids_of(credential: Credential) -> list[int]:
    if credential.enrollment is not None:
        return [credential.enrollment.cohort_id]
    return list(
        Credential.objects.filter(
            person_id=credential.person_id, kind=Credential.Kind.OPEN_BADGE, enrollment__isnull=False
        ).values_list("enrollment__cohort_id", flat=True)
    )


def can_manage_credential(user: User, credential: Credential) -> bool:
    """Programme administrators of the credential's class, and superusers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if credential.enrollment is not None:
        return can_manage_cohort(user, credential.enrollment.cohort)
    return Cohort.objects.administered_by(user).filter(pk__in=_cohort_ids_of(credential)).exists()


def is_holder(user: User, credential: Credential) -> bool:
    """The signed-in person is the one the credential was issued to (no query)."""
    if not user.is_authenticated:
        return False
    return credential.person.user_id is not None and credential.person.user_id == user.pk


def get_credential_to_manage(user: User, credential_uuid: UUID) -> Credential:
    """The credential, if the user may manage it; 404 if they cannot even see its class, else 403."""
    credential = (
        Credential.objects.select_related(
            "person", "achievement", "enrollment__track", "enrollment__cohort__program", "superseded_by"
        )
        .filter(uuid=credential_uuid)
        .first()
    )
    if credential is None:
        raise Http404("No such credential.")
    if can_manage_credential(user, credential):
        return credential
    if not Cohort.objects.visible_to(user).filter(pk__in=_cohort_ids_of(credential)).exists():
        raise Http404("No such credential.")
    raise PermissionDenied


def can_issue_through_api(user: User) -> bool:
    """The VC-API issuer route: superusers, and anyone who administers at least one programme."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return Program.objects.administered_by(user).exists()
