"""Settings for the test suite: the real settings, made fast and hermetic."""

from config.settings import *  # noqa: F403 (the point is to inherit everything)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps directly: the suite never runs collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Background tasks run at once, in the test's transaction.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
# The replica for reports (PostgreSQL only, as in production), as Django tests one: a mirror of the
# test database. Reports read it only in the tests of that routing, which set REPORTS_DATABASE =
# "reports" and commit their data (a mirror is another connection: it cannot see a test's open
# transaction).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["reports"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
else:
    DATABASES.pop("reports", None)  # noqa: F405
REPORTS_DATABASE = "default"
