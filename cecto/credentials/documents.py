"""The unsigned documents cecto issues, built from plain facts (no ORM).

- `open_badge_credential`: a 1EdTech Open Badges 3.0 `OpenBadgeCredential` on the VC Data Model 2.0.
- `clr_credential`: a 1EdTech CLR 2.0 `ClrCredential`, the person's transcript, embedding their
  signed Open Badges credentials.
- `status_list_credential`: a W3C `BitstringStatusListCredential`.

The person has no DID, so the subject is identified as Open Badges suggests: their name (in clear,
it is what the certificate shows) and a salted SHA-256 of their e-mail address, which an employer
who knows the address can check and nobody else can read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from cecto.credentials.jsonld import CLR_V2, OB_V3, VC_V2
from cecto.credentials.proofs import xsd_datetime

FRAMEWORK_NAME = "CoSN Framework of Essential Skills of the K-12 CTO"


@dataclass(frozen=True)
class IssuerProfile:
    id: str  # the issuer's DID
    name: str
    url: str

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url}


@dataclass(frozen=True)
class SkillAlignment:
    number: int
    name: str
    url: str


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str
    salt: str  # per credential, so two credentials of one person cannot be linked by their hash


@dataclass(frozen=True)
class AchievementFacts:
    id: str  # URL of the achievement
    name: str
    description: str
    criteria: str
    kind: str  # Open Badges achievementType
    ceus: Decimal
    alignments: tuple[SkillAlignment, ...] = ()


@dataclass(frozen=True)
class AwardFacts:
    credential_id: str  # URL of the credential's verification page
    issuer: IssuerProfile
    recipient: Recipient
    achievement: AchievementFacts
    ceus_earned: Decimal
    contact_minutes: int
    cohort_name: str
    started_on: date
    completed_on: date
    valid_from: datetime
    valid_until: datetime | None
    status_entries: tuple[dict[str, Any], ...] = field(default=())


def _identifiers(recipient: Recipient) -> list[dict[str, Any]]:
    digest = hashlib.sha256((recipient.email.strip().lower() + recipient.salt).encode("utf-8")).hexdigest()
    return [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": recipient.name},
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": f"sha256${digest}",
            "salt": recipient.salt,
        },
    ]


def _hours_text(minutes: int) -> str:
    # Whole hours as "240", else to the hundredth without trailing zeros: "1.5", "1.67".
    return f"{(Decimal(minutes) / 60).quantize(Decimal('0.01')).normalize():f}"


def achievement_json(facts: AchievementFacts, issuer: IssuerProfile) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": facts.id,
        "type": ["Achievement"],
        "achievementType": facts.kind,
        "name": facts.name,
        "description": facts.description,
        "criteria": {"narrative": facts.criteria},
        "creator": issuer.as_json(),
        "creditsAvailable": float(facts.ceus),
        "resultDescription": [
            {
                "id": f"{facts.id}#contact-hours",
                "type": ["ResultDescription"],
                "name": "Contact hours",
                "resultType": "ext:ContactHours",
            }
        ],
    }
    if facts.alignments:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": alignment.name,
                "targetUrl": alignment.url,
                "targetFramework": FRAMEWORK_NAME,
                "targetCode": str(alignment.number),
                "targetType": "ext:SkillArea",
            }
            for alignment in facts.alignments
        ]
    return achievement


def open_badge_credential(facts: AwardFacts) -> dict[str, Any]:
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": _identifiers(facts.recipient),
        "achievement": achievement_json(facts.achievement, facts.issuer),
        "creditsEarned": float(facts.ceus_earned),
        "term": facts.cohort_name,
        "activityStartDate": xsd_datetime(
            datetime.combine(facts.started_on, datetime.min.time(), facts.valid_from.tzinfo)
        ),
        "activityEndDate": xsd_datetime(
            datetime.combine(facts.completed_on, datetime.min.time(), facts.valid_from.tzinfo)
        ),
        "result": [
            {
                "type": ["Result"],
                "resultDescription": f"{facts.achievement.id}#contact-hours",
                "value": _hours_text(facts.contact_minutes),
            }
        ],
    }
    document: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": facts.issuer.as_json(),
        "validFrom": xsd_datetime(facts.valid_from),
        "name": facts.achievement.name,
        "credentialSubject": subject,
    }
    if facts.valid_until is not None:
        document["validUntil"] = xsd_datetime(facts.valid_until)
    if facts.status_entries:
        document["credentialStatus"] = list(facts.status_entries)
    return document


@dataclass(frozen=True)
class TranscriptFacts:
    credential_id: str
    issuer: IssuerProfile
    recipient: Recipient
    issued_at: datetime
    credentials: tuple[dict[str, Any], ...]  # the person's signed Open Badges credentials
    total_contact_minutes: int
    total_ceus: Decimal
    status_entries: tuple[dict[str, Any], ...] = field(default=())


def clr_credential(facts: TranscriptFacts) -> dict[str, Any]:
    # ClrSubject.achievement is optional in CLR 2.0 and would repeat what the embedded credentials
    # say (and double what is canonicalized); the achievements travel inside their credentials.
    count = len(facts.credentials)
    document: dict[str, Any] = {
        "@context": [VC_V2, CLR_V2, OB_V3],
        "id": facts.credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": facts.issuer.as_json(),
        "validFrom": xsd_datetime(facts.issued_at),
        "name": f"Transcript of {facts.recipient.name}",
        "description": (
            f"{count} achievement{'s' if count != 1 else ''}, "
            f"{_hours_text(facts.total_contact_minutes)} contact hours, {facts.total_ceus} CEUs."
        ),
        "credentialSubject": {
            "type": ["ClrSubject"],
            "identifier": _identifiers(facts.recipient),
            "verifiableCredential": list(facts.credentials),
        },
    }
    if facts.status_entries:
        document["credentialStatus"] = list(facts.status_entries)
    return document


def status_list_credential(
    *, list_url: str, issuer: IssuerProfile, purpose: str, encoded_list: str, valid_from: datetime
) -> dict[str, Any]:
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list,
        },
    }
