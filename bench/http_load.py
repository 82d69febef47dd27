"""The real server under load: gunicorn against a generated database, driven from a separate process.

    .venv/bin/python bench/http_load.py --database sqlite --scale national
    .venv/bin/python bench/http_load.py --database postgres --scale national
    .venv/bin/python bench/http_load.py --database sqlite --url sqlite:////tmp/x.sqlite3 --requests 200

What it does, in order:

1. Points Django at the database (`--url`, or the generated one for `--database`/`--scale`:
   sqlite:////tmp/cecto-SCALE.sqlite3, postgres://postgres@127.0.0.1:5432/cecto_SCALE) with
   production settings: CECTO_ENV=production, DEBUG off, ALLOWED_HOSTS=127.0.0.1, a SECRET_KEY
   generated for this run, SECURE_SSL_REDIRECT=False (no TLS on loopback), static files collected
   into a throw-away CECTO_VAR_DIR.
2. Picks sample objects deterministically (`--seed`): the largest programme and class, a few
   random classes, enrollments of the largest class and random ones, random credentials. Logs in
   by writing Django sessions directly (SessionStore + the user's auth hash): each class's
   programme administrator, each enrollment's participant. The sessions are deleted at the end.
3. Starts the server exactly as production does, `cecto serve --no-migrate` (gunicorn,
   `--workers`; the worker class and threads through GUNICORN_CMD_ARGS), on a free loopback port,
   and waits until `/` answers.
4. Counts SQL queries per page once, in this process, with Django's test client and
   CaptureQueriesContext against the same database (never inside the server). A page whose route
   does not exist yet is reported as "not available (404)" and skipped; API list endpoints are
   discovered from /api/v1/openapi.json when it exists.
5. Runs bench/_load_client.py as a separate process: `--concurrency` keep-alive connections, a
   warm-up, then `--requests` requests or `--seconds` seconds per page; p50/p95/p99 and req/s.
6. Stops and reaps the server (also on Ctrl-C or failure), profiles the pages that miss the
   100 ms p95 bar (cProfile + query timings through the test client, `--profile`), gathers the
   other benchmarks' headline figures (`--others latest|run|skip`), prints one table and writes
   everything to bench/results/http-DATABASE-TIMESTAMP.json.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import ctypes
import http.client
import io
import json
import math
import os
import platform
import pstats
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._harness import RESULTS, ROOT

BAR_P95_MS = 100.0
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
BIN = Path(sys.executable).parent
MAIN_TABLES = (
    "people.Organization",
    "people.Person",
    "auth.User",
    "programs.Program",
    "programs.Track",
    "scheduling.Cohort",
    "scheduling.Session",
    "scheduling.Enrollment",
    "scheduling.AttendanceRecord",
    "ledger.HoursEntry",
    "credentials.Credential",
    "mentoring.Match",
)


def default_url(database: str, scale: str) -> str:
    """Where `cecto generate --scale SCALE` leaves its databases (and `make bench-quick` its own)."""
    if scale == "demo":
        return (
            "sqlite:////tmp/cecto-bench-demo.sqlite3"
            if database == "sqlite"
            else f"{PG_BASE}/cecto_bench_demo"
        )
    if database == "sqlite":
        return f"sqlite:////tmp/cecto-{scale}.sqlite3"
    return f"{PG_BASE}/cecto_{scale}"


# --- The pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One URL of a page, and who asks for it (None: anonymous)."""

    path: str
    user: Any = None


@dataclass
class Samples:
    """The objects the pages are asked about, picked deterministically from the database."""

    programs: list[Any]  # the largest first
    cohorts: list[Any]  # the largest first, then random ones
    enrollments: list[Any]  # of the largest class first, then random ones; all with a user
    credentials: list[Any]
    admins: dict[int, Any]  # program id -> a user administering it (or a superuser)
    notes: list[str] = field(default_factory=list)

    def admin(self, program: Any) -> Any:
        return self.admins.get(program.pk)


@dataclass(frozen=True)
class Page:
    """A page to measure: its name, and the URLs (with their logins) it is asked for."""

    name: str
    targets: Callable[[Samples], list[Target]]
    note: str = ""


def _participants(samples: Samples) -> list[Any]:
    return [e for e in samples.enrollments if e.person.user is not None]


PAGES: list[Page] = [
    Page("home (anonymous)", lambda s: [Target("/")]),
    Page("home (participant)", lambda s: [Target("/", e.person.user) for e in _participants(s)[:4]]),
    Page(
        "programme page (public)",
        lambda s: [Target(f"/programs/{p.slug}/") for p in s.programs],
    ),
    Page("programme list (public)", lambda s: [Target("/programs/")]),
    Page(
        "participant page",
        lambda s: [Target(f"/enrollments/{e.uuid}/", e.person.user) for e in _participants(s)],
        "/enrollments/<uuid>/ as the participant",
    ),
    Page(
        "participant progress",
        lambda s: [Target(f"/enrollments/{e.uuid}/progress/", e.person.user) for e in _participants(s)],
        "/enrollments/<uuid>/progress/ as the participant",
    ),
    Page(
        "cohort page (largest)",
        lambda s: [Target(f"/cohorts/{c.slug}/", s.admin(c.program)) for c in s.cohorts[:1]],
    ),
    Page(
        "cohort dashboard (largest)",
        lambda s: [Target(f"/cohorts/{c.slug}/dashboard/", s.admin(c.program)) for c in s.cohorts[:1]],
        "the class with the most enrollments, as its programme administrator",
    ),
    Page(
        "cohort dashboard (random)",
        lambda s: [Target(f"/cohorts/{c.slug}/dashboard/", s.admin(c.program)) for c in s.cohorts[1:]],
    ),
    Page(
        "programme report",
        lambda s: [Target(f"/programs/{p.slug}/report/", s.admin(p)) for p in s.programs[:2]],
        "/programs/<slug>/report/ as its administrator",
    ),
    Page(
        "credential verification (public)",
        lambda s: [Target(f"/credentials/{c.uuid}/") for c in s.credentials],
        "/credentials/<uuid>/, anonymous",
    ),
]


def choose_samples(*, seed: int, cohorts: int, enrollments: int, credentials: int) -> Samples:
    from django.apps import apps
    from django.contrib.auth.models import User
    from django.db.models import Count

    program_model = apps.get_model("programs", "Program")
    cohort_model = apps.get_model("scheduling", "Cohort")
    enrollment_model = apps.get_model("scheduling", "Enrollment")
    rng = random.Random(seed)
    notes: list[str] = []

    by_size = list(
        cohort_model.objects.annotate(size=Count("enrollments"))
        .order_by("-size", "pk")
        .values_list("pk", flat=True)[:1]
    )
    all_cohorts = list(cohort_model.objects.order_by("pk").values_list("pk", flat=True))
    rest = [pk for pk in all_cohorts if pk not in by_size]
    picked = by_size + rng.sample(rest, min(cohorts - len(by_size), len(rest)))
    cohort_rows = {c.pk: c for c in cohort_model.objects.select_related("program").filter(pk__in=picked)}
    cohort_list = [cohort_rows[pk] for pk in picked]

    programs = list(
        program_model.objects.annotate(size=Count("cohorts__enrollments")).order_by("-size", "pk")[:1]
    )
    other_programs = list(
        program_model.objects.exclude(pk__in=[p.pk for p in programs])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    programs += list(
        program_model.objects.filter(pk__in=rng.sample(other_programs, min(2, len(other_programs))))
    )

    with_user = enrollment_model.objects.filter(person__user__isnull=False).select_related(
        "person__user", "cohort__program"
    )
    in_largest = list(
        with_user.filter(cohort=cohort_list[0], status__in=("active", "completed", "certified"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    everyone = list(with_user.order_by("pk").values_list("pk", flat=True))
    half = enrollments // 2
    chosen = rng.sample(in_largest, min(half, len(in_largest)))
    pool = [pk for pk in everyone if pk not in set(chosen)]
    chosen += rng.sample(pool, min(enrollments - len(chosen), len(pool)))
    enrollment_rows = {e.pk: e for e in with_user.filter(pk__in=chosen)}
    enrollment_list = [enrollment_rows[pk] for pk in chosen]
    if not enrollment_list:
        notes.append("no enrollment belongs to a person with a login: participant pages are skipped")

    credential_list: list[Any] = []
    with contextlib.suppress(LookupError):
        credential_model = apps.get_model("credentials", "Credential")
        ids = list(credential_model.objects.order_by("pk").values_list("pk", flat=True))
        credential_list = list(
            credential_model.objects.filter(pk__in=rng.sample(ids, min(credentials, len(ids))))
        )

    admins: dict[int, Any] = {}
    superuser = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    administrator_model = apps.get_model("programs", "ProgramAdministrator")
    for program in {c.program for c in cohort_list} | set(programs):
        role = (
            administrator_model.objects.filter(
                program=program, person__user__isnull=False, person__user__is_active=True
            )
            .select_related("person__user")
            .order_by("pk")
            .first()
        )
        if role is not None:
            admins[program.pk] = role.person.user
        elif superuser is not None:
            admins[program.pk] = superuser
            notes.append(f"{program.slug}: no administrator with a login, measured as superuser")
    return Samples(programs, cohort_list, enrollment_list, credential_list, admins, notes)


class Logins:
    """Django sessions written directly (what logging in stores), one per user, deleted afterwards."""

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}

    def cookie(self, user: Any) -> str:
        from django.conf import settings

        if user is None:
            return ""
        return f"{settings.SESSION_COOKIE_NAME}={self.key(user)}"

    def key(self, user: Any) -> str:
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        if user.pk not in self.keys:
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = user._meta.pk.value_to_string(user)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.save()
            self.keys[user.pk] = store.session_key
        return self.keys[user.pk]

    def delete(self) -> None:
        from importlib import import_module

        from django.conf import settings
        from django.db import DatabaseError

        engine = import_module(settings.SESSION_ENGINE)
        try:
            for key in self.keys.values():
                engine.SessionStore(session_key=key).delete()
        except DatabaseError as error:  # never hide the error that brought us here
            print(f"bench-http: could not delete the bench sessions: {error}", file=sys.stderr)
        self.keys.clear()


# --- Facts about the run ---------------------------------------------------------------------


def machine_facts() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }


def git_facts() -> dict[str, Any]:
    def git(*args: str) -> str:
        # --no-optional-locks: never take .git/index.lock (others may be working in this tree).
        return subprocess.run(
            ["git", "--no-optional-locks", *args], capture_output=True, text=True, cwd=ROOT, check=False
        ).stdout.strip()

    commit = git("rev-parse", "--short=12", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no")) if commit else None
    return {"commit": commit or "unknown", "dirty": dirty}


def database_facts() -> dict[str, Any]:
    from django.apps import apps
    from django.db import connection

    facts: dict[str, Any] = {"engine": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            facts["version"] = cursor.fetchone()[0]
            cursor.execute("SELECT pg_database_size(current_database())")
            facts["size_mb"] = round(cursor.fetchone()[0] / 1e6, 1)
            facts["name"] = connection.settings_dict["NAME"]
        else:
            cursor.execute("SELECT sqlite_version()")
            facts["version"] = cursor.fetchone()[0]
            name = str(connection.settings_dict["NAME"])
            size = sum(
                Path(f"{name}{suffix}").stat().st_size
                for suffix in ("", "-wal")
                if Path(f"{name}{suffix}").exists()
            )
            facts["size_mb"] = round(size / 1e6, 1)
            facts["name"] = name
    rows: dict[str, int] = {}
    for label in MAIN_TABLES:
        with contextlib.suppress(LookupError):
            model = apps.get_model(label)
            rows[model._meta.db_table] = model.objects.count()
    facts["rows"] = rows
    return facts


def infer_scale(rows: dict[str, int]) -> str:
    people = rows.get("people_person", 0)
    with contextlib.suppress(ImportError):
        from cecto.demo.generator.scales import SCALES

        for scale in SCALES.values():
            if scale.people * 0.8 <= people <= scale.people * 1.25:
                return scale.name
    return f"custom ({people:,} people)"


# --- The server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def become_subreaper() -> None:
    """Orphaned gunicorn workers are re-parented to us (not to an init that never reaps them)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def reap_orphans() -> None:
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                return


@dataclass
class ServerConfig:
    workers: int
    worker_class: str
    threads: int

    def gunicorn_args(self) -> str:
        args = f"--worker-class {self.worker_class}"
        if self.worker_class == "gthread":
            args += f" --threads {self.threads}"
        return args

    def describe(self) -> str:
        if self.worker_class == "gthread":
            return f"gthread: {self.workers} workers x {self.threads} threads"
        return f"{self.worker_class}: {self.workers} workers"


class Server:
    """`cecto serve` (which execs gunicorn, so the PID we start is gunicorn's master)."""

    def __init__(self, config: ServerConfig, port: int, env: dict[str, str], log: Path) -> None:
        self.config = config
        self.port = port
        self.env = env
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None
        self.argv = [
            str(BIN / "cecto"),
            "serve",
            "--no-migrate",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(config.workers),
        ]

    def start(self, timeout: float = 180) -> float:
        began = time.perf_counter()
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                self.argv,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=ROOT,
                start_new_session=True,  # its own process group: Ctrl-C reaches us, we stop it
            )
        while time.perf_counter() - began < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                connection.request("GET", "/")
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return time.perf_counter() - began
            time.sleep(0.25)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        self.process = None
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of the workers
            try:
                process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # Anything left in its group (a worker the master did not wait for) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(0.2)
        reap_orphans()

    def rss_mb(self) -> list[float]:
        """Resident memory of the master and each worker (MB), from /proc."""
        sizes: list[float] = []
        group = self.process.pid if self.process else None
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit() or group is None:
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                if int(stat[stat.rfind(")") + 2 :].split()[2]) != group:
                    continue
                lines = Path(f"/proc/{entry.name}/status").read_text().splitlines()
                sizes += [round(int(x.split()[1]) / 1024, 1) for x in lines if x.startswith("VmRSS:")]
        return sorted(sizes)

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


# --- Query counts and availability (in this process, with the test client) -------------------


def test_client(logins: Logins, user: Any) -> Any:
    from django.conf import settings
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    if user is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = logins.key(user)
    return client


def probe(page_targets: list[Target], logins: Logins) -> tuple[dict[str, Any], list[Target]]:
    """Status and SQL queries of each target (its second request, so caches are warm).

    Returns the figures and the targets that answered 200 (only those are put under load)."""
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # a 404 here is a finding, not noise
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import Resolver404, resolve

    try:
        resolve(urlsplit(page_targets[0].path).path)
    except Resolver404:
        return {"available": False, "why": "not available (404)"}, []
    statuses: dict[str, int] = {}
    queries: list[int] = []
    ok: list[Target] = []
    for target in page_targets:
        client = test_client(logins, target.user)
        client.get(target.path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target.path)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
        if response.status_code == 200:
            queries.append(len(captured.captured_queries))
            ok.append(target)
    if not ok:
        code = next(iter(statuses))
        return {"available": False, "why": f"not available ({code})", "probe_statuses": statuses}, []
    figures = {
        "available": True,
        "queries": max(queries),
        "queries_min": min(queries),
        "probe_statuses": statuses,
        "targets_ok": len(ok),
    }
    return figures, ok


def api_pages(logins: Logins, admin: Any, samples: Samples, limit: int) -> tuple[list[Page], str]:
    """The API's GET endpoints from its OpenAPI document, as the programme administrator (the
    `/me/...` ones as a participant). A `{slug}` or `{uuid}` parameter is filled from the path
    segment before it (cohorts, programs, enrollments, credentials); others are left out."""
    client = test_client(logins, admin)
    response = client.get("/api/v1/openapi.json")
    if response.status_code != 200:
        return [], f"API not measured: /api/v1/openapi.json answered {response.status_code}"
    try:
        document = json.loads(response.content)
    except ValueError:
        return [], "API not measured: /api/v1/openapi.json is not JSON"
    servers = document.get("servers") or [{"url": "/api/v1"}]
    prefix = urlsplit(servers[0].get("url", "/api/v1")).path.rstrip("/")
    first = {
        "cohorts": samples.cohorts[0] if samples.cohorts else None,
        "programs": samples.programs[0] if samples.programs else None,
        "enrollments": samples.enrollments[0] if samples.enrollments else None,
        "credentials": samples.credentials[0] if samples.credentials else None,
    }
    participants = _participants(samples)
    participant = participants[0].person.user if participants else None
    pages: list[Page] = []
    skipped: list[str] = []
    for path, operations in sorted(document.get("paths", {}).items()):
        if "get" not in operations or path.endswith("openapi.json"):
            continue
        segments = path.strip("/").split("/")
        for index, segment in enumerate(segments):
            if segment.startswith("{"):
                sample = first.get(segments[index - 1]) if index else None
                value = getattr(sample, "slug" if "slug" in segment else "uuid", None)
                if value is None:
                    break
                segments[index] = str(value)
        else:
            user = admin
            if path.startswith("/me/"):
                user = participant
            elif segments[0] == "cohorts" and first["cohorts"] is not None:
                user = samples.admin(first["cohorts"].program)
            elif segments[0] == "programs" and len(segments) > 1 and first["programs"] is not None:
                user = samples.admin(first["programs"])
            concrete = f"{prefix}/{'/'.join(segments)}/"
            pages.append(Page(f"api {path}", lambda s, p=concrete, u=user: [Target(p, u)]))
            continue
        skipped.append(path)
    note = f"API: {min(len(pages), limit)} GET endpoints from {prefix}/openapi.json"
    if len(pages) > limit:
        note += f" (the first {limit}; --api-limit)"
    if skipped:
        note += f"; not measured (no sample for their parameters): {', '.join(skipped)}"
    return pages[:limit], note


# --- Profiling (after the load, in this process) ---------------------------------------------


def profile_page(targets: list[Target], logins: Logins, repeat: int = 3) -> dict[str, Any]:
    """Where one request of the page's first target spends its time, through the test client:
    wall and SQL time without the profiler (median of `repeat`), the slowest queries, then
    cProfile over `repeat` more requests for the project's functions and the hottest code."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    target = targets[0]
    client = test_client(logins, target.user)
    client.get(target.path)
    runs: list[tuple[float, list[dict[str, Any]]]] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            client.get(target.path)
            runs.append((time.perf_counter() - began, list(captured.captured_queries)))
    runs.sort(key=lambda run: run[0])
    wall, queries = runs[len(runs) // 2]
    sql_s = sum(float(q["time"]) for q in queries)
    slowest = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:5]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(target.path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    own: list[tuple[float, float, str]] = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if str(ROOT / "cecto") in filename or str(ROOT / "config") in filename:
            where = f"{Path(filename).relative_to(ROOT)}:{line} {function} ({calls // repeat} calls)"
            own.append((cumtime / repeat * 1000, tottime / repeat * 1000, where))
    own.sort(reverse=True)
    # Template rendering (Django's backend render), as a share of the profiled request.
    total = sum(tottime for (_f, _l, _n), (_cc, _c, tottime, _cum, _callers) in stats.stats.items())  # type: ignore[attr-defined]
    templates = sum(
        cumtime
        for (filename, _line, function), (_cc, _calls, _tot, cumtime, _callers) in stats.stats.items()  # type: ignore[attr-defined]
        if filename.endswith("django/template/backends/django.py") and function == "render"
    )
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(12)
    hot = [
        line.strip()
        for line in text.getvalue().splitlines()
        if line.strip()[:1].isdigit() and "function calls" not in line
    ][:12]
    return {
        "path": target.path,
        "wall_ms": round(wall * 1000, 1),
        "sql_ms": round(sql_s * 1000, 1),
        "queries": len(queries),
        "template_share": round(templates / total, 2) if total else None,
        "slowest_queries": [
            {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:600]} for q in slowest
        ],
        "project_functions_by_cumulative_ms_profiled": [
            {"cum_ms": round(c, 1), "own_ms": round(t, 1), "where": w} for c, t, w in own[:15]
        ],
        "hotspots_by_own_time_profiled": hot,
    }


# --- The other benchmarks --------------------------------------------------------------------

OTHER_BENCHES: dict[str, tuple[str, ...]] = {
    "ledger_recompute": (
        "entries",
        "enrollments",
        "recompute_all_balances_s",
        "recompute_entries_per_s",
        "cohort_of_40_balances_ms",
        "one_balance_ms",
    ),
    "attendance_import": ("rows", "rows_per_s", "same_file_again_ms"),
    "mentoring_match": (),
    "credentials": (),
    "generate": ("scale", "rows", "rows_per_s", "total_s"),
}
OTHER_MAKE_TARGETS = {
    "ledger_recompute": "make bench-ledger",
    "attendance_import": "make bench-import",
    "mentoring_match": "make bench-mentoring",
    "credentials": "make bench-credentials",
    "generate": "make bench-generate",
}
FACT_KEYS = {"bench", "database", "server", "commit", "python", "machine", "processor", "cores", "at"}


def run_other_benches(database: str, *, rows: int, ledger_entries: int) -> None:
    runs = [
        [
            "bench/ledger_recompute.py",
            "--database",
            database,
            "--entries",
            str(ledger_entries),
            "--enrollments",
            str(max(1000, ledger_entries // 33)),
        ],
        ["bench/attendance_import.py", "--database", database, "--rows", str(rows)],
        ["bench/mentoring_match.py", "--repeat", "1"],
    ]
    if (ROOT / "bench" / "credentials.py").exists():
        runs.append(["bench/credentials.py", "--seconds", "2"])
    for argv in runs:
        print(f"\n$ python {' '.join(argv)}", file=sys.stderr, flush=True)
        env = {k: v for k, v in os.environ.items() if k not in _OUR_ENV}
        subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, check=False)


def latest_results(database: str, scale: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for bench, keys in OTHER_BENCHES.items():
        candidates = [*RESULTS.glob(f"{bench}-{database}-*.json"), *RESULTS.glob(f"{bench}-2*.json")]
        if not candidates:
            found[bench] = None
            continue
        candidates.sort(key=lambda p: p.stat().st_mtime)
        latest = candidates[-1]
        data = json.loads(latest.read_text(encoding="utf-8"))
        if bench == "generate":  # the run at the scale measured here, when there is one
            for candidate in reversed(candidates):
                other = json.loads(candidate.read_text(encoding="utf-8"))
                if other.get("scale") == scale:
                    latest, data = candidate, other
                    break
        if keys:
            headline = {k: data[k] for k in keys if k in data}
        elif bench == "mentoring_match":
            headline = {
                k: {m: v[m] for m in ("optimal_s", "optimal_total", "greedy_total") if m in v}
                for k, v in data.items()
                if isinstance(v, dict)
            }
            headline["mentees"] = data.get("mentees")
            headline["mentors"] = data.get("mentors")
        elif isinstance(data.get("results"), dict):  # credentials: operations per CPU-second
            headline = {
                f"{k}_per_cpu_s": v.get("per_cpu_s")
                for k, v in data["results"].items()
                if isinstance(v, dict)
            }
        else:
            headline = {k: v for k, v in data.items() if k not in FACT_KEYS and isinstance(v, int | float)}
        found[bench] = {
            "file": str(latest.relative_to(ROOT)),
            "at": data.get("at"),
            "commit": data.get("commit"),
            **headline,
        }
    return found


# --- Running it ------------------------------------------------------------------------------

_OUR_ENV = (
    "DATABASE_URL",
    "DATABASE_CONN_MAX_AGE",
    "CECTO_ENV",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "SECURE_SSL_REDIRECT",
    "CECTO_VAR_DIR",
    "CECTO_KEY_ENCRYPTION_KEY",
    "GUNICORN_CMD_ARGS",
    "LOG_LEVEL",
)


def server_environment(url: str, port: int, var_dir: Path, config: ServerConfig) -> dict[str, str]:
    """Production settings, as `make lint`'s deploy check and docs/deployment.md use them."""
    key_encryption_key = os.environ.get("CECTO_KEY_ENCRYPTION_KEY")
    local_key = ROOT / "var" / "key_encryption_key"
    if not key_encryption_key and local_key.exists():
        # The generator encrypted the issuer's signing keys with the checkout's local key.
        key_encryption_key = local_key.read_text(encoding="utf-8").strip()
    if not key_encryption_key:
        import base64

        key_encryption_key = base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")
    return {
        "DATABASE_URL": url,
        # Production's default, said out loud: each worker keeps its database connection.
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "600"),
        "CECTO_ENV": "production",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "SECURE_SSL_REDIRECT": "False",
        "CECTO_VAR_DIR": str(var_dir),
        "CECTO_KEY_ENCRYPTION_KEY": key_encryption_key,
        "GUNICORN_CMD_ARGS": config.gunicorn_args(),
        "LOG_LEVEL": "WARNING",
    }


def generated_completely() -> bool:
    """`cecto generate` sets its bench logins after every table is written."""
    from django.contrib.auth.models import User
    from django.db import DatabaseError

    try:
        return User.objects.filter(username="bench-programme-admin").exists()
    except DatabaseError:
        return False


def database_exists(url: str) -> bool:
    if url.startswith("sqlite"):
        return Path(urlsplit(url).path[1:] if url.startswith("sqlite:////") else urlsplit(url).path).exists()
    name = urlsplit(url).path.lstrip("/")
    probe = subprocess.run(
        [
            "psql",
            url.rsplit("/", 1)[0] + "/postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() == "1"


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # so the `finally` blocks stop the server and delete the sessions


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    cores = os.cpu_count() or 2
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--scale",
        help="small, state, national or demo: picks the generated database (default national) and "
        "labels the results (with --url and no --scale, guessed from the row counts)",
    )
    parser.add_argument("--url", help="DATABASE_URL to measure instead of the generated one")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page")
    parser.add_argument("--seconds", type=float, default=30, help="at most this long per page")
    parser.add_argument("--warmup", type=int, default=24, help="unrecorded requests per page first")
    # sync workers, one per core, on both databases: measured, see bench/README.md "The worker
    # configuration" (one more on PostgreSQL paid off only while each request opened a connection).
    parser.add_argument(
        "--workers",
        type=int,
        help=f"gunicorn worker processes (default: the cores, here {cores})",
    )
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--pages", help="only pages whose name contains one of these (comma-separated)")
    parser.add_argument("--api-limit", type=int, default=8, help="at most this many API endpoints")
    parser.add_argument("--profile", choices=("none", "failing", "all"), default="failing")
    parser.add_argument(
        "--others",
        choices=("latest", "run", "skip"),
        default="latest",
        help="the other benchmarks: read their latest results, run them first, or leave out",
    )
    parser.add_argument("--others-rows", type=int, default=20_000, help="attendance rows with --others run")
    parser.add_argument(
        "--others-entries", type=int, default=1_000_000, help="ledger entries with --others run"
    )
    parser.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")
    parser.add_argument(
        "--quiet",
        type=float,
        help="on a shared machine: before each page wait until other work uses at most this many "
        "cores (e.g. 0.3), and measure a page again when others took more while it ran",
    )
    parser.add_argument("--quiet-wait", type=float, default=600, help="wait at most this long per page")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the server and the load client N steps above normal CPU priority (needs root; "
        "on a machine shared with other work, e.g. 10): the figures then approximate a machine of "
        "this class to itself; PostgreSQL's backends keep their normal priority",
    )
    parser.add_argument("--label", default="", help="a note saved with the results (e.g. what changed)")
    parser.add_argument(
        "--fail-on",
        choices=("bar", "errors", "never"),
        default="bar",
        help="exit 1 when a page misses the p95 bar (or answers errors), only on errors, or never",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = args.url or default_url(args.database, args.scale or "national")
    if args.url:  # the database named in the results is the one measured
        args.database = "postgres" if url.startswith("postgres") else "sqlite"
    if not database_exists(url):
        scale = args.scale or "national"
        create = ""
        if url.startswith("postgres"):
            create = f"    createdb -h 127.0.0.1 -U postgres {urlsplit(url).path.lstrip('/')}\n"
        print(
            f"bench-http: there is no database at {_redact(url)}. Generate it first:\n{create}"
            f"    DATABASE_URL={_redact(url)} .venv/bin/cecto generate --scale {scale} --seed 1\n"
            f"  (national takes a while; `make bench-quick` generates a small one and measures it),\n"
            f"  or pass --url DATABASE_URL to measure another database.",
            file=sys.stderr,
        )
        return 2
    if args.others == "run":
        run_other_benches(args.database, rows=args.others_rows, ledger_entries=args.others_entries)

    become_subreaper()
    signal.signal(signal.SIGTERM, _interrupted)
    if args.nice:
        # Inherited by the server (and its workers) and the load client, which we start.
        os.setpriority(os.PRIO_PROCESS, 0, -args.nice)
    workers = args.workers or (os.cpu_count() or 2)
    config = ServerConfig(workers, args.worker_class, args.threads)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="cecto-bench-http-") as tmp:
        env = server_environment(url, port, Path(tmp) / "var", config)
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        return run(args, url, env, config, port, Path(tmp))


def run(
    args: argparse.Namespace, url: str, env: dict[str, str], config: ServerConfig, port: int, tmp: Path
) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    print(f"bench-http: {connection.vendor} at {_redact(url)}", file=sys.stderr, flush=True)
    if not args.url and args.scale != "demo" and not generated_completely():
        print(
            f"bench-http: {_redact(url)} has no bench logins: `cecto generate` has not finished with it "
            "(it sets them last). Wait for it, or generate it again.",
            file=sys.stderr,
        )
        return 2
    pending = MigrationExecutor(connection).migration_plan(
        MigrationExecutor(connection).loader.graph.leaf_nodes()
    )
    migrated: list[str] = []
    if pending and not args.no_migrate:
        migrated = [f"{m.app_label}.{m.name}" for m, _ in pending]
        print(
            f"  applying {len(pending)} pending migrations: {', '.join(migrated)}",
            file=sys.stderr,
            flush=True,
        )
        call_command("migrate", interactive=False, verbosity=0)

    started = datetime.now(UTC)
    facts_began = time.perf_counter()
    database = database_facts()
    scale = args.scale or (infer_scale(database["rows"]) if args.url else "national")
    print(f"  database facts in {time.perf_counter() - facts_began:.1f} s", file=sys.stderr, flush=True)
    samples = choose_samples(seed=args.seed, cohorts=5, enrollments=8, credentials=8)
    logins = Logins()
    server = Server(config, port, {**os.environ, **env}, tmp / "server.log")
    results: list[dict[str, Any]] = []
    notes = list(samples.notes)
    targets_by_name: dict[str, list[Target]] = {}
    pages = [p for p in PAGES if not args.pages or any(n in p.name for n in args.pages.split(","))]
    try:
        plan, server_log, server_rss = _serve_and_load(
            args, server, samples, logins, pages, results, notes, targets_by_name
        )
        if args.profile != "none":
            for entry in results:
                if entry.get("available") and (args.profile == "all" or not entry.get("passes")):
                    print(f"  profiling {entry['name']}", file=sys.stderr, flush=True)
                    entry["profile"] = profile_page(targets_by_name[entry["name"]], logins)
    finally:
        server.stop()
        logins.delete()
    return _report(
        args,
        url,
        env,
        config,
        server,
        started,
        database,
        scale,
        migrated,
        samples,
        notes,
        results,
        plan,
        server_log,
        server_rss,
    )


def _serve_and_load(
    args: argparse.Namespace,
    server: Server,
    samples: Samples,
    logins: Logins,
    pages: list[Page],
    results: list[dict[str, Any]],
    notes: list[str],
    targets_by_name: dict[str, list[Target]],
) -> tuple[dict[str, Any], str, list[float]]:
    """Start the server, probe the pages, run the load client, stop the server (the caller stops
    it too, in a `finally`, for when anything here fails)."""
    from django.db import connection

    print(
        f"  starting: {' '.join(server.argv)}  [GUNICORN_CMD_ARGS={server.env['GUNICORN_CMD_ARGS']!r}]",
        file=sys.stderr,
        flush=True,
    )
    ready_s = server.start()
    print(
        f"  server ready in {ready_s:.1f} s (pid {server.process.pid if server.process else '?'})",
        file=sys.stderr,
        flush=True,
    )
    admin = samples.admin(samples.programs[0]) if samples.programs else None
    wanted = args.pages.split(",") if args.pages else []
    if not wanted or any("api" in name for name in wanted):
        extra, note = api_pages(logins, admin, samples, args.api_limit)
        pages = [*pages, *(p for p in extra if not wanted or any(n in p.name for n in wanted))]
        notes.append(note)
    plan_pages = []
    for page in pages:
        targets = [t for t in page.targets(samples) if t.path]
        entry: dict[str, Any] = {"name": page.name, "note": page.note, "targets": len(targets)}
        if not targets:
            entry.update(available=False, why="no sample objects")
        else:
            entry["example"] = targets[0].path
            figures, targets = probe(targets, logins)
            entry.update(figures)
        results.append(entry)
        if targets:
            targets_by_name[page.name] = targets
            plan_pages.append(
                {
                    "name": page.name,
                    "targets": [{"path": t.path, "cookie": logins.cookie(t.user)} for t in targets],
                }
            )
    plan = {
        "host": "127.0.0.1",
        "port": server.port,
        "concurrency": args.concurrency,
        "warmup": args.warmup,
        "requests": args.requests,
        "seconds": args.seconds,
        "pages": plan_pages,
        "server_group": server.process.pid if server.process else None,
        "database_name": connection.settings_dict["NAME"] if connection.vendor == "postgresql" else None,
        "quiet_cores": args.quiet,
        "quiet_wait_s": args.quiet_wait,
    }
    print(f"  load: {len(plan_pages)} pages, concurrency {args.concurrency}", file=sys.stderr, flush=True)
    connection.close()
    load = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_load_client.py")],
        input=json.dumps(plan).encode(),
        stdout=subprocess.PIPE,
        cwd=ROOT,
        check=True,
    )
    measured = {p["name"]: p for p in json.loads(load.stdout)["pages"]}
    for entry in results:
        if entry["name"] in measured:
            figures = measured[entry["name"]]
            entry.update({k: v for k, v in figures.items() if k != "name"})
            p95 = figures.get("p95_ms")
            entry["passes"] = bool(p95 is not None and p95 < BAR_P95_MS and figures["errors"] == 0)
    server_log = server.log_tail(5)
    server_rss = server.rss_mb()
    server.stop()
    return plan, server_log, server_rss


def _report(
    args: argparse.Namespace,
    url: str,
    env: dict[str, str],
    config: ServerConfig,
    server: Server,
    started: datetime,
    database: dict[str, Any],
    scale: str,
    migrated: list[str],
    samples: Samples,
    notes: list[str],
    results: list[dict[str, Any]],
    plan: dict[str, Any],
    server_log: str,
    server_rss: list[float],
) -> int:
    from django.db import connection

    others = latest_results(args.database, scale) if args.others != "skip" else {}
    report = {
        "bench": "http",
        "database": args.database,
        "server": connection.vendor,
        "at": started.isoformat(timespec="seconds"),
        "label": args.label,
        **git_facts(),
        "machine": machine_facts(),
        "db": {**database, "url": _redact(url), "scale": scale, "migrations_applied": migrated},
        "server_config": {
            "command": " ".join(["cecto", *server.argv[1:]]),
            "gunicorn_cmd_args": env["GUNICORN_CMD_ARGS"],
            "describe": config.describe(),
            "rss_mb_after_load": server_rss,
            "settings_module": os.environ.get("DJANGO_SETTINGS_MODULE"),
            "env": {
                k: ("<generated>" if k in ("SECRET_KEY", "CECTO_KEY_ENCRYPTION_KEY") else v)
                for k, v in env.items()
            },
        },
        "load": {
            **{k: plan[k] for k in ("concurrency", "warmup", "requests", "seconds", "quiet_cores")},
            "nice": -args.nice,
        },
        "bar_p95_ms": BAR_P95_MS,
        "samples": {
            "programs": [p.slug for p in samples.programs],
            "cohorts": [c.slug for c in samples.cohorts],
            "enrollments": [str(e.uuid) for e in samples.enrollments],
            "credentials": [str(c.uuid) for c in samples.credentials],
        },
        "notes": notes,
        "pages": results,
        "others": others,
        "server_log_tail": server_log,
    }
    print_report(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"http-{args.database}-{report['at'].replace(':', '')}.json"
    out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwritten to {out.relative_to(ROOT)}")
    errors = any(e.get("errors") for e in results)
    missed = not all(e.get("passes", True) for e in results)
    if args.fail_on == "bar" and missed:
        return 1
    return 1 if args.fail_on == "errors" and errors else 0


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@")
    return url


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_report(report: dict[str, Any]) -> None:
    m, db = report["machine"], report["db"]
    rows = ", ".join(f"{table.split('_', 1)[1]} {count:,}" for table, count in db["rows"].items())
    dirty = " (dirty: uncommitted changes)" if report["dirty"] else ""
    print()
    print(f"cecto bench-http  {report['at']}  commit {report['commit']}{dirty}")
    print(
        f"machine   {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; "
        f"Python {m['python']}; load average before {m['load_average_before']}"
    )
    print(f"database  {db['engine']} {db['version']}, {db['size_mb']:,} MB, scale {db['scale']}: {rows}")
    settings_module = report["server_config"].get("settings_module") or "config.settings"
    print(
        f"server    {report['server_config']['command']}  ({report['server_config']['describe']})"
        + ("" if settings_module == "config.settings" else f"  DJANGO_SETTINGS_MODULE={settings_module}")
    )
    load = report["load"]
    print(
        f"load      concurrency {load['concurrency']}, {load['warmup']} warm-up requests, then "
        f"{load['requests']} requests or {load['seconds']:.0f} s per page; "
        f"bar: p95 < {report['bar_p95_ms']:.0f} ms"
        + (f"; server and client at nice {load['nice']}" if load.get("nice") else "")
    )
    header = (
        f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'CPU ms':>7} "
        f"{'queries':>7} {'errors':>6} {'busy':>5}  result"
    )
    print()
    print(header)
    print("-" * len(header))
    for entry in report["pages"]:
        if not entry.get("available"):
            print(f"{entry['name']:<34} {'':>64}  {entry.get('why')}")
            continue
        result = "PASS" if entry.get("passes") else "FAIL"
        cpu = None
        if entry.get("server_cpu_ms_per_request") is not None:
            cpu = entry["server_cpu_ms_per_request"] + entry.get("database_cpu_ms_per_request", 0)
        queries = _fmt(entry.get("queries"))
        if entry.get("queries_min") not in (None, entry.get("queries")):
            queries = f"{entry['queries_min']}-{entry['queries']}"
        print(
            f"{entry['name']:<34} {_fmt(entry.get('p50_ms')):>8} {_fmt(entry.get('p95_ms')):>8} "
            f"{_fmt(entry.get('p99_ms')):>8} {_fmt(entry.get('requests_per_s')):>7} {_fmt(cpu):>7} "
            f"{queries:>7} {_fmt(entry.get('errors')):>6} {_fmt(entry.get('other_cpu_cores')):>5}  {result}"
        )
    print(
        "CPU ms: the server's CPU time per request, plus PostgreSQL's (all of it: other work on the "
        "same server counts); busy: cores other work on the machine used meanwhile (0 = quiet)."
    )
    for note in report["notes"]:
        print(f"note: {note}")
    for entry in report["pages"]:
        profile = entry.get("profile")
        if not profile:
            continue
        print(f"\nprofile: {entry['name']}  {profile['path']}")
        print(
            f"  one request {profile['wall_ms']} ms, of which SQL {profile['sql_ms']} ms "
            f"in {profile['queries']} queries; templates: {_fmt(profile.get('template_share'), 2)} of it"
        )
        for query in profile["slowest_queries"][:3]:
            print(f"  {query['ms']:>8.1f} ms  {query['sql'][:160]}")
        for function in profile["project_functions_by_cumulative_ms_profiled"][:6]:
            print(f"  {function['cum_ms']:>8.1f} ms cumulative (profiled)  {function['where']}")
    if report["others"]:
        print("\nother benchmarks (latest results in bench/results/):")
        for bench, figures in report["others"].items():
            if figures is None:
                print(f"  {bench:<18} no results yet ({OTHER_MAKE_TARGETS.get(bench, 'make bench')})")
                continue
            shown = {k: v for k, v in figures.items() if k not in ("file", "at", "commit")}
            print(
                f"  {bench:<18} {json.dumps(shown, default=str)[:300]}  "
                f"[{figures['at']}, {figures['commit']}]"
            )


if __name__ == "__main__":
    sys.exit(main())
