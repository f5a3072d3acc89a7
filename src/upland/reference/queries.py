"""Reads of reference data; other areas validate codes through these, never the tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from upland.errors import Invalid
from upland.i18n import Message
from upland.kept import Kept
from upland.reference.models import CapabilityTerm, Municipality, PkdCode, PkdCorrespondence
from upland.reference.municipalities import (
    municipalities_by_code,
    place_of,
    resolve_municipality,
    suggest_municipalities,
)
from upland.reference.pkd_advice import explain_unknown_pkd
from upland.reference.pkd_suggest import PkdAnalysis, PkdSuggester, PkdSuggestion
from upland.reference.signals import MunicipalitiesLoaded
from upland.reference.teryt import SELECTABLE_KINDS
from upland.reference.teryt_names import MunicipalityIndex
from upland.settings import get_settings
from upland.textkit.e5_small import get_e5_embedder
from upland.textkit.embedding import get_embedder

__all__ = ["municipalities_by_code", "resolve_municipality", "suggest_municipalities"]


def get_municipality(session: Session, teryt: str) -> Municipality | None:
    return session.get(Municipality, teryt)


def find_municipality(session: Session, name_or_teryt: str) -> Municipality | None:
    """The municipality a TERYT code, a name or a qualified name ("Lubin (gmina wiejska)")
    names unambiguously; None otherwise (`resolve_municipality` says why)."""
    teryt, _problem = resolve_municipality(session, name_or_teryt)
    return session.get(Municipality, teryt) if teryt else None


def check_municipality(session: Session, teryt: str, field: str = "teryt") -> Municipality:
    """The municipality a new site or officer is placed in; Invalid if it is unknown, a part
    of a municipality or no longer in the register."""
    found, problem = resolve_municipality(session, teryt)
    if found is None or problem is not None:
        raise Invalid.one(field, problem or "unknown municipality", code="municipality.unknown")
    municipality = session.get(Municipality, found)
    assert municipality is not None
    return municipality


def _every_name(session: Session) -> dict[str, str]:
    rows = session.execute(select(Municipality.teryt, Municipality.name))
    return {teryt: name for teryt, name in rows}


# Every page of the registry names its organisations' municipalities: the register (a few
# thousand short rows) is kept per database and dropped when it is reloaded.
_names = Kept(_every_name, forget_on=(MunicipalitiesLoaded,))


def municipality_names(session: Session, codes: Iterable[str | None]) -> dict[str, str]:
    """TERYT code → name of the units `codes` name (parts and retired ones too: old records
    point at them)."""
    wanted = {c for c in codes if c}
    if not wanted:
        return {}
    names = _names.get(session)
    return {code: names[code] for code in wanted if code in names}


def unit_names(session: Session, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """TERYT code → (kind, name) of the units `codes` name: a municipality's 7 digits
    ("municipality", "Radom"), a county's 4 ("county", "starachowicki"; a city with county
    rights is its city: "municipality", "Lublin") and a voivodeship's 2 ("voivodeship",
    "lubelskie"): what a page says instead of the bare code."""
    wanted = {c for c in codes if c}
    found = {
        code: ("municipality", name)
        for code, name in municipality_names(session, [c for c in wanted if len(c) == 7]).items()
    }
    prefixes = sorted(c for c in wanted if len(c) in (2, 4))
    if not prefixes:
        return found
    rows = session.execute(
        select(Municipality.county_teryt, Municipality.county_name, Municipality.voivodeship)
        .where(
            or_(
                Municipality.county_teryt.in_([c for c in prefixes if len(c) == 4]),
                Municipality.voivodeship_teryt.in_([c for c in prefixes if len(c) == 2]),
            )
        )
        .distinct()
    ).all()
    for county, county_name, voivodeship in rows:
        if county in wanted and county_name:
            city = county[2:] >= CITY_COUNTIES  # "0663": Lublin, a city with county rights
            found[county] = ("municipality" if city else "county", county_name)
        if county[:2] in wanted and voivodeship:
            found[county[:2]] = ("voivodeship", voivodeship)
    return found


CITY_COUNTIES = "61"  # TERYT numbers cities with county rights from 61


def list_municipalities(session: Session, partners_only: bool = False) -> list[Municipality]:
    """Municipalities one may choose (no parts, none retired), partners first."""
    stmt = (
        select(Municipality)
        .where(Municipality.kind.in_(SELECTABLE_KINDS), Municipality.is_current)
        .order_by(Municipality.is_partner.desc(), Municipality.name, Municipality.teryt)
    )
    if partners_only:
        stmt = stmt.where(Municipality.is_partner.is_(True))
    return list(session.scalars(stmt))


def choice_counts(session: Session) -> tuple[int, int]:
    """How many active capability terms and selectable municipalities there are: a cheap sign
    that what `list_capability_terms` and `list_municipalities` return has changed."""
    terms = select(func.count()).select_from(CapabilityTerm).where(CapabilityTerm.is_active)
    towns = (
        select(func.count())
        .select_from(Municipality)
        .where(Municipality.kind.in_(SELECTABLE_KINDS), Municipality.is_current)
    )
    return session.scalar(terms) or 0, session.scalar(towns) or 0


def known_units(session: Session, codes: Iterable[str]) -> set[str]:
    """Those of `codes` (a municipality's 7 digits, a county's 4, a voivodeship's 2) that some
    municipality one may choose lies in: one query of codes, no rows built."""
    wanted = sorted(set(codes))
    if not wanted:
        return set()
    found = session.scalars(
        select(Municipality.teryt).where(
            Municipality.kind.in_(SELECTABLE_KINDS),
            Municipality.is_current,
            or_(*(Municipality.teryt.startswith(code, autoescape=True) for code in wanted)),
        )
    ).all()
    return {code for code in wanted if any(t.startswith(code) for t in found)}


@dataclass(frozen=True)
class MunicipalityChoice:
    """A municipality offered in a choice list: its code, its name, whether it is a partner."""

    teryt: str
    name: str
    is_partner: bool


def municipality_choices(session: Session, codes: Iterable[str]) -> list[MunicipalityChoice]:
    """The partner municipalities and those of `codes` one may choose (no parts, none
    retired), partners first, then by name: a filter's choices. Plain rows, and names read
    only for these codes, since the register holds thousands."""
    wanted = sorted(set(codes))
    stmt = (
        select(Municipality.teryt, Municipality.name, Municipality.is_partner)
        .where(Municipality.kind.in_(SELECTABLE_KINDS), Municipality.is_current)
        .order_by(Municipality.is_partner.desc(), Municipality.name, Municipality.teryt)
    )
    partners = Municipality.is_partner.is_(True)
    stmt = stmt.where(or_(partners, Municipality.teryt.in_(wanted)) if wanted else partners)
    return [MunicipalityChoice(*row) for row in session.execute(stmt)]


def find_pkd_section(session: Session, version: int, code: str) -> str | None:
    """Section of a code acceptable on a profile (see resolve_pkd), one or two queries."""
    sections = {
        (row.version, row.code): row.section
        for row in session.scalars(
            select(PkdCode).where(PkdCode.version == version, PkdCode.code.in_([code, code[:4]]))
        )
    }
    return resolve_pkd(sections, version, code)


def get_pkd(session: Session, version: int, code: str) -> PkdCode | None:
    return session.scalars(
        select(PkdCode).where(PkdCode.version == version, PkdCode.code == code)
    ).first()


def list_pkd(session: Session, version: int, level: int | None = None) -> list[PkdCode]:
    stmt = select(PkdCode).where(PkdCode.version == version).order_by(PkdCode.id)
    if level is not None:
        stmt = stmt.where(PkdCode.level == level)
    return list(session.scalars(stmt))


def count_pkd(session: Session, version: int) -> int:
    return session.scalar(select(func.count()).where(PkdCode.version == version)) or 0


def list_missing_reference_data(session: Session) -> list[str]:
    """Which shipped reference tables are still empty (a database the app cannot work on)."""
    checks = {
        "municipalities": select(Municipality.teryt).limit(1),
        "capability vocabulary": select(CapabilityTerm.id).limit(1),
        "PKD 2007": select(PkdCode.id).where(PkdCode.version == 2007).limit(1),
        "PKD 2025": select(PkdCode.id).where(PkdCode.version == 2025, PkdCode.level == 5).limit(1),
    }
    return [name for name, query in checks.items() if session.scalar(query) is None]


def list_pkd_2025_for(session: Session, code_2007: str) -> list[str]:
    stmt = select(PkdCorrespondence.code_2025).where(PkdCorrespondence.code_2007 == code_2007)
    return list(session.scalars(stmt))


def pkd_key(session: Session) -> dict[str, tuple[str, ...]]:
    """The official PKD 2007 -> 2025 key: each 2007 code and the 2025 codes it maps to."""
    key: dict[str, list[str]] = {}
    for code_2007, code_2025 in session.execute(
        select(PkdCorrespondence.code_2007, PkdCorrespondence.code_2025)
    ):
        key.setdefault(code_2007, []).append(code_2025)
    return {code: tuple(codes) for code, codes in key.items()}


def explain_pkd(session: Session, version: int, code: str) -> Message | None:
    """Why `code` is refused in `version` when it belongs to the other PKD (see pkd_advice);
    reads the whole classification, so call it only for a code already refused."""
    return explain_unknown_pkd(version, code, pkd_sections(session), pkd_key(session))


def list_capability_terms(session: Session, kind: str | None = None) -> list[CapabilityTerm]:
    stmt = select(CapabilityTerm).where(CapabilityTerm.is_active.is_(True))
    if kind:
        stmt = stmt.where(CapabilityTerm.kind == kind)
    return list(session.scalars(stmt.order_by(CapabilityTerm.kind, CapabilityTerm.name_en)))


def term_kinds(session: Session, term_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(slug, kind) of these (active) capability terms, by id."""
    ids = sorted(set(term_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(CapabilityTerm.id, CapabilityTerm.slug, CapabilityTerm.kind).where(
            CapabilityTerm.id.in_(ids), CapabilityTerm.is_active.is_(True)
        )
    )
    return {term_id: (slug, kind) for term_id, slug, kind in rows}


def term_slugs(session: Session, term_ids: Iterable[int]) -> dict[int, str]:
    """The slugs of these (active) capability terms, by id."""
    ids = sorted(set(term_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(CapabilityTerm.id, CapabilityTerm.slug).where(
            CapabilityTerm.id.in_(ids), CapabilityTerm.is_active.is_(True)
        )
    )
    return {term_id: slug for term_id, slug in rows}


@dataclass(frozen=True)
class TermChoice:
    """An active capability term offered in a choice list (a filter): no ORM object."""

    slug: str
    kind: str
    name_pl: str
    name_en: str


def capability_term_choices(session: Session) -> list[TermChoice]:
    """The active terms in `list_capability_terms`' order, as plain rows: the list page's
    filters show every term on every request, and loading them as entities cost more than
    the page's own query (`upland bench web`)."""
    columns = (CapabilityTerm.slug, CapabilityTerm.kind, CapabilityTerm.name_pl)
    stmt = (
        select(*columns, CapabilityTerm.name_en)
        .where(CapabilityTerm.is_active.is_(True))
        .order_by(CapabilityTerm.kind, CapabilityTerm.name_en)
    )
    return [TermChoice(*row) for row in session.execute(stmt)]


def get_capability_term(session: Session, slug: str) -> CapabilityTerm | None:
    return session.scalars(select(CapabilityTerm).where(CapabilityTerm.slug == slug)).first()


SUBCLASS = re.compile(r"^\d{2}\.\d{2}\.[A-Z]$")
CLASS = re.compile(r"^\d{2}\.\d{2}$")


def resolve_pkd(sections: dict[tuple[int, str], str], version: int, code: str) -> str | None:
    """The section of a class or subclass code usable on a profile, or None if it is unknown.

    The official GUS key holds PKD 2007 only down to groups, so a well-formed PKD 2007 class or
    subclass is accepted when its group exists; PKD 2025 codes must exist exactly.
    """
    if not (SUBCLASS.match(code) or CLASS.match(code)):
        return None
    section = sections.get((version, code))
    if section is None and version == 2007:
        section = sections.get((2007, code[:4]))
    return section


def pkd_sections(session: Session) -> dict[tuple[int, str], str]:
    rows = session.execute(select(PkdCode.version, PkdCode.code, PkdCode.section))
    return {(version, code): section for version, code, section in rows}


@dataclass(frozen=True)
class Lookups:
    """Everything a bulk validator needs in memory, loaded with three queries."""

    pkd_sections: dict[tuple[int, str], str]
    municipalities: dict[str, Municipality]
    municipality_index: MunicipalityIndex
    terms: dict[str, CapabilityTerm]
    pkd_key: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def pkd_section(self, version: int, code: str) -> str | None:
        return resolve_pkd(self.pkd_sections, version, code)

    def explain_pkd(self, version: int, code: str) -> Message | None:
        """As `explain_pkd`, from memory."""
        return explain_unknown_pkd(version, code, self.pkd_sections, self.pkd_key)


def load_lookups(session: Session) -> Lookups:
    municipalities = {m.teryt: m for m in session.scalars(select(Municipality))}
    index = MunicipalityIndex(place_of(m) for m in municipalities.values())
    terms = {t.slug: t for t in session.scalars(select(CapabilityTerm))}
    return Lookups(pkd_sections(session), municipalities, index, terms, pkd_key(session))


_suggesters: dict[tuple[int, int], PkdSuggester] = {}


def suggest_pkd(session: Session, description: str, limit: int = 10) -> list[PkdSuggestion]:
    """PKD 2025 subclasses for a free-text activity description (Polish or English)."""
    return _suggester(session).suggest(description, limit=limit)


def analyse_pkd(session: Session, description: str, limit: int = 10) -> PkdAnalysis:
    """As `suggest_pkd`, with each activity of the description, confidence and advice."""
    return _suggester(session).analyse(description, limit=limit)


def _suggester(session: Session) -> PkdSuggester:
    """The suggester is built from the classification in the database, once per process and
    per classification load; its embedded catalogue is cached under var/cache across restarts.
    """
    version_key = session.execute(
        select(func.count(PkdCode.id), func.coalesce(func.max(PkdCode.id), 0)).where(
            PkdCode.version == 2025
        )
    ).one()
    key = (int(version_key[0]), int(version_key[1]))
    suggester = _suggesters.get(key)
    if suggester is None:
        entries = list_pkd(session, 2025)
        suggester = PkdSuggester(
            entries, get_embedder(), dense=get_e5_embedder(), cache_dir=get_settings().cache_dir
        )
        _suggesters.clear()
        _suggesters[key] = suggester
    return suggester


def term_names(session: Session, term_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(Polish, English) names of these capability terms, by id (inactive ones too: a record
    still carries them)."""
    ids = sorted(set(term_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(CapabilityTerm.id, CapabilityTerm.name_pl, CapabilityTerm.name_en).where(
            CapabilityTerm.id.in_(ids)
        )
    )
    return {row.id: (row.name_pl, row.name_en) for row in rows}


def pkd_names(
    session: Session, codes: Iterable[tuple[int, str]]
) -> dict[tuple[int, str], tuple[str, str]]:
    """(Polish, English) names of these (version, code) PKD entries."""
    wanted = set(codes)
    found: dict[tuple[int, str], tuple[str, str]] = {}
    for version in sorted({v for v, _ in wanted}):
        names = sorted(code for v, code in wanted if v == version)
        rows = session.execute(
            select(PkdCode.code, PkdCode.name_pl, PkdCode.name_en).where(
                PkdCode.version == version, PkdCode.code.in_(names)
            )
        )
        found.update({(version, r.code): (r.name_pl, r.name_en or "") for r in rows})
    return found
