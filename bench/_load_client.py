"""The load generator for `bench/http_load.py`: a separate process, so it never shares a GIL with the
harness and its measurements stay out of the server's way.

    .venv/bin/python bench/_load_client.py < plan.json > result.json

Reads one JSON plan on stdin:

    {"host": "127.0.0.1", "port": 8123, "concurrency": 8, "warmup": 16,
     "requests": 400, "seconds": 30,
     "pages": [{"name": "...", "targets": [{"path": "/...", "cookie": "sessionid=..."}]}]}

and, page after page, runs `concurrency` threads, each with its own keep-alive `http.client`
connection (reopened when the server closes it, as gunicorn's sync workers do after every
response). With "server_group" (the server's process group id) it also reads, from /proc, the CPU
time the server, PostgreSQL and this client spent per request. Each page gets a warm-up of
`warmup` requests that are not recorded, then the measured phase: `requests` requests or
`seconds` seconds, whichever ends first, spread round-robin over the page's targets. Latency is
measured from sending the request to reading the last byte of the body. Writes one JSON object on
stdout: per page, the latency percentiles, requests/s, CPU per request, status codes and errors.
Progress goes to stderr.
"""

from __future__ import annotations

import http.client
import itertools
import json
import math
import os
import resource
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

OK_STATUSES = range(200, 300)  # a redirect (to the login page, say) is an error here
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(server_group: int | None, database_name: str | None) -> dict[str, float]:
    """CPU seconds used so far by the server's process group, by PostgreSQL, by this client, and by
    the whole machine (busy and stolen time, from /proc/stat). Linux only.

    PostgreSQL's share is every postgres process's time plus the time of the backends it has
    reaped (cutime/cstime: with a new connection per request, most backends end between two
    readings). It cannot be split by database, so other PostgreSQL work on the machine counts too.
    """
    server = database = 0
    if server_group:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                    stat = handle.read()
                command = stat[stat.find("(") + 1 : stat.rfind(")")]
                fields = stat[stat.rfind(")") + 2 :].split()
                ticks = int(fields[11]) + int(fields[12])  # utime + stime
                if int(fields[2]) == server_group:
                    server += ticks
                elif command == "postgres" and database_name:
                    database += ticks + int(fields[13]) + int(fields[14])  # + reaped children
            except (OSError, ValueError, IndexError):
                continue  # the process ended while we looked
    with open("/proc/stat", encoding="ascii") as handle:
        jiffies = [int(v) for v in handle.readline().split()[1:]]
    idle = jiffies[3] + jiffies[4]  # idle + iowait
    steal = jiffies[7] if len(jiffies) > 7 else 0
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "server": server / TICKS,
        "database": database / TICKS,
        "client": own.ru_utime + own.ru_stime,
        "machine_busy": (sum(jiffies[:8]) - idle - steal) / TICKS,
        "steal": steal / TICKS,
    }


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)  # seconds, successful responses only
    statuses: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    bytes_read: int = 0


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on values sorted ascending."""
    if not sorted_values:
        return math.nan
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _worker(
    host: str,
    port: int,
    targets: list[dict[str, str]],
    counter: itertools.count[int],
    limit: int,
    deadline: list[float],
    start: threading.Barrier,
    sample: Sample,
) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=120)
    start.wait()
    try:
        while True:
            index = next(counter)  # itertools.count is atomic under the GIL
            if index >= limit or time.perf_counter() > deadline[0]:
                return
            target = targets[index % len(targets)]
            headers = {"Accept": "text/html,application/json", "User-Agent": "cecto-bench"}
            if target.get("cookie"):
                headers["Cookie"] = target["cookie"]
            began = time.perf_counter()
            try:
                connection.request("GET", target["path"], headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                sample.errors[type(error).__name__] += 1
                connection.close()
                continue
            elapsed = time.perf_counter() - began
            sample.statuses[str(response.status)] += 1
            sample.bytes_read += len(body)
            if response.status in OK_STATUSES:
                sample.latencies.append(elapsed)
            else:
                sample.errors[f"HTTP {response.status}"] += 1
            if response.will_close:
                connection.close()  # the next request() reconnects
    finally:
        connection.close()


def run_phase(
    plan: dict[str, Any], targets: list[dict[str, str]], *, requests: int, seconds: float
) -> tuple[list[Sample], float]:
    concurrency = int(plan["concurrency"])
    counter = itertools.count()
    deadline = [math.inf]
    barrier = threading.Barrier(concurrency + 1)
    samples = [Sample() for _ in range(concurrency)]
    threads = [
        threading.Thread(
            target=_worker,
            args=(plan["host"], int(plan["port"]), targets, counter, requests, deadline, barrier, sample),
            daemon=True,
        )
        for sample in samples
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - began


def summarize(samples: list[Sample], wall: float) -> dict[str, Any]:
    latencies = sorted(value for sample in samples for value in sample.latencies)
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    for sample in samples:
        statuses.update(sample.statuses)
        errors.update(sample.errors)
    completed = sum(statuses.values())

    def ms(value: float) -> float | None:
        return None if math.isnan(value) else round(value * 1000, 2)

    return {
        "requests": completed + sum(v for k, v in errors.items() if not k.startswith("HTTP ")),
        "ok": len(latencies),
        "seconds": round(wall, 3),
        "requests_per_s": round(completed / wall, 1) if wall > 0 else None,
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p90_ms": ms(percentile(latencies, 0.90)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(latencies[-1]) if latencies else None,
        "mean_ms": round(sum(latencies) / len(latencies) * 1000, 2) if latencies else None,
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(errors.values()),
        "error_kinds": dict(sorted(errors.items())),
        "mean_bytes": int(sum(s.bytes_read for s in samples) / completed) if completed else 0,
    }


def measure_page(plan: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    targets = page["targets"]
    warmup = int(plan.get("warmup", 0))
    if warmup:
        run_phase(plan, targets, requests=warmup, seconds=float(plan["seconds"]))
    before = cpu_seconds(plan.get("server_group"), plan.get("database_name"))
    samples, wall = run_phase(plan, targets, requests=int(plan["requests"]), seconds=float(plan["seconds"]))
    after = cpu_seconds(plan.get("server_group"), plan.get("database_name"))
    figures = summarize(samples, wall)
    done = max(1, sum(figures["statuses"].values()))
    used = {kind: after[kind] - before[kind] for kind in after}
    for kind in ("server", "database", "client"):
        figures[f"{kind}_cpu_ms_per_request"] = round(used[kind] / done * 1000, 2)
    # What the rest of the machine (other people's work) took meanwhile, in cores.
    ours = used["server"] + used["database"] + used["client"]
    figures["other_cpu_cores"] = round(max(0.0, used["machine_busy"] - ours) / wall, 2)
    figures["steal_cores"] = round(used["steal"] / wall, 2)
    return figures


def wait_until_quiet(limit: float, patience: float) -> float:
    """Wait (at most `patience` seconds) until other work uses at most `limit` cores; the server
    is idle between pages, so all the machine's busy time is someone else's. Returns the wait."""
    began = time.perf_counter()
    while True:
        first = cpu_seconds(None, None)["machine_busy"]
        time.sleep(2)
        busy = (cpu_seconds(None, None)["machine_busy"] - first) / 2
        waited = time.perf_counter() - began
        if busy <= limit or waited >= patience:
            return waited
        print(
            f"    the machine is busy ({busy:.1f} cores in use by others): waiting",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(8)


def main() -> None:
    plan = json.load(sys.stdin)
    quiet = plan.get("quiet_cores")  # None: measure whatever else runs
    patience = float(plan.get("quiet_wait_s", 0))
    results = []
    for page in plan["pages"]:
        attempts: list[dict[str, Any]] = []
        waited = 0.0
        for _ in range(1 + (int(plan.get("retries", 2)) if quiet is not None else 0)):
            if quiet is not None:
                waited += wait_until_quiet(float(quiet), patience)
            attempts.append(measure_page(plan, page))
            if quiet is None or attempts[-1]["other_cpu_cores"] <= float(quiet):
                break
            print("    others used the machine during the page: measuring it again", file=sys.stderr)
        figures = min(attempts, key=lambda f: f["other_cpu_cores"])
        figures["attempts"] = len(attempts)
        figures["waited_for_quiet_s"] = round(waited, 1)
        print(
            f"  {page['name']:<32} p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
            f"{figures['requests_per_s']} req/s  errors {figures['errors']}  "
            f"(others used {figures['other_cpu_cores']} cores)",
            file=sys.stderr,
            flush=True,
        )
        results.append({"name": page["name"], **figures})
    json.dump({"pages": results}, sys.stdout)


if __name__ == "__main__":
    main()
