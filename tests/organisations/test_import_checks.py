"""The import's fast row validator and the pydantic schemas accept and reject the same rows.

Both are built from one column specification (`organisations.columns`); hypothesis generates
rows near its boundaries (lengths, patterns, NIP/REGON check digits, PKD codes, blanks,
control and other unicode characters) and checks that `RowValidator` accepts a row exactly
when `OrganisationCreate` (with its sites and people, and the reference checks the service
makes) accepts the same values. Cells are written the way the export writes them; the
import's extra spellings (Polish vocabulary words, DD.MM.YYYY dates, '1 200') are tested in
test_imports.py. The format's own row rules (a NIP or REGON, a municipality) hold on both sides.
"""

from __future__ import annotations

import csv
import re
from importlib import resources
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlalchemy.orm import Session

from upland import controls
from upland.organisations import columns
from upland.organisations.identifiers import complete_regon, nip_at
from upland.organisations.imports import ImportLookups, RawRow, RowValidator
from upland.organisations.imports.format import COLUMNS
from upland.organisations.schemas import MULTILINE_FIELDS as MULTILINE
from upland.organisations.schemas import OrganisationCreate
from upland.organisations.vocab import MembershipStatus, OrganisationKind, SupplyTier, Visibility


def _shipped(package: str, name: str) -> list[dict[str, str]]:
    with resources.files(package).joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


PKD_2025 = [r["code"] for r in _shipped("upland.data.pkd", "pkd2025.csv") if r["level"] == "5"]
PKD_CLASSES = [r["code"] for r in _shipped("upland.data.pkd", "pkd2025.csv") if r["level"] == "4"]
TERYT = [r["teryt"] for r in _shipped("upland.data", "municipalities.csv")]
SLUGS = [r["slug"] for r in _shipped("upland.data", "capabilities.csv")]
# Characters near the rules: Polish letters, blanks, line breaks, controls, invisible
# formatting (zero-width, bidirectional), separators, non-breaking and wide spaces, emoji.
SPECIAL = "ąćęłńóśźżĄŁŻé \t\n\r\x00\x07\x1f\x85\xa0\u200b\u200d\u202e\u2028\u3000\ufeff😀"
CHARS = st.one_of(st.sampled_from(SPECIAL), st.characters(codec="utf-8"))


def near(rule: columns.Rule) -> st.SearchStrategy[str]:
    """Short odd texts, and texts one character either side of the rule's lengths."""
    lengths = [n for n in (rule.min_length, rule.max_length) if n is not None]
    edges = [n + d for n in lengths for d in (-1, 0, 1) if n + d >= 0]
    padded = st.tuples(
        st.sampled_from(edges), st.text(CHARS, max_size=2), st.sampled_from(["", " ", "\n"])
    ).map(lambda t: "x" * max(0, t[0] - len(t[1])) + t[1] + t[2])
    return st.one_of(st.text(CHARS, max_size=6), padded)


def _nips() -> st.SearchStrategy[str]:
    valid = st.integers(100_000_000, 999_999_999).map(nip_at)
    return st.one_of(
        st.just(""),
        valid,
        valid.map(lambda n: f"PL {n[:3]}-{n[3:6]}-{n[6:8]}-{n[8:]}"),
        valid.map(lambda n: n[:-1] + str((int(n[-1]) + 1) % 10)),
        st.text(st.sampled_from("0123456789 -PLx"), max_size=13),
    )


def _regons() -> st.SearchStrategy[str]:
    nine = st.integers(10_000_000, 99_999_999).map(lambda n: complete_regon(str(n)))
    fourteen = st.tuples(nine, st.integers(0, 9999)).map(
        lambda t: complete_regon(f"{t[0]}{t[1]:04d}")
    )
    return st.one_of(
        st.just(""),
        nine,
        fourteen,
        st.one_of(nine, fourteen).map(lambda n: n[:-1] + str((int(n[-1]) + 1) % 10)),
        st.text(st.sampled_from("0123456789 -"), max_size=15),
    )


def _pkd_cells() -> st.SearchStrategy[str]:
    """Codes as the export writes them: `29.32.Z;25.62.Z@2007`, known and unknown."""
    code = st.one_of(
        st.sampled_from(PKD_2025).map(lambda c: (c, 2025)),
        st.sampled_from(PKD_CLASSES).map(lambda c: (c, 2025)),
        st.sampled_from(["29.99.Q", "29.3", "29", "9.32.Z", "29.32.ZZ"]).map(lambda c: (c, 2025)),
        st.sampled_from(["29.32.Z", "25.62.Z", "22.29.Z"]).map(lambda c: (c, 2007)),
    )
    return st.lists(code, max_size=4, unique=True).map(
        lambda codes: ";".join(c if v == 2025 else f"{c}@{v}" for c, v in codes)
    )


def _vocabulary(values: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(["", *values, "fabryka", "x"])


def _number(rule: columns.Rule) -> st.SearchStrategy[str]:
    low, high = rule.low or 0, rule.high or 0
    edges = st.sampled_from([low - 1, low, low + 1, high - 1, high, high + 1])
    return st.one_of(
        st.just(""), edges.map(str), st.sampled_from(["12.5", "abc", "1e3", "-", "0x10"])
    )


_ORG, _SITE, _PERSON = columns.ORGANISATION, columns.SITE, columns.PERSON


PLAIN = st.text(st.sampled_from("abcxyząćęłńóśźżĄŁŻé 0123.,-"), max_size=20)
NAME = PLAIN.map(lambda t: f"Zakład {t}a")


def _email() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["anna(at)example.pl", "a@b", "@x.pl", "anna @x.pl"]),
        st.integers(240, 256).map(lambda n: "a" * (n - 11) + "@example.pl"),
    )


# Per column: values written as a careful user would, and values near or past the rules.
VALID: dict[str, st.SearchStrategy[str]] = {
    "kind": st.sampled_from([k.value for k in OrganisationKind]),
    "legal_name": NAME,
    "short_name": st.one_of(st.just(""), NAME),
    "nip": st.integers(100_000_000, 999_999_999).map(nip_at),
    "regon": st.just(""),
    "krs": st.one_of(st.just(""), st.integers(1, 10**10 - 1).map(str)),
    "website": st.sampled_from(["", "www.example.pl", "https://example.com.pl/a?b=1"]),
    "description_pl": PLAIN,
    "description_en": PLAIN,
    "capacity_notes": PLAIN,
    "founded_year": st.one_of(st.just(""), st.integers(1800, 2100).map(str)),
    "employees": st.one_of(st.just(""), st.integers(0, 1_000_000).map(str)),
    "supply_tier": st.sampled_from(["", *(t.value for t in SupplyTier)]),
    "membership_status": st.sampled_from(["", *(m.value for m in MembershipStatus)]),
    "member_since": st.one_of(st.just(""), st.dates().map(lambda d: d.isoformat())),
    "visibility": st.sampled_from(["", *(v.value for v in Visibility)]),
    "pkd": st.lists(st.sampled_from(PKD_2025), max_size=3, unique=True).map(";".join),
    "teryt": st.sampled_from(TERYT),
    "street": PLAIN,
    "postal_code": st.one_of(st.just(""), st.from_regex(r"\A[0-9]{2}-?[0-9]{3}\Z")),
    "locality": PLAIN,
    "capabilities": st.lists(st.sampled_from(SLUGS), max_size=3, unique=True).map(";".join),
    "contact_name": st.one_of(st.just(""), NAME),
    "contact_email": st.sampled_from(["", "anna@example.pl"]),
    "contact_phone": st.sampled_from(["", "+48 81 555 00 00", "12345"]),
}
EDGE: dict[str, st.SearchStrategy[str]] = {
    "kind": _vocabulary([k.value for k in OrganisationKind]),
    "legal_name": near(_ORG["legal_name"]),
    "short_name": near(_ORG["short_name"]),
    "nip": _nips(),
    "regon": _regons(),
    "krs": st.text(st.sampled_from("0123456789 a"), max_size=12),
    "website": st.sampled_from(["example", "not a site", "https://" + "a" * 300 + ".pl"]),
    "description_pl": near(_ORG["description_pl"]),
    "description_en": st.text(CHARS, max_size=6),
    "capacity_notes": near(_ORG["capacity_notes"]),
    "founded_year": _number(_ORG["founded_year"]),
    "employees": _number(_ORG["employees"]),
    "supply_tier": _vocabulary([t.value for t in SupplyTier]),
    "membership_status": _vocabulary([m.value for m in MembershipStatus]),
    "member_since": st.sampled_from(["2018-02-30", "2018-2-3", "2018-02-15T00:00", "0000-01-01"]),
    "visibility": _vocabulary([v.value for v in Visibility]),
    "pkd": _pkd_cells(),
    "teryt": st.sampled_from(["0663019", "66301", ""]),
    "street": near(_SITE["street"]),
    "postal_code": st.text(max_size=7),
    "locality": near(_SITE["locality"]),
    "capabilities": st.sampled_from(["teleportation", "cnc-milling;teleportation", ";"]),
    "contact_name": near(_PERSON["full_name"]),
    "contact_email": _email(),
    "contact_phone": st.sampled_from(["1234", "tel. 5", "+48 (81) 555-00-00", "9" * 41]),
}


@st.composite
def rows(draw: st.DrawFn) -> dict[str, str]:
    """A careful user's row with up to three cells near or past the rules."""
    edged = draw(st.sets(st.sampled_from(COLUMNS), max_size=3))
    return {c: draw(EDGE[c] if c in edged else VALID[c]) for c in COLUMNS}


_TYPED = ("founded_year", "employees", "member_since", "nip", "regon", "krs", "website")
_VOCABULARY = ("kind", "supply_tier", "membership_status", "visibility")
_TEXT = ("legal_name", "short_name", "description_pl", "description_en", "capacity_notes")


def schema_accepts(row: dict[str, str], lookups: ImportLookups) -> bool:
    """The same values through the pydantic schema and the service's reference checks.

    An empty cell is a value not given; texts go in as written (the schema strips them); a
    contact whose cells are all blank is no contact.
    """
    if not (row["nip"].strip() or row["regon"].strip()) or not row["teryt"]:
        return False  # the import format's own rules: an identifier and a municipality
    if any(controls.forbidden_character(v, multiline=c in MULTILINE) for c, v in row.items()):
        return False  # the schemas' rule, for blank cells too
    data: dict[str, Any] = {c: row[c] for c in (*_TEXT, *_VOCABULARY, *_TYPED) if row[c]}
    if "website" in data and not data["website"].startswith(("http://", "https://")):
        data["website"] = "https://" + data["website"]
    postal = row["postal_code"]
    if re.fullmatch(r"\d{5}", postal):
        postal = f"{postal[:2]}-{postal[2:]}"  # the format's spelling without the dash
    site = {"teryt": row["teryt"], "is_headquarters": True, "postal_code": postal}
    site.update({c: row[c] for c in ("street", "locality") if row[c]})
    data["sites"] = [site]
    codes = [item.partition("@") for item in row["pkd"].split(";") if item]
    data["pkd_codes"] = [{"code": c, "version": int(v or 2025)} for c, _, v in codes]
    if any(row[c].strip() for c in ("contact_name", "contact_email", "contact_phone")):
        person = {"full_name": row["contact_name"]}
        person.update({k: row[f"contact_{k}"] for k in ("email", "phone") if row[f"contact_{k}"]})
        data["people"] = [person]
    try:
        OrganisationCreate.model_validate(data)
    except ValidationError:
        return False
    return (
        row["teryt"] in lookups.municipalities
        and all(lookups.source.pkd_section(p["version"], p["code"]) for p in data["pkd_codes"])
        and all(slug in lookups.terms for slug in row["capabilities"].split(";") if slug)
    )


@pytest.fixture
def lookups(session: Session) -> ImportLookups:
    return ImportLookups.load(session)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(row=rows())
def test_fast_validator_and_schema_accept_the_same_rows(lookups, row):
    valid, errors = RowValidator(lookups).validate(RawRow(2, row))
    assert (valid is not None) == schema_accepts(row, lookups), errors


def test_the_generated_rows_reach_both_answers(lookups):
    """Guards the property above against a generator that only makes rejected rows."""
    good = {
        **dict.fromkeys(COLUMNS, ""),
        "kind": "company",
        "legal_name": "Zakład Testowy sp. z o.o.",
        "nip": nip_at(526_025_099),
        "teryt": TERYT[0],
        "pkd": PKD_2025[0],
    }
    row = dict(good)
    assert schema_accepts(row, lookups)
    assert RowValidator(lookups).validate(RawRow(2, row))[0] is not None
    bad = {**row, "legal_name": "x" * 301}
    assert not schema_accepts(bad, lookups)
    assert RowValidator(lookups).validate(RawRow(2, bad))[0] is None


def test_every_imported_column_has_a_checker():
    """A new column of the file format cannot be read without a rule."""
    from upland.organisations.imports.validate import address_checks, profile_checks

    by_reference = {"pkd", "teryt", "capabilities"}
    contact = {"contact_name", "contact_email", "contact_phone"}
    checked = {c for c, _ in (*profile_checks(), *address_checks())}
    assert checked | by_reference | contact == set(COLUMNS)
