"""`cecto generate --scale small|state|national --seed N`: a deterministic synthetic dataset."""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cecto.demo.generator.load import BENCH_PASSWORD, DatabaseNotEmpty, LoadResult, generate
from cecto.demo.generator.progress import Progress
from cecto.demo.generator.scales import DEFAULT_AS_OF, SCALES


def _seed(value: str) -> int:
    try:
        seed = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if seed < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is negative: give a whole number from 0")
    return seed


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date such as 2026-11-20") from None


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic dataset (districts, people, programmes, classes, sessions, "
        "attendance and the hours ledger) into an empty database: the same scale and seed always give "
        "the same rows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        scales = "; ".join(f"{s.name}: {s.description}" for s in SCALES.values())
        parser.add_argument(
            "--scale", choices=list(SCALES), default="small", help=f"{scales} (default: small)."
        )
        parser.add_argument("--seed", type=_seed, default=1, help="Random seed, a whole number (default: 1).")
        parser.add_argument(
            "--as-of",
            type=_day,
            default=DEFAULT_AS_OF,
            help=f"Attendance is recorded up to this day (default: {DEFAULT_AS_OF}, whatever today is).",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete everything in the database first (Django's flush) instead of refusing one "
            "that holds data.",
        )
        parser.add_argument("--no-analyze", action="store_true", help="Skip ANALYZE after loading.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "The generator writes fictional people: it refuses to run with CECTO_ENV=production."
            )
        scale = SCALES[options["scale"]]
        started, cpu = time.perf_counter(), time.process_time()
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            f"Generating the {scale.name} dataset (seed {options['seed']}, attendance as of "
            f"{options['as_of']}) into {connection.vendor} {connection.settings_dict['NAME']}."
        )
        self.stdout.flush()
        self.stderr.ending = ""  # the progress lines end themselves (a bar redraws in place)
        try:
            result = generate(
                scale=scale,
                seed=options["seed"],
                as_of=options["as_of"],
                progress=Progress(self.stderr),
                flush=options["flush"],
                analyze=not options["no_analyze"],
            )
        except DatabaseNotEmpty as error:
            raise CommandError(str(error)) from None
        self._report(result, time.perf_counter() - started, time.process_time() - cpu)

    def _report(self, result: LoadResult, seconds: float, cpu: float) -> None:
        plan, counts, write = result.plan, result.plan.counts, self.stdout.write
        rate = result.total_rows / max(result.write_seconds, 1e-9)
        write(
            f"\nWrote {result.total_rows:,} rows in {result.write_seconds:.1f} s ({rate:,.0f} rows/s); "
            f"planning {result.seconds['plan']:.1f} s; the whole run {seconds:.1f} s "
            f"({cpu:.1f} s of CPU in this process)."
        )
        write(
            f"  {len(plan.organizations):,} organizations, {len(plan.people):,} people, "
            f"{len(plan.cohorts):,} classes, {len(plan.sessions):,} sessions, {len(plan.enrollments):,} "
            f"enrollments, {counts['attendance']:,} attendance records, {counts['entries']:,} ledger entries."
        )
        statuses = [key for key in sorted(counts) if key.startswith("status:")]
        write(
            "  Enrollments: "
            + ", ".join(f"{counts[k]:,} {k.removeprefix('status:')}" for k in statuses)
            + "."
        )
        for note in result.notes:
            write(f"  {note}")
        write(f"\nBench logins (password for each: {BENCH_PASSWORD}):")
        for login in plan.logins:
            name = login.person.full_name if login.person else ""
            write(f"  {login.role:<30} {login.username:<22} {name:<24} {login.what_to_try}")
