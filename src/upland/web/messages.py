"""Validation and domain error messages in the language of the page that shows them.

Services, schemas and the import speak English, and the JSON API, the CLI and the logs keep
those texts (API clients and docs/import-format.md rely on them). HTML pages translate at the
last moment, here: pydantic errors by their `type` and `ctx`, domain messages by matching the
English sentence against the patterns of `messages_pl.RULES` and filling the captured values
into the Polish sentence. A message nobody has translated yet stays English; it never fails.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from upland.errors import Invalid, UplandError
from upland.web.i18n import PL
from upland.web.messages_pl import PATTERN_HINTS, PYDANTIC, RULES

NESTED = "msg_"  # a captured group with this prefix is itself a message (or a page msgid)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The noun form Polish needs after the number n: 1 znak, 2 znaki, 5 znaków, 22 znaki."""
    if n == 1:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


class PolishFormatter(string.Formatter):
    """`{n:znak|znaki|znaków}` writes n followed by the form `plural` picks for it."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            one, few, many = format_spec.split("|")
            return f"{value} {plural(int(value), one, few, many)}"
        return str(super().format_field(value, format_spec))


_FORMAT = PolishFormatter()
_RULES = tuple((re.compile(pattern), polish) for pattern, polish in RULES)


def translate(message: str, language: str) -> str:
    """A domain message (as services, schemas and the import word it) in `language`."""
    if language != "pl" or not message:
        return message
    return _polish(message)


def translate_error(error: Mapping[str, Any], language: str) -> str:
    """One pydantic error (an item of `ValidationError.errors()`) in `language`.

    By type and context rather than by the English text, which pydantic may reword; our own
    validators' ValueErrors (type value_error) go through the domain catalogue.
    """
    english = str(error.get("msg", "")).removeprefix("Value error, ")
    english = english.removeprefix("Assertion failed, ")
    if language != "pl":
        return english
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and ctx.get("pattern") in PATTERN_HINTS:
        return PATTERN_HINTS[ctx["pattern"]]
    template = PYDANTIC.get(kind)
    if template is None:
        return _polish(english)
    try:
        return _FORMAT.format(template, **{k: _ctx_value(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError, TypeError):
        return english


def describe(exc: UplandError, language: str) -> str:
    """The sentence an error page shows: laid out as the English `str(exc)` is, with each
    field's message translated (field names stay as the forms and files name them)."""
    if isinstance(exc, Invalid) and str(exc) == _joined(exc, lambda m: m):
        return _joined(exc, lambda m: translate(m, language))
    return translate(str(exc), language)


def _joined(exc: Invalid, say: Callable[[str], str]) -> str:
    return "; ".join(f"{e.field}: {say(e.message)}" for e in exc.errors)


def _ctx_value(value: Any) -> Any:
    """Limits as people write them (90, not 90.0); pydantic's choice lists end in 'lub'."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.replace(" or ", " lub ")
    return value


@lru_cache(maxsize=4096)
def _polish(message: str) -> str:
    """The first rule that matches the whole message; else its '; '-separated parts one by
    one (messages joined by the domain code); else the English as it is."""
    found = _match(message)
    if found is not None:
        return found
    if "; " in message:
        return "; ".join(_polish(part) for part in message.split("; "))
    return message


def _match(message: str) -> str | None:
    for pattern, template in _RULES:
        match = pattern.fullmatch(message)
        if match:
            values = {
                name: _nested(value or "") if name.startswith(NESTED) else value or ""
                for name, value in match.groupdict().items()
            }
            try:
                return _FORMAT.format(template, **values)
            except (KeyError, IndexError, ValueError):
                continue  # a broken rule must not break the page; the catalogue test finds it
    return None


def _nested(value: str) -> str:
    """A captured part that is a message of its own, or a vocabulary word the pages know."""
    return PL[value] if value in PL else _polish(value)
