"""`cecto match --cohort SLUG [--dry-run]`: match the cohort's mentees with mentors, print the proposals.

Without --dry-run the run and its proposals are saved for an administrator to accept on the matching
board; with it nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cecto.core.errors import DomainError
from cecto.mentoring.data import CRITERIA, MatchingResult
from cecto.mentoring.selectors import MatchingInput, matching_preview_for
from cecto.mentoring.services import matching_run_create
from cecto.scheduling.api import Cohort


class Command(BaseCommand):
    help = (
        "Match a cohort's mentees with mentors; print the proposals' scores and why anyone is left unmatched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cohort", required=True, help="The cohort's slug, e.g. cto-mentor-2026.")
        parser.add_argument("--dry-run", action="store_true", help="Print the proposals, save nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        cohort = Cohort.objects.select_related("program").filter(slug=options["cohort"]).first()
        if cohort is None:
            raise CommandError(f"No cohort has the slug {options['cohort']!r}.")
        preview = matching_preview_for(cohort=cohort)
        if not options["dry_run"]:
            try:
                run = matching_run_create(cohort=cohort, by=None)
            except DomainError as error:
                raise CommandError(str(error)) from None
        self._print(cohort, preview.input, preview.result, dry_run=options["dry_run"])
        if options["dry_run"]:
            self.stdout.write("\nDry run: nothing was saved.")
        else:
            self.stdout.write(
                f"\nSaved as run {run.uuid}. Accept the proposals on /cohorts/{cohort.slug}/matching/."
            )

    def _print(self, cohort: Cohort, data: MatchingInput, result: MatchingResult, *, dry_run: bool) -> None:
        rules = data.rules
        weights = ", ".join(f"{label.lower()} {rules.weights.of(key):g}" for key, label in CRITERIA)
        places = sum(max(0, m.capacity) for m in data.mentors)
        self.stdout.write(f"Matching {cohort.program} {cohort.name}{' (dry run)' if dry_run else ''}")
        self.stdout.write(
            f"Rules: mentors with at least {rules.min_years_as_cto} years as CTO; weights {weights}; "
            f"objective {rules.objective.value}."
        )
        self.stdout.write(
            f"{len(data.mentees)} mentees waiting, {len(data.mentors)} mentors with {places} places left."
        )
        self.stdout.write(f"\nProposals ({result.matched_count}, total score {result.total_score:.3f}):")
        for pair in result.pairs:
            mentee = data.intakes[pair.mentee_key].enrollment.person.full_name
            mentor = data.profiles[pair.mentor_key].person.full_name
            pinned = "  pinned" if pair.is_pinned else ""
            self.stdout.write(f"  {mentee:<30} with {mentor:<30} {pair.total:>7.3f}{pinned}")
            self.stdout.write(
                "      " + "; ".join(f"{c.label.lower()} {c.points:g}: {c.detail}" for c in pair.breakdown)
            )
        self.stdout.write(f"\nUnmatched ({len(result.unmatched)}):")
        for unmatched in result.unmatched:
            self.stdout.write(f"  {data.intakes[unmatched.mentee_key].enrollment.person.full_name}")
            for reason in unmatched.reasons:
                self.stdout.write(f"      - {reason}")
        if result.refused_pins:
            self.stdout.write(f"\nRefused pins ({len(result.refused_pins)}):")
            for refused in result.refused_pins:
                self.stdout.write(f"  {refused.reason}")
