"""Keyset cursors of the registry list: the last row's sort value and id, in URL-safe base64.

A cursor comes back from the browser, so every value is checked against the type of its sort
key before it reaches SQL; a damaged one is a specific error, never a 500.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from upland.errors import Invalid
from upland.organisations.search import RELEVANCE_TIERS

_INT64 = 2**63


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_int(value: Any) -> int:
    if type(value) is not int or abs(value) >= _INT64:
        raise ValueError("not a 64-bit integer")
    return value


def _cursor_value(value: Any, sort: str) -> Any:
    """A cursor's sort value, of the type its sort key has, so it binds on every backend."""
    key = sort.lstrip("-")
    if key in {"founded", "employees"}:
        return _cursor_int(value)
    if key == "relevance":
        if not isinstance(value, list) or len(value) != 2:
            raise ValueError("not a tier and a name")
        tier = _cursor_int(value[0])
        if not 0 <= tier < RELEVANCE_TIERS:
            raise ValueError("not a tier")
        return tier, _cursor_value(value[1], "name")
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not a text value")
    value.encode()  # lone surrogates raise here rather than in the database driver
    if key == "updated":
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("not an aware timestamp")
        return moment
    return value


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, last_id = json.loads(base64.urlsafe_b64decode(padded))
        return _cursor_value(value, sort), _cursor_int(last_id)
    except (ValueError, TypeError):
        raise Invalid.one(
            "cursor",
            "the page cursor is damaged; start from the first page",
            code="cursor.damaged",
        ) from None
