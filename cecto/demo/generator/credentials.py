"""Credentials for the synthetic dataset: real, signed, verifiable, as the credentials app issues them.

One Open Badges 3.0 credential per certified enrollment, then CLR 2.0 transcripts (one per
graduate, the latest first) until the scale's figure is reached; about 1% revoked and 0.5%
suspended, each with its reason and status history. The documents are built and signed with the
credentials app's own pure modules (`documents`, `proofs`), so the verification page and
`cecto verify` check them exactly as they would an issued one; signing runs in one process per
core, in order, so the same seed gives the same documents byte for byte (Ed25519 is deterministic;
only the encrypted copy of the key differs from run to run, as Fernet's ciphertext always does).

The issuer key is derived from the seed: this is synthetic data, and the key signs nothing else.
"""

from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from multiprocessing import get_context
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from cecto.credentials import documents, proofs, status_list
from cecto.credentials.framework import skill_areas
from cecto.credentials.issuer import web_did
from cecto.credentials.models import STATUS_LIST_SIZE
from cecto.credentials.multikey import did_key_for, public_key_multibase
from cecto.demo.generator.attendance import new_uuid
from cecto.demo.generator.entities import Enrollment, Track
from cecto.demo.generator.plan import Plan
from cecto.ledger.api import ceus_for_minutes

KEY_ID = "key-generated"
PURPOSES = ("revocation", "suspension")
REVOKED_SHARE, SUSPENDED_SHARE = 0.01, 0.005
REASONS = (
    "Issued in error: the attendance register was corrected after graduation.",
    "Academic integrity finding upheld by the programme board.",
)
SUSPENSION_REASONS = ("Under review after a complaint about the capstone paper.",)
CHUNK = 500


@dataclass(frozen=True)
class Draft:
    """One credential to issue: small, so 200,000 of them fit in memory; the document is built and
    signed from it, in a signing process, when its turn comes."""

    id: int
    uuid_hex: str
    kind: str  # "ob3" or "clr2"
    person_id: int
    enrollment: Enrollment  # the badge's enrollment (a transcript's: its first badge's)
    badges: tuple[int, ...]  # a transcript's badges (draft ids)
    issued_at: datetime
    valid_until: datetime | None
    list_number: int
    index: int
    status: str
    reason: str
    salt: str


def signing_key(seed: int) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(random.Random(f"cecto-generate-key-{seed}").randbytes(32))


def _issuer_id(key: Ed25519PrivateKey) -> tuple[str, str]:
    if settings.CECTO_ISSUER_DID_METHOD == "key":
        did = did_key_for(key.public_key())
        return did, f"{did}#{public_key_multibase(key.public_key())}"
    return web_did(), f"{web_did()}#{KEY_ID}"


def _achievement_ids(plan: Plan) -> dict[int, int]:
    return {track.id: number for number, track in enumerate(plan.tracks, 1)}


def achievement_rows(plan: Plan, created: datetime) -> Iterator[tuple[object, ...]]:
    rng = random.Random(f"{plan.seed}-achievements")
    for number, track in enumerate(plan.tracks, 1):
        renews = 3 if track.program.kind == "ctl" else None
        areas = list(range(1, 11)) if track.audience == "technology_director" else [1, 2, 3, 4]
        yield (
            number, created, created, new_uuid(rng).hex, track.id, track.credential_name,
            f"{track.credential_name}, awarded by {track.program.name}.", _criteria(track),
            "Certification" if renews else "Certificate", json.dumps(areas), renews,
        )  # fmt: skip


def _criteria(track: Track) -> str:
    hours = track.required_contact_minutes // 60
    return (
        f"Completed {hours} contact hours of instruction in the programme and attended the required sessions."
    )


def _three_years_after(moment: datetime) -> datetime:
    # 29 February has no anniversary in three years' time: the cycle ends on the 28th.
    day = 28 if (moment.month, moment.day) == (2, 29) else moment.day
    return moment.replace(year=moment.year + 3, day=day)


def _issued_at(day: date) -> datetime:
    return datetime.combine(day, time(17), tzinfo=UTC)


def drafts(plan: Plan) -> list[Draft]:
    """Every credential to issue, in id order: badges (by certification day), then transcripts."""
    rng = random.Random(f"{plan.seed}-credentials")
    certified = sorted(
        (e for e in plan.enrollments if e.status == "certified" and e.certified_on is not None),
        key=lambda e: (e.certified_on, e.id),
    )
    target = max(plan.scale.credentials, len(certified))
    result: list[Draft] = []
    badges_by_person: dict[int, list[Draft]] = {}
    for enrollment in certified[:target]:
        issued_at = _issued_at(enrollment.certified_on or enrollment.cohort.ends_on)
        renews = enrollment.track.program.kind == "ctl"
        status, reason = _status(rng)
        list_number, index = _slot(len(result) + 1)
        draft = Draft(
            id=len(result) + 1,
            uuid_hex=new_uuid(rng).hex,
            kind="ob3",
            person_id=enrollment.person.id,
            enrollment=enrollment,
            badges=(),
            issued_at=issued_at,
            valid_until=_three_years_after(issued_at) if renews else None,
            list_number=list_number,
            index=index,
            status=status,
            reason=reason,
            salt=f"{rng.getrandbits(64):016x}",
        )
        result.append(draft)
        badges_by_person.setdefault(enrollment.person.id, []).append(draft)
    # Transcripts for the most recent graduates, as many as the scale's figure still asks for.
    people = sorted(badges_by_person.items(), key=lambda item: (-item[1][-1].issued_at.timestamp(), item[0]))
    for person_id, badges in people[: max(0, target - len(result))]:
        live = tuple(badge.id for badge in badges if badge.status != "revoked")
        if not live:
            continue
        list_number, index = _slot(len(result) + 1)
        result.append(
            Draft(
                id=len(result) + 1,
                uuid_hex=new_uuid(rng).hex,
                kind="clr2",
                person_id=person_id,
                enrollment=badges[0].enrollment,
                badges=live,
                issued_at=max(badge.issued_at for badge in badges),
                valid_until=None,
                list_number=list_number,
                index=index,
                status="active",
                reason="",
                salt=f"{rng.getrandbits(64):016x}",
            )
        )
    return result


def _slot(number: int) -> tuple[int, int]:
    slot = number - 1
    return slot // STATUS_LIST_SIZE + 1, status_list.index_for_slot(slot % STATUS_LIST_SIZE)


def _status(rng: random.Random) -> tuple[str, str]:
    draw = rng.random()
    if draw < REVOKED_SHARE:
        return "revoked", rng.choice(REASONS)
    if draw < REVOKED_SHARE + SUSPENDED_SHARE:
        return "suspended", rng.choice(SUSPENSION_REASONS)
    return "active", ""


def _site() -> str:
    return str(settings.SITE_URL)


def _badge_document(draft: Draft, issuer_did: str, achievement_uuids: dict[int, str]) -> dict[str, Any]:
    enrollment = draft.enrollment
    track, cohort, person = enrollment.track, enrollment.cohort, enrollment.person
    ceus = ceus_for_minutes(track.required_contact_minutes)
    areas = skill_areas()
    skill_numbers = list(range(1, 11)) if track.audience == "technology_director" else [1, 2, 3, 4]
    facts = documents.AwardFacts(
        credential_id=f"{_site()}/credentials/{_dashed(draft.uuid_hex)}/",
        issuer=_issuer_profile(track, issuer_did),
        recipient=documents.Recipient(name=person.full_name, email=person.email, salt=draft.salt),
        achievement=documents.AchievementFacts(
            id=f"{_site()}/achievements/{_dashed(achievement_uuids[track.id])}/",
            name=track.credential_name,
            description=f"{track.credential_name}, awarded by {track.program.name}.",
            criteria=_criteria(track),
            kind="Certification" if draft.valid_until else "Certificate",
            ceus=ceus,
            alignments=tuple(
                documents.SkillAlignment(n, areas[n], f"{_site()}/frameworks/cosn/#skill-area-{n}")
                for n in skill_numbers
            ),
        ),
        ceus_earned=ceus,
        contact_minutes=track.required_contact_minutes,
        cohort_name=cohort.name,
        started_on=max(enrollment.enrolled_on, cohort.starts_on),
        completed_on=enrollment.certified_on or cohort.ends_on,
        valid_from=draft.issued_at,
        valid_until=draft.valid_until,
        status_entries=_entries(draft.list_number, draft.index),
    )
    return documents.open_badge_credential(facts)


def _issuer_profile(track: Track, issuer_did: str) -> documents.IssuerProfile:
    partners = [organization.name for organization, _ in track.program.partners]
    return documents.IssuerProfile(
        id=issuer_did,
        name=" and ".join(partners) or track.program.name,
        url=f"{_site()}/programs/{track.program.slug}/",
    )


def _transcript_document(draft: Draft, issuer_did: str, badges: list[dict[str, Any]]) -> dict[str, Any]:
    first = draft.enrollment
    person = first.person
    minutes = sum(_minutes(badge) for badge in badges)
    facts = documents.TranscriptFacts(
        credential_id=f"{_site()}/credentials/{_dashed(draft.uuid_hex)}/",
        issuer=_issuer_profile(first.track, issuer_did),
        recipient=documents.Recipient(name=person.full_name, email=person.email, salt=draft.salt),
        issued_at=draft.issued_at,
        credentials=tuple(badges),
        total_contact_minutes=minutes,
        total_ceus=ceus_for_minutes(minutes),
        status_entries=_entries(draft.list_number, draft.index),
    )
    return documents.clr_credential(facts)


def _minutes(document: dict[str, Any]) -> int:
    value = document["credentialSubject"]["result"][0]["value"]
    return int(Decimal(value) * 60)


def _entries(list_number: int, index: int) -> tuple[dict[str, Any], ...]:
    return tuple(
        status_list.status_entry(f"{_site()}/credentials/status/{list_number}/{purpose}", purpose, index)
        for purpose in PURPOSES
    )


def _dashed(hex32: str) -> str:
    return f"{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:]}"


# --- Signing, one process per core ----------------------------------------------------------------
# The pool is forked after the drafts are made, so each worker reads them (and the plan they point
# into) from the memory it inherited; only draft ids go out and signed text comes back.


@dataclass(frozen=True)
class _Signer:
    drafts: list[Draft]
    achievement_uuids: dict[int, str]
    key: Ed25519PrivateKey
    issuer_did: str
    method: str

    def sign(self, document: dict[str, Any], created: datetime) -> dict[str, Any]:
        return proofs.sign(document, self.key, proofs.ProofOptions(self.method, created))

    def badge(self, draft: Draft) -> dict[str, Any]:
        return self.sign(_badge_document(draft, self.issuer_did, self.achievement_uuids), draft.issued_at)

    def signed_text(self, draft: Draft) -> str:
        if draft.kind == "ob3":
            signed = self.badge(draft)
        else:
            # Signing is deterministic: a badge signed again has the bytes it was issued with.
            badges = [self.badge(self.drafts[badge_id - 1]) for badge_id in draft.badges]
            signed = self.sign(_transcript_document(draft, self.issuer_did, badges), draft.issued_at)
        return json.dumps(signed, ensure_ascii=False, indent=2)


_signer: _Signer | None = None  # set before the pool forks: the workers inherit it


def _sign_chunk(ids: list[int]) -> list[str]:
    if _signer is None:  # pragma: no cover (only if the pool was not forked from signed_documents)
        raise RuntimeError("No signer: signed_documents sets it before starting the workers.")
    return [_signer.signed_text(_signer.drafts[draft_id - 1]) for draft_id in ids]


def signed_documents(plan: Plan, all_drafts: list[Draft], key: Ed25519PrivateKey) -> Iterator[str]:
    """The signed documents, in draft order, signed by one forked process per core."""
    global _signer
    issuer_did, method = _issuer_id(key)
    uuids = {
        int(str(row[4])): str(row[3]) for row in achievement_rows(plan, datetime(2000, 1, 1, tzinfo=UTC))
    }
    _signer = _Signer(all_drafts, uuids, key, issuer_did, method)
    ids = [draft.id for draft in all_drafts]
    chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
    processes = max(1, min(os.cpu_count() or 1, 8))
    try:
        if processes == 1 or len(chunks) <= 1:
            for chunk in chunks:
                yield from _sign_chunk(chunk)
            return
        with ProcessPoolExecutor(processes, mp_context=get_context("fork")) as pool:
            for texts in pool.map(_sign_chunk, chunks):
                yield from texts
    finally:
        _signer = None


def status_list_count(count: int) -> int:
    return max(1, math.ceil(count / STATUS_LIST_SIZE))


def status_changed_at(draft: Draft) -> datetime:
    return draft.issued_at + timedelta(days=120)
