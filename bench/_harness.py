"""Shared plumbing for the benchmarks: a throw-away database, machine facts, results as JSON.

Benchmarks run on demand (`make bench-…`), never in the test suite: timings belong here, query
counts belong in the tests.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")


@contextmanager
def throwaway_database(kind: str, name: str) -> Iterator[str]:
    """Point Django at a fresh database of `kind` ("sqlite" or "postgres"), set it up, drop it after."""
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{name}-{os.getpid()}.sqlite3"
        url = f"sqlite:///{path}"
        try:
            yield _setup(url)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif kind == "postgres":
        db = f"{name}_{os.getpid()}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
        try:
            yield _setup(f"{PG_BASE}/{db}")
        finally:
            from django.db import connections

            connections.close_all()
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
    else:
        raise SystemExit(f"unknown database {kind!r}: use sqlite or postgres")


def _setup(url: str) -> str:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CECTO_VAR_DIR", str(ROOT / "var"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


@contextmanager
def timed(figures: dict[str, Any], key: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    figures[key] = round(time.perf_counter() - start, 3)


def machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False
    ).stdout.strip()
    return {
        "commit": commit or "unknown",
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def report(bench: str, database: str, figures: dict[str, Any]) -> None:
    from django.db import connection

    facts = {"bench": bench, "database": database, "server": connection.vendor, **machine(), **figures}
    width = max(len(k) for k in facts)
    for key, value in facts.items():
        print(f"  {key:<{width}}  {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{bench}-{database}-{facts['at'].replace(':', '')}.json"
    out.write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"  written to {out.relative_to(ROOT)}", file=sys.stderr)
