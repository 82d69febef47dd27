"""`cecto api_token create|revoke|list`: bearer tokens for the VC-API issuer route.

    cecto api_token create --user USERNAME [--name NAME]   prints the token, once
    cecto api_token revoke --id N
    cecto api_token list [--user USERNAME]

Only the token's SHA-256 is kept, so a lost token cannot be shown again: revoke it and make another.
Scripts send it as ``Authorization: Bearer <token>`` to ``POST /credentials/issue``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cecto.core.models import ApiToken
from cecto.core.tokens import TokenRefused, api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Make, revoke or list API tokens (for POST /credentials/issue)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,revoke,list}")
        create = actions.add_parser("create", help="make a token for a login; it is printed once")
        create.add_argument("--user", required=True, help="the login (user name) the token acts as")
        create.add_argument("--name", default="", help="what the token is for")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("--id", required=True, type=int, help="the token's id (see `list`)")
        listing = actions.add_parser("list", help="list tokens (never their secrets)")
        listing.add_argument("--user", default=None, help="only this login's tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except TokenRefused as refused:
            raise CommandError(str(refused)) from refused

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No login named {options['user']!r}.")
        token, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.pk} for {user.get_username()}: shown once, store it now. "
            f"Revoke it with `cecto api_token revoke --id {token.pk}`."
        )

    def _revoke(self, options: dict[str, Any]) -> None:
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"No token {options['id']}.")
        api_token_revoke(token=token)
        self.stdout.write(f"Token {token.pk} ({token.prefix}…, {token.user.get_username()}) revoked.")

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        for token in tokens:
            state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
            used = f"last used {token.last_used_at:%Y-%m-%d}" if token.last_used_at else "never used"
            who = token.user.get_username()
            self.stdout.write(f"{token.pk:>4}  {token.prefix}…  {who:<20} {state:<18} {used}  {token.name}")
