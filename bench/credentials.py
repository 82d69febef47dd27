"""Issue and verify throughput per core: Open Badges 3.0 and CLR 2.0, next to raw Ed25519.

    .venv/bin/python bench/credentials.py [--seconds 3 --warmup 1 --profile OPERATION]

One process, so every figure is per core. Pure (cecto.credentials documents, proofs and
verification; no database): issuing is building the document and signing it (eddsa-rdfc-2022:
two RDFC-1.0 canonicalizations, two SHA-256, one Ed25519 signature); verifying is
`verification.verify_credential` with local resolvers, with the status check (two signed
status lists, each verified in turn, as the real verification does) and without it. The CLR
transcript embeds three signed Open Badges, which verification checks one by one.

Each operation runs for --seconds after a --warmup. Rates are operations per CPU-second of this
process (so a busy shared machine does not read as a slow one); the wall-clock rate is printed
beside it. --profile OPERATION prints where the time of one operation goes (cProfile).
Figures are written to bench/results/.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench._harness import RESULTS, ROOT, machine
from cecto.credentials import documents, proofs, status_list
from cecto.credentials.multikey import did_key_for, did_key_verification_method, public_key_from_did_key
from cecto.credentials.verification import verify_credential

NOW = datetime.now(UTC).replace(microsecond=0)
SITE = "https://cecto.example"
TARGETS = {"ob_issue": 300, "ob_verify_status": 300, "ob_verify": 300, "clr_issue": 120}


class Issuer:
    """A did:key issuer with its revocation and suspension lists published locally."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        public = self.key.public_key()
        self.profile = documents.IssuerProfile(id=did_key_for(public), name="North Carolina CeCTO", url=SITE)
        self.options = proofs.ProofOptions(did_key_verification_method(public), NOW)
        flagged = {"revocation": (5, 70_001), "suspension": (9,)}
        self.lists = {
            self.list_url(purpose): self.sign(
                documents.status_list_credential(
                    list_url=self.list_url(purpose),
                    issuer=self.profile,
                    purpose=purpose,
                    encoded_list=status_list.encode(status_list.bitstring(flagged[purpose])),
                    valid_from=NOW - timedelta(days=1),
                )
            )
            for purpose in ("revocation", "suspension")
        }

    @staticmethod
    def list_url(purpose: str) -> str:
        return f"{SITE}/credentials/status/1/{purpose}"

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        return proofs.sign(document, self.key, self.options)

    def entries(self, index: int) -> tuple[dict[str, Any], ...]:
        return tuple(
            status_list.status_entry(self.list_url(purpose), purpose, index)
            for purpose in ("revocation", "suspension")
        )


def award(issuer: Issuer, number: int) -> documents.AwardFacts:
    """A realistic Open Badge: three skill-area alignments, two status entries, a renewal date."""
    areas = ((1, "Leadership and Vision"), (4, "Data Management"), (9, "Information Security"))
    return documents.AwardFacts(
        credential_id=f"{SITE}/credentials/00000000-0000-4000-8000-{number:012d}/",
        issuer=issuer.profile,
        recipient=documents.Recipient(
            name=f"Graduate {number}", email=f"graduate{number}@district.example", salt=f"{number:016x}"
        ),
        achievement=documents.AchievementFacts(
            id=f"{SITE}/achievements/5b0e6a0c-8a55-4c1c-9d4e-1a2b3c4d5e6f/",
            name="Certified Education Technology Leader",
            description="North Carolina's certification for the people who lead technology in school "
            "districts.",
            criteria="Completed 240 contact hours of instruction, attended the required sessions, and met "
            "the programme's eligibility rules.",
            kind="Certification",
            ceus=Decimal("24.0"),
            alignments=tuple(
                documents.SkillAlignment(n, name, f"{SITE}/frameworks/cosn/#skill-area-{n}")
                for n, name in areas
            ),
        ),
        ceus_earned=Decimal("24.5"),
        contact_minutes=245 * 60,
        cohort_name="Class of 2026",
        started_on=date(2026, 2, 10),
        completed_on=date(2026, 5, 28),
        valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(days=3 * 365),
        status_entries=issuer.entries(1_000 + number % 100_000),
    )


def transcript(issuer: Issuer, badges: tuple[dict[str, Any], ...], number: int) -> documents.TranscriptFacts:
    return documents.TranscriptFacts(
        credential_id=f"{SITE}/credentials/10000000-0000-4000-8000-{number:012d}/",
        issuer=issuer.profile,
        recipient=documents.Recipient(
            name="Graduate 1", email="graduate1@district.example", salt=f"{number:016x}"
        ),
        issued_at=NOW - timedelta(minutes=5),
        credentials=badges,
        total_contact_minutes=245 * 60 * len(badges),
        total_ceus=Decimal("24.5") * len(badges),
        status_entries=issuer.entries(120_000 + number % 10_000),
    )


def measure(
    operation: Callable[[], object], seconds: float, warmup: float, batch: int = 1
) -> dict[str, float]:
    deadline = time.perf_counter() + warmup
    while time.perf_counter() < deadline:
        operation()
    count = 0
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    while time.perf_counter() - wall_start < seconds:
        for _ in range(batch):
            operation()
        count += batch
    wall, cpu = time.perf_counter() - wall_start, time.process_time() - cpu_start
    return {
        "ops": count,
        "per_cpu_s": round(count / cpu, 1),
        "per_wall_s": round(count / wall, 1),
        "ms_per_op": round(cpu / count * 1000, 3),
    }


def operations(issuer: Issuer) -> dict[str, tuple[str, Callable[[], object], int]]:
    """name: (label, one operation, batch)."""
    message = os.urandom(64)  # what eddsa-rdfc-2022 signs: two SHA-256 digests
    signature = issuer.key.sign(message)
    public = issuer.key.public_key()
    counter = iter(range(10**9))

    def ob_issue() -> dict[str, Any]:
        return issuer.sign(documents.open_badge_credential(award(issuer, next(counter))))

    badge = ob_issue()
    badges = tuple(ob_issue() for _ in range(3))
    clr = issuer.sign(documents.clr_credential(transcript(issuer, badges, 1)))

    def verify(document: dict[str, Any], *, with_status: bool) -> Callable[[], object]:
        resolve_list = issuer.lists.get if with_status else (lambda url: None)

        def run() -> object:
            verdict = verify_credential(
                document, resolve_key=public_key_from_did_key, resolve_list=resolve_list, now=NOW
            )
            if not verdict.is_valid:
                raise SystemExit(f"The benchmark's credential does not verify: {verdict.summary}")
            return verdict

        return run

    return {
        "ed25519_sign": ("Ed25519 sign (raw, 64 bytes)", lambda: issuer.key.sign(message), 200),
        "ed25519_verify": ("Ed25519 verify (raw, 64 bytes)", lambda: public.verify(signature, message), 200),
        "ob_issue": ("OB 3.0 issue (build + sign)", ob_issue, 1),
        "ob_verify_status": ("OB 3.0 verify, with status", verify(badge, with_status=True), 1),
        "ob_verify": ("OB 3.0 verify, without status", verify(badge, with_status=False), 1),
        "clr_issue": (
            "CLR 2.0 issue (3 OBs embedded)",
            lambda: issuer.sign(documents.clr_credential(transcript(issuer, badges, next(counter)))),
            1,
        ),
        "clr_verify_status": ("CLR 2.0 verify, with status", verify(clr, with_status=True), 1),
        "clr_verify": ("CLR 2.0 verify, without status", verify(clr, with_status=False), 1),
    }


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def profile(label: str, operation: Callable[[], object], seconds: float) -> None:
    profiler = cProfile.Profile()
    deadline = time.perf_counter() + seconds
    profiler.enable()
    while time.perf_counter() < deadline:
        operation()
    profiler.disable()
    print(f"\n  Profile of {label} ({seconds:g} s), by cumulative time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--profile", help="an operation to profile instead of timing, e.g. ob_issue")
    args = parser.parse_args()
    issuer = Issuer()
    ops = operations(issuer)
    if args.profile:
        label, operation, _ = ops[args.profile]
        operation()
        profile(label, operation, args.seconds)
        return

    facts: dict[str, Any] = {
        "bench": "credentials",
        **machine(),
        "cpu_model": cpu_model(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "libraries": {name: version(name) for name in ("pyld", "cryptography", "base58", "cachetools")},
        "openssl": _openssl(),
        "seconds_per_operation": args.seconds,
    }
    print(
        f"  Credentials throughput, one process (per core), {args.seconds:g} s each "
        f"after {args.warmup:g} s warm-up"
    )
    print(f"  {facts['cpu_model']}, {facts['cores']} cores, load {facts['load_average']}")
    print(
        f"  Python {facts['python']}, "
        + ", ".join(f"{name} {v}" for name, v in facts["libraries"].items())
        + f", {facts['openssl']}; commit {facts['commit']}\n"
    )
    print(f"  {'operation':<34} {'per CPU-s':>10} {'per wall-s':>11} {'ms/op':>8}  target")
    results: dict[str, dict[str, float]] = {}
    for name, (label, operation, batch) in ops.items():
        figures = measure(operation, args.seconds, args.warmup, batch)
        results[name] = figures
        target = TARGETS.get(name)
        verdict = (
            "" if target is None else f"≥ {target}/s  {'met' if figures['per_cpu_s'] >= target else 'MISSED'}"
        )
        print(
            f"  {label:<34} {figures['per_cpu_s']:>10,.0f} {figures['per_wall_s']:>11,.0f} "
            f"{figures['ms_per_op']:>8.3f}  {verdict}",
            flush=True,
        )
    facts["results"] = results
    facts["targets"] = TARGETS
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"credentials-{facts['at'].replace(':', '')}.json"
    out.write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
    print(f"\n  written to {out.relative_to(ROOT)}", file=sys.stderr)


def _openssl() -> str:
    from cryptography.hazmat.backends.openssl.backend import backend

    return str(backend.openssl_version_text())


if __name__ == "__main__":
    main()
