"""`cecto demo`: migrate, load the North Carolina CeCTO demo programme, print the logins, serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cecto.demo.credentials import load_credentials_demo
from cecto.demo.nc_cecto import DEMO_PASSWORD, load_demo
from cecto.mentoring.api import load_mentoring_demo


class Command(BaseCommand):
    help = "Create or upgrade the local database, load the demo programme, print the logins and serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load and print the logins, then stop.")
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address to serve on.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError(
                "The demo loads fictional people: it refuses to run with CECTO_ENV=production."
            )
        call_command("migrate", interactive=False, verbosity=0)
        today = timezone.localdate()
        result = load_demo(today=today)
        mentoring = load_mentoring_demo(today, password=DEMO_PASSWORD)
        self.stdout.write(
            "Loaded the demo programmes."
            if result.created or mentoring.created
            else "The demo programmes are already loaded; nothing changed."
        )
        graduates = load_credentials_demo(password=DEMO_PASSWORD)
        logins = [*result.logins, *graduates, *mentoring.logins]
        names = dict(
            User.objects.filter(username__in=[login.username for login in logins]).values_list(
                "username", "person__full_name"
            )
        )
        self.stdout.write(f"\nDemo logins (password for each: {DEMO_PASSWORD}):")
        for login in logins:
            name = names.get(login.username) or ""
            self.stdout.write(f"  {login.role:<26} {login.username:<16} {name:<22} {login.what_to_try}")
        host = options["bind"]
        self.stdout.write(f"\nPublic programme page: http://{host}/programs/nc-cecto/")
        self.stdout.write(f"Current class:         http://{host}/cohorts/{result.current_cohort_slug}/")
        self.stdout.write(
            f"Mentoring class:       http://{host}/cohorts/{mentoring.current_cohort_slug}/matching/\n"
        )
        if not options["no_serve"]:
            call_command("serve", bind=host)
