"""The demo's graduates: the Class of 2015-16, certified, with their credentials and a login.

That class predates cecto, so its hours arrive as they would for a real programme moving its
records in: one manual ledger adjustment per graduate, with the reason saying where it came from.
Then the ordinary certification issues their Open Badges and transcripts. Loading twice changes
nothing (certification is idempotent and the adjustments are only made once).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from cecto.core.data import DemoLogin
from cecto.credentials.models import Achievement, Credential
from cecto.credentials.services import achievement_for, certify_cohort
from cecto.ledger.api import HoursEntry, hours_entry_record
from cecto.scheduling.api import Cohort, Enrollment

GRADUATING_CLASS = "cecto-2015-16"
LOGINS = (DemoLogin("Graduate (2015-16)", "graduate", "your credentials: share, download, verify"),)
_SKILL_AREAS = {"technology_director": list(range(1, 11)), "superintendent": [1, 2, 3, 4]}


def load_credentials_demo(*, password: str) -> tuple[DemoLogin, ...]:
    cohort = Cohort.objects.filter(slug=GRADUATING_CLASS).select_related("program").first()
    if cohort is None or Credential.objects.filter(enrollment__cohort=cohort).exists():
        return LOGINS
    with transaction.atomic():
        for track in cohort.program.tracks.all():
            achievement: Achievement = achievement_for(track)
            achievement.skill_areas = _SKILL_AREAS.get(track.audience, [])
            achievement.save(update_fields=["skill_areas"])
        graduates = list(
            Enrollment.objects.filter(cohort=cohort, status=Enrollment.Status.COMPLETED).select_related(
                "person", "track"
            )
        )
        for enrollment in graduates:
            hours_entry_record(
                person=enrollment.person,
                enrollment_ref=enrollment.uuid,
                minutes=enrollment.track.required_contact_minutes,
                occurred_on=cohort.ends_on,
                source_kind=HoursEntry.Source.MANUAL,
                by=None,
                reason=f"Moved in from the {cohort.name} attendance register kept before cecto.",
            )
        certify_cohort(cohort=cohort, by=None)
        graduate = next(e.person for e in graduates if e.track.required_contact_minutes >= 240 * 60)
        if graduate.user is None:
            graduate.user = User.objects.create_user("graduate", email=graduate.email, password=password)
            graduate.save(update_fields=["user"])
    return LOGINS
