"""`cecto certify --cohort SLUG [--dry-run]`: who has earned their credential, what is missing; issue.

Without --dry-run it issues every earned credential not issued yet (and the holder's transcript).
Running it twice issues nothing new.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cecto.core.errors import DomainError
from cecto.credentials.certification import CertificationRow, certification_table
from cecto.credentials.services import credential_issue, credential_url
from cecto.scheduling.api import Cohort


class Command(BaseCommand):
    help = (
        "Evaluate a cohort's certification requirements; issue what is earned (or only explain, --dry-run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="The cohort's slug, e.g. cecto-2026.")
        parser.add_argument("--dry-run", action="store_true", help="Print the table, issue nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        cohort = Cohort.objects.select_related("program").filter(slug=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort has the slug {options['cohort']!r}.")
        rows = certification_table(cohort=cohort)
        self.stdout.write(
            f"Certification of {cohort.program} {cohort.name}{' (dry run)' if options['dry_run'] else ''}"
        )
        if not rows:
            self.stdout.write("Nobody is enrolled (applications are not counted).")
            return
        self._print(rows)
        earned = [row for row in rows if row.decision.is_earned]
        pending = [row for row in earned if row.credential is None]
        self.stdout.write(
            f"\n{len(earned)} of {len(rows)} have earned their credential; "
            f"{len(earned) - len(pending)} already issued, {len(pending)} to issue."
        )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was issued.")
            return
        issued = 0
        for number, row in enumerate(pending, start=1):
            try:
                credential = credential_issue(row=row, by=None)
            except DomainError as error:
                raise CommandError(f"{row.enrollment.person}: {error}") from None
            if credential is not None:
                issued += 1
                name = row.enrollment.person.full_name
                self.stdout.write(f"  [{number}/{len(pending)}] {name}: {credential_url(credential.uuid)}")
        self.stdout.write(f"Issued {issued} credential{'s' if issued != 1 else ''}.")

    def _print(self, rows: list[CertificationRow]) -> None:
        self.stdout.write(f"\n{'Name':<32} {'Track':<24} {'Hours':>7}  Result")
        for row in rows:
            hours = (Decimal(row.credited_minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
            if row.credential is not None:
                result = "issued"
            elif row.decision.is_earned:
                result = "earned"
            else:
                result = "missing"
            name, track = row.enrollment.person.full_name[:32], row.enrollment.track.name[:24]
            self.stdout.write(f"{name:<32} {track:<24} {hours:>7}  {result}")
            for reason in row.decision.missing:
                self.stdout.write(f"      - {reason}")
