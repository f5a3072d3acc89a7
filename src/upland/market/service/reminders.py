"""The reminder before expiry: the owner's editors of each published opportunity expiring
within the next days hear of it once per expiry date. The date reminded of is recorded in the
same transaction as the notices, so a second run (or a second process) sends nothing; renewing
sets a new date, which earns its own reminder."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.market import notices
from upland.market.models import Opportunity
from upland.market.vocab import Status
from upland.permissions import require


def remind_expiring(session: Session, actor: Actor, today: dt.date, days: int) -> list[int]:
    """Remind of every published opportunity expiring from `today` to `days` later not yet
    reminded of that date; the ids reminded of. Rows another run holds are left to it."""
    require(actor, "market.opportunity.expire")
    due = session.scalars(
        select(Opportunity)
        .where(
            Opportunity.status == Status.PUBLISHED.value,
            Opportunity.expires_on >= today,
            Opportunity.expires_on <= today + dt.timedelta(days=days),
            or_(
                Opportunity.expiry_reminded_on.is_(None),
                Opportunity.expiry_reminded_on != Opportunity.expires_on,
            ),
        )
        .order_by(Opportunity.id)
        .with_for_update(skip_locked=True, of=Opportunity)
    ).all()
    for opportunity in due:
        opportunity.expiry_reminded_on = opportunity.expires_on
        notices.remind(session, opportunity)
    session.flush()
    return [o.id for o in due]
