"""Per-column checkers of the import, built from the column specification (`columns`).

Each checker takes a cell already stripped and not empty and returns `(value, "")`, the value
ready for the database, or `(None, message)`. They are plain closures over the rule's limits
(no pydantic), because they run for every cell of files with hundreds of thousands of rows;
`tests/organisations/test_import_checks.py` proves with hypothesis that they accept and
reject what the pydantic schemas do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.organisations import identifiers
from upland.organisations.columns import Rule
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.lookups import CACHE_LIMIT, clip

Checked = tuple[Any, str]
Check = Callable[[str], Checked]

_WEBSITE = re.compile(r"^(https?://)?[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PL_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DIGITS_ONLY = re.compile(r"^\d{2}\d{3}$")


def too_long(column: str, value: str, limit: int) -> str:
    return f"{column} is too long ({len(value)} characters, at most {limit})"


def text(rule: Rule, column: str | None = None) -> Check:
    """Free text within the rule's lengths."""
    name = column or rule.name
    limit, least = rule.max_length, rule.min_length or 0

    def check(cell: str) -> Checked:
        if limit is not None and len(cell) > limit:
            return None, too_long(name, cell, limit)
        if len(cell) < least:
            return None, f"{name} must have at least {least} characters"
        return cell, ""

    return check


def whole_number(rule: Rule) -> Check:
    """A whole number within the rule's range; spaces may group thousands ('1 200')."""
    low, high = rule.low, rule.high
    message = f"{rule.name} must be a whole number between {low} and {high}"

    def check(cell: str) -> Checked:
        number = _whole(cell)
        if number is None or (low is not None and number < low):
            return None, message
        if high is not None and number > high:
            return None, message
        return number, ""

    return check


def pattern(rule: Rule, column: str, message: str) -> Check:
    """Text matching the rule's pattern, within its longest length."""
    compiled = re.compile(rule.pattern or "")
    limit = rule.max_length

    def check(cell: str) -> Checked:
        if (limit is not None and len(cell) > limit) or not compiled.match(cell):
            return None, message.format(value=clip(cell))
        return cell, ""

    return check


def postal_code(rule: Rule) -> Check:
    """A postal code NN-NNN (the rule's form); written without the dash, the dash is added."""
    inner = pattern(rule, rule.name, "postal_code must be written NN-NNN (e.g. 20-001)")

    def check(cell: str) -> Checked:
        if _DIGITS_ONLY.match(cell):
            cell = f"{cell[:2]}-{cell[2:]}"
        return inner(cell)

    return check


def website(rule: Rule) -> Check:
    """A web address; without a scheme, https:// is assumed."""
    limit = rule.max_length or 0

    def check(cell: str) -> Checked:
        if len(cell) > limit:
            return None, too_long(rule.name, cell, limit)
        if not _WEBSITE.match(cell):
            return None, f"website {cell!r} is not a web address"
        if not cell[:8].lower().startswith(("https://", "http://")):
            cell = "https://" + cell
        return cell, ""

    return check


def nip(cell: str) -> Checked:
    """A NIP (python-stdnum's check digit; plain 10 digits skip the cleaning)."""
    if len(cell) == 10 and cell.isascii() and cell.isdigit() and stdnum_nip.checksum(cell) == 0:
        return cell, ""
    return _identifier(identifiers.clean_nip, cell)


def regon(cell: str) -> Checked:
    """A 9- or 14-digit REGON (python-stdnum's check digits; plain digits skip the cleaning)."""
    size = len(cell)
    if (
        (size == 9 or size == 14)
        and cell.isascii()
        and cell.isdigit()
        and stdnum_regon.calc_check_digit(cell[:8]) == cell[8]
        and (size == 9 or stdnum_regon.calc_check_digit(cell[:13]) == cell[13])
    ):
        return cell, ""
    return _identifier(identifiers.clean_regon, cell)


def krs(cell: str) -> Checked:
    return _identifier(identifiers.clean_krs, cell)


def _identifier(clean: Callable[[str], str], cell: str) -> Checked:
    try:
        return clean(cell), ""
    except ValueError as exc:
        return None, str(exc)


def vocabulary(column: str, aliases: Mapping[str, str]) -> Check:
    """A word of a closed vocabulary, in any spelling of `aliases` (folded); remembered."""
    cache: dict[str, str | None] = {}
    allowed = ", ".join(dict.fromkeys(aliases.values()))

    def check(cell: str) -> Checked:
        found = cache.get(cell, "")
        if found == "":
            found = aliases.get("_".join(fast_fold(cell).split()))
            if len(cache) < CACHE_LIMIT:
                cache[cell] = found
        if found is None:
            return None, f"unknown {column} {cell!r}; use one of {allowed}"
        return found, ""

    return check


def date(column: str) -> Check:
    """A date written YYYY-MM-DD (or DD.MM.YYYY, as Polish spreadsheets do); remembered."""
    cache: dict[str, dt.date | None] = {}
    message = f"{column} must be a date written YYYY-MM-DD (e.g. 2018-02-15)"

    def check(cell: str) -> Checked:
        found = cache.get(cell, dt.date.min)
        if found == dt.date.min:
            found = _date(cell)
            if len(cache) < CACHE_LIMIT:
                cache[cell] = found
        return (None, message) if found is None else (found, "")

    return check


def _whole(value: str) -> int | None:
    if value.isdigit() and value.isascii() and len(value) <= 9:
        return int(value)
    digits = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return int(digits)
    return None


def _date(value: str) -> dt.date | None:
    try:
        if _ISO_DATE.match(value):
            return dt.date.fromisoformat(value)
        match = _PL_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None
