"""CLI: `cecto certify`, `cecto verify` and `cecto signing_keys`."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from cecto.credentials import issuer
from cecto.credentials.models import Credential, SigningKey
from cecto.credentials.services import credential_status_change, credential_url
from cecto.credentials.tests.factories import credit_hours, graduate_enrollment, issue_for
from cecto.credentials.tests.support import secrets_of
from cecto.scheduling.tests.factories import CohortFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def failing(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=out)
    return raised.value, out.getvalue()


@pytest.fixture
def cohort() -> Any:
    ada = graduate_enrollment(person__full_name="Ada Lovelace", cohort__slug="class-of-2026")
    bob = EnrollmentFactory(cohort=ada.cohort, track=ada.track, person__full_name="Bob Babbage")
    credit_hours(bob, minutes=200 * 60 + 30)
    return ada.cohort


# --- certify -------------------------------------------------------------------------------------


def test_a_dry_run_prints_the_table_and_issues_nothing(cohort):
    out = run("certify", "--cohort", "class-of-2026", "--dry-run")

    assert out.startswith(f"Certification of {cohort.program} {cohort.name} (dry run)\n")
    lines = out.splitlines()
    assert any(line.startswith("Ada Lovelace") and line.endswith("  240.0  earned") for line in lines)
    assert any(line.startswith("Bob Babbage") and line.endswith("  200.5  missing") for line in lines)
    assert "      - Contact hours: 39.5 more contact hours needed (200.5 of 240)." in lines
    assert "1 of 2 have earned their credential; 0 already issued, 1 to issue." in out
    assert out.endswith("Dry run: nothing was issued.\n")
    assert not Credential.objects.exists()


def test_certify_issues_what_is_earned(cohort):
    out = run("certify", "--cohort", "class-of-2026")

    credential = Credential.objects.get(kind=Credential.Kind.OPEN_BADGE)
    assert credential.person.full_name == "Ada Lovelace"
    assert f"  [1/1] Ada Lovelace: {credential_url(credential.uuid)}\n" in out
    assert out.endswith("Issued 1 credential.\n")


def test_certify_twice_issues_nothing_new(cohort):
    run("certify", "--cohort", "class-of-2026")

    out = run("certify", "--cohort", "class-of-2026")

    assert "1 of 2 have earned their credential; 1 already issued, 0 to issue." in out
    assert any(line.startswith("Ada Lovelace") and line.endswith("issued") for line in out.splitlines())
    assert out.endswith("Issued 0 credentials.\n")
    assert Credential.objects.filter(kind=Credential.Kind.OPEN_BADGE).count() == 1


def test_certify_an_unknown_cohort_is_an_error():
    error, _ = failing("certify", "--cohort", "no-such-class")

    assert str(error) == "No cohort has the slug 'no-such-class'."


def test_certify_an_empty_cohort_says_so():
    CohortFactory(slug="empty-class")

    out = run("certify", "--cohort", "empty-class")

    assert out.endswith("Nobody is enrolled (applications are not counted).\n")


# --- verify --------------------------------------------------------------------------------------


@pytest.fixture
def credential() -> Credential:
    return issue_for(graduate_enrollment(person__full_name="Ada Lovelace"))


def write(tmp_path: Path, document: Any, name: str = "credential.json") -> str:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8")
    return str(path)


def test_verify_a_valid_credential_exits_0(credential, tmp_path):
    path = write(tmp_path, credential.document)

    out = run("verify", path)

    assert out.startswith(f"{path}: VALID\n")
    assert "  ✓ proof: Signed with did:web:" in out
    assert "  ✓ status: Not revoked.\n" in out


def test_verify_a_revoked_credential_exits_1_with_the_reason(credential, tmp_path):
    credential_status_change(credential=credential, to_status="revoked", reason="Issued in error.", by=None)
    path = write(tmp_path, credential.document)

    error, out = failing("verify", path)

    assert error.returncode == 1
    assert str(error) == "Revoked: Revoked by the issuer."
    assert out.startswith(f"{path}: REVOKED\n")
    assert "  ✗ status: Revoked by the issuer.\n" in out


def test_verify_a_tampered_credential_exits_1_with_the_reason(credential, tmp_path):
    document = json.loads(credential.document)
    document["credentialSubject"]["creditsEarned"] = 99.0
    path = write(tmp_path, document)

    error, out = failing("verify", path)

    assert error.returncode == 1
    assert str(error).startswith("Invalid: The signature does not match")
    assert "  ✗ proof: The signature does not match" in out


def test_verify_malformed_json_exits_1_with_line_and_column(tmp_path):
    path = write(tmp_path, '{\n  "type": ["VerifiableCredential"],\n  "name": \n}')

    error, out = failing("verify", path)

    assert error.returncode == 1
    assert out == f"{path}: INVALID\n  ✗ Not valid JSON: Expecting value at line 4, column 1.\n"


def test_verify_a_missing_file_exits_2(tmp_path):
    error, _ = failing("verify", str(tmp_path / "nowhere.json"))

    assert error.returncode == 2
    assert str(error) == f"{tmp_path / 'nowhere.json'}: No such file or directory."


def test_verify_reads_standard_input(credential, monkeypatch):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(credential.document.encode())))

    assert run("verify", "-").startswith("-: VALID\n")


def test_verify_prints_warnings(credential, tmp_path, settings):
    path = write(tmp_path, credential.document)
    settings.SITE_URL = "https://moved.example"  # the credential's lists are no longer ours to read

    error, out = failing("verify", path)

    assert error.returncode == 1  # its did:web key is not ours any more either
    assert "  ! The revocation status list" in out


# --- signing_keys --------------------------------------------------------------------------------


def test_signing_keys_list_before_any_key():
    assert (
        run("signing_keys", "list")
        == "No signing key yet: one is made when the first credential is issued.\n"
    )


def test_signing_keys_rotate_and_list_show_public_keys_only():
    first = issuer.active_signing_key()

    rotated = run("signing_keys", "rotate")
    listed = run("signing_keys", "list")

    second = SigningKey.objects.get(is_active=True)
    assert rotated.startswith(f"New active key {second.key_id}: {issuer.web_did()}#{second.key_id}\n")
    assert listed.startswith(f"Issuer {issuer.web_did()}\n")
    assert f"  {first.key_id:<24} {first.public_key_multibase}  retired " in listed
    assert f"  {second.key_id:<24} {second.public_key_multibase}  active" in listed
    for key in SigningKey.objects.all():
        for secret in secrets_of(key):
            assert secret not in rotated + listed


def test_signing_keys_new_encryption_key_prints_a_fernet_key():
    out = run("signing_keys", "new-encryption-key")

    key = out.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert key != run("signing_keys", "new-encryption-key").strip()
    assert not SigningKey.objects.exists()
