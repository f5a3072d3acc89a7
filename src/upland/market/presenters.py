"""What a reader is shown of an opportunity: whole or as a teaser (kind, sector, title), the
owner only where `permissions.may_see_owner` allows. Pages, the API and exports all read
through here, so none of them decides visibility on its own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.market import lifecycle
from upland.market.queries import Shown
from upland.market.schemas import (
    AttachmentRead,
    OpportunityCapabilityRead,
    OpportunityPkdRead,
    OpportunityRead,
    OpportunitySummary,
    OwnerRead,
)
from upland.market.service.core import review_enabled
from upland.market.vocab import Action
from upland.organisations import queries as organisations
from upland.permissions import allowed
from upland.reference import queries as reference

OWNER_ACTIONS = {
    Action.EDIT,
    Action.SUBMIT,
    Action.PUBLISH,
    Action.WITHDRAW,
    Action.FULFIL,
    Action.RENEW,
}
REVIEW_ACTIONS = {Action.APPROVE, Action.RETURN}


def owners_of(session: Session, items: Sequence[Shown]) -> dict[int, OwnerRead]:
    """The owners the reader may know, by organisation id."""
    ids = [s.opportunity.owner_id for s in items if s.owner_shown]
    return {
        f.id: OwnerRead(id=f.id, name=f.name, kind=f.kind)
        for f in organisations.owner_facts(session, ids).values()
    }


def summary(item: Shown, owners: dict[int, OwnerRead]) -> OpportunitySummary:
    o = item.opportunity
    sections = sorted({p.section for p in o.pkd_codes})
    base: dict[str, Any] = {
        "id": o.id,
        "kind": o.kind,
        "status": o.status,
        "title_pl": o.title_pl,
        "title_en": o.title_en,
        "sections": sections,
        "teaser": not item.whole,
        "owner": owners.get(o.owner_id) if item.owner_shown else None,
        "anonymous": o.anonymous,
    }
    if not item.whole:
        return OpportunitySummary(**base)
    return OpportunitySummary(
        **base,
        trl=o.trl,
        deadline=o.deadline,
        expires_on=o.expires_on,
        published_at=o.published_at,
        places=[p.teryt for p in o.places],
    )


def actions_for(actor: Actor, item: Shown) -> list[str]:
    """What the reader may do to the opportunity now: the table's steps the reader holds."""
    o = item.opportunity
    if not item.whole:
        return []
    may_edit = allowed(actor, "market.opportunity.edit", o)
    may_review = allowed(actor, "market.opportunity.review", o)
    found = []
    for action in lifecycle.actions_from(o.status, review=review_enabled()):
        if (action in OWNER_ACTIONS and may_edit) or (action in REVIEW_ACTIONS and may_review):
            found.append(action.value)
    return found


def detail(session: Session, actor: Actor, item: Shown) -> OpportunityRead:
    o = item.opportunity
    owners = owners_of(session, [item])
    head = summary(item, owners).model_dump()
    if not item.whole:
        return OpportunityRead(**head, visibility=o.visibility)
    terms = {t.id: t for t in reference.list_capability_terms(session)}
    may_edit = allowed(actor, "market.opportunity.edit", o)
    return OpportunityRead(
        **head,
        visibility=o.visibility,
        description_pl=o.description_pl,
        description_en=o.description_en,
        advantages=o.advantages,
        innovation=o.innovation,
        process=o.process,
        machine=o.machine,
        hours_per_week=o.hours_per_week,
        available_from=o.available_from,
        available_to=o.available_to,
        equipment=o.equipment,
        conditions=o.conditions,
        ip_status=o.ip_status,
        patent_number=o.patent_number,
        partnership_types=list(o.partnership_types),
        pkd_codes=[
            OpportunityPkdRead(code=p.code, version=p.version, section=p.section)
            for p in o.pkd_codes
        ],
        capabilities=[
            OpportunityCapabilityRead(
                term=terms[c.term_id].slug,
                kind=terms[c.term_id].kind,
                name=terms[c.term_id].name_en,
                role=c.role,
            )
            for c in o.capabilities
            if c.term_id in terms
        ],
        named=sorted(o.named_ids) if may_edit else [],
        attachments=[
            AttachmentRead(
                id=a.id,
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                url=f"/market/attachments/{a.id}",
            )
            for a in o.attachments
        ],
        review_reason=o.review_reason if may_edit or actor.is_staff else "",
        created_at=o.created_at,
        updated_at=o.updated_at,
        actions=actions_for(actor, item),
    )
