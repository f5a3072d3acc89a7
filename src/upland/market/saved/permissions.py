"""Who may keep saved searches and follow opportunities: a logged-in person, for themselves
only (staff included: nobody manages another's). Following needs the opportunity seen whole."""

from __future__ import annotations

from upland.actor import Actor
from upland.market.models import Opportunity
from upland.market.permissions import can_view_opportunity
from upland.permissions import rule


@rule("market.saved_search.manage", int)
def can_manage_saved_searches(actor: Actor, user_id: int | None) -> bool:
    return actor.user_id is not None and actor.user_id == user_id


@rule("market.opportunity.follow", Opportunity)
def can_follow_opportunity(actor: Actor, opportunity: Opportunity) -> bool:
    return actor.user_id is not None and can_view_opportunity(actor, opportunity)
