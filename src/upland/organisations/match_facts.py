"""What matching's structured stage reads of organisations: plain facts, no people.

Kind, headquarters, PKD codes, capability slugs and certificates split by validity on a day.
Whether the reader may see an organisation is the reading area's rule (`visible_to`), not this.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.organisations.models import Organisation, OrganisationCapability, OrganisationPkd
from upland.reference import queries as reference

CERTIFICATION = "certification"


@dataclass
class OrganisationFacts:
    id: int
    kind: str
    teryt: str | None
    pkd: set[str] = field(default_factory=set)
    capabilities: set[str] = field(default_factory=set)
    certifications: set[str] = field(default_factory=set)
    expired_certifications: set[str] = field(default_factory=set)
    not_suggested: bool = False


def list_match_facts(
    session: Session, ids: Iterable[int], today: dt.date
) -> dict[int, OrganisationFacts]:
    """The facts of these organisations by id (unknown ids left out); a certificate is valid
    on `today` when its dates (if any) include it."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = {
        r.id: OrganisationFacts(r.id, r.kind, r.teryt, not_suggested=r.not_suggested)
        for r in session.execute(
            select(
                Organisation.id, Organisation.kind, Organisation.teryt, Organisation.not_suggested
            ).where(Organisation.id.in_(wanted))
        )
    }
    for org_id, code in session.execute(
        select(OrganisationPkd.organisation_id, OrganisationPkd.code).where(
            OrganisationPkd.organisation_id.in_(wanted), OrganisationPkd.version == 2025
        )
    ):
        found[org_id].pkd.add(code)
    rows = session.execute(
        select(
            OrganisationCapability.organisation_id,
            OrganisationCapability.kind,
            OrganisationCapability.term_id,
            OrganisationCapability.valid_from,
            OrganisationCapability.valid_until,
        ).where(
            OrganisationCapability.organisation_id.in_(wanted),
            OrganisationCapability.term_id.is_not(None),
        )
    ).all()
    slugs = reference.term_slugs(session, (r.term_id for r in rows))
    held: dict[int, set[str]] = defaultdict(set)
    for r in rows:
        slug = slugs.get(r.term_id)
        facts = found.get(r.organisation_id)
        if slug is None or facts is None:
            continue
        if r.kind != CERTIFICATION:
            facts.capabilities.add(slug)
        elif (r.valid_from is None or r.valid_from <= today) and (
            r.valid_until is None or r.valid_until >= today
        ):
            held[r.organisation_id].add(slug)
            facts.certifications.add(slug)
        elif r.valid_until is not None and r.valid_until < today:
            facts.expired_certifications.add(slug)
        # one not valid yet is neither held nor expired: it is missing
    for org_id, slugs_held in held.items():
        found[org_id].expired_certifications -= slugs_held  # a renewed one is held
    return found


def not_suggested_ids(session: Session, ids: Iterable[int]) -> set[int]:
    """Those of `ids` that opted out of being suggested as partners."""
    wanted = sorted(set(ids))
    found: set[int] = set()
    for start in range(0, len(wanted), 1000):
        stmt = select(Organisation.id).where(
            Organisation.id.in_(wanted[start : start + 1000]), Organisation.not_suggested
        )
        found.update(session.scalars(stmt))
    return found


def list_names(session: Session) -> list[tuple[int, str, str]]:
    """(id, short name, legal name) of every organisation: to tell which a need names."""
    rows = session.execute(
        select(Organisation.id, Organisation.short_name, Organisation.legal_name)
    )
    return [(r.id, r.short_name, r.legal_name) for r in rows]
