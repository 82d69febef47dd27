"""Helpers for the few raw SQL queries (cache versions, roles): table names from the models."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    """MODEL's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)
