"""The marketplace's panel on the starting page (`upland.panels`): what of one's own
organisations' opportunities needs attention, the coordinator's review queue, and the newest
opportunities the reader may see."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor, OrgRole
from upland.i18n import N_
from upland.market import permissions, presenters, queries
from upland.market.schemas import OpportunityFilter
from upland.market.vocab import AccessStatus

NEWEST = 5


def _data(session: Session, actor: Actor) -> dict[str, Any] | None:
    own = queries.list_own(session, actor)
    newest = queries.list_opportunities(
        session, actor, OpportunityFilter(), on=permissions.today(), limit=NEWEST, with_total=False
    ).items
    return {
        "by_status": dict(Counter(i.opportunity.status for i in own)),
        "pending_access": sum(
            r.status == AccessStatus.PENDING
            for r in queries.list_access_requests(session, actor, pending_only=True)
        ),
        "review_queue": queries.count_review_queue(session, actor),
        "newest": newest,
        "owners": presenters.owners_of(session, newest),
        "can_create": any(actor.has_role(o, OrgRole.EDITOR) for o in actor.org_roles),
    }


panels.register(
    panels.Panel(
        name="market.opportunities",
        title=N_("Marketplace"),
        applies=panels.is_logged_in,
        data=_data,
        template="market/_panel.html",
        order=50,
    )
)
