"""`cecto send_mentoring_reminders`: one pass that e-mails the pair of every quiet match.

A match is quiet when it has had no meeting for its programme's quiet period (30 days unless set);
each pair is reminded at most once per period. Run it daily from a scheduler.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cecto.mentoring.selectors import quiet_matches_for
from cecto.mentoring.services import match_remind


class Command(BaseCommand):
    help = "E-mail the mentor and mentee of every match with no meeting for the programme's quiet period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the quiet matches, send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        quiet = quiet_matches_for(today=today)
        for match, last in quiet:
            if not options["dry_run"]:
                match_remind(match=match, last_met_on=last, today=today)
            self.stdout.write(
                f"{'Would remind' if options['dry_run'] else 'Reminded'} {match}: "
                f"no meeting for {(today - last).days} days."
            )
        self.stdout.write(f"{len(quiet)} quiet match(es).")
