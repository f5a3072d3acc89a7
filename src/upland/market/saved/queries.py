"""Reads of saved searches and follows: a person's own only. A followed opportunity is listed
while its follower still sees it whole (`market.permissions.visible_to`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.market import permissions
from upland.market.models import Opportunity
from upland.market.saved.models import Follow, SavedSearch
from upland.market.saved.service import FILTER_FIELDS
from upland.market.schemas import OpportunityFilter


def list_searches(session: Session, actor: Actor) -> list[SavedSearch]:
    if actor.user_id is None:
        return []
    stmt = select(SavedSearch).where(SavedSearch.user_id == actor.user_id)
    return list(session.scalars(stmt.order_by(SavedSearch.name, SavedSearch.id)))


def filter_of(search: SavedSearch) -> OpportunityFilter:
    """The browse list's filter a saved search keeps."""
    values = {name: getattr(search, name) for name in FILTER_FIELDS}
    return OpportunityFilter.model_validate(
        {k: v for k, v in values.items() if v is not None} | {"sort": search.sort}
    )


def url_of(search: SavedSearch) -> str:
    """The browse list showing this saved search."""
    query = filter_of(search).model_dump(mode="json", exclude_none=True)
    if query.get("sort") == "newest":
        query.pop("sort")
    return "/market" + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Followed:
    opportunity: Opportunity
    followed_at: dt.datetime


def list_follows(session: Session, actor: Actor) -> list[Followed]:
    """The opportunities the acting person follows and still sees, latest followed first."""
    if actor.user_id is None:
        return []
    stmt: Select[Any] = (
        select(Opportunity, Follow.created_at)  # type: ignore[assignment]
        .join(Follow, Follow.opportunity_id == Opportunity.id)
        .where(Follow.user_id == actor.user_id)
        .order_by(Follow.created_at.desc(), Opportunity.id.desc())
    )
    rows = session.execute(permissions.visible_to(actor, stmt).limit(500))
    return [Followed(row[0], row[1]) for row in rows]


def is_following(session: Session, actor: Actor, opportunity_id: int) -> bool:
    if actor.user_id is None:
        return False
    return session.get(Follow, (actor.user_id, opportunity_id)) is not None
