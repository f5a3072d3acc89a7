"""Check one import row against the format and the reference data, fast and without the DB.

This runs for every row of files with hundreds of thousands of rows, so it is plain Python
over in-memory lookups (`ImportLookups`) with caches for repeated cells (PKD lists,
municipalities, vocabularies), not pydantic models. The rules are those of
`organisations.schemas` (lengths, ranges, patterns, identifiers) plus the import format
described in docs/import-format.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from upland.errors import InvalidValue
from upland.i18n import Message, plural_message
from upland.organisations import identifiers
from upland.organisations.imports.folding import fast_fold
from upland.organisations.imports.format import (
    ADDRESS_FIELDS,
    DEFAULT_PKD_VERSION,
    KIND_ALIASES,
    MAX_CAPABILITIES,
    MAX_PKD_CODES,
    MEMBERSHIP_ALIASES,
    MULTILINE,
    TEXT_FIELDS,
    TIER_ALIASES,
    VISIBILITY_ALIASES,
)
from upland.organisations.imports.reader import RawRow
from upland.organisations.imports.seen import FirstRows
from upland.organisations.schemas import PKD_VERSIONS
from upland.reference import queries as reference

_CACHE_LIMIT = 50_000
_VALUE_LIMIT = 200

_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
_WEBSITE = re.compile(r"^(https?://)?[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-][0-9 +()\-]{3,38}[0-9+()\-]$")
_POSTAL = re.compile(r"^\d{2}-?\d{3}$")
_PKD_CODE = re.compile(r"^(\d{2})\.?(\d)(\d)?(?:\.?([A-Z]))?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PL_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# Characters refused in any text: C0/C1 controls (tab and line breaks only in descriptions),
# line/paragraph separators and bidirectional overrides (which can disguise text).
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


@dataclass(frozen=True, slots=True)
class RowError:
    """What is wrong with one cell (column '' when it is the row as a whole)."""

    row: int
    column: str
    value: str
    said: Message

    @property
    def message(self) -> str:
        return self.said.english()


class PkdRef(NamedTuple):
    version: int
    code: str
    section: str


class Term(NamedTuple):
    id: int
    kind: str
    name_pl: str
    name_en: str


@dataclass(slots=True)
class ValidRow:
    """A row that passed every check, in the shape the writer needs.

    `fields` holds only the organisation columns the row gives (parsed, ready for the
    database), so a re-import leaves the columns it leaves empty as they are.
    `pkd` and `capabilities` are None when their cell is empty.
    """

    row: int
    fields: dict[str, Any]
    teryt: str
    address: dict[str, str]
    pkd: tuple[PkdRef, ...] | None = None
    capabilities: tuple[int, ...] | None = None
    contact: dict[str, str] | None = None
    nip: str | None = None
    regon: str | None = None


@dataclass(frozen=True)
class ImportLookups:
    """Reference data prepared for the validator: plain dicts, folded names, active terms."""

    source: reference.Lookups
    municipalities: Mapping[str, str]
    municipality_names: Mapping[str, str]
    terms: Mapping[str, Term]
    terms_by_id: Mapping[int, Term]

    @classmethod
    def load(cls, session: Session) -> ImportLookups:
        return cls.prepare(reference.load_lookups(session))

    @classmethod
    def prepare(cls, lookups: reference.Lookups | ImportLookups) -> ImportLookups:
        if isinstance(lookups, ImportLookups):
            return lookups
        names = dict(lookups.municipality_names)
        for name, teryt in lookups.municipality_names.items():
            names.setdefault(fast_fold(name), teryt)
        terms = {
            slug: Term(t.id, t.kind, t.name_pl, t.name_en)
            for slug, t in lookups.terms.items()
            if t.is_active
        }
        return cls(
            source=lookups,
            municipalities={teryt: m.name for teryt, m in lookups.municipalities.items()},
            municipality_names=names,
            terms=terms,
            terms_by_id={t.id: t for t in terms.values()},
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
        self._nips = FirstRows()
        self._regons = FirstRows()
        self._pkd_cache: dict[str, tuple[tuple[PkdRef, ...], list[tuple[str, Message]]]] = {}
        self._capability_cache: dict[str, tuple[tuple[int, ...], list[tuple[str, Message]]]] = {}
        self._teryt_cache: dict[str, str | None] = {}
        self._pkd_items: dict[str, tuple[PkdRef | None, Message | None]] = {}
        self._kinds: dict[str, str | None] = {}
        self._vocabs: tuple[tuple[str, Mapping[str, str], dict[str, str | None]], ...] = (
            ("supply_tier", TIER_ALIASES, {}),
            ("membership_status", MEMBERSHIP_ALIASES, {}),
            ("visibility", VISIBILITY_ALIASES, {}),
        )
        self._dates: dict[str, dt.date | None] = {}

    def validate(self, raw: RawRow) -> tuple[ValidRow | None, list[RowError]]:
        """The parsed row, or None and every problem found in it."""
        values = raw.values
        get = values.get
        row = raw.row
        errors: list[RowError] = []
        fields: dict[str, Any] = {}

        kind = get("kind", "").strip()
        if not kind:
            errors.append(
                RowError(
                    row, "kind", "", Message("missing required field {column}", {"column": "kind"})
                )
            )
        else:
            canonical = self._kinds.get(kind, "")
            if canonical == "":
                canonical = _learn(self._kinds, kind, KIND_ALIASES)
            if canonical is None:
                errors.append(
                    RowError(row, "kind", kind, _vocab_message("kind", kind, KIND_ALIASES))
                )
            else:
                fields["kind"] = canonical

        name = get("legal_name", "").strip()
        if not name:
            errors.append(
                RowError(
                    row,
                    "legal_name",
                    "",
                    Message("missing required field {column}", {"column": "legal_name"}),
                )
            )
        elif len(name) > 300:
            errors.append(
                RowError(row, "legal_name", _clip(name), _too_long("legal_name", name, 300))
            )
        elif len(name) < 2:
            errors.append(
                RowError(
                    row,
                    "legal_name",
                    name,
                    plural_message(
                        "{column} must have at least {n} character",
                        "{column} must have at least {n} characters",
                        column="legal_name",
                        n=2,
                    ),
                )
            )
        else:
            fields["legal_name"] = name
        line = [name]  # one-line free text, checked below for control characters

        short = get("short_name")
        if short and (short := short.strip()):
            if len(short) > 120:
                errors.append(
                    RowError(row, "short_name", _clip(short), _too_long("short_name", short, 120))
                )
            else:
                fields["short_name"] = short
                line.append(short)
        text = []  # free text where line breaks are allowed
        for column, limit in TEXT_FIELDS:
            value = get(column)
            if value and (value := value.strip()):
                if len(value) > limit:
                    errors.append(
                        RowError(row, column, _clip(value), _too_long(column, value, limit))
                    )
                else:
                    fields[column] = value
                    text.append(value)

        nip = get("nip")
        if nip and (nip := nip.strip()):
            clean = _nip(nip)
            if clean is None:
                errors.append(
                    RowError(row, "nip", nip, _identifier_message(identifiers.clean_nip, nip))
                )
            else:
                fields["nip"] = clean
                first = self._nips.first(int(clean), row)
                if first != row:
                    errors.append(
                        RowError(
                            row,
                            "nip",
                            nip,
                            Message(
                                "{name} {value} also in row {row}",
                                {"name": "NIP", "value": clean, "row": first},
                            ),
                        )
                    )
        regon = get("regon")
        if regon and (regon := regon.strip()):
            clean = _regon(regon)
            if clean is None:
                errors.append(
                    RowError(
                        row, "regon", regon, _identifier_message(identifiers.clean_regon, regon)
                    )
                )
            else:
                fields["regon"] = clean
                first = self._regons.first(int(clean) * 16 + len(clean), row)
                if first != row:
                    errors.append(
                        RowError(
                            row,
                            "regon",
                            regon,
                            Message(
                                "{name} {value} also in row {row}",
                                {"name": "REGON", "value": clean, "row": first},
                            ),
                        )
                    )
        if not nip and not regon:
            errors.append(
                RowError(
                    row,
                    "nip",
                    "",
                    Message("missing required field nip or regon (give at least one)"),
                )
            )
        krs = get("krs")
        if krs and (krs := krs.strip()):
            try:
                fields["krs"] = identifiers.clean_krs(krs)
            except InvalidValue as exc:
                errors.append(RowError(row, "krs", krs, exc.msg))

        website = get("website")
        if website and (website := website.strip()):
            if len(website) > 300:
                errors.append(
                    RowError(row, "website", _clip(website), _too_long("website", website, 300))
                )
            elif not _WEBSITE.match(website):
                errors.append(
                    RowError(
                        row,
                        "website",
                        website,
                        Message("website {value} is not a web address", {"value": repr(website)}),
                    )
                )
            else:
                if not website[:8].lower().startswith(("https://", "http://")):
                    website = "https://" + website
                fields["website"] = website
                line.append(website)

        year = get("founded_year")
        if year and (year := year.strip()):
            number = _whole(year)
            if number is None or not 1800 <= number <= 2100:
                errors.append(
                    RowError(
                        row,
                        "founded_year",
                        year,
                        _between("founded_year", 1800, 2100),
                    )
                )
            else:
                fields["founded_year"] = number
        employees = get("employees")
        if employees and (employees := employees.strip()):
            number = _whole(employees)
            if number is None or not 0 <= number <= 1_000_000:
                errors.append(
                    RowError(
                        row,
                        "employees",
                        employees,
                        _between("employees", 0, 1000000),
                    )
                )
            else:
                fields["employees"] = number

        for column, aliases, cache in self._vocabs:
            value = get(column)
            if value and (value := value.strip()):
                canonical = cache.get(value, "")
                if canonical == "":
                    canonical = _learn(cache, value, aliases)
                if canonical is None:
                    errors.append(
                        RowError(row, column, value, _vocab_message(column, value, aliases))
                    )
                else:
                    fields[column] = canonical

        since = get("member_since")
        if since and (since := since.strip()):
            date = self._dates.get(since, dt.date.min)
            if date == dt.date.min:
                date = _learn_date(self._dates, since)
            if date is None:
                errors.append(
                    RowError(
                        row,
                        "member_since",
                        since,
                        Message(
                            "{column} must be a date written YYYY-MM-DD (e.g. {example})",
                            {"column": "member_since", "example": "2018-02-15"},
                        ),
                    )
                )
            else:
                fields["member_since"] = date

        pkd: tuple[PkdRef, ...] | None = None
        cell = get("pkd")
        if cell and (cell := cell.strip()):
            parsed = self._pkd_cache.get(cell)
            if parsed is None:
                parsed = self._parse_pkd(cell)
                if len(self._pkd_cache) < _CACHE_LIMIT:
                    self._pkd_cache[cell] = parsed
            pkd, problems = parsed
            for value, message in problems:
                errors.append(RowError(row, "pkd", value, message))

        teryt = ""
        cell = get("teryt")
        if not cell or not (cell := cell.strip()):
            errors.append(
                RowError(
                    row,
                    "teryt",
                    "",
                    Message("missing required field {column}", {"column": "teryt"}),
                )
            )
        else:
            found = self._teryt_cache.get(cell, "")
            if found == "":
                found = self._find_municipality(cell)
                if len(self._teryt_cache) < _CACHE_LIMIT:
                    self._teryt_cache[cell] = found
            if found is None:
                message = (
                    Message("unknown municipality TERYT code {teryt}", {"teryt": cell})
                    if cell.isdigit()
                    else Message("unknown municipality {name}", {"name": repr(cell)})
                )
                errors.append(RowError(row, "teryt", cell, message))
            else:
                teryt = found

        address: dict[str, str] = {}
        for column, limit in ADDRESS_FIELDS:
            value = get(column)
            if value and (value := value.strip()):
                if len(value) > limit:
                    errors.append(
                        RowError(row, column, _clip(value), _too_long(column, value, limit))
                    )
                else:
                    address[column] = value
                    line.append(value)
        postal = get("postal_code")
        if postal and (postal := postal.strip()):
            if _POSTAL.match(postal):
                address["postal_code"] = (
                    postal if len(postal) == 6 else f"{postal[:2]}-{postal[2:]}"
                )
            else:
                errors.append(
                    RowError(
                        row,
                        "postal_code",
                        postal,
                        Message(
                            "{column} must be written NN-NNN (e.g. {example})",
                            {"column": "postal_code", "example": "20-001"},
                        ),
                    )
                )

        capabilities: tuple[int, ...] | None = None
        cell = get("capabilities")
        if cell and (cell := cell.strip()):
            found_terms = self._capability_cache.get(cell)
            if found_terms is None:
                found_terms = self._parse_capabilities(cell)
                if len(self._capability_cache) < _CACHE_LIMIT:
                    self._capability_cache[cell] = found_terms
            capabilities, problems = found_terms
            for value, message in problems:
                errors.append(RowError(row, "capabilities", value, message))

        contact: dict[str, str] | None = None
        person = get("contact_name")
        email = get("contact_email")
        phone = get("contact_phone")
        if person or email or phone:
            person = (person or "").strip()
            email = (email or "").strip()
            phone = (phone or "").strip()
            if not person:
                if email or phone:
                    errors.append(
                        RowError(
                            row,
                            "contact_name",
                            "",
                            Message(
                                "contact_name is required when contact_email or contact_phone "
                                "is given"
                            ),
                        )
                    )
            elif len(person) > 200:
                errors.append(
                    RowError(
                        row, "contact_name", _clip(person), _too_long("contact_name", person, 200)
                    )
                )
            else:
                contact = {"full_name": person}
                line.append(person)
            if email:
                if len(email) > 254 or not _EMAIL.match(email):
                    errors.append(
                        RowError(
                            row,
                            "contact_email",
                            _clip(email),
                            Message(
                                "{value} is not an e-mail address", {"value": repr(_clip(email))}
                            ),
                        )
                    )
                elif contact is not None:
                    contact["email"] = email
                    line.append(email)
            if phone:
                if not _PHONE.match(phone):
                    errors.append(
                        RowError(
                            row,
                            "contact_phone",
                            _clip(phone),
                            Message(
                                "contact_phone may hold only "
                                "digits, spaces, +, ( ) and - (5 to 40 characters)"
                            ),
                        )
                    )
                elif contact is not None:
                    contact["phone"] = phone

        if raw.extra:
            errors.append(
                RowError(
                    row,
                    "",
                    _clip(" | ".join(raw.extra)),
                    plural_message(
                        "the row has {n} value to the right of the last named column",
                        "the row has {n} values to the right of the last named column",
                        n=len(raw.extra),
                    ),
                )
            )

        # Other cells are digits, codes or vocabulary words, which refuse control characters.
        if not "".join(line).isprintable() or (
            text
            and not "".join(text)
            .replace("\n", "")
            .replace("\r", "")
            .replace("\t", "")
            .isprintable()
        ):
            _find_controls(row, values, errors)

        if errors:
            return None, errors
        return (
            ValidRow(
                row,
                fields,
                teryt,
                address,
                pkd,
                capabilities,
                contact,
                fields.get("nip"),
                fields.get("regon"),
            ),
            errors,
        )

    # --- cells that need reference data (results cached per distinct cell) -------------

    def _find_municipality(self, cell: str) -> str | None:
        lookups = self.lookups
        if cell.isdigit():
            return cell if cell in lookups.municipalities else None
        names = lookups.municipality_names
        return names.get(cell.lower()) or names.get(fast_fold(cell))

    def _parse_pkd(self, cell: str) -> tuple[tuple[PkdRef, ...], list[tuple[str, Message]]]:
        items = self._pkd_items
        codes: list[PkdRef] = []
        problems: list[tuple[str, Message]] = []
        for part in cell.replace("|", ";").split(";"):
            item = part.strip()
            if not item:
                continue
            known = items.get(item)
            if known is None:
                known = self._parse_pkd_item(item)
                if len(items) < _CACHE_LIMIT:
                    items[item] = known
            found, problem = known
            if found is None:
                problems.append((item, problem or Message("{value} is not valid", {"value": item})))
            elif found not in codes:
                codes.append(found)
        if len(codes) > MAX_PKD_CODES:
            problems.append(
                (
                    _clip(cell),
                    plural_message(
                        "at most {n} PKD code per organisation",
                        "at most {n} PKD codes per organisation",
                        n=MAX_PKD_CODES,
                    ),
                )
            )
        return tuple(codes), problems

    def _parse_pkd_item(self, item: str) -> tuple[PkdRef | None, Message | None]:
        """One code of a PKD cell (`29.32.Z`, `2932Z@2007`): the code, or None and why not.

        Cached per item, not per cell: with 1–3 codes of hundreds per cell, whole cells
        rarely repeat but single codes do.
        """
        ref = self.lookups.source
        code, _, suffix = item.upper().partition("@")
        code = code.strip()
        version = DEFAULT_PKD_VERSION
        if suffix:
            suffix = suffix.strip()
            if not (suffix.isdigit() and int(suffix) in PKD_VERSIONS):
                return None, Message(
                    "unknown PKD version in {item} (use @2007 or @2025)", {"item": repr(item)}
                )
            version = int(suffix)
        code = _pkd_code(code)
        section = ref.pkd_section(version, code)
        if section is not None:
            return PkdRef(version, code, section), None
        if (version, code) in ref.pkd_sections:
            return None, Message(
                "PKD {version} code {code} is too general: give a class "
                "(e.g. 29.32) or a subclass (e.g. 29.32.Z)",
                {"version": version, "code": code},
            )
        return None, Message(
            "unknown PKD {version} code {code}", {"version": version, "code": code}
        )

    def _parse_capabilities(self, cell: str) -> tuple[tuple[int, ...], list[tuple[str, Message]]]:
        terms = self.lookups.terms
        ids: list[int] = []
        problems: list[tuple[str, Message]] = []
        for part in cell.replace("|", ";").replace(",", ";").split(";"):
            slug = part.strip().lower()
            if not slug:
                continue
            term = terms.get(slug)
            if term is None:
                problems.append(
                    (
                        part.strip(),
                        Message(
                            "unknown capability {value} (use vocabulary slugs such as {example})",
                            {"value": repr(part.strip()), "example": "cnc-milling"},
                        ),
                    )
                )
            elif term.id not in ids:
                ids.append(term.id)
        if len(ids) > MAX_CAPABILITIES:
            problems.append(
                (
                    _clip(cell),
                    plural_message(
                        "at most {n} capability per organisation",
                        "at most {n} capabilities per organisation",
                        n=MAX_CAPABILITIES,
                    ),
                )
            )
        return tuple(ids), problems


# --- helpers -------------------------------------------------------------------------------


def _nip(value: str) -> str | None:
    """The 10-digit NIP, or None when it is not valid (fast path for plain digits)."""
    if len(value) == 10 and value.isascii() and value.isdigit():
        d = value.encode()
        total = (
            6 * d[0]
            + 5 * d[1]
            + 7 * d[2]
            + 2 * d[3]
            + 3 * d[4]
            + 4 * d[5]
            + 5 * d[6]
            + 6 * d[7]
            + 7 * d[8]
            - 45 * 48
        )
        return value if total % 11 == d[9] - 48 else None
    try:
        return identifiers.clean_nip(value)
    except ValueError:
        return None


def _regon(value: str) -> str | None:
    """The 9- or 14-digit REGON, or None when it is not valid (fast path for plain digits)."""
    size = len(value)
    if (size == 9 or size == 14) and value.isascii() and value.isdigit():
        d = value.encode()
        total = (
            8 * d[0]
            + 9 * d[1]
            + 2 * d[2]
            + 3 * d[3]
            + 4 * d[4]
            + 5 * d[5]
            + 6 * d[6]
            + 7 * d[7]
            - 44 * 48
        )
        if total % 11 % 10 != d[8] - 48:
            return None
        if size == 9:
            return value
        total = sum(w * (c - 48) for w, c in zip(_REGON14_WEIGHTS, d, strict=False))
        return value if total % 11 % 10 == d[13] - 48 else None
    try:
        return identifiers.clean_regon(value)
    except ValueError:
        return None


def _identifier_message(clean: Any, value: str) -> Message:
    try:
        clean(value)
    except InvalidValue as exc:
        return exc.msg
    return Message("{value} is not valid", {"value": repr(value)})


def _pkd_code(code: str) -> str:
    """'2932Z', '29.32.z', '29.32 Z' -> '29.32.Z'; anything else is returned as written."""
    match = _PKD_CODE.match(code.replace(" ", ""))
    if not match:
        return code
    division, group, klass, subclass = match.groups()
    if klass is None:
        return code if subclass else f"{division}.{group}"
    return f"{division}.{group}{klass}" + (f".{subclass}" if subclass else "")


def _whole(value: str) -> int | None:
    if value.isdigit() and value.isascii() and len(value) <= 9:
        return int(value)
    digits = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if digits.isascii() and digits.isdigit() and len(digits) <= 9:
        return int(digits)
    return None


def _learn(cache: dict[str, str | None], value: str, aliases: Mapping[str, str]) -> str | None:
    """The vocabulary value a cell means (None if none), remembered for the next rows."""
    found = aliases.get("_".join(fast_fold(value).split()))
    if len(cache) < _CACHE_LIMIT:
        cache[value] = found
    return found


def _learn_date(cache: dict[str, dt.date | None], value: str) -> dt.date | None:
    found = _date(value)
    if len(cache) < _CACHE_LIMIT:
        cache[value] = found
    return found


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


def _vocab_message(column: str, value: str, aliases: Mapping[str, str]) -> Message:
    allowed = ", ".join(dict.fromkeys(aliases.values()))
    return Message(
        "unknown {column} {value}; use one of {allowed}",
        {"column": column, "value": repr(value), "allowed": allowed},
    )


def _too_long(column: str, value: str, limit: int) -> Message:
    return plural_message(
        "{column} is too long ({n} character, at most {limit})",
        "{column} is too long ({n} characters, at most {limit})",
        column=column,
        n=len(value),
        limit=limit,
    )


def _between(column: str, low: int, high: int) -> Message:
    return Message(
        "{column} must be a whole number between {low} and {high}",
        {"column": column, "low": low, "high": high},
    )


def _clip(value: str) -> str:
    return value if len(value) <= _VALUE_LIMIT else value[: _VALUE_LIMIT - 1] + "…"


def _find_controls(row: int, values: Mapping[str, str], errors: list[RowError]) -> None:
    """Report each cell holding a control or direction-override character (slow path)."""
    for column, value in values.items():
        pattern = _CONTROL_TEXT if column in MULTILINE else _CONTROL_LINE
        match = pattern.search(value.strip())
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
            errors.append(RowError(row, column, _clip(value), said))
