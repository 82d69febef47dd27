"""`cecto verify FILE`: verify a credential (signature, issuer, dates, status); exit 0 only when valid.

FILE may be "-" for standard input. Exit status: 0 valid, 1 not valid (the reasons are printed),
2 unreadable input.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cecto.credentials.jsonld import JsonLdRefused
from cecto.credentials.services import verify_document
from cecto.credentials.verification import parse_json


class Command(BaseCommand):
    help = "Verify a credential file: signature, issuer, dates and status. Exit 0 only when it is valid."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help='The credential (JSON), or "-" for standard input.')

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            raise CommandError(f"{name}: {error.strerror}.", returncode=2) from None
        try:
            document = parse_json(raw)
        except JsonLdRefused as refused:
            self.stdout.write(f"{name}: INVALID\n  ✗ {refused}")
            raise CommandError(f"{name} is not a valid credential.", returncode=1) from None
        verdict = verify_document(document)
        self.stdout.write(f"{name}: {verdict.status.upper()}")
        for check in verdict.checks:
            self.stdout.write(f"  {'✓' if check.ok else '✗'} {check.name}: {check.detail}")
        for warning in verdict.warnings:
            self.stdout.write(f"  ! {warning}")
        if not verdict.is_valid:
            raise CommandError(verdict.summary, returncode=1)
