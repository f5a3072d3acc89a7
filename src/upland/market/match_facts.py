"""What matching's structured stage reads of opportunities: plain facts, never contact data.

Kind, TRL, PKD codes and the vocabulary terms offered or required (capabilities and
certificates apart), with the owner's id and whether the owner is anonymous: the reading
area must not use an anonymous owner's facts where the reader could learn who it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.market.models import Opportunity, OpportunityCapability, OpportunityPkd
from upland.reference import queries as reference

CERTIFICATION = "certification"
REQUIRED = "required"


@dataclass
class OpportunityFacts:
    id: int
    kind: str
    owner_id: int
    anonymous: bool
    trl: int | None
    pkd: set[str] = field(default_factory=set)
    offered: set[str] = field(default_factory=set)
    required: set[str] = field(default_factory=set)
    certifications_offered: set[str] = field(default_factory=set)
    certifications_required: set[str] = field(default_factory=set)


def list_match_facts(session: Session, ids: Iterable[int]) -> dict[int, OpportunityFacts]:
    """The facts of these opportunities by id (unknown ids left out)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    found = {
        r.id: OpportunityFacts(r.id, r.kind, r.owner_id, r.anonymous, r.trl)
        for r in session.execute(
            select(
                Opportunity.id,
                Opportunity.kind,
                Opportunity.owner_id,
                Opportunity.anonymous,
                Opportunity.trl,
            ).where(Opportunity.id.in_(wanted))
        )
    }
    for opp_id, code in session.execute(
        select(OpportunityPkd.opportunity_id, OpportunityPkd.code).where(
            OpportunityPkd.opportunity_id.in_(wanted)
        )
    ):
        found[opp_id].pkd.add(code)
    rows = session.execute(
        select(
            OpportunityCapability.opportunity_id,
            OpportunityCapability.term_id,
            OpportunityCapability.role,
        ).where(OpportunityCapability.opportunity_id.in_(wanted))
    ).all()
    terms = reference.term_kinds(session, (r.term_id for r in rows))
    for opp_id, term_id, role in rows:
        if term_id not in terms:
            continue
        slug, kind = terms[term_id]
        facts = found[opp_id]
        if kind == CERTIFICATION:
            (
                facts.certifications_required if role == REQUIRED else facts.certifications_offered
            ).add(slug)
        else:
            (facts.required if role == REQUIRED else facts.offered).add(slug)
    return found
