"""Compare two benchmark result files from bench/results/ and print what changed.

    .venv/bin/python bench/compare.py OLD.json NEW.json [--threshold 10]
    .venv/bin/python bench/compare.py --latest http-sqlite      # the two newest http-sqlite-*.json

For `http-*` files: one line per page with p50, p95, req/s, CPU ms per request and queries, old →
new and the change in percent; a change beyond --threshold percent in the bad direction is marked
"worse", in the good direction "better". Other results (ledger, import, matching, credentials)
are compared figure by figure (every number in the file, by its dotted key). The header says
whether the two runs measured the same commit, database, data and machine: figures from different
machines or data sizes are not comparable, and the comparison says so.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
# For these figures a larger number is better; for every other one (latencies, times, CPU,
# queries, errors) a smaller number is.
HIGHER_IS_BETTER = ("per_s", "per_cpu_s", "per_wall_s", "requests_per_s", "rows_per_s", "total", "matched")
PAGE_FIGURES = (
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("requests_per_s", "req/s"),
    ("server_cpu_ms_per_request", "CPU ms"),
    ("queries", "queries"),
    ("errors", "errors"),
)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def flatten(data: Any, prefix: str = "") -> dict[str, float]:
    figures: dict[str, float] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            figures.update(flatten(value, f"{prefix}{key}."))
    elif isinstance(data, int | float) and not isinstance(data, bool):
        figures[prefix.rstrip(".")] = float(data)
    return figures


def verdict(key: str, old: float | None, new: float | None, threshold: float) -> tuple[str, str]:
    if old is None or new is None:
        return "", ""
    if old == 0:
        return ("", "") if new == 0 else ("new", "")
    change = (new - old) / abs(old) * 100
    better = change > 0 if any(key.endswith(s) for s in HIGHER_IS_BETTER) else change < 0
    mark = ("better" if better else "worse") if abs(change) >= threshold else ""
    return f"{change:+.0f}%", mark


def number(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def header(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines = []
    for label, get in (
        ("commit", lambda r: f"{r.get('commit')}{' (dirty)' if r.get('dirty') else ''}"),
        ("at", lambda r: r.get("at")),
        ("database", lambda r: r.get("database") or r.get("server")),
        ("scale", lambda r: (r.get("db") or {}).get("scale")),
        ("rows", lambda r: sum(((r.get("db") or {}).get("rows") or {}).values()) or None),
        (
            "machine",
            lambda r: (r.get("machine") or {}).get("cpu") if isinstance(r.get("machine"), dict) else None,
        ),
        (
            "cores",
            lambda r: (
                (r.get("machine") or {}).get("cores")
                if isinstance(r.get("machine"), dict)
                else r.get("cores")
            ),
        ),
        ("server", lambda r: (r.get("server_config") or {}).get("describe")),
    ):
        a, b = get(old), get(new)
        if a is None and b is None:
            continue
        same = "" if a == b else "   <- differs"
        lines.append(f"  {label:<9} {number(a)}  ->  {number(b)}{same}")
    return lines


def compare_pages(old: dict[str, Any], new: dict[str, Any], threshold: float) -> list[str]:
    before = {p["name"]: p for p in old.get("pages", [])}
    after = {p["name"]: p for p in new.get("pages", [])}
    lines = [f"  {'page':<34} {'figure':<8} {'old':>10} {'new':>10} {'change':>8}"]
    for name in [*after, *(n for n in before if n not in after)]:
        a, b = before.get(name, {}), after.get(name, {})
        if not a.get("available") or not b.get("available"):
            was = "measured" if a.get("available") else (a.get("why") or "absent")
            now = "measured" if b.get("available") else (b.get("why") or "absent")
            if was != now:
                lines.append(f"  {name:<34} {was}  ->  {now}")
            continue
        for key, label in PAGE_FIGURES:
            change, mark = verdict(key, a.get(key), b.get(key), threshold)
            old_value, new_value = number(a.get(key)), number(b.get(key))
            lines.append(f"  {name:<34} {label:<8} {old_value:>10} {new_value:>10} {change:>8}  {mark}")
            name = ""
        if a.get("passes") != b.get("passes"):
            lines.append(
                f"  {'':<34} bar      {'PASS' if a.get('passes') else 'FAIL':>10} "
                f"{'PASS' if b.get('passes') else 'FAIL':>10}"
            )
    return lines


def compare_figures(old: dict[str, Any], new: dict[str, Any], threshold: float) -> list[str]:
    skip = ("cores", "load_average", "machine.", "db.rows", "load_average_before", "samples")
    a, b = flatten(old), flatten(new)
    lines = [f"  {'figure':<48} {'old':>12} {'new':>12} {'change':>8}"]
    for key in [*b, *(k for k in a if k not in b)]:
        if key.startswith(skip) or key.startswith("pages"):
            continue
        change, mark = verdict(key, a.get(key), b.get(key), threshold)
        lines.append(f"  {key:<48} {number(a.get(key)):>12} {number(b.get(key)):>12} {change:>8}  {mark}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, help="OLD.json NEW.json")
    parser.add_argument("--latest", metavar="PREFIX", help="compare the two newest PREFIX-*.json results")
    parser.add_argument("--threshold", type=float, default=10.0, help="percent change worth marking")
    args = parser.parse_args(argv)
    if args.latest:
        files = sorted(RESULTS.glob(f"{args.latest}-*.json"), key=lambda p: p.stat().st_mtime)[-2:]
        if len(files) < 2:
            parser.error(f"fewer than two results named {args.latest}-*.json in {RESULTS}")
    elif len(args.files) == 2:
        files = args.files
    else:
        parser.error("give two result files, or --latest PREFIX")
    old, new = load(files[0]), load(files[1])
    print(f"{files[0].name}  ->  {files[1].name}")
    print("\n".join(header(old, new)))
    print()
    lines = (
        compare_pages(old, new, args.threshold)
        if "pages" in new
        else compare_figures(old, new, args.threshold)
    )
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
