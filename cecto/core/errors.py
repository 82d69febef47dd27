"""Errors the domain raises with messages safe to show a person."""


class DomainError(Exception):
    """A rule of the domain refused the change; the message says why, in the user's words."""
