"""The cooperation panel on the starting page of an organisation's users (`upland.panels`):
interests waiting for their decision, their own still waiting, booking requests, and the
latest introductions, with links to the pages where they act."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from upland import panels
from upland.actor import Actor
from upland.i18n import N_
from upland.market.interests import presenters, queries
from upland.market.interests.vocab import BookingStatus, InterestStatus

LATEST = 3


def _belongs(actor: Actor) -> bool:
    return bool(actor.org_roles)


def _cooperation(session: Session, actor: Actor) -> dict[str, Any] | None:
    pending = InterestStatus.PENDING.value
    to_decide = queries.count_interests(session, actor, direction="received", status=pending)
    waiting = queries.count_interests(session, actor, direction="sent", status=pending)
    requests = [
        b
        for b in queries.list_bookings(session, actor)
        if b.status == BookingStatus.PENDING and b.organisation_id not in actor.org_roles
    ]
    rows = queries.list_introductions(session, actor, limit=LATEST)
    latest = presenters.introductions(session, actor, rows)
    if not (to_decide or waiting or requests or latest):
        return None
    return {
        "to_decide": to_decide,
        "waiting": waiting,
        "requests": requests,
        "latest": latest,
    }


panels.register(
    panels.Panel(
        name="market.cooperation",
        title=N_("Cooperation"),
        applies=_belongs,
        data=_cooperation,
        template="market/interests/_panel.html",
        order=15,
    )
)
