"""Writes of the municipality register: the shipped copy at seed time, a newer GUS file later.

Both go through `load_municipalities`, all-or-nothing inside the caller's transaction: a file
is read and checked whole (`teryt.read_terc`) before the first row is written. Units a newer
file no longer lists (merged or abolished municipalities) stay, since sites and officers may
point at them, but are no longer current: nobody chooses them again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.permissions import require
from upland.reference.models import Municipality
from upland.reference.signals import MunicipalitiesLoaded
from upland.reference.teryt import TercUnit, load_shipped
from upland.signals import publish
from upland.textkit.folding import fold

_FIELDS = (
    "name",
    "kind",
    "county_teryt",
    "county_name",
    "voivodeship_teryt",
    "voivodeship",
    "nuts2",
)


def load_municipalities(
    session: Session, actor: Actor, units: Sequence[TercUnit], source: str = "shipped"
) -> dict[str, int]:
    """Insert or update every unit by TERYT code; a population already known is kept when the
    file has none (TERC never has)."""
    require(actor, "reference.manage")
    existing = {m.teryt: m for m in session.scalars(select(Municipality))}
    created = updated = 0
    for unit in units:
        values = {field: getattr(unit, field) for field in _FIELDS}
        values["search_name"] = fold(unit.name)
        row = existing.get(unit.teryt)
        if row is None:
            session.add(Municipality(teryt=unit.teryt, population=unit.population, **values))
            created += 1
            continue
        if unit.population is not None:
            values["population"] = unit.population
        values["is_current"] = True
        if any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            updated += 1
    listed = {u.teryt for u in units}
    retired = [t for t, m in existing.items() if t not in listed and m.is_current]
    for teryt in retired:
        existing[teryt].is_current = False
    session.flush()
    audit.record(
        session,
        actor,
        "reference.teryt.load",
        "municipality",
        None,
        summary=f"{source}: {created} created, {updated} updated, {len(retired)} retired",
    )
    publish(session, MunicipalitiesLoaded())
    return {
        "municipalities_created": created,
        "municipalities_updated": updated,
        "municipalities_retired": len(retired),
    }


def seed_municipalities(session: Session, actor: Actor) -> dict[str, int]:
    """Load the shipped register unless the database holds one as complete already (a fresh
    database, or one of the 15 municipalities Upland shipped before it knew them all)."""
    loaded = session.scalar(
        select(func.count()).select_from(Municipality).where(Municipality.county_name != "")
    )
    shipped = load_shipped()
    if (loaded or 0) >= len(shipped):
        return {}
    counts = load_municipalities(session, actor, shipped)
    return {"municipalities": counts["municipalities_created"] + counts["municipalities_updated"]}


def mark_partners(session: Session, partners: Sequence[str]) -> list[str]:
    """Flag the deployment's partner cities; returns the codes that are not municipalities."""
    known = set(
        session.scalars(
            select(Municipality.teryt).where(
                Municipality.teryt.in_(partners), Municipality.kind.in_(("1", "2", "3"))
            )
        )
    )
    session.execute(update(Municipality).values(is_partner=Municipality.teryt.in_(partners)))
    return sorted(set(partners) - known)


def unknown_area_units(session: Session, areas: Mapping[str, Sequence[str]]) -> list[str]:
    """Units of the partner areas that hold no municipality of the register (a mistyped
    county code would otherwise silently shrink an officer's scope)."""
    units = sorted({u for area in areas.values() for u in area})
    return [
        unit
        for unit in units
        if session.scalar(select(Municipality.teryt).where(Municipality.teryt.startswith(unit)))
        is None
    ]
