"""A person's saved searches, follows and the record of what their searches told them, for the
personal-data export and erasure (`upland.personal_data`). All of it is the person's alone and
feeds no statistic, so erasure deletes it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland.market.saved.models import Follow, SavedSearch, SearchHit
from upland.market.saved.service import FILTER_FIELDS
from upland.personal_data import Part, register


def _export(session: Session, user_id: int) -> dict[str, Any]:
    searches = session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.id)
    )
    follows = session.scalars(
        select(Follow).where(Follow.user_id == user_id).order_by(Follow.opportunity_id)
    )
    hits = session.scalars(
        select(SearchHit).where(SearchHit.user_id == user_id).order_by(SearchHit.opportunity_id)
    )
    return {
        "saved_searches": [
            {
                "id": s.id,
                "name": s.name,
                **{
                    name: (v.isoformat() if hasattr(v, "isoformat") else v)
                    for name in FILTER_FIELDS
                    if (v := getattr(s, name)) is not None
                },
                "created_at": s.created_at.isoformat(),
            }
            for s in searches
        ],
        "followed_opportunities": [
            {"opportunity_id": f.opportunity_id, "followed_at": f.created_at.isoformat()}
            for f in follows
        ],
        "told_through_saved_searches": [
            {
                "opportunity_id": h.opportunity_id,
                "saved_search_id": h.search_id,
                "at": h.created_at.isoformat(),
            }
            for h in hits
        ],
    }


def _erase(session: Session, user_id: int) -> None:
    for model in (SearchHit, Follow, SavedSearch):
        session.execute(delete(model).where(model.user_id == user_id))


register(Part("market_saved", _export, _erase))
