"""DATABASE_URL → Django's DATABASES entry, with SQLite tuned for a small server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql", "pgsql")


def database_from_url(
    url: str, *, base_dir: Path, conn_max_age: int = 0, setting: str = "DATABASE_URL"
) -> dict[str, Any]:
    """Django's DATABASES entry for url (given as SETTING, which error messages name).

    conn_max_age keeps a connection open across requests for that many seconds (0: one per
    request). Opening one costs more than a cached page does (PostgreSQL forks a backend and
    authenticates; SQLite re-runs its PRAGMAs), so production keeps them; health checks
    reconnect once a kept connection has gone away (a database restart, a failover).
    """
    scheme, sep, _ = url.partition("://")
    if not sep or scheme not in SUPPORTED_SCHEMES:
        raise ImproperlyConfigured(
            f"{setting}={_redact(url)!r} is malformed: expected sqlite:///PATH or "
            "postgres://USER@HOST:PORT/NAME."
        )
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    except ValueError as error:
        raise ImproperlyConfigured(f"{setting}={_redact(url)!r} is malformed: {error}") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if not name or name == ":memory:":
            raise ImproperlyConfigured(
                f"{setting}={_redact(url)!r} names no SQLite file: use sqlite:///var/cecto.sqlite3."
            )
        config["NAME"] = str(Path(name) if Path(name).is_absolute() else base_dir / name)
        config["OPTIONS"] = {
            # WAL lets readers work while a writer commits; IMMEDIATE takes the write lock at
            # BEGIN, so two writers queue on busy_timeout instead of failing with "database is locked".
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"{setting}={_redact(url)!r} names no database.")
    config["CONN_HEALTH_CHECKS"] = True
    return config


def replica_from_url(url: str, *, primary: dict[str, Any], conn_max_age: int = 0) -> dict[str, Any]:
    """The DATABASES entry of a streaming replica of PRIMARY that reports read from
    (REPORTS_DATABASE_URL). Only PostgreSQL replicates; the test suite reads the test database
    through it (a mirror of "default")."""
    setting = "REPORTS_DATABASE_URL"
    if not primary["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            f"{setting} is set, but DATABASE_URL is not PostgreSQL: the replica for reports is a "
            "PostgreSQL streaming replica of the primary. Unset it to read reports from the primary."
        )
    config = database_from_url(url, base_dir=Path(), conn_max_age=conn_max_age, setting=setting)
    if not config["ENGINE"].endswith("postgresql"):
        raise ImproperlyConfigured(
            f"{setting}={_redact(url)!r} is not PostgreSQL: give the replica's postgres:// URL."
        )
    config["TEST"] = {"MIRROR": "default"}
    return config


def _redact(url: str) -> str:
    """Hide a password in an error message: settings errors end up in logs."""
    scheme, sep, rest = url.partition("://")
    if not sep:  # a mistyped separator ("postgres:/…") still carries the credentials
        scheme, rest = "", url
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{host}"
