"""Streaming bulk inserts: each table in one transaction, in batches, never all in memory.

SQLite: `executemany` on the driver's cursor, batch by batch, values adapted the way Django stores
them (uuids as 32 hex digits, UTC datetimes as "YYYY-MM-DD HH:MM:SS", dates in ISO form).
PostgreSQL: `COPY … FROM STDIN` through psycopg 3's `cursor.copy()`, which adapts uuids, dates and
aware datetimes itself.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction

from cecto.demo.generator.progress import Progress
from cecto.demo.generator.tables import Row, Table

BATCH = 20_000
Adapter = Callable[[Any], object]


def _uuid(value: Any) -> object:
    return value if value.__class__ is str else value.hex  # the big tables give hex already


def _datetime(value: Any) -> object:
    # How Django stores an aware datetime on SQLite: in UTC (which the plan gives), without the
    # offset; the plan's times are whole seconds. Formatted by hand: three times str()'s speed.
    v = value
    return "%04d-%02d-%02d %02d:%02d:%02d" % (v.year, v.month, v.day, v.hour, v.minute, v.second)  # noqa: UP031


def _date(value: Any) -> object:
    return value.isoformat()


SQLITE_ADAPTERS: dict[str, Adapter] = {
    "UUIDField": _uuid,
    "DateTimeField": _datetime,
    "DateField": _date,
}


class Writer:
    """Writes tables; from `rebuild_from` rows on, a table's indexes and (on PostgreSQL) its unique
    and foreign-key constraints are dropped for the load and made again after it, in the same
    transaction: building an index once is several times faster than growing it row by row, and
    PostgreSQL validates a foreign key in one join instead of one lookup per row."""

    def __init__(self, progress: Progress, *, rebuild_from: int = 50_000) -> None:
        self.progress = progress
        self.vendor = connection.vendor
        self.rebuild_from = rebuild_from

    def write(self, table: Table, field_types: tuple[str, ...]) -> int:
        """Insert the table's rows; `field_types` are the columns' Django field types, in order."""
        postgres = self.vendor == "postgresql"
        drop = _drop_postgres_indexes if postgres else _drop_sqlite_indexes
        with self.progress.table(table.name, table.count) as shown, transaction.atomic():
            with connection.cursor() as cursor:
                if postgres:  # pragma: no cover (PostgreSQL)
                    # Make now the checks pending from before (only a caller's enclosing transaction,
                    # as in the tests, leaves any): PostgreSQL alters no table with checks pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                remake = drop(cursor, table.name) if table.count >= self.rebuild_from else []
            if postgres:  # pragma: no cover (PostgreSQL)
                written = self._copy(table, shown.advance)
            else:
                written = self._insert(table, field_types, shown.advance)
            with connection.cursor() as cursor:
                for statement in remake:
                    cursor.execute(statement)
            return written

    def _copy(self, table: Table, advance: Callable[[int], None]) -> int:  # pragma: no cover (PostgreSQL)
        columns = ", ".join(f'"{column}"' for column in table.columns)
        written = 0
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            write_row = copy.write_row
            for batch in _batches(table.rows()):
                for row in batch:
                    write_row(row)
                written += len(batch)
                advance(len(batch))
        return written

    def _insert(self, table: Table, field_types: tuple[str, ...], advance: Callable[[int], None]) -> int:
        adapt = [
            (index, SQLITE_ADAPTERS[kind])
            for index, kind in enumerate(field_types)
            if kind in SQLITE_ADAPTERS
        ]
        columns = ", ".join(f'"{column}"' for column in table.columns)
        sql = f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" * len(table.columns))})'  # noqa: S608 (names from the models)
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        written = 0
        try:
            for batch in _batches(table.rows()):
                cursor.executemany(sql, [_adapted(row, adapt) for row in batch])
                written += len(batch)
                advance(len(batch))
        finally:
            cursor.close()
        return written


def _drop_sqlite_indexes(cursor: Any, table: str) -> list[str]:
    """Drop the table's indexes (all but those of its primary key and inline unique constraints);
    return the statements that make them again."""
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def _drop_postgres_indexes(cursor: Any, table: str) -> list[str]:  # pragma: no cover (PostgreSQL)
    """Drop the table's indexes and its unique and foreign-key constraints (not its primary key);
    return the statements that make them again: indexes, then unique constraints (indexes too),
    then the foreign keys, each validated in one pass."""
    cursor.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) ORDER BY i.relname",
        [table],
    )
    indexes = cursor.fetchall()
    for name, _, _ in constraints:
        cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _, definition in indexes] + [
        f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'
        for name, kind, definition in sorted(constraints, key=lambda c: c[1] != "u")
    ]


def _adapted(row: Row, adapt: list[tuple[int, Adapter]]) -> list[object]:
    values = list(row)
    for index, function in adapt:
        value = values[index]
        if value is not None:
            values[index] = function(value)
    return values


def _batches(rows: Iterable[Row]) -> Iterable[list[Row]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch
