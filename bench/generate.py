"""Generate a synthetic dataset (`cecto generate`) and time it: rows per second, per table and overall.

    .venv/bin/python bench/generate.py --database sqlite --scale state
    .venv/bin/python bench/generate.py --database postgres --scale national [--seed 1]
    .venv/bin/python bench/generate.py --into sqlite:////tmp/cecto-national.sqlite3 --scale national

Into a throw-away database (dropped afterwards) unless `--into URL` names an empty one to keep,
for the other benchmarks to read. The figures: planning time, each table's rows and seconds, the
rows written per second overall and for attendance and the ledger, ANALYZE, the whole load, and
the CPU time of this process (on PostgreSQL the server's own work is not in it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import _setup, report, throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--scale", choices=("small", "state", "national"), default="state")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--into", metavar="URL", help="an empty database to generate into and keep")
    args = parser.parse_args()
    if args.into:
        _setup(args.into)
        database = "postgres" if args.into.startswith("postgres") else "sqlite"
        _run(args.scale, args.seed, database)
    else:
        with throwaway_database(args.database, f"cecto_bench_generate_{args.scale}"):
            _run(args.scale, args.seed, args.database)


def _run(scale_name: str, seed: int, database: str) -> None:
    from cecto.demo.generator.load import generate
    from cecto.demo.generator.progress import Progress
    from cecto.demo.generator.scales import DEFAULT_AS_OF, SCALES

    scale = SCALES[scale_name]
    started, cpu = time.perf_counter(), time.process_time()
    result = generate(scale=scale, seed=seed, as_of=DEFAULT_AS_OF, progress=Progress(sys.stderr))
    total, cpu = time.perf_counter() - started, time.process_time() - cpu
    figures: dict[str, Any] = {"scale": scale.name, "seed": seed}
    for name, rows in result.rows.items():
        if rows >= 10_000:  # the tables that matter; the total below counts every table
            figures[f"rows_{name}"] = rows
            figures[f"s_{name}"] = round(result.seconds[name], 2)
    big = ("scheduling_attendancerecord", "ledger_hoursentry")
    figures.update(
        plan_s=round(result.seconds["plan"], 2),
        write_s=round(result.write_seconds, 2),
        analyze_s=round(result.seconds.get("analyze", 0.0), 2),
        total_s=round(total, 2),
        cpu_s=round(cpu, 2),
        rows=result.total_rows,
        rows_per_s=int(result.total_rows / result.write_seconds),
        attendance_and_ledger_rows_per_s=int(
            sum(result.rows[t] for t in big) / sum(result.seconds[t] for t in big)
        ),
        people=len(result.plan.people),
        enrollments=len(result.plan.enrollments),
        notes=" ".join(result.notes),
    )
    report("generate", database, figures)


if __name__ == "__main__":
    main()
