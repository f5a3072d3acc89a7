"""What the marketplace holds about a person, for the personal-data export and erasure
(`upland.personal_data`): the opportunities they created, the access requests they made or
decided, the files they attached, the news of what they did (pending news naming them). Erasure
unlinks the person and blanks the words they wrote to another organisation (an access request's
message); the records stay for the statistics and for the organisations they belong to. News
naming them is deleted once delivered; news still to deliver loses their name and still reaches
the organisations (its handlers tell an organisation's editors when the person is unknown)."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from upland.market import signals as market_signals
from upland.market.models import AccessRequest, Attachment, Opportunity, PendingNews
from upland.personal_data import Part, register


def _export(session: Session, user_id: int) -> dict[str, Any]:
    created = session.scalars(
        select(Opportunity).where(Opportunity.created_by_id == user_id).order_by(Opportunity.id)
    )
    asked = session.scalars(
        select(AccessRequest)
        .where(
            or_(AccessRequest.requested_by_id == user_id, AccessRequest.decided_by_id == user_id)
        )
        .order_by(AccessRequest.id)
    )
    files = session.scalars(
        select(Attachment).where(Attachment.created_by_id == user_id).order_by(Attachment.id)
    )
    return {
        "opportunities_created": [
            {
                "id": o.id,
                "title_pl": o.title_pl,
                "title_en": o.title_en,
                "status": o.status,
                "created_at": o.created_at.isoformat(),
            }
            for o in created
        ],
        "access_requests": [
            {
                "id": r.id,
                "opportunity_id": r.opportunity_id,
                "requested": r.requested_by_id == user_id,
                "decided": r.decided_by_id == user_id,
                "message": r.message if r.requested_by_id == user_id else "",
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in asked
        ],
        "attachments_added": [
            {"id": a.id, "opportunity_id": a.opportunity_id, "name": a.name} for a in files
        ],
        "news": [
            {
                "id": n.id,
                "signal": n.signal,
                "fields": n.fields,
                "created_at": n.created_at.isoformat(),
                "delivered_at": n.delivered_at.isoformat() if n.delivered_at else None,
            }
            for n in _news_naming(session, user_id)
        ],
    }


# The fields of the marketplace's signals that hold a person (a user id).
PERSON_FIELDS = ("user_id", "decided_by_id", "owner_user_id", "interested_user_id")


def _naming_signals() -> list[str]:
    """The marketplace's signals with a field that holds a person."""
    return sorted(
        name
        for name, cls in vars(market_signals).items()
        if isinstance(cls, type)
        and dataclasses.is_dataclass(cls)
        and any(f.name in PERSON_FIELDS for f in dataclasses.fields(cls))
    )


def _news_naming(session: Session, user_id: int) -> list[PendingNews]:
    """The pending news (delivered or not) whose signal names the person: the rows of signals
    that can name someone (news is forgotten a month after delivery), checked here rather than
    by each database's own JSON operators."""
    rows = session.scalars(
        select(PendingNews)
        .where(PendingNews.signal.in_(_naming_signals()))
        .order_by(PendingNews.id)
    )
    return [n for n in rows if any(n.fields.get(f) == user_id for f in PERSON_FIELDS)]


def _erase(session: Session, user_id: int) -> None:
    session.execute(
        update(Opportunity).where(Opportunity.created_by_id == user_id).values(created_by_id=None)
    )
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.requested_by_id == user_id)
        .values(requested_by_id=None, message="")
    )
    session.execute(
        update(AccessRequest)
        .where(AccessRequest.decided_by_id == user_id)
        .values(decided_by_id=None)
    )
    session.execute(
        update(Attachment).where(Attachment.created_by_id == user_id).values(created_by_id=None)
    )
    _erase_news(session, user_id)


def _erase_news(session: Session, user_id: int) -> None:
    naming = _news_naming(session, user_id)
    done = [n.id for n in naming if n.delivered_at is not None]
    if done:
        session.execute(delete(PendingNews).where(PendingNews.id.in_(done)))
    for news in naming:
        if news.delivered_at is None:
            news.fields = {
                k: None if k in PERSON_FIELDS and v == user_id else v
                for k, v in news.fields.items()
            }
    session.flush()


register(Part("market", _export, _erase))
