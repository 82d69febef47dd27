"""DATABASE_URL → DATABASES["default"]: SQLite tuned for a small server, PostgreSQL parsed, and
every malformed URL refused with a message that names DATABASE_URL and never shows a password.
REPORTS_DATABASE_URL → DATABASES["reports"]: a PostgreSQL replica of a PostgreSQL primary."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.database import database_from_url, replica_from_url

BASE_DIR = Path("/srv/cecto")
PASSWORD = "Hunter2-s3cr3t"


def test_it_resolves_a_relative_sqlite_path_against_the_base_dir() -> None:
    config = database_from_url("sqlite:///var/cecto.sqlite3", base_dir=BASE_DIR)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(BASE_DIR / "var" / "cecto.sqlite3")


def test_it_keeps_an_absolute_sqlite_path() -> None:
    config = database_from_url("sqlite:////data/cecto/db.sqlite3", base_dir=BASE_DIR)
    assert config["NAME"] == "/data/cecto/db.sqlite3"


@pytest.mark.parametrize("url", ["sqlite:///var/cecto.sqlite3", "sqlite:////data/cecto/db.sqlite3"])
def test_it_turns_on_wal_and_immediate_transactions_for_sqlite(url: str) -> None:
    options = database_from_url(url, base_dir=BASE_DIR)["OPTIONS"]
    init_command = options["init_command"]
    assert "PRAGMA journal_mode=WAL;" in init_command
    assert "PRAGMA foreign_keys=ON;" in init_command
    assert "PRAGMA synchronous=NORMAL;" in init_command
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] > 0


def test_it_parses_a_postgres_url() -> None:
    config = database_from_url(f"postgres://cecto:{PASSWORD}@db.internal:5433/cecto", base_dir=BASE_DIR)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "cecto"
    assert config["USER"] == "cecto"
    assert config["PASSWORD"] == PASSWORD
    assert config["HOST"] == "db.internal"
    assert int(config["PORT"]) == 5433
    assert config["CONN_MAX_AGE"] == 0  # unless asked: see the next test
    assert config["CONN_HEALTH_CHECKS"] is True
    assert "OPTIONS" not in config or "init_command" not in config["OPTIONS"]


@pytest.mark.parametrize("url", ["postgres://cecto@db.internal/cecto", "sqlite:///var/cecto.sqlite3"])
def test_it_keeps_connections_for_conn_max_age_with_health_checks(url: str) -> None:
    config = database_from_url(url, base_dir=BASE_DIR, conn_max_age=600)
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("scheme", ["postgresql", "pgsql"])
def test_it_accepts_the_other_postgres_schemes(scheme: str) -> None:
    config = database_from_url(f"{scheme}://cecto@localhost/cecto", base_dir=BASE_DIR)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "cecto"


@pytest.mark.parametrize(
    "url",
    [
        "foo",
        "",
        "sqlite:",
        "mysql://cecto@localhost/cecto",
        "postgres://",
        "postgres://cecto@localhost",
        "postgres://cecto@localhost/",
        "postgres://cecto@localhost:notaport/cecto",
        "sqlite://",
        "sqlite://:memory:",
        "sqlite:///:memory:",
    ],
)
def test_it_refuses_a_malformed_url_naming_database_url(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        database_from_url(url, base_dir=BASE_DIR)
    assert "DATABASE_URL" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        f"mysql://cecto:{PASSWORD}@localhost/cecto",
        f"postgres://cecto:{PASSWORD}@localhost/",
        f"postgres://cecto:{PASSWORD}@localhost",
        f"postgres://:{PASSWORD}@localhost/",
        f"postgres://cecto:{PASSWORD}@localhost:notaport/cecto",
        f"postgres://cecto:{PASSWORD}@localhost:99999/cecto",
        f"postgres://cecto:pa@{PASSWORD}@localhost/",
        f"postgres://cecto:{PASSWORD}:more@localhost/",
        # A mistyped separator still carries the credentials.
        f"postgres//cecto:{PASSWORD}@localhost/cecto",
        f"postgres:/cecto:{PASSWORD}@localhost/cecto",
        f"sqlite://cecto:{PASSWORD}@/:memory:",
        f"sqlite://cecto:{PASSWORD}@",
    ],
)
def test_it_never_shows_the_password_in_the_error(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        database_from_url(url, base_dir=BASE_DIR)
    message = str(caught.value)
    assert "DATABASE_URL" in message
    assert PASSWORD not in message
    assert "***" in message


def test_it_keeps_the_user_and_host_in_a_redacted_error() -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        database_from_url(f"postgres://cecto:{PASSWORD}@db.internal/", base_dir=BASE_DIR)
    assert "postgres://cecto:***@db.internal/" in str(caught.value)


PRIMARY = database_from_url("postgres://cecto@db.internal/cecto", base_dir=BASE_DIR)


def test_a_replica_is_a_postgres_mirror_of_the_primary_in_tests() -> None:
    config = replica_from_url(
        f"postgres://reports:{PASSWORD}@replica.internal:5433/cecto", primary=PRIMARY, conn_max_age=600
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], int(config["PORT"]), config["USER"]) == ("replica.internal", 5433, "reports")
    assert config["CONN_MAX_AGE"] == 600
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["TEST"] == {"MIRROR": "default"}


def test_a_replica_needs_a_postgres_primary() -> None:
    sqlite = database_from_url("sqlite:///var/cecto.sqlite3", base_dir=BASE_DIR)
    with pytest.raises(ImproperlyConfigured) as caught:
        replica_from_url("postgres://cecto@replica.internal/cecto", primary=sqlite)
    assert "REPORTS_DATABASE_URL" in str(caught.value)
    assert "DATABASE_URL is not PostgreSQL" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["sqlite:///var/replica.sqlite3", "postgres://cecto@replica.internal/", f"pg://u:{PASSWORD}@x/y"]
)
def test_a_replica_url_that_is_not_postgres_is_refused_naming_its_setting(url: str) -> None:
    with pytest.raises(ImproperlyConfigured) as caught:
        replica_from_url(url, primary=PRIMARY)
    assert "REPORTS_DATABASE_URL" in str(caught.value)
    assert PASSWORD not in str(caught.value)
