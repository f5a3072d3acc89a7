"""Reads of the municipality register: resolve what a user typed, suggest as they type.

Other areas go through these (or `queries`), never the table. Folded names (`search_name`)
make both diacritics-insensitive on SQLite and PostgreSQL alike: "lodz" finds Łódź.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, false, func, or_, select
from sqlalchemy.orm import Session

from upland.i18n import Message
from upland.reference.models import Municipality
from upland.reference.teryt import SELECTABLE_KINDS
from upland.reference.teryt_names import QUALIFIED, MunicipalityIndex, Place
from upland.settings import get_settings
from upland.textkit.folding import fold

SUGGESTION_LIMIT = 12


def place_of(m: Municipality) -> Place:
    return Place(
        teryt=m.teryt,
        name=m.name,
        kind=m.kind,
        county_name=m.county_name,
        voivodeship=m.voivodeship,
        is_current=m.is_current,
        search_name=m.search_name,
    )


def load_index(session: Session) -> MunicipalityIndex:
    """Every unit, for resolving many names at once (the bulk import)."""
    columns = (
        Municipality.teryt,
        Municipality.name,
        Municipality.kind,
        Municipality.county_name,
        Municipality.voivodeship,
        Municipality.is_current,
        Municipality.search_name,
    )
    return MunicipalityIndex(Place(*row) for row in session.execute(select(*columns)))


def resolve_municipality(session: Session, text: str) -> tuple[str | None, Message | None]:
    """The TERYT code `text` names (a code, a name, a qualified name), or None and why not;
    reads only the rows of that name or code (and the municipality a part belongs to)."""
    value = text.strip()
    match = QUALIFIED.match(value)
    keys = {fold(value), fold(match["name"])} if match else {fold(value)}
    rows = list(
        session.scalars(
            select(Municipality).where(
                or_(Municipality.search_name.in_(sorted(keys)), Municipality.teryt == value)
            )
        )
    )
    parents = {m.teryt[:4] for m in rows if m.kind not in SELECTABLE_KINDS}
    if parents:
        rows += session.scalars(
            select(Municipality).where(
                Municipality.kind.in_(("1", "3")),
                or_(*(Municipality.teryt.startswith(county) for county in parents)),
            )
        )
    return MunicipalityIndex(place_of(m) for m in rows).resolve(value)


def in_partner_area() -> ColumnElement[bool]:
    """SQL: the municipality lies in one of the configured partner areas."""
    units = sorted({u for area in get_settings().partner_areas.values() for u in area})
    if not units:
        return false()
    return or_(*(Municipality.teryt.startswith(u) for u in units))


@dataclass(frozen=True)
class Suggestion:
    """One municipality offered as the user types; `shared` when others have its name."""

    municipality: Municipality
    shared: bool
    in_partner_area: bool


def suggest_municipalities(
    session: Session, text: str, limit: int = SUGGESTION_LIMIT
) -> list[Suggestion]:
    """Municipalities whose name (or a word of it) starts with `text`, or whose TERYT code
    does; partner-area ones first, then exact names, then alphabetically."""
    value = text.strip()
    key = fold(value)
    if not key:
        return []
    starts: ColumnElement[bool]
    if key.isdigit():
        starts = match = Municipality.teryt.startswith(key)
    else:
        pattern = key.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
        starts = Municipality.search_name.like(f"{pattern}%", escape="\\")
        match = or_(starts, Municipality.search_name.like(f"% {pattern}%", escape="\\"))
    partner = in_partner_area()
    stmt = (
        select(Municipality, partner.label("in_area"))
        .where(match, Municipality.kind.in_(SELECTABLE_KINDS), Municipality.is_current)
        .order_by(
            case((partner, 0), else_=1),
            case((Municipality.search_name == key, 0), else_=1),
            case((starts, 0), else_=1),
            Municipality.search_name,
            Municipality.teryt,
        )
        .limit(limit)
    )
    found = [(m, bool(in_area)) for m, in_area in session.execute(stmt)]
    shared = _shared_names(session, {m.search_name for m, _ in found})
    return [Suggestion(m, m.search_name in shared, in_area) for m, in_area in found]


def _shared_names(session: Session, names: Collection[str]) -> set[str]:
    if not names:
        return set()
    stmt = (
        select(Municipality.search_name)
        .where(
            Municipality.search_name.in_(sorted(names)),
            Municipality.kind.in_(SELECTABLE_KINDS),
            Municipality.is_current,
        )
        .group_by(Municipality.search_name)
        .having(func.count() > 1)
    )
    return set(session.scalars(stmt))


def municipalities_by_code(session: Session, teryts: Collection[str]) -> dict[str, Municipality]:
    """The municipalities of these codes (a page's sites), without reading the whole register."""
    if not teryts:
        return {}
    stmt = select(Municipality).where(Municipality.teryt.in_(sorted(teryts)))
    return {m.teryt: m for m in session.scalars(stmt)}


def municipalities_in(session: Session, units: Sequence[str]) -> list[Municipality]:
    """The selectable municipalities of these TERYT units (a partner area, a county)."""
    if not units:
        return []
    stmt = (
        select(Municipality)
        .where(
            or_(*(Municipality.teryt.startswith(u) for u in units)),
            Municipality.kind.in_(SELECTABLE_KINDS),
        )
        .order_by(Municipality.teryt)
    )
    return list(session.scalars(stmt))
