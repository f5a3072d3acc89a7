"""What pydantic's validation errors mean, in plain words (for pages, the API and the CLI).

Pydantic's own wording ("String should match pattern …") never reaches a reader: each error
type, and for patterns the field, maps to a msgid saying what is expected. Our validators'
`InvalidValue` carries its own message and code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from upland.errors import InvalidValue
from upland.i18n import N_, Message, plural_message

_ENTER_NUMBER = N_("enter a whole number")
_ENTER_DATE = N_("enter a date written YYYY-MM-DD")
_ENTER_DATETIME = N_("enter a date and time written YYYY-MM-DD HH:MM")
_ENTER_URL = N_("enter a web address like https://firm.example")
_CHOOSE = N_("choose a value from the list")
_ONE_OF = N_("choose one of {expected}")

# Pydantic error types -> what to say; `{name}` takes the error's ctx value of that name.
PYDANTIC: dict[str, Message] = {
    "missing": Message(N_("this field is required")),
    "extra_forbidden": Message(N_("this field is not known here")),
    "string_type": Message(N_("enter text")),
    "string_too_short": plural_message(
        "enter at least {min_length} character",
        "enter at least {min_length} characters",
        "min_length",
    ),
    "string_too_long": plural_message(
        "enter at most {max_length} character",
        "enter at most {max_length} characters",
        "max_length",
    ),
    "string_pattern_mismatch": Message(N_("the value is not in the expected form")),
    "too_short": plural_message(
        "give at least {min_length} item", "give at least {min_length} items", "min_length"
    ),
    "too_long": plural_message(
        "give at most {max_length} item", "give at most {max_length} items", "max_length"
    ),
    "int_type": Message(_ENTER_NUMBER),
    "int_parsing": Message(_ENTER_NUMBER),
    "int_parsing_size": Message(N_("the number is too large")),
    "int_from_float": Message(N_("enter a whole number, without a fraction")),
    "float_type": Message(N_("enter a number")),
    "float_parsing": Message(N_("enter a number")),
    "greater_than": Message(N_("enter a number greater than {gt}")),
    "greater_than_equal": Message(N_("enter a number of at least {ge}")),
    "less_than": Message(N_("enter a number less than {lt}")),
    "less_than_equal": Message(N_("enter a number of at most {le}")),
    "bool_type": Message(N_("choose yes or no")),
    "bool_parsing": Message(N_("choose yes or no")),
    "enum": Message(_CHOOSE),
    "literal_error": Message(_ONE_OF),
    "date_type": Message(_ENTER_DATE),
    "date_parsing": Message(_ENTER_DATE),
    "date_from_datetime_parsing": Message(_ENTER_DATE),
    "date_from_datetime_inexact": Message(N_("enter only a date written YYYY-MM-DD, no time")),
    "datetime_type": Message(_ENTER_DATETIME),
    "datetime_parsing": Message(_ENTER_DATETIME),
    "datetime_from_date_parsing": Message(_ENTER_DATETIME),
    "url_type": Message(_ENTER_URL),
    "url_parsing": Message(_ENTER_URL),
    "url_syntax_violation": Message(_ENTER_URL),
    "url_scheme": Message(N_("the address must start with {expected_schemes}")),
    "url_too_long": plural_message(
        "the address may have at most {max_length} character",
        "the address may have at most {max_length} characters",
        "max_length",
    ),
    "json_invalid": Message(N_("this is not valid JSON")),
}

# What a field's `pattern=` expects, in words (a regular expression means nothing to people).
PATTERNS: dict[str, str] = {
    "postal_code": N_("enter a postal code like 20-001"),
    "teryt": N_("enter a 7-digit TERYT municipality code"),
    "email": N_("enter an e-mail address like name@firm.example"),
    "contact_email": N_("enter an e-mail address like name@firm.example"),
    "phone": N_("enter 5 to 40 characters: digits, spaces, +, ( ) or -"),
    "website": _ENTER_URL,
    "contact_phone": N_("enter 5 to 40 characters: digits, spaces, +, ( ) or -"),
    "language": N_("choose pl or en"),
    "lang": N_("choose pl or en"),
    "size_class": N_("choose a size from the list"),
    "sort": N_("choose an order from the list"),
}
_FALLBACK = Message(N_("this value is not valid"))


def field_of(error: Mapping[str, Any], *, skip: int = 0) -> str:
    """A pydantic error's location as a dotted field name."""
    return ".".join(str(p) for p in error["loc"][skip:]) or str(error["loc"][0])


def pydantic_message(error: Mapping[str, Any]) -> Message:
    """What one pydantic error (an item of `ValidationError.errors()`) means, as a message."""
    ctx = error.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, InvalidValue):
        return cause.msg
    kind = str(error.get("type", ""))
    if kind == "string_pattern_mismatch":
        field = str(error["loc"][-1]) if error.get("loc") else ""
        if field in PATTERNS:
            return Message(PATTERNS[field])
    template = PYDANTIC.get(kind, _FALLBACK)
    params = {k: _plain(v) for k, v in ctx.items() if "{" + k + "}" in _both(template)}
    return Message(template.msgid, params, template.plural, template.count)


def error_code(error: Mapping[str, Any]) -> str:
    """Pydantic's `type`, or our validator's own code."""
    cause = (error.get("ctx") or {}).get("error")
    return cause.code if isinstance(cause, InvalidValue) else str(error.get("type", "invalid"))


def _both(template: Message) -> str:
    return template.msgid + (template.plural or "")


def _plain(value: Any) -> Any:
    """Limits as people write them (90, not 90.0); pydantic's "2007 or 2025" in each language."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and " or " in value:
        *items, last = re.split(r", | or ", value)
        return Message(N_("{items} or {last}"), {"items": ", ".join(items), "last": last})
    return value
