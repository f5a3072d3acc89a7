"""Writes of reference data: shipped seeds, GUS classification loads, vocabulary terms."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from importlib import resources

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.errors import Conflict, Invalid
from upland.permissions import require
from upland.reference.models import CapabilityTerm, PkdCode, PkdCorrespondence
from upland.reference.pkd_codes import PkdCorrespondence as PkdPair
from upland.reference.pkd_codes import PkdEntry
from upland.reference.pkd_files import load_shipped, load_shipped_correspondence
from upland.reference.teryt_service import (
    mark_partners,
    seed_municipalities,
    unknown_area_units,
)
from upland.reference.vocabulary import fold
from upland.settings import get_settings


def _shipped_rows(name: str) -> list[dict[str, str]]:
    with resources.files("upland.data").joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def seed_reference(session: Session, actor: Actor, partners: Sequence[str]) -> dict[str, int]:
    """Load shipped municipalities and PKD where the tables are still empty, and the shipped
    vocabulary terms the table does not hold yet (by slug; terms added in the web UI stay)."""
    require(actor, "reference.manage")
    counts: dict[str, int] = {}
    counts.update(seed_municipalities(session, actor))
    set_partner_municipalities(session, actor, partners)
    areas = {k: v for k, v in get_settings().partner_areas.items() if k in partners}
    unknown = unknown_area_units(session, areas)
    if unknown:
        raise Invalid.one(
            "partner_areas",
            "partner areas name TERYT units that hold no municipality: {codes}",
            code="municipality.unknown",
            codes=", ".join(unknown),
        )
    known = set(session.scalars(select(CapabilityTerm.slug)))
    missing = [row for row in _shipped_rows("capabilities.csv") if row["slug"] not in known]
    if missing:  # a new release's shipped terms join an existing vocabulary too
        session.add_all(CapabilityTerm(**row) for row in missing)
        counts["capability_terms"] = len(missing)
    if session.scalar(select(PkdCode.id).limit(1)) is None:
        entries = [*load_shipped(2007), *load_shipped(2025)]
        counts.update(load_pkd(session, actor, entries, load_shipped_correspondence()))
    session.flush()
    return counts


def set_partner_municipalities(session: Session, actor: Actor, partners: Sequence[str]) -> None:
    """Mark the deployment's partner cities; unknown TERYT codes are a configuration error."""
    require(actor, "reference.manage")
    missing = mark_partners(session, partners)
    if missing:
        raise Invalid.one(
            "partner_municipalities",
            "unknown TERYT municipality codes: {codes}",
            code="municipality.unknown",
            codes=", ".join(missing),
        )


def load_pkd(
    session: Session,
    actor: Actor,
    entries: Iterable[PkdEntry],
    correspondence: Iterable[PkdPair] = (),
) -> dict[str, int]:
    """Insert or update classification entries (by version and code) and replace the key."""
    require(actor, "reference.manage")
    existing = {(c.version, c.code): c for c in session.scalars(select(PkdCode))}
    created = updated = 0
    for entry in entries:
        values = {
            "level": entry.level,
            "section": entry.section,
            "parent": entry.parent,
            "name_pl": entry.name_pl,
            "name_en": entry.name_en,
        }
        row = existing.get((entry.version, entry.code))
        if row is None:
            session.add(PkdCode(version=entry.version, code=entry.code, **values))
            created += 1
        elif any(getattr(row, k) != v and (k != "name_en" or v) for k, v in values.items()):
            for key, value in values.items():
                if key != "name_en" or value:
                    setattr(row, key, value)
            updated += 1
    pairs = sorted({(p.code_2007, p.code_2025) for p in correspondence})
    if pairs:
        session.execute(delete(PkdCorrespondence))
        session.add_all(PkdCorrespondence(code_2007=a, code_2025=b) for a, b in pairs)
    session.flush()
    audit.record(
        session,
        actor,
        "reference.pkd.load",
        "pkd_code",
        None,
        summary=f"{created} created, {updated} updated, {len(pairs)} correspondence pairs",
    )
    return {"pkd_created": created, "pkd_updated": updated, "pkd_correspondence": len(pairs)}


def add_capability_term(
    session: Session, actor: Actor, kind: str, slug: str, name_pl: str, name_en: str
) -> CapabilityTerm:
    """The coordinator extends the controlled vocabulary."""
    require(actor, "reference.manage")
    if session.scalars(select(CapabilityTerm).where(CapabilityTerm.slug == slug)).first():
        raise Conflict(
            "capability term {slug} exists already", code="capability_term.exists", slug=repr(slug)
        )
    names = {fold(name_pl), fold(name_en)}
    for other in session.scalars(select(CapabilityTerm)):
        if names & {fold(other.name_pl), fold(other.name_en)}:
            raise Conflict(
                "the term {slug} has this name already",
                code="capability_term.name_taken",
                slug=repr(other.slug),
            )
    term = CapabilityTerm(kind=kind, slug=slug, name_pl=name_pl, name_en=name_en)
    session.add(term)
    session.flush()
    audit.record(
        session, actor, "reference.term.add", "capability_term", term.id, after=audit.snapshot(term)
    )
    return term
