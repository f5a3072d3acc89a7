"""The organisation file format shared by the export and the import: its columns (one
specification, so an export always re-imports), the header and cell spellings the import
accepts, and its limits. docs/import-format.md describes it for people; keep the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from upland.i18n import LANGUAGES, gettext_in
from upland.organisations.labels import LABELS
from upland.organisations.vocab import (
    MembershipStatus,
    OrganisationKind,
    SupplyTier,
    Visibility,
)
from upland.spreadsheets import FORMULA_START, QUOTE
from upland.spreadsheets import neutralise as neutralise
from upland.textkit.folding import fold

if TYPE_CHECKING:
    from upland.organisations.models import Organisation, Person, Site

DEFAULT_PKD_VERSION = 2025


@dataclass(frozen=True, slots=True)
class Exported:
    """One organisation as an export row sees it: the record and what was looked up for it."""

    org: Organisation
    city: str | None = None
    headquarters: Site | None = None
    capabilities: tuple[str, ...] = ()  # vocabulary slugs
    contact: Person | None = None  # the first person whose contact data the reader may see


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the organisation file, for the export and the import alike.

    `name` is the English header, `polish` the Polish one; `aliases` are further folded
    spellings the import accepts. `imported` columns are read (and checked by
    `validate.RowValidator` under the same name); the others are export-only and ignored on
    import, except that a `stands_for` column is read as that column when the file lacks it.
    `value` gives the exported cell.
    """

    name: str
    polish: str
    value: Callable[[Exported], Any]
    imported: bool = True
    stands_for: str | None = None
    aliases: tuple[str, ...] = ()


def _attr(name: str) -> Callable[[Exported], Any]:
    return lambda e: getattr(e.org, name)


def _site(name: str) -> Callable[[Exported], Any]:
    return lambda e: getattr(e.headquarters, name) if e.headquarters is not None else None


def _contact(name: str) -> Callable[[Exported], Any]:
    return lambda e: getattr(e.contact, name) if e.contact is not None else None


def _pkd(e: Exported) -> str:
    codes = sorted(e.org.pkd_codes, key=lambda p: (not p.is_primary, p.id))
    return ";".join(
        p.code if p.version == DEFAULT_PKD_VERSION else f"{p.code}@{p.version}" for p in codes
    )


def _date(e: Exported) -> str | None:
    return e.org.member_since.isoformat() if e.org.member_since else None


# Export order; the import reads the `imported` ones in any order.
FILE_COLUMNS: tuple[Column, ...] = (
    Column("id", "id", _attr("id"), imported=False),
    Column("kind", "rodzaj", _attr("kind"), aliases=("typ", "rodzaj_organizacji", "type")),
    Column(
        "legal_name",
        "nazwa",
        _attr("legal_name"),
        aliases=("nazwa_pelna", "pelna_nazwa", "nazwa_prawna", "firma", "name"),
    ),
    Column("short_name", "nazwa skrócona", _attr("short_name"), aliases=("skrot",)),
    Column("nip", "NIP", _attr("nip"), aliases=("nip_vat", "vat")),
    Column("regon", "REGON", _attr("regon")),
    Column("krs", "KRS", _attr("krs"), aliases=("numer_krs",)),
    Column(
        "website",
        "strona www",
        _attr("website"),
        aliases=("www", "strona", "strona_internetowa", "url"),
    ),
    Column("description_pl", "opis", _attr("description_pl"), aliases=("opis_pl", "description")),
    Column("description_en", "opis EN", _attr("description_en"), aliases=("opis_ang",)),
    Column("capacity_notes", "wolne moce", _attr("capacity_notes"), aliases=("moce_produkcyjne",)),
    Column("founded_year", "rok założenia", _attr("founded_year"), aliases=("founded",)),
    Column(
        "employees",
        "liczba pracowników",
        _attr("employees"),
        aliases=("zatrudnienie", "pracownicy"),
    ),
    Column("size_class", "klasa wielkości", _attr("size_class"), imported=False),
    Column(
        "supply_tier",
        "poziom dostawcy",
        _attr("supply_tier"),
        aliases=("poziom_w_lancuchu_dostaw", "tier"),
    ),
    Column(
        "membership_status",
        "status członkostwa",
        _attr("membership_status"),
        aliases=("czlonkostwo", "membership"),
    ),
    Column("member_since", "członek od", _date, aliases=("data_przystapienia",)),
    Column("visibility", "widoczność", _attr("visibility")),
    Column("pkd", "kody PKD", _pkd, aliases=("pkd_codes",)),
    Column(
        "city",
        "gmina",
        lambda e: e.city,
        imported=False,
        stands_for="teryt",
        aliases=("siedziba", "municipality", "miasto"),
    ),
    Column("teryt", "kod TERYT", _attr("teryt"), aliases=("teryt_gminy",)),
    Column("street", "ulica", _site("street"), aliases=("adres", "address")),
    Column("postal_code", "kod pocztowy", _site("postal_code"), aliases=("kod", "postcode")),
    Column("locality", "miejscowość", _site("locality"), aliases=("poczta",)),
    Column(
        "capabilities",
        "kompetencje",
        lambda e: ";".join(e.capabilities),
        aliases=("mozliwosci",),
    ),
    Column(
        "contact_name",
        "osoba kontaktowa",
        _contact("full_name"),
        aliases=("kontakt", "contact"),
    ),
    Column(
        "contact_email",
        "e-mail",
        _contact("email"),
        aliases=("email", "adres_email"),
    ),
    Column("contact_phone", "telefon", _contact("phone"), aliases=("tel", "phone")),
)


def header_key(name: str) -> str:
    """A header cell folded the way headers are compared: 'Nazwa skrócona' -> 'nazwa_skrocona'."""
    return "_".join(fold(name).split())


# Organisation profile columns: stored as given (parsed, defaults filled in).
PROFILE_COLUMNS: tuple[str, ...] = (
    "kind",
    "legal_name",
    "short_name",
    "nip",
    "regon",
    "krs",
    "website",
    "description_pl",
    "description_en",
    "capacity_notes",
    "founded_year",
    "employees",
    "supply_tier",
    "membership_status",
    "member_since",
    "visibility",
)
COLUMNS: tuple[str, ...] = tuple(c.name for c in FILE_COLUMNS if c.imported)
EXPORT_ONLY: tuple[str, ...] = tuple(c.name for c in FILE_COLUMNS if not c.imported)
KNOWN_COLUMNS = frozenset(c.name for c in FILE_COLUMNS)
STANDS_FOR: dict[str, str] = {c.name: c.stands_for for c in FILE_COLUMNS if c.stands_for}
REQUIRED_COLUMNS: tuple[str, ...] = ("kind", "legal_name", "teryt")
IDENTIFIER_COLUMNS: tuple[str, ...] = ("nip", "regon")

# Header spellings, folded (lower case, no diacritics, `_` for spaces), to column names.
HEADER_ALIASES: dict[str, str] = {
    key: column.name
    for column in FILE_COLUMNS
    for key in (column.name, header_key(column.polish), *column.aliases)
}

# Spreadsheet formula injection: the export quotes a text a spreadsheet would run
# (`upland.spreadsheets.neutralise`), so the import can take exactly one quote off.


def unneutralise(cell: str) -> str:
    """Undo `neutralise`: drop the quote it put before a formula character or a quote."""
    if cell.startswith(QUOTE) and cell[1:2] in (*FORMULA_START, QUOTE) and len(cell) > 1:
        return cell[1:]
    return cell


MAX_COLUMNS = 64

# Columns the human-facing XLSX shows as labels, and the label vocabulary of each.
LABELLED_COLUMNS = {
    "kind": "organisation_kind",
    "size_class": "size_class",
    "supply_tier": "supply_tier",
    "membership_status": "membership_status",
    "visibility": "visibility",
}


def _with_labels(aliases: dict[str, str], vocabulary: str) -> dict[str, str]:
    """The spellings of a vocabulary plus its labels in every language (what the XLSX export
    writes), so an exported workbook imports back; a spelling already known keeps its value."""
    labelled = dict(aliases)
    for value, msgid in LABELS[vocabulary].items():
        for language in LANGUAGES:
            labelled.setdefault(header_key(gettext_in(language, msgid)), str(value))
    return labelled


# Cell values accepted for the closed vocabularies, as folded words joined by '_'.
KIND_ALIASES = _with_labels(
    {
        **{k.value: k.value for k in OrganisationKind},
        "firma": "company",
        "przedsiebiorstwo": "company",
        "przedsiebiorca": "company",
        "spolka": "company",
        "research_organisation": "research",
        "research_organization": "research",
        "organizacja_badawcza": "research",
        "jednostka_naukowa": "research",
        "uczelnia": "research",
        "instytut": "research",
        "instytut_badawczy": "research",
        "university": "research",
        "samorzad": "local_government",
        "jst": "local_government",
        "jednostka_samorzadu_terytorialnego": "local_government",
        "samorzad_terytorialny": "local_government",
        "instytucja_otoczenia_biznesu": "business_support",
        "otoczenie_biznesu": "business_support",
        "iob": "business_support",
        "szkola": "school",
        "szkola_zawodowa": "school",
        "szkola_techniczna": "school",
        "technikum": "school",
        "koordynator": "coordinator",
        "koordynator_klastra": "coordinator",
    },
    "organisation_kind",
)
TIER_ALIASES = _with_labels(
    {
        **{t.value: t.value for t in SupplyTier},
        "tier_1": "tier1",
        "tier_2": "tier2",
        "tier_3": "tier3",
        "t1": "tier1",
        "t2": "tier2",
        "t3": "tier3",
        "rynek_wtorny": "aftermarket",
        "inne": "other",
        "inny": "other",
    },
    "supply_tier",
)
MEMBERSHIP_ALIASES = _with_labels(
    {
        **{m.value: m.value for m in MembershipStatus},
        "czlonek": "member",
        "kandydat": "applicant",
        "zawieszony": "suspended",
        "byly_czlonek": "former",
        "byly": "former",
        "brak": "none",
    },
    "membership_status",
)
VISIBILITY_ALIASES = _with_labels(
    {
        **{v.value: v.value for v in Visibility},
        "publiczny": "public",
        "publiczna": "public",
        "publiczne": "public",
        "czlonkowie": "members",
        "dla_czlonkow": "members",
        "ograniczony": "restricted",
        "ograniczona": "restricted",
        "ograniczone": "restricted",
        "zastrzezony": "restricted",
    },
    "visibility",
)
