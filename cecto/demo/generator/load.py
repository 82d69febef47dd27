"""Load a planned dataset into the configured database: check, plan, write, fix up, report.

The database must be empty of programme data (the generator numbers every table from 1);
`flush=True` empties it first with Django's `flush` (every table, demo data included).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from cecto.credentials.models import STATUS_LIST_SIZE
from cecto.credentials.multikey import public_key_multibase
from cecto.demo.generator import credentials as generated
from cecto.demo.generator.plan import Plan, plan_for
from cecto.demo.generator.progress import Progress
from cecto.demo.generator.scales import Scale
from cecto.demo.generator.tables import EPOCH, Row, Table, tables_for
from cecto.demo.generator.writer import Writer
from cecto.ledger.api import HoursEntry
from cecto.people.models import Organization, Person
from cecto.programs.models import Program
from cecto.scheduling.models import Cohort

BENCH_PASSWORD = "cecto-bench"  # printed by `cecto generate`; synthetic data only, never a real account
ADMIN_GROUP = "Programme administrators"  # the same group `cecto demo` gives its administrator


class DatabaseNotEmpty(Exception):
    """The database holds programme data already: the generator refuses to mix with it."""


@dataclass
class LoadResult:
    plan: Plan
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def write_seconds(self) -> float:
        return sum(s for table, s in self.seconds.items() if table in self.rows)


def existing_data() -> dict[str, int]:
    """What the database already holds, counted, if anything."""
    models = {
        "logins": User,
        "organizations": Organization,
        "people": Person,
        "programmes": Program,
        "classes": Cohort,
        "ledger entries": HoursEntry,
    }
    found = {name: model._default_manager.count() for name, model in models.items()}
    return {name: count for name, count in found.items() if count}


def check_empty() -> None:
    found = existing_data()
    if found:
        held = ", ".join(f"{count:,} {name}" for name, count in found.items())
        raise DatabaseNotEmpty(
            f"The database already holds data ({held}). `cecto generate` loads into an empty database: "
            "point DATABASE_URL at a new one (e.g. sqlite:////tmp/cecto-small.sqlite3, or createdb and "
            "postgres://postgres@127.0.0.1:5432/NAME), or pass --flush to delete everything in this one "
            "first."
        )


def generate(
    *,
    scale: Scale,
    seed: int,
    as_of: date,
    progress: Progress,
    flush: bool = False,
    analyze: bool = True,
    rebuild_from: int = 50_000,
) -> LoadResult:
    """Plan the dataset and write it; `rebuild_from` is the row count from which a table's indexes
    are dropped for the load and built again after it (see Writer)."""
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    check_empty()
    started = time.perf_counter()
    plan = plan_for(scale, seed=seed, as_of=as_of)
    result = LoadResult(plan=plan)
    result.seconds["plan"] = time.perf_counter() - started
    tables = tables_for(plan)
    field_types = {table.name: _check_columns(table) for table in tables}
    writer = Writer(progress, rebuild_from=rebuild_from)
    with _bulk_session():
        for table in tables:
            started = time.perf_counter()
            result.rows[table.name] = writer.write(table, field_types[table.name])
            result.seconds[table.name] = time.perf_counter() - started
    started = time.perf_counter()
    _reset_sequences(tables)
    _set_logins(plan)
    result.notes.append(_write_credentials(plan, writer))
    result.seconds["fix_up"] = time.perf_counter() - started
    if analyze:
        started = time.perf_counter()
        _analyze()
        result.seconds["analyze"] = time.perf_counter() - started
    return result


def _analyze() -> None:
    """Statistics for the planner; on PostgreSQL a VACUUM too (outside a transaction), so the
    visibility map lets index-only scans skip the heap, as autovacuum would do a little later."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def _check_columns(table: Table) -> tuple[str, ...]:
    """The table's field types in column order, after checking the plan writes every column the
    model has (a model change must show up here, not as a half-loaded database)."""
    model = apps.get_model(table.model)
    fields = {f.column: f.get_internal_type() for f in model._meta.concrete_fields}
    if model._meta.db_table != table.name or set(fields) != set(table.columns):
        raise RuntimeError(
            f"{table.model} has the columns {sorted(fields)} in {model._meta.db_table}; the generator writes "
            f"{sorted(table.columns)} to {table.name}: update cecto/demo/generator/tables.py."
        )
    return tuple(fields[column] for column in table.columns)


@contextmanager
def _bulk_session() -> Iterator[None]:
    """Connection settings for a bulk load: a large page cache on SQLite, no waiting for the WAL
    flush on PostgreSQL (a crash mid-load loses the load, which is thrown away anyway). Only
    outside a transaction (SQLite refuses some of them inside one), as the command runs."""
    if connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # pragma: no cover (PostgreSQL)
            cursor.execute("SET synchronous_commit = off")
        else:
            cursor.execute("PRAGMA cache_size = -1048576")  # 1 GiB, for the load only
            cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # pragma: no cover (PostgreSQL)
                cursor.execute("SET synchronous_commit = on")
            else:
                cursor.execute("PRAGMA cache_size = -2000")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave no write-ahead log of gigabytes


def _reset_sequences(tables: list[Table]) -> None:
    """Ids were written explicitly: move PostgreSQL's sequences past them (SQLite's AUTOINCREMENT
    keeps up by itself)."""
    models = [apps.get_model(table.model) for table in tables]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _set_logins(plan: Plan) -> None:
    """Give the bench logins their password (salted by the seed, so the same seed gives the same
    hash) and the programme administrator the admin site's permissions."""
    password = make_password(BENCH_PASSWORD, salt=f"cectobench{plan.seed}")  # hashing is slow: once
    users = [login.person.id if login.person is not None else plan.superuser_id for login in plan.logins]
    User.objects.filter(pk__in=users).update(password=password)
    admins, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    admins.permissions.set(
        Permission.objects.filter(content_type__app_label__in=("people", "programs", "scheduling")).exclude(
            codename__startswith="delete_"
        )
    )
    staff = [login.person.id for login in plan.logins if login.person is not None and login.person.is_staff]
    admins.user_set.add(*User.objects.filter(pk__in=staff))


def _write_credentials(plan: Plan, writer: Writer) -> str:
    """Signed credentials for the certified enrollments, and transcripts up to the scale's figure.

    Signing is most of the time this step takes (one process per core; see generator/credentials.py).
    """
    key = generated.signing_key(plan.seed)
    drafts = generated.drafts(plan)
    changed = [draft for draft in drafts if draft.status != "active"]
    lists = generated.status_list_count(len(drafts))
    sealed = Fernet(settings.CECTO_KEY_ENCRYPTION_KEY).encrypt(
        key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    )

    def key_rows() -> Iterator[Row]:
        yield (1, EPOCH, EPOCH, generated.KEY_ID, public_key_multibase(key.public_key()), sealed, True, None)

    def list_rows() -> Iterator[Row]:
        for number in range(1, lists + 1):
            allocated = min(STATUS_LIST_SIZE, len(drafts) - (number - 1) * STATUS_LIST_SIZE)
            flips = sum(1 for draft in changed if draft.list_number == number)
            yield (number, number, STATUS_LIST_SIZE, allocated, flips)

    def credential_rows() -> Iterator[Row]:
        texts = generated.signed_documents(plan, drafts, key)
        for draft, text in zip(drafts, texts, strict=True):
            badge = draft.kind == "ob3"
            enrollment = draft.enrollment.id if badge else None
            achievement = achievement_ids[draft.enrollment.track.id] if badge else None
            yield (draft.id, draft.uuid_hex, draft.kind, draft.person_id, enrollment, achievement, text, 1,
                   draft.issued_at, draft.valid_until, draft.list_number, draft.index, draft.status,
                   draft.reason, None, None)  # fmt: skip

    def change_rows() -> Iterator[Row]:
        for number, draft in enumerate(changed, 1):
            by = draft.enrollment.cohort.program.administrators[0].id
            yield (
                number,
                draft.id,
                "active",
                draft.status,
                draft.reason,
                by,
                generated.status_changed_at(draft),
            )

    achievement_ids = {track.id: number for number, track in enumerate(plan.tracks, 1)}
    specs = [
        ("credentials_signingkey", "credentials.SigningKey", 1, key_rows),
        ("credentials_achievement", "credentials.Achievement", len(plan.tracks),
         lambda: generated.achievement_rows(plan, EPOCH)),
        ("credentials_statuslist", "credentials.StatusList", lists, list_rows),
        ("credentials_credential", "credentials.Credential", len(drafts), credential_rows),
        ("credentials_credentialstatuschange", "credentials.CredentialStatusChange", len(changed),
         change_rows),
    ]  # fmt: skip
    tables = []
    for name, model, count, rows in specs:
        columns = tuple(f.column for f in apps.get_model(model)._meta.concrete_fields)
        table = Table(name, model, columns, count, rows)
        writer.write(table, _check_columns(table))
        tables.append(table)
    _reset_sequences(tables)
    transcripts = sum(1 for draft in drafts if draft.kind == "clr2")
    plural = "s" if lists != 1 else ""
    return (
        f"Credentials: {len(drafts):,} signed ({len(drafts) - transcripts:,} Open Badges, {transcripts:,} "
        f"transcripts), {len(changed):,} revoked or suspended, in {lists} status list{plural}."
    )
