"""What matching's structured stage reads of opportunities: plain facts, never contact data.

Kind, TRL, PKD codes and the vocabulary terms offered or required (capabilities and
certificates apart), with the owner's id and whether the owner is anonymous: the reading
area must not use an anonymous owner's facts where the reader could learn who it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from upland.market.interests.models import Introduction, OutcomeReport
from upland.market.interests.vocab import OutcomeKind
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
    status: str = "published"
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
        r.id: OpportunityFacts(r.id, r.kind, r.owner_id, r.anonymous, r.trl, r.status)
        for r in session.execute(
            select(
                Opportunity.id,
                Opportunity.kind,
                Opportunity.owner_id,
                Opportunity.anonymous,
                Opportunity.trl,
                Opportunity.status,
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


@dataclass
class Evidence:
    """What the marketplace recorded between the asker's organisations and others: for each
    partner organisation and each opportunity, introductions plus outcomes that went ahead
    (a meeting held, an agreement signed; not an abandoned one)."""

    organisations: Counter[int] = field(default_factory=Counter)
    opportunities: Counter[int] = field(default_factory=Counter)


def evidence_for(session: Session, org_ids: Iterable[int]) -> Evidence:
    """The introductions and positive outcomes of these organisations, by the other side."""
    own = sorted(set(org_ids))
    found = Evidence()
    if not own:
        return found
    positive = (OutcomeKind.MEETING_HELD, OutcomeKind.AGREEMENT_SIGNED)
    outcomes = (
        select(func.count(OutcomeReport.id))
        .where(OutcomeReport.introduction_id == Introduction.id, OutcomeReport.kind.in_(positive))
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Introduction.owner_id, Introduction.interested_id, Introduction.opportunity_id, outcomes
        ).where(or_(Introduction.owner_id.in_(own), Introduction.interested_id.in_(own)))
    )
    for owner, interested, opportunity, went_ahead in rows:
        weight = 1 + (went_ahead or 0)
        other = interested if owner in own else owner
        found.organisations[other] += weight
        found.opportunities[opportunity] += weight
    return found


def named_ids_of_owners(
    session: Session, owner_ids: Iterable[int], statuses: Iterable[str]
) -> list[int]:
    """The opportunities of these owners in these statuses that name their owner (anonymous
    ones left out: to be found because the owner was named would tell whose they are)."""
    wanted = sorted(set(owner_ids))
    if not wanted:
        return []
    return list(
        session.scalars(
            select(Opportunity.id)
            .where(Opportunity.owner_id.in_(wanted))
            .where(Opportunity.status.in_(sorted(statuses)))
            .where(Opportunity.anonymous.is_(False))
            .order_by(Opportunity.id)
        )
    )
