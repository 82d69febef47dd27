"""Keyset pagination: each page starts after the last row of the one before, on a stable unique order.

No OFFSET (whose cost grows with the page number) and no COUNT(*) (whose cost grows with the
table): a page is one indexed range read of `limit + 1` rows, however deep the walk. The cursor is
the last row's sort key, signed (so it cannot be forged or edited) and bound to the list it came
from (so one list's cursor cannot be replayed against another).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any, Generic, TypeVar

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q, QuerySet

from cecto.api.problems import ApiProblem, invalid_parameter

# A row: a model instance, or a dict from `.values()` (which skips building model objects).
M = TypeVar("M", bound=models.Model | dict[str, Any])

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_SALT = "cecto.api.cursor"

Scalar = str | int


def limit_from(raw: str | None) -> int:
    """`?limit=`: a whole number from 1 to 200 (50 when absent)."""
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise invalid_parameter("limit", f"give a whole number from 1 to {MAX_LIMIT}.")
    return int(raw)


def _json_value(value: object) -> Scalar:
    if isinstance(value, dt.date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, str | int):
        return value
    raise TypeError(f"cannot put {type(value).__name__} in a cursor")  # pragma: no cover (our keys)


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):  # pragma: no cover (a Keyset names local fields)
        raise FieldDoesNotExist(name)
    return field


def _key_part(row: models.Model | dict[str, Any], name: str) -> object:
    return row[name] if isinstance(row, dict) else getattr(row, name)


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


@dataclass(frozen=True)
class Keyset:
    """An order of local fields ("-" for descending) whose last field is unique, e.g. ("-starts_on",
    "-id"); `scope` names the list (endpoint and its filters) the cursors belong to."""

    fields: tuple[str, ...]

    def _decoded(self, model: type[models.Model], cursor: str, scope: str) -> list[Any]:
        try:
            payload = signing.loads(cursor, salt=_SALT)
        except signing.BadSignature:
            raise invalid_parameter("cursor", "it is not a cursor this list gave out.") from None
        if not isinstance(payload, dict) or payload.get("s") != scope:
            raise invalid_parameter("cursor", "it belongs to another list.")
        values = payload.get("k")
        if not isinstance(values, list) or len(values) != len(self.fields):  # pragma: no cover (signed)
            raise invalid_parameter("cursor", "it belongs to another list.")
        try:
            return [
                _field(model, name.lstrip("-")).to_python(value)
                for name, value in zip(self.fields, values, strict=True)
            ]
        except (FieldDoesNotExist, ValidationError):  # pragma: no cover (signed: only our own values)
            raise invalid_parameter("cursor", "it is not a cursor this list gave out.") from None

    def _after(self, values: list[Any]) -> Q:
        """Rows after the key VALUES in this order: (a > x) or (a = x and b > y) or …, with the
        first field's range repeated as a plain condition so that an index on it is used."""
        branches = []
        for index, name in enumerate(self.fields):
            equal = {
                field.lstrip("-"): value for field, value in zip(self.fields[:index], values, strict=False)
            }
            lookup = "lt" if name.startswith("-") else "gt"
            branches.append(Q(**equal, **{f"{name.lstrip('-')}__{lookup}": values[index]}))
        first = self.fields[0]
        leading = Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]})
        return leading & reduce(operator.or_, branches)

    def page(self, queryset: QuerySet[Any, M], *, cursor: str | None, limit: int, scope: str) -> Page[M]:
        """One page of QUERYSET in this order, starting after CURSOR: one query. A `.values()`
        queryset must include the order's fields."""
        queryset = queryset.order_by(*self.fields)
        if cursor:
            queryset = queryset.filter(self._after(self._decoded(queryset.model, cursor, scope)))
        rows = list(queryset[: limit + 1])
        items = rows[:limit]
        if len(rows) <= limit:
            return Page(items=items, next_cursor=None)
        last = items[-1]
        key = [_json_value(_key_part(last, name.lstrip("-"))) for name in self.fields]
        return Page(items=items, next_cursor=signing.dumps({"s": scope, "k": key}, salt=_SALT))


__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "ApiProblem", "Keyset", "Page", "limit_from"]
