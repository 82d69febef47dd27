"""The `cecto` console entry point: every management command as `cecto <command>`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = sys.argv[1:] if argv is None else argv
    try:
        execute_from_command_line(["cecto", *args])
    except ImproperlyConfigured as error:
        # A configuration mistake is the operator's to fix: say which setting, not a traceback.
        print(f"cecto: configuration error: {error}", file=sys.stderr)
        return 2
    return 0
