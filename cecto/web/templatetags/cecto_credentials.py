"""Words for the credential pages: the names of verification checks and of verdicts."""

from __future__ import annotations

from django import template

register = template.Library()

CHECK_LABELS = {
    "json": "JSON",
    "format": "Format",
    "proof": "Signature",
    "issuer": "Issuer",
    "dates": "Dates",
    "status": "Status",
    "embedded": "Embedded credential",
}


@register.filter
def check_label(name: str) -> str:
    return CHECK_LABELS.get(name, name.capitalize())


@register.filter
def verdict_label(status: str) -> str:
    """ "valid" → "Valid", "not yet valid" → "Not yet valid"."""
    return status[:1].upper() + status[1:]
