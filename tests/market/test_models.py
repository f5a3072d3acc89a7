"""The marketplace's tables: children go with their opportunity, opportunities with their owner."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.market.models import (
    Attachment,
    Opportunity,
    OpportunityNamed,
    OpportunityPkd,
    OpportunityPlace,
)
from upland.organisations import service as organisation_service


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_children_and_opportunities_go_with_their_owner(session: Session):
    owner = factories.organisation(session)
    other = factories.organisation(session)
    opportunity = Opportunity(kind="business_offer", owner_id=owner.id, title_pl="Tytuł")
    opportunity.pkd_codes = [OpportunityPkd(version=2025, code="25.62.Z", section="C")]
    opportunity.places = [OpportunityPlace(teryt="06")]
    opportunity.named = [OpportunityNamed(organisation_id=other.id)]
    opportunity.attachments = [
        Attachment(key="0" * 32, name="a.pdf", content_type="application/pdf", size=10)
    ]
    session.add(opportunity)
    session.flush()
    assert opportunity.named_ids == {other.id}
    assert opportunity.partnership_types == []

    organisation_service.delete_organisation(session, SYSTEM, owner.id)
    session.expire_all()
    for model in (Opportunity, OpportunityPkd, OpportunityPlace, OpportunityNamed, Attachment):
        assert _count(session, model) == 0, model.__name__
