"""The only settings module. Every deploy-time value comes from the environment (see .env.example).

Bad values stop start-up with ImproperlyConfigured naming the variable; nothing secret lives here.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

from config.database import database_from_url, replica_from_url
from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

django_stubs_ext.monkeypatch()  # lets code write ModelAdmin[Model] and QuerySet[Model] at run time

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CECTO_VAR_DIR", str(BASE_DIR / "var")))

# "development" is a laptop or the demo; "production" turns on every safety check below.
CECTO_ENV = env_choice("CECTO_ENV", choices=("development", "production"), default="development")
IS_PRODUCTION = CECTO_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG=True is not allowed when CECTO_ENV=production.")


def _secret_key() -> str:
    configured = env_secret("SECRET_KEY")
    if configured:
        if len(configured) < 50:
            raise ImproperlyConfigured("SECRET_KEY is too short: use at least 50 random characters.")
        return configured
    if IS_PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when CECTO_ENV=production.")
    # Local use: generate one key per checkout and keep it out of git, under var/.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(get_random_secret_key())
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS: list[str] = env_list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["localhost", "127.0.0.1", "[::1]"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when CECTO_ENV=production.")
CSRF_TRUSTED_ORIGINS: list[str] = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if IS_PRODUCTION and not os.environ.get("SITE_URL"):
    # Signed credentials carry this address for ever: never let a default slip into one.
    raise ImproperlyConfigured(
        "SITE_URL must be set when CECTO_ENV=production (e.g. https://cecto.example.org)."
    )


def _key_encryption_key() -> str:
    """The Fernet key that encrypts issuer signing keys at rest (never stored beside them)."""
    configured = env_secret("CECTO_KEY_ENCRYPTION_KEY")
    if configured:
        try:
            valid = len(base64.urlsafe_b64decode(configured.encode("ascii"))) == 32
        except (ValueError, UnicodeEncodeError):
            valid = False
        if not valid:
            # Never quote the value: it is the secret.
            raise ImproperlyConfigured(
                "CECTO_KEY_ENCRYPTION_KEY is not a Fernet key (32 bytes, url-safe base64): "
                "make one with `cecto signing_keys new-encryption-key`."
            )
        return configured
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "CECTO_KEY_ENCRYPTION_KEY (or CECTO_KEY_ENCRYPTION_KEY_FILE) must be set when "
            "CECTO_ENV=production: make one with `cecto signing_keys new-encryption-key`."
        )
    key_file = VAR_DIR / "key_encryption_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(base64.urlsafe_b64encode(os.urandom(32)).decode("ascii"))
    return key_file.read_text(encoding="utf-8").strip()


# Credentials: the issuer is did:web of SITE_URL's host (document at /.well-known/did.json), or
# did:key of the active signing key. Older keys stay in the DID document so old credentials verify.
CECTO_KEY_ENCRYPTION_KEY = _key_encryption_key()
CECTO_ISSUER_DID_METHOD = env_choice("CECTO_ISSUER_DID_METHOD", choices=("web", "key"), default="web")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # intcomma: national counts in the thousands
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "cecto.core",
    "cecto.people",
    "cecto.programs",
    "cecto.ledger",
    "cecto.scheduling",
    "cecto.mentoring",
    "cecto.credentials",
    "django_tasks",
    "django_tasks_db",
    "cecto.web",
    "cecto.api",
    "cecto.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cecto.web.context_processors.navigation",
            ],
        },
    },
]

# Seconds a connection is kept between requests. Production keeps them (each app-server worker
# holds one: size PostgreSQL's max_connections for workers times servers + task workers, see
# docs/deployment.md); development does not, because runserver starts a thread per request and a
# kept connection would outlive it.
DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", default=600 if IS_PRODUCTION else 0, minimum=0)
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///var/cecto.sqlite3"),
        base_dir=BASE_DIR,
        conn_max_age=DATABASE_CONN_MAX_AGE,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# A streaming replica of the primary for the programme report's reads (docs/deployment.md,
# "PostgreSQL: one primary, and a replica for reports"); without one the report reads the primary.
REPORTS_DATABASE_URL = env_str("REPORTS_DATABASE_URL", "")
if REPORTS_DATABASE_URL:
    DATABASES["reports"] = replica_from_url(
        REPORTS_DATABASE_URL, primary=DATABASES["default"], conn_max_age=DATABASE_CONN_MAX_AGE
    )
REPORTS_DATABASE = "reports" if "reports" in DATABASES else "default"
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        # No JIT: PostgreSQL compiles a query whose cost estimate is large (the programme report's
        # per-enrollment ledger sums), which costs ~0.4 s per query here and never pays back.
        _database.setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background work (bulk issuance) goes through Django's tasks API; the database backend needs no
# broker. Run the worker with `cecto db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "en-us"
# Stored times are UTC; this is only the fallback zone for pages that have no programme.
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Local e-mail goes to the console (password reset links appear in the server's output).
USE_SMTP = env_bool("USE_SMTP", default=False)
if USE_SMTP:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST", "")
    if not EMAIL_HOST:
        raise ImproperlyConfigured("EMAIL_HOST must be set when USE_SMTP=True.")
    EMAIL_PORT = env_int("EMAIL_PORT", default=587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD") or ""
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cecto <noreply@cecto.example>")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
