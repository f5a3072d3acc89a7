"""Check one import row against the format and the reference data, fast and without the DB.

The cell rules are the column specification's (`organisations.columns`, shared with the
schemas) as per-column checkers (`checks`); the reference cells are read by `lookups`. What
the format adds to the schemas is row-level, here: a NIP or REGON is required and unique in
the file, a contact needs a name, and no cell holds a control character (`upland.controls`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upland import controls
from upland.i18n import N_, Message, plural_message
from upland.organisations import columns
from upland.organisations.imports import checks
from upland.organisations.imports.format import (
    KIND_ALIASES,
    MEMBERSHIP_ALIASES,
    TIER_ALIASES,
    VISIBILITY_ALIASES,
)
from upland.organisations.imports.lookups import ImportLookups, ReferenceCells, clip
from upland.organisations.imports.reader import RawRow
from upland.organisations.imports.rows import RowError, ValidRow
from upland.organisations.imports.seen import FirstRows
from upland.reference import queries as reference

_ORG, _SITE, _PERSON = columns.ORGANISATION, columns.SITE, columns.PERSON
REQUIRED = frozenset({"kind", "legal_name"})
MULTILINE = frozenset(rule.name for rule in _ORG.values() if rule.multiline)


def profile_checks() -> tuple[tuple[str, checks.Check], ...]:
    """The organisation columns of the file and their checkers, in the order errors show."""
    return (
        ("kind", checks.vocabulary("kind", KIND_ALIASES)),
        ("legal_name", checks.text(_ORG["legal_name"])),
        ("short_name", checks.text(_ORG["short_name"])),
        ("description_pl", checks.text(_ORG["description_pl"])),
        ("description_en", checks.text(_ORG["description_en"])),
        ("capacity_notes", checks.text(_ORG["capacity_notes"])),
        ("nip", checks.nip),
        ("regon", checks.regon),
        ("krs", checks.krs),
        ("website", checks.website(_ORG["website"])),
        ("founded_year", checks.whole_number(_ORG["founded_year"])),
        ("employees", checks.whole_number(_ORG["employees"])),
        ("supply_tier", checks.vocabulary("supply_tier", TIER_ALIASES)),
        ("membership_status", checks.vocabulary("membership_status", MEMBERSHIP_ALIASES)),
        ("visibility", checks.vocabulary("visibility", VISIBILITY_ALIASES)),
        ("member_since", checks.date("member_since")),
    )


def address_checks() -> tuple[tuple[str, checks.Check], ...]:
    return (
        ("street", checks.text(_SITE["street"])),
        ("locality", checks.text(_SITE["locality"])),
        ("postal_code", checks.postal_code(_SITE["postal_code"])),
    )


def validate_row(
    raw: RawRow, lookups: reference.Lookups | ImportLookups
) -> tuple[ValidRow | None, list[RowError]]:
    """Check one row on its own (repeats across rows need one `RowValidator` for the file)."""
    return RowValidator(lookups).validate(raw)


class RowValidator:
    """Validates the rows of one file in order, remembering NIP and REGON to catch repeats."""

    def __init__(self, lookups: reference.Lookups | ImportLookups) -> None:
        self.lookups = ImportLookups.prepare(lookups)
        self.cells = ReferenceCells(self.lookups)
        self._nips = FirstRows()
        self._regons = FirstRows()
        self._profile = profile_checks()
        self._address = address_checks()
        self._full_name = checks.text(_PERSON["full_name"], "contact_name")
        self._email = checks.pattern(_PERSON["email"], N_("{value} is not an e-mail address"))
        self._phone = checks.pattern(
            _PERSON["phone"],
            N_("contact_phone may hold only digits, spaces, +, ( ) and - (5 to 40 characters)"),
        )

    def validate(self, raw: RawRow) -> tuple[ValidRow | None, list[RowError]]:
        """The parsed row, or None and every problem found in it."""
        values = raw.values
        get = values.get
        row = raw.row
        errors: list[RowError] = []
        fields: dict[str, Any] = {}
        for column, check in self._profile:
            cell = get(column)
            if cell and (cell := cell.strip()):
                value, problem = check(cell)
                if problem:
                    errors.append(RowError(row, column, clip(cell), problem))
                else:
                    fields[column] = value
            elif column in REQUIRED:
                errors.append(RowError(row, column, "", _missing(column)))
        self._check_identifiers(row, values, fields, errors)
        pkd = capabilities = None
        cell = get("pkd")
        if cell and (cell := cell.strip()):
            pkd, problems = self.cells.pkd(cell)
            if problems:
                errors.extend(RowError(row, "pkd", v, m) for v, m in problems)
        teryt = ""
        cell = get("teryt")
        if not cell or not (cell := cell.strip()):
            errors.append(RowError(row, "teryt", "", _missing("teryt")))
        else:
            found, problem = self.cells.municipality(cell)
            if found is None or problem is not None:
                errors.append(RowError(row, "teryt", cell, problem or _missing("teryt")))
            else:
                teryt = found
        address = self._checked(row, values, self._address, errors)
        cell = get("capabilities")
        if cell and (cell := cell.strip()):
            capabilities, problems = self.cells.capabilities(cell)
            if problems:
                errors.extend(RowError(row, "capabilities", v, m) for v, m in problems)
        contact = self._contact(row, values, errors)
        if raw.extra:
            errors.append(
                RowError(
                    row,
                    "",
                    clip(" | ".join(raw.extra)),
                    plural_message(
                        "the row has {n} value to the right of the last named column",
                        "the row has {n} values to the right of the last named column",
                        n=len(raw.extra),
                    ),
                )
            )
        _check_controls(row, values, errors)
        if errors:
            return None, errors
        nip, regon = fields.get("nip"), fields.get("regon")
        return ValidRow(row, fields, teryt, address, pkd, capabilities, contact, nip, regon), []

    def _check_identifiers(
        self, row: int, values: Mapping[str, str], fields: dict[str, Any], errors: list[RowError]
    ) -> None:
        """At least one of NIP and REGON, and neither used by an earlier row of the file."""
        nip, regon = fields.get("nip"), fields.get("regon")
        if nip is not None and (first := self._nips.first(int(nip), row)) != row:
            errors.append(RowError(row, "nip", values["nip"].strip(), _repeated("NIP", nip, first)))
        if regon is not None:
            first = self._regons.first(int(regon) * 16 + len(regon), row)
            if first != row:
                cell = values["regon"].strip()
                errors.append(RowError(row, "regon", cell, _repeated("REGON", regon, first)))
        if "nip" not in fields and "regon" not in fields and not _given(values, "nip", "regon"):
            errors.append(
                RowError(
                    row,
                    "nip",
                    "",
                    Message("missing required field nip or regon (give at least one)"),
                )
            )

    @staticmethod
    def _checked(
        row: int,
        values: Mapping[str, str],
        specs: tuple[tuple[str, checks.Check], ...],
        errors: list[RowError],
    ) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for column, check in specs:
            cell = values.get(column)
            if cell and (cell := cell.strip()):
                value, problem = check(cell)
                if problem:
                    errors.append(RowError(row, column, clip(cell), problem))
                else:
                    found[column] = value
        return found

    def _contact(
        self, row: int, values: Mapping[str, str], errors: list[RowError]
    ) -> dict[str, str] | None:
        """The contact person of the row: a name, and maybe an e-mail and a phone."""
        name = (values.get("contact_name") or "").strip()
        email = (values.get("contact_email") or "").strip()
        phone = (values.get("contact_phone") or "").strip()
        if not (name or email or phone):
            return None
        contact: dict[str, str] | None = None
        if not name:
            errors.append(
                RowError(
                    row,
                    "contact_name",
                    "",
                    Message(
                        "contact_name is required when contact_email or contact_phone is given"
                    ),
                )
            )
        else:
            value, problem = self._full_name(name)
            if problem:
                errors.append(RowError(row, "contact_name", clip(name), problem))
            else:
                contact = {"full_name": value}
        for column, cell, check, key in (
            ("contact_email", email, self._email, "email"),
            ("contact_phone", phone, self._phone, "phone"),
        ):
            if cell:
                value, problem = check(cell)
                if problem:
                    errors.append(RowError(row, column, clip(cell), problem))
                elif contact is not None:
                    contact[key] = value
        return contact


def _missing(column: str) -> Message:
    return Message("missing required field {column}", {"column": column})


def _repeated(name: str, value: str, first: int) -> Message:
    return Message("{name} {value} also in row {row}", {"name": name, "value": value, "row": first})


def _given(values: Mapping[str, str], *names: str) -> bool:
    return any((values.get(name) or "").strip() for name in names)


def _check_controls(row: int, values: Mapping[str, str], errors: list[RowError]) -> None:
    """Report each cell holding a control or invisible formatting character, as the schemas
    refuse them (`upland.controls`): a quick test of the whole row, then cell by cell."""
    if "".join(values.values()).isprintable():
        return
    for column, value in values.items():
        pattern = controls.CONTROL_IN_TEXT if column in MULTILINE else controls.CONTROL_IN_LINE
        match = pattern.search(value)
        if match:
            char = match.group()
            said = (
                Message("{column} contains a line break", {"column": column})
                if char in "\r\n\u2028\u2029"
                else Message(
                    "{column} contains a control character ({code})",
                    {"column": column, "code": f"U+{ord(char):04X}"},
                )
            )
            errors.append(RowError(row, column, clip(value), said))
