"""Recompute every balance from the ledger: 150,000 enrollments over 5,000,000 entries.

    .venv/bin/python bench/ledger_recompute.py --database sqlite
    .venv/bin/python bench/ledger_recompute.py --database postgres [--entries N --enrollments N]

Loads the rows with the database's fastest path (executemany on SQLite, COPY on PostgreSQL), then
times the balance selectors the pages use: every balance (one streamed GROUP BY), one cohort's
balances (the dashboard) and one enrollment's (the progress page).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import report, throwaway_database, timed

BATCH = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--entries", type=int, default=5_000_000)
    parser.add_argument("--enrollments", type=int, default=150_000)
    args = parser.parse_args()
    with throwaway_database(args.database, "cecto_bench_ledger"):
        figures: dict[str, object] = {"entries": args.entries, "enrollments": args.enrollments}
        refs = _load(args.entries, args.enrollments, figures)
        _measure(refs, figures)
        report("ledger_recompute", args.database, figures)


def _load(entries: int, enrollments: int, figures: dict[str, object]) -> list[uuid.UUID]:
    from django.db import connection, transaction

    from cecto.people.models import Organization, Person

    rng = random.Random(5)
    district = Organization.objects.create(
        slug="bench-district", name="Bench District", kind="school_district", state="NC", state_code="999"
    )
    with timed(figures, "load_people_s"):
        people = []
        for start in range(0, enrollments, 10_000):
            batch = [
                Person(full_name=f"Bench Person {n}", email=f"bench{n}@bench.example", organization=district)
                for n in range(start, min(start + 10_000, enrollments))
            ]
            people.extend(Person.objects.bulk_create(batch))
    refs = [uuid.uuid4() for _ in range(enrollments)]
    person_ids = [p.pk for p in people]
    sessions = [uuid.uuid4() for _ in range(2_000)]
    now = datetime.now(UTC)
    postgres = connection.vendor == "postgresql"

    def value(u: uuid.UUID) -> object:
        return u if postgres else u.hex

    def rows(count: int) -> Iterator[tuple[object, ...]]:
        for _ in range(count):
            i = rng.randrange(enrollments)
            mentoring = rng.random() < 0.05
            yield (
                value(uuid.uuid4()),
                person_ids[i],
                value(refs[i]),
                None if mentoring else value(sessions[rng.randrange(len(sessions))]),
                "mentoring" if mentoring else "instruction",
                rng.randint(30, 420),
                date(2026, 2, 1) + timedelta(days=rng.randrange(300)),
                "roll_call",
                "",
                "",
                now,
            )

    columns = (
        "uuid, person_id, enrollment_ref, session_ref, category, minutes, occurred_on, "
        "source_kind, source_id, reason, recorded_at"
    )
    with timed(figures, "load_entries_s"), transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY ledger_hoursentry ({columns}) FROM STDIN") as copy:
                for row in rows(entries):
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO ledger_hoursentry ({columns}) VALUES ({', '.join(['%s'] * 11)})"
            for start in range(0, entries, BATCH):
                cursor.executemany(sql, list(rows(min(BATCH, entries - start))))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if not postgres else "ANALYZE ledger_hoursentry")
    return refs


def _measure(refs: list[uuid.UUID], figures: dict[str, object]) -> None:
    from cecto.ledger.selectors import all_balances, balance_for, balances_for

    start = time.perf_counter()
    count = sum(1 for _ in all_balances())
    elapsed = time.perf_counter() - start
    figures["recompute_all_balances_s"] = round(elapsed, 3)
    figures["balances_recomputed"] = count
    figures["recompute_entries_per_s"] = int(int(str(figures["entries"])) / elapsed)

    cohort = refs[:40]
    start = time.perf_counter()
    for _ in range(20):
        balances_for(cohort)
    figures["cohort_of_40_balances_ms"] = round((time.perf_counter() - start) / 20 * 1000, 2)

    start = time.perf_counter()
    for ref in refs[:100]:
        balance_for(ref)
    figures["one_balance_ms"] = round((time.perf_counter() - start) / 100 * 1000, 3)


if __name__ == "__main__":
    main()
