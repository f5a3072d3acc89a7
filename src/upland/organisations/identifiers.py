"""Polish business identifiers: validate, never trust (python-stdnum does the check digits)."""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

from upland.errors import InvalidValue
from upland.i18n import plural_message


def clean_nip(raw: str) -> str:
    """Return the 10-digit NIP or raise InvalidValue saying what is wrong with it."""
    value = stdnum_nip.compact(raw)
    if value.upper().startswith("PL"):
        value = value[2:]
    try:
        return str(stdnum_nip.validate(value))
    except ValidationError as exc:
        raise _reason("NIP", value, exc, 10) from None


def clean_regon(raw: str) -> str:
    """Return the 9- or 14-digit REGON or raise InvalidValue saying what is wrong with it."""
    value = stdnum_regon.compact(raw)
    try:
        return str(stdnum_regon.validate(value))
    except ValidationError as exc:
        raise _reason("REGON", value, exc, 9, 14) from None


def clean_krs(raw: str) -> str:
    """KRS numbers are 10 digits (leading zeros kept) with no check digit."""
    value = raw.strip().replace(" ", "")
    if value.isdigit() and len(value) < 10:
        value = value.zfill(10)
    if not (value.isdigit() and len(value) == 10):
        raise InvalidValue(
            plural_message(
                "{name} must be {n} digit, got {value}",
                "{name} must be {n} digits, got {value}",
                name="KRS",
                n=10,
                value=repr(raw),
            ),
            code="krs.invalid",
        )
    return value


def _reason(
    name: str, value: str, exc: ValidationError, digits: int, more: int | None = None
) -> InvalidValue:
    text = str(exc)
    message = text.lower()
    code = f"{name.lower()}.invalid"
    if "checksum" in message:
        return InvalidValue(
            "{name} {value} has a wrong check digit", code=code, name=name, value=value
        )
    if "length" in message or "format" in message:
        if more is None:
            shape = plural_message(
                "{name} must be {n} digit, got {value}",
                "{name} must be {n} digits, got {value}",
                name=name,
                n=digits,
                value=repr(value),
            )
        else:
            shape = plural_message(
                "{name} must be {a} or {n} digit, got {value}",
                "{name} must be {a} or {n} digits, got {value}",
                name=name,
                a=digits,
                n=more,
                value=repr(value),
            )
        return InvalidValue(shape, code=code)
    return InvalidValue(
        "{name} {value} is not valid ({reason})",
        code=code,
        name=name,
        value=repr(value),
        reason=text,
    )


def complete_nip(body: str) -> str | None:
    """A 9-digit body with its NIP check digit, or None when the digit would be 10 (the tax
    office never issues those). For generated data: test factories, the demo, benchmarks."""
    check = stdnum_nip.checksum(body + "0")
    return body + str(check) if check < 10 else None


def complete_regon(body: str) -> str:
    """An 8-digit body (13 for a local unit) with its REGON check digit (generated data)."""
    return body + str(stdnum_regon.calc_check_digit(body))


def nip_at(number: int) -> str:
    """The first valid NIP whose 9-digit body is `number` or comes after it (generated data)."""
    while (nip := complete_nip(f"{number % 10**9:09d}")) is None:
        number += 1
    return nip
