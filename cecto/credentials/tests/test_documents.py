"""The documents cecto issues: Open Badges 3.0, CLR 2.0 and status lists, all fully defined JSON-LD."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest

from cecto.credentials import documents
from cecto.credentials.jsonld import CLR_V2, OB_V3, VC_V2, canonicalize, expand
from cecto.credentials.tests.support import NOW, LocalIssuer, award_facts, transcript_facts

ISSUER = LocalIssuer()


def test_an_open_badge_canonicalizes_with_every_term_defined():
    document = documents.open_badge_credential(award_facts(ISSUER.profile))

    canonical = canonicalize(document)

    assert "Certified Education Technology Leader" in canonical
    assert "Data Management" in canonical


def test_an_open_badge_is_an_open_badge_credential_on_vc_2():
    document = documents.open_badge_credential(award_facts(ISSUER.profile))

    assert document["@context"] == [VC_V2, OB_V3]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"] == {
        "id": ISSUER.did,
        "type": ["Profile"],
        "name": "North Carolina CeCTO",
        "url": "https://cecto.example",
    }
    assert document["validFrom"] == "2026-05-30T12:00:00Z"
    assert document["validUntil"] == "2029-05-31T12:00:00Z"  # three times 365 days, over 2028's 29 February


def test_every_term_of_an_open_badge_survives_expansion():
    # Nothing dropped: every property we wrote is in the expansion, under an absolute IRI.
    expanded = expand(documents.open_badge_credential(award_facts(ISSUER.profile)))[0]
    subject = expanded["https://www.w3.org/2018/credentials#credentialSubject"][0]
    achievement = subject["https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"][0]

    assert len(subject) == 8  # @type and the seven properties written
    assert len(achievement["https://purl.imsglobal.org/spec/vc/ob/vocab.html#alignment"]) == 3


def test_the_recipient_is_named_and_identified_by_a_salted_email_hash():
    recipient = documents.Recipient(name="Ada Lovelace", email=" Ada@Example.org ", salt="s4lt")
    document = documents.open_badge_credential(award_facts(ISSUER.profile, recipient=recipient))

    name, email = document["credentialSubject"]["identifier"]
    expected = hashlib.sha256(b"ada@example.org" + b"s4lt").hexdigest()
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Ada Lovelace",
    }
    assert email == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${expected}",
        "salt": "s4lt",
    }
    assert "Ada@Example.org" not in str(document)


def test_two_salts_give_two_unlinkable_hashes():
    first = documents.Recipient(name="A", email="ada@example.org", salt="one")
    second = documents.Recipient(name="A", email="ada@example.org", salt="two")

    hashes = {
        documents.open_badge_credential(award_facts(ISSUER.profile, recipient=recipient))[
            "credentialSubject"
        ]["identifier"][1]["identityHash"]
        for recipient in (first, second)
    }

    assert len(hashes) == 2


def test_an_open_badge_carries_its_status_entries_and_alignments():
    document = documents.open_badge_credential(award_facts(ISSUER.profile))

    assert [entry["statusPurpose"] for entry in document["credentialStatus"]] == ["revocation", "suspension"]
    assert [a["targetCode"] for a in document["credentialSubject"]["achievement"]["alignment"]] == [
        "1",
        "4",
        "9",
    ]


def test_an_open_badge_without_expiry_status_or_alignment_leaves_them_out():
    facts = award_facts(ISSUER.profile, valid_until=None, status_entries=())
    facts = documents.AwardFacts(
        **{
            **facts.__dict__,
            "achievement": documents.AchievementFacts(
                **{**facts.achievement.__dict__, "alignments": ()},
            ),
        }
    )

    document = documents.open_badge_credential(facts)

    assert "validUntil" not in document
    assert "credentialStatus" not in document
    assert "alignment" not in document["credentialSubject"]["achievement"]
    canonicalize(document)


@pytest.mark.parametrize(("minutes", "text"), [(240 * 60, "240"), (90, "1.5"), (100, "1.67"), (0, "0")])
def test_contact_hours_are_written_plainly(minutes, text):
    document = documents.open_badge_credential(award_facts(ISSUER.profile, contact_minutes=minutes))

    assert document["credentialSubject"]["result"][0]["value"] == text


def test_activity_dates_are_the_dates_in_the_awards_zone():
    document = documents.open_badge_credential(award_facts(ISSUER.profile))

    assert document["credentialSubject"]["activityStartDate"] == "2026-02-10T00:00:00Z"
    assert document["credentialSubject"]["activityEndDate"] == "2026-05-28T00:00:00Z"


def test_credits_are_numbers():
    document = documents.open_badge_credential(award_facts(ISSUER.profile, ceus_earned=Decimal("24.5")))

    assert document["credentialSubject"]["creditsEarned"] == 24.5
    assert document["credentialSubject"]["achievement"]["creditsAvailable"] == 24.0


# --- CLR -------------------------------------------------------------------------------------------


def test_a_transcript_embeds_the_signed_badges_and_canonicalizes():
    badges = (ISSUER.open_badge(), ISSUER.open_badge(credential_id="https://cecto.example/credentials/2/"))
    document = documents.clr_credential(transcript_facts(ISSUER.profile, badges))

    canonical = canonicalize(document)

    assert document["@context"] == [VC_V2, CLR_V2, OB_V3]
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert document["credentialSubject"]["verifiableCredential"] == list(badges)
    # The achievements travel inside their credentials; the optional list would only repeat them.
    assert "achievement" not in document["credentialSubject"]
    assert badges[0]["proof"]["proofValue"] in canonical


@pytest.mark.parametrize(("count", "words"), [(1, "1 achievement, 245"), (2, "2 achievements, 490")])
def test_a_transcript_describes_its_totals(count, words):
    badges = tuple(ISSUER.open_badge(sign=False) for _ in range(count))

    document = documents.clr_credential(transcript_facts(ISSUER.profile, badges))

    assert document["description"].startswith(words)
    assert document["description"].endswith(f"contact hours, {Decimal('24.5') * count} CEUs.")
    assert document["name"] == "Transcript of Ada Lovelace"


def test_a_transcript_without_status_leaves_it_out():
    document = documents.clr_credential(transcript_facts(ISSUER.profile, (), status_entries=()))

    assert "credentialStatus" not in document
    canonicalize(document)


# --- Status list -----------------------------------------------------------------------------------


def test_a_status_list_credential_canonicalizes_under_vc_2_alone():
    document = documents.status_list_credential(
        list_url="https://cecto.example/credentials/status/1/revocation",
        issuer=ISSUER.profile,
        purpose="revocation",
        encoded_list="uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA",
        valid_from=NOW - timedelta(hours=1),
    )

    canonical = canonicalize(document)

    assert document["issuer"] == ISSUER.did
    assert document["credentialSubject"]["id"] == "https://cecto.example/credentials/status/1/revocation#list"
    assert "<https://www.w3.org/ns/credentials/status#BitstringStatusList>" in canonical
