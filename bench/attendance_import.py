"""Import attendance from our CSV format: rows per second, through the real import service.

    .venv/bin/python bench/attendance_import.py --database sqlite [--rows 1000000 --per-file 2000]
    .venv/bin/python bench/attendance_import.py --database postgres

One cohort with `--per-file` enrollments and as many sessions as it takes to reach `--rows`;
one CSV file per session (the format is one row per person for one session), each imported with
`attendance_csv_import` exactly as `cecto import attendance` does: validation, the attendance
records, the ledger credits, all-or-nothing per file. A second import of the first file measures
the idempotent path (nothing written).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import report, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--per-file", type=int, default=2_000)
    args = parser.parse_args()
    with throwaway_database(args.database, "cecto_bench_import"):
        figures: dict[str, object] = {"rows": args.rows, "rows_per_file": args.per_file}
        sessions, enrollments = _setup(args.rows, args.per_file)
        _import(sessions, enrollments, figures)
        report("attendance_import", args.database, figures)


def _setup(rows: int, per_file: int) -> tuple[list, list]:  # type: ignore[type-arg]
    from cecto.people.models import Organization, Person
    from cecto.programs.models import Program, Track
    from cecto.scheduling.models import Cohort, Enrollment, Session

    district = Organization.objects.create(
        slug="bench", name="Bench District", kind="school_district", state="NC", state_code="999"
    )
    program = Program.objects.create(slug="bench", name="Bench programme", short_name="Bench")
    track = Track.objects.create(
        program=program,
        slug="t",
        name="Track",
        audience="technology_director",
        required_contact_minutes=240 * 60,
        credential_name="Bench",
    )
    cohort = Cohort.objects.create(
        program=program,
        slug="bench",
        name="Bench class",
        starts_on=date(2020, 1, 1),
        ends_on=date(2030, 1, 1),
    )
    people = Person.objects.bulk_create(
        Person(full_name=f"P {n}", email=f"p{n}@bench.example", organization=district)
        for n in range(per_file)
    )
    now = datetime.now(UTC)
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            person=p,
            cohort=cohort,
            track=track,
            status="active",
            enrolled_on=date(2020, 1, 1),
            status_changed_at=now,
        )
        for p in people
    )
    files = max(1, rows // per_file)
    start = datetime(2021, 1, 4, 14, tzinfo=UTC)
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            title=f"S{n}",
            mode="online_live",
            meeting_url="https://meet.bench.example/x",
            starts_at=start + timedelta(days=n),
            ends_at=start + timedelta(days=n, hours=2),
            contact_minutes=120,
        )
        for n in range(files)
    )
    return sessions, enrollments


def _csv(enrollments: list, rng: random.Random) -> bytes:  # type: ignore[type-arg]
    lines = ["email,status,minutes_attended,note"]
    for enrollment in enrollments:
        draw = rng.random()
        if draw < 0.9:
            lines.append(f"{enrollment.person.email},present,,")
        elif draw < 0.95:
            lines.append(f"{enrollment.person.email},late,{rng.randint(60, 110)},traffic")
        else:
            lines.append(f"{enrollment.person.email},absent,,")
    return ("\n".join(lines) + "\n").encode()


def _import(sessions: list, enrollments: list, figures: dict[str, object]) -> None:  # type: ignore[type-arg]
    from cecto.ledger.models import HoursEntry
    from cecto.scheduling.imports.apply import attendance_csv_import

    rng = random.Random(7)
    for enrollment, person in zip(enrollments, [e.person for e in enrollments], strict=True):
        enrollment.person = person
    files = [_csv(enrollments, rng) for _ in sessions]
    rows = 0
    start = time.perf_counter()
    for index, (session, data) in enumerate(zip(sessions, files, strict=True), start=1):
        result = attendance_csv_import(session=session, file_name=f"s{index}.csv", data=data, by=None)
        rows += result.rows_total
        if index % 10 == 0 or index == len(sessions):
            elapsed = time.perf_counter() - start
            print(f"  {rows:>9,} rows  {rows / elapsed:>8,.0f} rows/s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    figures["import_s"] = round(elapsed, 2)
    figures["rows_imported"] = rows
    figures["rows_per_s"] = int(rows / elapsed)
    figures["ledger_entries"] = HoursEntry.objects.count()
    again = time.perf_counter()
    repeat = attendance_csv_import(session=sessions[0], file_name="s1.csv", data=files[0], by=None)
    figures["same_file_again_ms"] = round((time.perf_counter() - again) * 1000, 1)
    figures["same_file_again_wrote"] = repeat.created + repeat.changed


if __name__ == "__main__":
    main()
