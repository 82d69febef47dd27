"""Start-up really stops on a bad configuration: each case runs the real entry point in a fresh
Python process with the real settings module, the way an operator would start cecto."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CECTO_SCRIPT = Path(sys.executable).parent / "cecto"

# Everything settings.py reads, and the test run's own switches: a test starts from none of
# them and sets what it needs.
SETTINGS_VARIABLES = (
    "ALLOWED_HOSTS",
    "CECTO_ENV",
    "CECTO_VAR_DIR",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_URL",
    "DEBUG",
    "DEFAULT_FROM_EMAIL",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_PASSWORD_FILE",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "LOG_LEVEL",
    "REPORTS_DATABASE_URL",
    "SECRET_KEY",
    "SECRET_KEY_FILE",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SITE_URL",
    "TIME_ZONE",
    "USE_SMTP",
    # Set by conftest.py for Playwright; a real deployment never has it (and `check --deploy` says so).
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
GOOD_SECRET_KEY = "k7#Qz!" * 10  # 60 characters
GOOD_KEY_ENCRYPTION_KEY = "dGVzdC1rZXktZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM="  # 32 bytes, url-safe base64
PRINT_SECRET_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def run(args: list[str], tmp_path: Path, command: list[str] | None = None, **variables: str):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["CECTO_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    env.update(variables)
    return subprocess.run(  # noqa: S603 (a fixed argv: this interpreter and the project's own entry points)
        [*(command or [sys.executable, "manage.py"]), *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def printed_key(result: subprocess.CompletedProcess[str]) -> str:
    """The last line `shell -c` printed (Django's shell may first announce its automatic imports)."""
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def production(tmp_path: Path, **variables: str) -> dict[str, str]:
    return {
        "CECTO_ENV": "production",
        "SECRET_KEY": GOOD_SECRET_KEY,
        "ALLOWED_HOSTS": "cecto.example.org",
        "SITE_URL": "https://cecto.example.org",
        "CECTO_KEY_ENCRYPTION_KEY": GOOD_KEY_ENCRYPTION_KEY,
        "DATABASE_URL": f"sqlite:////{str(tmp_path / 'x.sqlite3').lstrip('/')}",
        **variables,
    }


def assert_stopped_naming(result: subprocess.CompletedProcess[str], setting: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "cecto: configuration error:" in result.stderr
    assert setting in result.stderr
    assert "Traceback" not in result.stderr
    assert "System check identified" not in result.stdout


@pytest.mark.parametrize("url", ["foo", "mysql://cecto@localhost/cecto", "postgres://", "sqlite://"])
def test_it_stops_on_a_malformed_database_url(tmp_path: Path, url: str) -> None:
    result = run(["check"], tmp_path, DATABASE_URL=url)
    assert_stopped_naming(result, "DATABASE_URL")


def test_it_stops_on_a_database_url_without_showing_its_password(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DATABASE_URL="postgres://cecto:Hunter2-s3cr3t@db.internal/")
    assert_stopped_naming(result, "DATABASE_URL")
    assert "Hunter2-s3cr3t" not in result.stderr


def test_it_stops_on_debug_yes(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DEBUG="yes")
    assert_stopped_naming(result, "DEBUG")


def test_it_stops_on_debug_in_production(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, **production(tmp_path, DEBUG="True"))
    assert_stopped_naming(result, "DEBUG")


def test_it_stops_in_production_without_a_secret_key(tmp_path: Path) -> None:
    variables = production(tmp_path)
    del variables["SECRET_KEY"]
    result = run(["check"], tmp_path, **variables)
    assert_stopped_naming(result, "SECRET_KEY")
    assert not (tmp_path / "var" / "secret_key").exists()


def test_it_stops_on_a_short_secret_key_without_showing_it(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, **production(tmp_path, SECRET_KEY="short-but-secret-value"))
    assert_stopped_naming(result, "SECRET_KEY")
    assert "short-but-secret-value" not in result.stderr


def test_it_stops_in_production_without_allowed_hosts(tmp_path: Path) -> None:
    variables = production(tmp_path)
    del variables["ALLOWED_HOSTS"]
    result = run(["check"], tmp_path, **variables)
    assert_stopped_naming(result, "ALLOWED_HOSTS")


def test_it_stops_in_production_with_empty_allowed_hosts(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, **production(tmp_path, ALLOWED_HOSTS=" , "))
    assert_stopped_naming(result, "ALLOWED_HOSTS")


@pytest.mark.parametrize("setting", ["SITE_URL", "CECTO_KEY_ENCRYPTION_KEY"])
def test_it_stops_in_production_without_what_credentials_need(tmp_path: Path, setting: str) -> None:
    variables = production(tmp_path)
    del variables[setting]
    result = run(["check"], tmp_path, **variables)
    assert_stopped_naming(result, setting)
    assert not (tmp_path / "var" / "key_encryption_key").exists()


def test_it_stops_on_a_malformed_key_encryption_key_without_showing_it(tmp_path: Path) -> None:
    result = run(
        ["check"], tmp_path, **production(tmp_path, CECTO_KEY_ENCRYPTION_KEY="not-a-fernet-key-s3cr3t")
    )
    assert_stopped_naming(result, "CECTO_KEY_ENCRYPTION_KEY")
    assert "not-a-fernet-key-s3cr3t" not in result.stderr


def test_it_generates_a_private_key_encryption_key_in_development(tmp_path: Path) -> None:
    result = run(
        ["shell", "-c", "from django.conf import settings; print(len(settings.CECTO_KEY_ENCRYPTION_KEY))"],
        tmp_path,
    )
    assert printed_key(result) == "44"
    key_file = tmp_path / "var" / "key_encryption_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_it_stops_on_an_unknown_environment_name(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, CECTO_ENV="staging")
    assert_stopped_naming(result, "CECTO_ENV")


def test_it_passes_check_with_a_good_production_configuration(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, **production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    # A configured key is used as given: nothing is generated.
    assert not (tmp_path / "var" / "secret_key").exists()


def test_it_passes_check_with_the_secret_key_in_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "secret_key.txt"
    key_file.write_text(GOOD_SECRET_KEY + "\n", encoding="utf-8")
    variables = production(tmp_path, SECRET_KEY_FILE=str(key_file))
    del variables["SECRET_KEY"]
    result = run(["shell", "-c", PRINT_SECRET_KEY], tmp_path, **variables)
    assert printed_key(result) == GOOD_SECRET_KEY


def test_the_cecto_console_script_stops_the_same_way(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, command=[str(CECTO_SCRIPT)], DATABASE_URL="foo")
    assert_stopped_naming(result, "DATABASE_URL")


def test_it_generates_a_private_secret_key_in_development_and_reuses_it(tmp_path: Path) -> None:
    key_file = tmp_path / "var" / "secret_key"
    assert not key_file.exists()

    first = run(["shell", "-c", PRINT_SECRET_KEY], tmp_path)
    first_key = printed_key(first)
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text(encoding="utf-8").strip()
    assert len(key) >= 50
    assert first_key == key

    second = run(["shell", "-c", PRINT_SECRET_KEY], tmp_path)
    assert printed_key(second) == key
    assert key_file.read_text(encoding="utf-8").strip() == key


def test_it_generates_a_different_key_for_another_checkout(tmp_path: Path) -> None:
    first = run(["shell", "-c", PRINT_SECRET_KEY], tmp_path / "one")
    second = run(["shell", "-c", PRINT_SECRET_KEY], tmp_path / "two")
    assert printed_key(first) != printed_key(second)


def test_it_passes_the_deployment_checks_with_a_good_production_configuration(tmp_path: Path) -> None:
    result = run(["check", "--deploy", "--fail-level", "WARNING"], tmp_path, **production(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


PRINT_CONN_MAX_AGE = "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"


def test_production_keeps_database_connections_and_development_does_not(tmp_path: Path) -> None:
    assert printed_key(run(["shell", "-c", PRINT_CONN_MAX_AGE], tmp_path)) == "0"
    assert printed_key(run(["shell", "-c", PRINT_CONN_MAX_AGE], tmp_path, **production(tmp_path))) == "600"
    chosen = production(tmp_path, DATABASE_CONN_MAX_AGE="30")
    assert printed_key(run(["shell", "-c", PRINT_CONN_MAX_AGE], tmp_path, **chosen)) == "30"


PRINT_REPORTS = (
    "from django.conf import settings; d = settings.DATABASES.get('reports', {}); "
    "print(settings.REPORTS_DATABASE, d.get('HOST'), d.get('CONN_MAX_AGE'), d.get('OPTIONS'))"
)


def test_reports_read_the_replica_when_one_is_configured(tmp_path: Path) -> None:
    assert printed_key(run(["shell", "-c", PRINT_REPORTS], tmp_path)) == "default None None None"
    configured = production(
        tmp_path,
        DATABASE_URL="postgres://cecto@db.internal/cecto",
        REPORTS_DATABASE_URL="postgres://cecto@replica.internal/cecto",
    )
    printed = printed_key(run(["shell", "-c", PRINT_REPORTS], tmp_path, **configured))
    assert printed == "reports replica.internal 600 {'options': '-c jit=off'}"


def test_it_stops_on_a_replica_for_a_sqlite_primary(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, REPORTS_DATABASE_URL="postgres://cecto@replica.internal/cecto")
    assert_stopped_naming(result, "REPORTS_DATABASE_URL")


def test_it_stops_on_a_negative_database_conn_max_age(tmp_path: Path) -> None:
    result = run(["check"], tmp_path, DATABASE_CONN_MAX_AGE="-1")
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE" in result.stderr


def test_the_wsgi_application_freezes_what_it_loaded_out_of_the_collectors_sight(tmp_path: Path) -> None:
    probe = "import gc, config.wsgi; print(gc.get_freeze_count())"
    result = run([], tmp_path, command=[sys.executable, "-c", probe], **production(tmp_path))

    assert result.returncode == 0, result.stderr
    # The URLconf was loaded before the freeze: the views, pyld and the contexts are all in it.
    assert int(result.stdout.strip().splitlines()[-1]) > 100_000
