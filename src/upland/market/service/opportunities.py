"""Creating, editing and deleting an opportunity (its owner's editors)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.errors import Conflict, Invalid
from upland.market import lifecycle
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityCreate, OpportunityUpdate
from upland.market.service.attachments import forget_files
from upland.market.service.core import (
    capability_rows,
    check_opportunity,
    named_rows,
    pkd_rows,
    place_rows,
    record,
    refresh_derived,
    review_enabled,
    visible_opportunity,
)
from upland.market.signals import OpportunityChanged, OpportunityCreated, OpportunityDeleted
from upland.market.vocab import Action, Status
from upland.organisations import queries as organisations
from upland.permissions import require
from upland.signals import publish

CHILDREN = ("pkd_codes", "capabilities", "places", "named")
# Text fields a partial edit empties when sent null; the other fields keep their value.
TEXTS = {
    "title_pl",
    "title_en",
    "description_pl",
    "description_en",
    "advantages",
    "innovation",
    "process",
    "machine",
    "equipment",
    "conditions",
    "patent_number",
}
REQUIRED = {"kind", "visibility", "anonymous"}


def _set_children(
    session: Session, opportunity: Opportunity, data: OpportunityCreate | OpportunityUpdate
) -> None:
    """Replace the lists the input sends (a partial edit leaves out what it does not send)."""
    sent = data.model_fields_set if isinstance(data, OpportunityUpdate) else set(CHILDREN)
    if "pkd_codes" in sent and data.pkd_codes is not None:
        opportunity.pkd_codes = pkd_rows(session, data.pkd_codes)
    if "capabilities" in sent and data.capabilities is not None:
        opportunity.capabilities = capability_rows(session, data.capabilities)
    if "places" in sent and data.places is not None:
        opportunity.places = place_rows(session, data.places)
    if "named" in sent and data.named is not None:
        opportunity.named = named_rows(session, opportunity.owner_id, data.named)


def _children_of(opportunity: Opportunity) -> dict[str, list[str]]:
    """The lists of an opportunity as the audit log shows them."""
    return {
        "pkd_codes": [f"{p.code}/{p.version}" for p in opportunity.pkd_codes],
        "capabilities": [f"{c.term_id}:{c.role}" for c in opportunity.capabilities],
        "places": [p.teryt for p in opportunity.places],
        "named": [str(n.organisation_id) for n in opportunity.named],
    }


def create_opportunity(
    session: Session, actor: Actor, data: OpportunityCreate, *, today: dt.date
) -> Opportunity:
    """A draft of the owner organisation, written by one of its editors."""
    require(actor, "market.opportunity.create", data.owner_id)
    if not organisations.owner_facts(session, [data.owner_id]):
        raise Invalid.one("owner_id", "no such organisation", code="organisation.not_found")
    values = data.model_dump(exclude=set(CHILDREN))
    values["partnership_types"] = [p.value for p in data.partnership_types]
    opportunity = Opportunity(**values, status=Status.DRAFT.value, created_by_id=actor.user_id)
    _set_children(session, opportunity, data)
    check_opportunity(opportunity, today)
    session.add(opportunity)
    refresh_derived(session, opportunity)
    session.flush()
    after = {**audit.snapshot(opportunity), **_children_of(opportunity)}
    after["organisation_id"] = after.pop("owner_id")
    record(session, actor, "market.opportunity.create", opportunity, after=after)
    publish(session, OpportunityCreated(opportunity.id, opportunity.owner_id))
    return opportunity


def update_opportunity(
    session: Session, actor: Actor, opportunity_id: int, data: OpportunityUpdate, *, today: dt.date
) -> Opportunity:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    lifecycle.next_status(opportunity.status, Action.EDIT, review=review_enabled())
    changes = data.model_dump(exclude_unset=True)
    before = {**audit.snapshot(opportunity), **_children_of(opportunity)}
    for key, value in changes.items():
        if key in CHILDREN or (value is None and key in REQUIRED):
            continue
        if value is None and key in TEXTS:
            value = ""
        if key == "partnership_types":
            value = [str(p) for p in value or []]
        setattr(opportunity, key, value)
    _set_children(session, opportunity, data)
    check_opportunity(opportunity, today)
    refresh_derived(session, opportunity)
    session.flush()
    old, new = audit.changed(before, {**audit.snapshot(opportunity), **_children_of(opportunity)})
    old.pop("updated_at", None)
    new.pop("updated_at", None)
    record(session, actor, "market.opportunity.update", opportunity, before=old, after=new)
    publish(session, OpportunityChanged(opportunity.id, opportunity.owner_id))
    return opportunity


def delete_opportunity(session: Session, actor: Actor, opportunity_id: int) -> None:
    """A draft that was never submitted can be deleted; later ones are withdrawn instead, so
    what came of them stays in the history."""
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    if opportunity.status != Status.DRAFT or opportunity.submitted_at is not None:
        raise Conflict(
            "only a draft that was never submitted can be deleted; withdraw it instead",
            code="market.delete_not_draft",
        )
    keys = [a.key for a in opportunity.attachments]
    record(
        session,
        actor,
        "market.opportunity.delete",
        opportunity,
        before={"title_pl": opportunity.title_pl, "title_en": opportunity.title_en},
    )
    owner_id = opportunity.owner_id
    session.delete(opportunity)
    session.flush()
    forget_files(session, keys)
    publish(session, OpportunityDeleted(opportunity_id, owner_id))
