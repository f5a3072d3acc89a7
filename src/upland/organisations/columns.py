"""What each importable column of the registry accepts: one specification, three readers.

The pydantic schemas (`schemas.py`) build their fields from it, the import's fast row
validator (`imports/checks.py`) builds its per-column checkers from it, and the export writes
the columns of `imports/format.FILE_COLUMNS`, whose cells the same checkers read back; so the
web forms, the API, the import and the export cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field


@dataclass(frozen=True, slots=True)
class Rule:
    """The limits of one column. Texts count characters after surrounding blanks are stripped;
    `multiline` texts may hold tab and line breaks (`upland.controls`)."""

    name: str
    max_length: int | None = None
    min_length: int | None = None
    low: int | None = None
    high: int | None = None
    pattern: str | None = None
    multiline: bool = False

    def field(self, default: Any = ..., **extra: Any) -> Any:
        """A pydantic `Field` stating this rule (plus `extra`: examples, descriptions…)."""
        limits: dict[str, Any] = {
            "max_length": self.max_length,
            "min_length": self.min_length,
            "ge": self.low,
            "le": self.high,
            "pattern": self.pattern,
        }
        stated: dict[str, Any] = {k: v for k, v in limits.items() if v is not None}
        return Field(default, **stated, **extra)


POSTAL_CODE = r"^(\d{2}-\d{3})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # how a date is written (ISO 8601, day precision)
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Digits, spaces, +, ( ) and -, neither starting nor ending with a space (5 to 40 characters).
PHONE = r"^[0-9+()\-][0-9 +()\-]{3,38}[0-9+()\-]$"
# http(s), a host name whose last label starts with a letter (never read as an IPv4 address),
# an optional port, then URI characters: what the schema states and the API checks first
# (`schemas.Website` then normalises it with HttpUrl). JSON Schema has no case-insensitive
# flag, hence the classes.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_URI_CHAR = r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})"
WEBSITE = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://(?:{_LABEL}\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    rf"(?::[0-9]{{1,4}})?(?:[/?#]{_URI_CHAR}*)?$"
)

ORGANISATION: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("legal_name", min_length=2, max_length=300),
        Rule("short_name", max_length=120),
        Rule("website", max_length=300, pattern=WEBSITE),
        Rule("description_pl", max_length=5000, multiline=True),
        Rule("description_en", max_length=5000, multiline=True),
        Rule("capacity_notes", max_length=2000, multiline=True),
        Rule("founded_year", low=1800, high=2100),
        Rule("employees", low=0, high=1_000_000),
    )
}
SITE: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("name", max_length=120),
        Rule("street", max_length=200),
        Rule("postal_code", pattern=POSTAL_CODE),
        Rule("locality", max_length=100),
    )
}
PERSON: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("full_name", min_length=1, max_length=200),
        Rule("role_title", max_length=200),
        Rule("email", max_length=254, pattern=EMAIL),
        Rule("phone", max_length=40, pattern=PHONE),
    )
}
MAX_PKD_CODES = 50
MAX_SITES = 50
MAX_PEOPLE = 100
MAX_CAPABILITIES = 200
