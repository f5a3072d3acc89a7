"""The organisation import format: its columns, the header and cell spellings it accepts,
and its limits. docs/import-format.md describes it for people; keep the two in step.
"""

from __future__ import annotations

from upland.organisations.vocab import (
    MembershipStatus,
    OrganisationKind,
    SupplyTier,
    Visibility,
)

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
COLUMNS: tuple[str, ...] = (
    *PROFILE_COLUMNS,
    "pkd",
    "teryt",
    "street",
    "postal_code",
    "locality",
    "capabilities",
    "contact_name",
    "contact_email",
    "contact_phone",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("kind", "legal_name", "teryt")
IDENTIFIER_COLUMNS: tuple[str, ...] = ("nip", "regon")

# Header spellings users write, after folding (lower case, no diacritics, `_` for spaces).
HEADER_ALIASES: dict[str, str] = {
    **{name: name for name in COLUMNS},
    "rodzaj": "kind",
    "typ": "kind",
    "rodzaj_organizacji": "kind",
    "type": "kind",
    "nazwa": "legal_name",
    "nazwa_pelna": "legal_name",
    "pelna_nazwa": "legal_name",
    "nazwa_prawna": "legal_name",
    "firma": "legal_name",
    "name": "legal_name",
    "nazwa_skrocona": "short_name",
    "skrot": "short_name",
    "nip_vat": "nip",
    "vat": "nip",
    "numer_krs": "krs",
    "www": "website",
    "strona": "website",
    "strona_www": "website",
    "strona_internetowa": "website",
    "url": "website",
    "opis": "description_pl",
    "opis_pl": "description_pl",
    "opis_en": "description_en",
    "opis_ang": "description_en",
    "description": "description_pl",
    "moce_produkcyjne": "capacity_notes",
    "wolne_moce": "capacity_notes",
    "rok_zalozenia": "founded_year",
    "founded": "founded_year",
    "liczba_pracownikow": "employees",
    "zatrudnienie": "employees",
    "pracownicy": "employees",
    "poziom_dostawcy": "supply_tier",
    "poziom_w_lancuchu_dostaw": "supply_tier",
    "tier": "supply_tier",
    "status_czlonkostwa": "membership_status",
    "czlonkostwo": "membership_status",
    "membership": "membership_status",
    "czlonek_od": "member_since",
    "data_przystapienia": "member_since",
    "widocznosc": "visibility",
    "kody_pkd": "pkd",
    "pkd_codes": "pkd",
    "gmina": "teryt",
    "kod_teryt": "teryt",
    "teryt_gminy": "teryt",
    "siedziba": "teryt",
    "municipality": "teryt",
    "city": "teryt",
    "miasto": "teryt",
    "ulica": "street",
    "adres": "street",
    "address": "street",
    "kod_pocztowy": "postal_code",
    "kod": "postal_code",
    "postcode": "postal_code",
    "miejscowosc": "locality",
    "poczta": "locality",
    "kompetencje": "capabilities",
    "mozliwosci": "capabilities",
    "osoba_kontaktowa": "contact_name",
    "kontakt": "contact_name",
    "contact": "contact_name",
    "email": "contact_email",
    "e_mail": "contact_email",
    "adres_email": "contact_email",
    "telefon": "contact_phone",
    "tel": "contact_phone",
    "phone": "contact_phone",
}

MAX_COLUMNS = 64

DEFAULT_PKD_VERSION = 2025
MAX_PKD_CODES = 50
MAX_CAPABILITIES = 200

# Profile text columns and their longest allowed values (as in organisations.schemas).
TEXT_FIELDS: tuple[tuple[str, int], ...] = (
    ("description_pl", 5000),
    ("description_en", 5000),
    ("capacity_notes", 2000),
)
MULTILINE = frozenset(c for c, _ in TEXT_FIELDS)
ADDRESS_FIELDS: tuple[tuple[str, int], ...] = (("street", 200), ("locality", 100))

# Cell values accepted for the closed vocabularies, as folded words joined by '_'.
KIND_ALIASES = {
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
}
TIER_ALIASES = {
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
}
MEMBERSHIP_ALIASES = {
    **{m.value: m.value for m in MembershipStatus},
    "czlonek": "member",
    "kandydat": "applicant",
    "zawieszony": "suspended",
    "byly_czlonek": "former",
    "byly": "former",
    "brak": "none",
}
VISIBILITY_ALIASES = {
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
}
