"""At a brokerage day the cluster invited a pair to (`BrokerageInvitation`), once both have
registered each appears in the other's "suggested for you" there, first, with the reason "the
cluster invited you to meet" (`events.suggestions.introduce_with`; the events area lists only
confirmed participants, so nothing is suggested before both take part)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from upland.events.suggestions import introduce_with
from upland.i18n import N_, Message
from upland.network.models import BrokerageInvitation

REASON = Message(N_("The cluster invited you to meet"))


@introduce_with
def invited_to_meet(session: Session, event_id: int, organisation_id: int) -> dict[int, Message]:
    """The organisations `organisation_id` was invited to meet at the event."""
    rows = session.execute(
        select(BrokerageInvitation.a_id, BrokerageInvitation.b_id).where(
            BrokerageInvitation.event_id == event_id,
            or_(
                BrokerageInvitation.a_id == organisation_id,
                BrokerageInvitation.b_id == organisation_id,
            ),
        )
    )
    return {b if a == organisation_id else a: REASON for a, b in rows}
