"""Issuing, transcripts, status changes and status lists: the credentials app's use cases."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cecto.core.audit import audit_event_record
from cecto.core.errors import DomainError
from cecto.core.types import AnyUser
from cecto.credentials import documents, issuer, proofs, status_list, verification
from cecto.credentials.certification import CertificationRow, certification_table
from cecto.credentials.framework import skill_areas
from cecto.credentials.models import (
    STATUS_LIST_SIZE,
    Achievement,
    Credential,
    CredentialStatusChange,
    SigningKey,
    StatusList,
)
from cecto.credentials.verification import (
    PresentationVerdict,
    Verdict,
    verify_credential,
    verify_presentation,
)
from cecto.ledger.api import ceus_for_minutes
from cecto.people.api import Person
from cecto.programs.api import Track
from cecto.scheduling.api import Cohort, Enrollment, enrollment_status_change

PURPOSES = ("revocation", "suspension")
STATUS_LIST_CLOCK_SKEW = timedelta(minutes=5)


class CredentialRefused(DomainError):
    pass


# --- URLs (absolute: they go into signed documents) -------------------------------------------


def credential_url(uuid: UUID) -> str:
    return f"{settings.SITE_URL}/credentials/{uuid}/"


def status_list_url(number: int, purpose: str) -> str:
    return f"{settings.SITE_URL}/credentials/status/{number}/{purpose}"


def achievement_url(achievement: Achievement) -> str:
    return f"{settings.SITE_URL}/achievements/{achievement.uuid}/"


def skill_area_url(number: int) -> str:
    return f"{settings.SITE_URL}/frameworks/cosn/#skill-area-{number}"


# --- Achievements --------------------------------------------------------------------------------


def achievement_for(track: Track) -> Achievement:
    """The track's achievement, created from the track the first time it is needed."""
    achievement = Achievement.objects.filter(track=track).first()
    if achievement is not None:
        return achievement
    hours = Decimal(track.required_contact_minutes) / 60
    criteria = f"Completed {hours.normalize():f} contact hours of instruction in {track.program.name}"
    if track.required_sessions != Track.RequiredSessions.NONE:
        criteria += ", attended the required sessions"
    criteria += ", and met the programme's eligibility rules."
    achievement, _ = Achievement.objects.get_or_create(
        track=track,
        defaults={
            "name": track.credential_name,
            "description": track.description or f"{track.credential_name}, awarded by {track.program.name}.",
            "criteria": criteria,
        },
    )
    return achievement


def _issuer_profile(
    cohort_or_program_name: str, program_url: str, key: SigningKey
) -> documents.IssuerProfile:
    return documents.IssuerProfile(id=issuer.issuer_did(key), name=cohort_or_program_name, url=program_url)


def _program_issuer(track: Track, key: SigningKey) -> documents.IssuerProfile:
    program = track.program
    partners = [
        partnership.organization.name for partnership in program.partnerships.select_related("organization")
    ]
    name = (
        " and ".join([", ".join(partners[:-1]), partners[-1]] if len(partners) > 1 else partners)
        or program.name
    )
    return _issuer_profile(name, f"{settings.SITE_URL}/programs/{program.slug}/", key)


# --- Status lists ----------------------------------------------------------------------------------


def _allocate_status_slots(count: int) -> list[tuple[StatusList, int]]:
    """COUNT fresh status indexes, under a lock so two issuers never share one."""
    slots: list[tuple[StatusList, int]] = []
    while len(slots) < count:
        current = StatusList.objects.select_for_update().order_by("-number").first()
        if current is None or current.allocated >= current.size:
            number = 1 if current is None else current.number + 1
            current = StatusList.objects.create(number=number, size=STATUS_LIST_SIZE)
        take = min(count - len(slots), current.size - current.allocated)
        slots.extend(
            (current, status_list.index_for_slot(slot, current.size))
            for slot in range(current.allocated, current.allocated + take)
        )
        current.allocated += take
        current.save(update_fields=["allocated"])
    return slots


def _status_entries(list_number: int, index: int) -> tuple[dict[str, Any], ...]:
    return tuple(
        status_list.status_entry(status_list_url(list_number, purpose), purpose, index)
        for purpose in PURPOSES
    )


# Signed lists per process, keyed by what they depend on; a status change bumps the version.
_signed_lists: dict[tuple[str, int, int, str], dict[str, Any]] = {}


def forget_cached_documents() -> None:
    """Drop the per-process caches of signed lists, verified lists and decrypted keys (tests use it
    between databases; a deployment never needs to)."""
    _signed_lists.clear()
    verification.forget_verified_lists()
    issuer.forget_private_keys()


def status_list_document(number: int, purpose: str) -> dict[str, Any] | None:
    """The signed BitstringStatusListCredential for one list and purpose (re-signed when it changes)."""
    if purpose not in PURPOSES:
        return None
    listed = StatusList.objects.filter(number=number).first()
    if listed is None:
        return None
    key = issuer.active_signing_key()
    cache_key = (
        issuer.issuer_did(key),
        number,
        listed.version,
        f"{purpose}:{key.public_key_multibase}:{listed.pk}:{listed.allocated}",
    )
    cached = _signed_lists.get(cache_key)
    if cached is not None:
        return cached
    flagged = Credential.Status.REVOKED if purpose == "revocation" else Credential.Status.SUSPENDED
    indexes = Credential.objects.filter(status_list=listed, status=flagged).values_list(
        "status_index", flat=True
    )
    unsigned = documents.status_list_credential(
        list_url=status_list_url(number, purpose),
        issuer=documents.IssuerProfile(id=issuer.issuer_did(key), name="", url=""),
        purpose=purpose,
        encoded_list=status_list.encode(status_list.bitstring(indexes, listed.size)),
        # Backdated: a verifier whose clock is a little behind ours, or whose "now" was taken just
        # before it asked for the list, must not read a list signed this second as not yet valid.
        valid_from=timezone.now() - STATUS_LIST_CLOCK_SKEW,
    )
    signed = proofs.sign(unsigned, issuer.private_key(key), _proof_options(key))
    if len(_signed_lists) > 256:
        _signed_lists.clear()
    _signed_lists[cache_key] = signed
    return signed


def resolve_status_list(url: str) -> dict[str, Any] | None:
    """A status list URL of ours, as its credential; None for anyone else's (never fetched)."""
    prefix = f"{settings.SITE_URL}/credentials/status/"
    if not url.startswith(prefix):
        return None
    number, _, purpose = url.removeprefix(prefix).partition("/")
    if not number.isdigit():
        return None
    return status_list_document(int(number), purpose)


# --- Verification -----------------------------------------------------------------------------------


def verify_document(document: Any, *, now: datetime | None = None) -> Verdict:
    return verify_credential(
        document, resolve_key=issuer.resolve_key, resolve_list=resolve_status_list, now=now
    )


def verify_presentation_document(
    document: Any, *, challenge: str | None = None, domain: str | None = None, now: datetime | None = None
) -> PresentationVerdict:
    return verify_presentation(
        document,
        resolve_key=issuer.resolve_key,
        resolve_list=resolve_status_list,
        challenge=challenge,
        domain=domain,
        now=now,
    )


# --- Issuing ---------------------------------------------------------------------------------------


def _proof_options(key: SigningKey) -> proofs.ProofOptions:
    return proofs.ProofOptions(verification_method=issuer.verification_method(key), created=timezone.now())


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def _valid_until(achievement: Achievement, valid_from: datetime) -> datetime | None:
    if not achievement.valid_for_years:
        return None
    try:
        return valid_from.replace(year=valid_from.year + achievement.valid_for_years)
    except ValueError:  # 29 February
        return valid_from.replace(year=valid_from.year + achievement.valid_for_years, day=28)


def _award_facts(
    row: CertificationRow,
    achievement: Achievement,
    uuid: UUID,
    key: SigningKey,
    now: datetime,
    index: tuple[int, int],
) -> documents.AwardFacts:
    enrollment = row.enrollment
    cohort = enrollment.cohort
    person = enrollment.person
    minutes = row.credited_minutes
    areas = skill_areas()
    return documents.AwardFacts(
        credential_id=credential_url(uuid),
        issuer=_program_issuer(enrollment.track, key),
        recipient=documents.Recipient(name=person.full_name, email=person.email, salt=secrets.token_hex(8)),
        achievement=documents.AchievementFacts(
            id=achievement_url(achievement),
            name=achievement.name,
            description=achievement.description,
            criteria=achievement.criteria,
            kind=achievement.kind,
            ceus=ceus_for_minutes(enrollment.track.required_contact_minutes),
            alignments=tuple(
                documents.SkillAlignment(number, areas[number], skill_area_url(number))
                for number in achievement.skill_areas
                if number in areas
            ),
        ),
        ceus_earned=ceus_for_minutes(minutes),
        contact_minutes=minutes,
        cohort_name=cohort.name,
        started_on=max(enrollment.enrolled_on, cohort.starts_on),
        completed_on=timezone.localdate(now, cohort.program.zone),
        valid_from=now,
        valid_until=_valid_until(achievement, now),
        status_entries=_status_entries(*index),
    )


@dataclass(frozen=True)
class CertifyResult:
    rows: tuple[CertificationRow, ...]
    issued: tuple[Credential, ...]


def certify_cohort(
    *, cohort: Cohort, by: AnyUser | None, dry_run: bool = False, now: datetime | None = None
) -> CertifyResult:
    """Evaluate every enrollment; unless DRY_RUN, issue what is earned and not yet issued."""
    rows = certification_table(cohort=cohort, now=now)
    if dry_run:
        return CertifyResult(tuple(rows), ())
    issued = issue_for_rows([row for row in rows if row.decision.is_earned and row.credential is None], by=by)
    return CertifyResult(tuple(rows), tuple(issued))


def issue_for_rows(
    rows: Sequence[CertificationRow], *, by: AnyUser | None, run_id: int | None = None
) -> list[Credential]:
    """Issue an Open Badge for each earned row (skipping any already issued) and a fresh transcript."""
    issued: list[Credential] = []
    for row in rows:
        credential = credential_issue(row=row, by=by, run_id=run_id)
        if credential is not None:
            issued.append(credential)
    return issued


def credential_issue(
    *, row: CertificationRow, by: AnyUser | None, run_id: int | None = None
) -> Credential | None:
    """Issue the enrollment's Open Badge if earned; None if it already has one (idempotent)."""
    if not row.decision.is_earned:
        raise CredentialRefused(
            f"{row.enrollment.person} has not earned {row.enrollment.track.credential_name}: "
            + "; ".join(row.decision.missing)
        )
    with transaction.atomic():
        # The lock makes two runs on one class wait for each other instead of both issuing.
        enrollment = Enrollment.objects.select_for_update().get(pk=row.enrollment.pk)
        if Credential.objects.filter(enrollment=enrollment, kind=Credential.Kind.OPEN_BADGE).exists():
            return None
        achievement = achievement_for(row.enrollment.track)
        key = issuer.active_signing_key()
        now = timezone.now()
        uuid = uuid4()
        ((listed, index),) = _allocate_status_slots(1)
        facts = _award_facts(row, achievement, uuid, key, now, (listed.number, index))
        signed = proofs.sign(
            documents.open_badge_credential(facts), issuer.private_key(key), _proof_options(key)
        )
        credential = Credential.objects.create(
            uuid=uuid,
            kind=Credential.Kind.OPEN_BADGE,
            person=row.enrollment.person,
            enrollment=enrollment,
            achievement=achievement,
            document=_dump(signed),
            signing_key=key,
            issued_at=now,
            valid_until=facts.valid_until,
            status_list=listed,
            status_index=index,
            issuance_run_id=run_id,
        )
        for status in _path_to_certified(enrollment.status):
            enrollment = enrollment_status_change(
                enrollment=enrollment, to_status=status, by=by, reason="Certification requirements met."
            )
        audit_event_record(
            actor=by,
            verb="credential.issued",
            subject_kind="credential",
            subject_id=credential.uuid,
            data={"enrollment": str(enrollment.uuid), "achievement": achievement.name},
        )
        transcript_issue(person=row.enrollment.person, by=by)
    return credential


_PATH_TO_CERTIFIED: dict[str, list[str]] = {
    "admitted": ["active", "completed", "certified"],
    "active": ["completed", "certified"],
    "completed": ["certified"],
}


def _path_to_certified(status: str) -> list[str]:
    return _PATH_TO_CERTIFIED.get(status, [])


def transcript_issue(*, person: Person, by: AnyUser | None) -> Credential | None:
    """A CLR 2.0 transcript of the person's active Open Badges; supersedes the previous one."""
    badges = list(
        Credential.objects.filter(person=person, kind=Credential.Kind.OPEN_BADGE)
        .exclude(status=Credential.Status.REVOKED)
        .select_related("enrollment")
        .order_by("issued_at", "pk")
    )
    if not badges:
        return None
    embedded = tuple(json.loads(badge.document) for badge in badges)
    minutes = sum(_credited_minutes(document) for document in embedded)
    key = issuer.active_signing_key()
    now = timezone.now()
    uuid = uuid4()
    with transaction.atomic():
        ((listed, index),) = _allocate_status_slots(1)
        facts = documents.TranscriptFacts(
            credential_id=credential_url(uuid),
            issuer=documents.IssuerProfile(
                id=issuer.issuer_did(key),
                name=embedded[-1]["issuer"]["name"],
                url=embedded[-1]["issuer"]["url"],
            ),
            recipient=documents.Recipient(
                name=person.full_name, email=person.email, salt=secrets.token_hex(8)
            ),
            issued_at=now,
            credentials=embedded,
            total_contact_minutes=minutes,
            total_ceus=ceus_for_minutes(minutes),
            status_entries=_status_entries(listed.number, index),
        )
        signed = proofs.sign(documents.clr_credential(facts), issuer.private_key(key), _proof_options(key))
        transcript = Credential.objects.create(
            uuid=uuid,
            kind=Credential.Kind.TRANSCRIPT,
            person=person,
            document=_dump(signed),
            signing_key=key,
            issued_at=now,
            status_list=listed,
            status_index=index,
        )
        Credential.objects.filter(
            person=person, kind=Credential.Kind.TRANSCRIPT, superseded_by__isnull=True
        ).exclude(pk=transcript.pk).update(superseded_by=transcript)
        audit_event_record(
            actor=by,
            verb="transcript.issued",
            subject_kind="credential",
            subject_id=transcript.uuid,
            data={"achievements": len(embedded)},
        )
    return transcript


def _credited_minutes(document: dict[str, Any]) -> int:
    for result in document.get("credentialSubject", {}).get("result", []):
        if str(result.get("resultDescription", "")).endswith("#contact-hours"):
            return int(Decimal(str(result.get("value", "0"))) * 60)
    return 0


# --- Status changes ----------------------------------------------------------------------------------

_ALLOWED = {
    Credential.Status.ACTIVE: {Credential.Status.SUSPENDED, Credential.Status.REVOKED},
    Credential.Status.SUSPENDED: {Credential.Status.ACTIVE, Credential.Status.REVOKED},
    Credential.Status.REVOKED: set(),  # revocation is permanent, as the status list spec intends
}


@transaction.atomic
def credential_status_change(
    *, credential: Credential, to_status: str, reason: str, by: AnyUser | None
) -> Credential:
    if not reason.strip():
        raise CredentialRefused("Give a reason: the holder and anyone who checks the credential will see it.")
    locked = Credential.objects.select_for_update().get(pk=credential.pk)
    if to_status not in _ALLOWED.get(Credential.Status(locked.status), set()):
        label = locked.get_status_display().lower()
        raise CredentialRefused(
            f"{'An' if label[0] in 'aeiou' else 'A'} {label} credential cannot become {to_status}."
            + (" Revocation is permanent." if locked.status == Credential.Status.REVOKED else "")
        )
    from_status = locked.status
    locked.status = to_status
    locked.status_reason = reason.strip()
    locked.save(update_fields=["status", "status_reason"])
    StatusList.objects.filter(pk=locked.status_list_id).update(version=F("version") + 1)
    CredentialStatusChange.objects.create(
        credential=locked,
        from_status=from_status,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=by if by is not None and by.is_authenticated else None,
    )
    audit_event_record(
        actor=by,
        verb=f"credential.{to_status}" if to_status != "active" else "credential.reinstated",
        subject_kind="credential",
        subject_id=locked.uuid,
        data={"from": from_status, "to": to_status, "reason": reason.strip()},
    )
    return locked


def expires_soon(credential: Credential, *, within: timedelta = timedelta(days=90)) -> bool:
    return credential.valid_until is not None and credential.valid_until - datetime.now(UTC) < within
