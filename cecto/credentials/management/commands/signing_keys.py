"""`cecto signing_keys list|rotate|new-encryption-key`: the issuer's keys.

`rotate` makes a new active key; older keys stay published so what they signed still verifies.
Private keys are never printed. `new-encryption-key` prints a fresh CECTO_KEY_ENCRYPTION_KEY to put
in the environment (it encrypts the signing keys at rest).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cecto.credentials.issuer import issuer_did, new_encryption_key, signing_key_create, verification_method
from cecto.credentials.models import SigningKey


class Command(BaseCommand):
    help = "List or rotate the issuer's signing keys; print a new key-encryption key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=("list", "rotate", "new-encryption-key"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "new-encryption-key":
            self.stdout.write(new_encryption_key())
            return
        if action == "rotate":
            key = signing_key_create(by=None)
            self.stdout.write(f"New active key {key.key_id}: {verification_method(key)}")
        keys = list(SigningKey.objects.order_by("created_at"))
        if not keys:
            self.stdout.write("No signing key yet: one is made when the first credential is issued.")
            return
        self.stdout.write(f"Issuer {issuer_did()}")
        for key in keys:
            state = "active" if key.is_active else f"retired {key.retired_at:%Y-%m-%d}"
            self.stdout.write(f"  {key.key_id:<24} {key.public_key_multibase}  {state}")
