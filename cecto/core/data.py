"""Plain types shared by every app (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLogin:
    """A demo account as `cecto demo` prints it: what it is, its user name, what to try with it."""

    role: str
    username: str
    what_to_try: str
