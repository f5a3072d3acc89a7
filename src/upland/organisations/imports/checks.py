"""Per-column checkers of the import, built from the column specification (`columns`).

Each checker takes a cell already stripped and not empty and returns `(value, None)`, the
value ready for the database, or `(None, message)`, a `Message` shown in the page's language.
They are plain closures over the rule's limits (no pydantic), because they run for every
cell of files with hundreds of thousands of rows; `tests/organisations/test_import_checks.py`
proves with hypothesis that they accept and reject what the pydantic schemas do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.errors import InvalidValue
from upland.i18n import N_, Message, plural_message
from upland.organisations import identifiers
from upland.organisations.columns import DATE, Rule
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.lookups import CACHE_LIMIT, clip
from upland.organisations.schemas import Website

Checked = tuple[Any, Message | None]
Check = Callable[[str], Checked]

_ISO_DATE = re.compile(DATE)
_PL_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DIGITS_ONLY = re.compile(r"^\d{2}\d{3}$")


def too_long(column: str, value: str, limit: int) -> Message:
    return plural_message(
        "{column} is too long ({n} character, at most {limit})",
        "{column} is too long ({n} characters, at most {limit})",
        column=column,
        n=len(value),
        limit=limit,
    )


def text(rule: Rule, column: str | None = None) -> Check:
    """Free text within the rule's lengths."""
    name = column or rule.name
    limit, least = rule.max_length, rule.min_length or 0

    def check(cell: str) -> Checked:
        if limit is not None and len(cell) > limit:
            return None, too_long(name, cell, limit)
        if len(cell) < least:
            return None, plural_message(
                "{column} must have at least {n} character",
                "{column} must have at least {n} characters",
                column=name,
                n=least,
            )
        return cell, None

    return check


def whole_number(rule: Rule) -> Check:
    """A whole number within the rule's range; spaces may group thousands ('1 200')."""
    low, high = rule.low, rule.high
    message = Message(
        "{column} must be a whole number between {low} and {high}",
        {"column": rule.name, "low": low, "high": high},
    )

    def check(cell: str) -> Checked:
        number = _whole(cell)
        if number is None or (low is not None and number < low):
            return None, message
        if high is not None and number > high:
            return None, message
        return number, None

    return check


def pattern(rule: Rule, msgid: str, **params: Any) -> Check:
    """Text matching the rule's pattern, within its longest length; else the message `msgid`
    with `params` and the cell as `{value}`."""
    compiled = re.compile(rule.pattern or "")
    limit = rule.max_length

    def check(cell: str) -> Checked:
        if (limit is not None and len(cell) > limit) or not compiled.match(cell):
            return None, Message(msgid, {**params, "value": repr(clip(cell))})
        return cell, None

    return check


def postal_code(rule: Rule) -> Check:
    """A postal code NN-NNN (the rule's form); written without the dash, the dash is added."""
    inner = pattern(
        rule,
        N_("{column} must be written NN-NNN (e.g. {example})"),
        column=rule.name,
        example="20-001",
    )

    def check(cell: str) -> Checked:
        if _DIGITS_ONLY.match(cell):
            cell = f"{cell[:2]}-{cell[2:]}"
        return inner(cell)

    return check


def website(rule: Rule) -> Check:
    """A web address by the schemas' own rule (`schemas.Website`), stored as the service
    stores it; without a scheme, https:// is assumed."""
    limit = rule.max_length or 0
    adapter: TypeAdapter[Any] = TypeAdapter(Website)

    def check(cell: str) -> Checked:
        if len(cell) > limit:
            return None, too_long(rule.name, cell, limit)
        address = cell
        if not cell[:8].lower().startswith(("https://", "http://")):
            address = "https://" + cell
        try:
            return str(adapter.validate_python(address)), None
        except ValidationError:
            return None, Message("website {value} is not a web address", {"value": repr(cell)})

    return check


def _weights(checksum: Callable[[str], object], size: int) -> tuple[int, ...]:
    """The weight of each digit in one of python-stdnum's weighted sums, read from stdnum
    itself (the sum of 0…010…0 is that digit's weight), so plain digits are checked without
    stdnum's per-call cost and without a second copy of the weights. Tested against stdnum."""
    return tuple(int(str(checksum("0" * i + "1" + "0" * (size - 1 - i)))) for i in range(size))


_NIP = _weights(stdnum_nip.checksum, 10)  # the sum mod 11 is 0 for a valid NIP
_REGON9 = _weights(stdnum_regon.calc_check_digit, 8)
_REGON14 = _weights(stdnum_regon.calc_check_digit, 13)
_ZERO = ord("0")


def _weighted(weights: tuple[int, ...], digits: bytes) -> int:
    return sum(map(int.__mul__, weights, digits)) - _ZERO * sum(weights[: len(digits)])


def nip(cell: str) -> Checked:
    """A NIP; plain 10 digits take the fast path, anything else stdnum's cleaning."""
    plain = len(cell) == 10 and cell.isascii() and cell.isdigit()
    if plain and _weighted(_NIP, cell.encode()) % 11 == 0:
        return cell, None
    return _identifier(identifiers.clean_nip, cell)


def regon(cell: str) -> Checked:
    """A 9- or 14-digit REGON; plain digits take the fast path, anything else stdnum's."""
    size = len(cell)
    if (size == 9 or size == 14) and cell.isascii() and cell.isdigit():
        digits = cell.encode()
        if _weighted(_REGON9, digits[:8]) % 11 % 10 == digits[8] - _ZERO and (
            size == 9 or _weighted(_REGON14, digits[:13]) % 11 % 10 == digits[13] - _ZERO
        ):
            return cell, None
    return _identifier(identifiers.clean_regon, cell)


def krs(cell: str) -> Checked:
    return _identifier(identifiers.clean_krs, cell)


def _identifier(clean: Callable[[str], str], cell: str) -> Checked:
    try:
        return clean(cell), None
    except InvalidValue as exc:
        return None, exc.msg
    except ValueError:
        return None, Message("{value} is not valid", {"value": repr(cell)})


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
            return None, Message(
                "unknown {column} {value}; use one of {allowed}",
                {"column": column, "value": repr(cell), "allowed": allowed},
            )
        return found, None

    return check


def date(column: str) -> Check:
    """A date written YYYY-MM-DD (or DD.MM.YYYY, as Polish spreadsheets do); remembered."""
    cache: dict[str, dt.date | None] = {}
    message = Message(
        "{column} must be a date written YYYY-MM-DD (e.g. {example})",
        {"column": column, "example": "2018-02-15"},
    )

    def check(cell: str) -> Checked:
        found = cache.get(cell, dt.date.min)
        if found == dt.date.min:
            found = _date(cell)
            if len(cache) < CACHE_LIMIT:
                cache[cell] = found
        return (None, message) if found is None else (found, None)

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
