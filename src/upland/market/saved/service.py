"""Every write of saved searches and follows: a person saves the browse list's filter under a
name (at most `LIMIT` of them), renames or deletes it, follows or unfollows an opportunity.
The filter is checked as the list checks it (unknown city, malformed PKD, unknown term), so a
saved search always reopens as a working list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Invalid, NotFound
from upland.i18n import N_
from upland.market import queries as market_queries
from upland.market.permissions import not_found
from upland.market.saved.keys import key_of
from upland.market.saved.models import Follow, SavedSearch
from upland.market.saved.schemas import SavedSearchCreate
from upland.market.schemas import OpportunityFilter
from upland.permissions import require
from upland.reference import queries as reference

LIMIT = 20  # saved searches per person
FOLLOW_LIMIT = 500  # followed opportunities per person
FILTER_FIELDS = (
    "q",
    "kind",
    "pkd",
    "capability",
    "certification",
    "city",
    "trl_min",
    "trl_max",
    "published_since",
    "published_until",
    "owner_kind",
)


def _columns(session: Session, actor: Actor, flt: OpportunityFilter) -> dict[str, Any]:
    """The filter as the table's columns, refused as the list would refuse it."""
    if flt.trl_min is not None and flt.trl_max is not None and flt.trl_min > flt.trl_max:
        raise Invalid.one(
            "trl_max",
            N_("the highest TRL is below the lowest"),
            code="saved_search.trl_range",
        )
    values: dict[str, Any] = {}
    for name in FILTER_FIELDS:
        value = getattr(flt, name)
        if isinstance(value, str):
            value = value.strip() or None
        values[name] = getattr(value, "value", value)
    if not any(v is not None for v in values.values()):
        raise Invalid.one(
            "name",
            N_("choose at least one filter or words to search for before saving the search"),
            code="saved_search.empty",
        )
    market_queries.filtered(session, actor, flt, utcnow().date())  # raises on a bad filter
    if values["pkd"]:
        values["pkd"] = values["pkd"].upper()
    values["city_teryt"] = None
    if values["city"]:
        values["city_teryt"], _ = reference.resolve_municipality(session, values["city"])
    values["sort"] = flt.sort.value
    return values


def _name_taken(session: Session, user_id: int, name: str, but: int | None = None) -> bool:
    stmt = select(SavedSearch.id).where(
        SavedSearch.user_id == user_id, func.lower(SavedSearch.name) == name.lower()
    )
    if but is not None:
        stmt = stmt.where(SavedSearch.id != but)
    return session.scalar(stmt.limit(1)) is not None


def _taken(name: str) -> Conflict:
    return Conflict(
        N_("you already have a saved search called {name}"),
        code="saved_search.name_taken",
        name=name,
    )


def save_search(session: Session, actor: Actor, data: SavedSearchCreate) -> SavedSearch:
    """Save the list's filter under a name for the acting person."""
    require(actor, "market.saved_search.manage", actor.user_id)
    assert actor.user_id is not None
    count = session.scalar(select(func.count()).where(SavedSearch.user_id == actor.user_id))
    if (count or 0) >= LIMIT:
        raise Conflict(
            N_("you have {limit} saved searches, the most one may keep; delete one first"),
            code="saved_search.limit",
            limit=LIMIT,
        )
    if _name_taken(session, actor.user_id, data.name):
        raise _taken(data.name)
    columns = _columns(session, actor, data)
    search = SavedSearch(
        user_id=actor.user_id, name=data.name, match_key=key_of(columns), **columns
    )
    session.add(search)
    session.flush()
    audit.record(
        session,
        actor,
        "market.saved_search.save",
        "user",
        search.user_id,
        after={"saved_search_id": search.id, "name": search.name},
        summary=search.name,
    )
    return search


def own_search(session: Session, actor: Actor, search_id: int) -> SavedSearch:
    """The acting person's saved search; NotFound for anyone else's."""
    search = session.get(SavedSearch, search_id)
    if search is None or actor.user_id is None or search.user_id != actor.user_id:
        raise NotFound(
            "saved search {id} does not exist", code="saved_search.not_found", id=search_id
        )
    return search


def rename_search(session: Session, actor: Actor, search_id: int, name: str) -> SavedSearch:
    require(actor, "market.saved_search.manage", actor.user_id)
    search = own_search(session, actor, search_id)
    if search.name == name:
        return search
    assert actor.user_id is not None
    if _name_taken(session, actor.user_id, name, but=search.id):
        raise _taken(name)
    before = search.name
    search.name = name
    search.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "market.saved_search.rename",
        "user",
        search.user_id,
        before={"name": before},
        after={"name": name},
        summary=name,
    )
    return search


def delete_search(session: Session, actor: Actor, search_id: int) -> None:
    require(actor, "market.saved_search.manage", actor.user_id)
    search = own_search(session, actor, search_id)
    audit.record(
        session,
        actor,
        "market.saved_search.delete",
        "user",
        search.user_id,
        before={"name": search.name},
        summary=search.name,
    )
    session.delete(search)
    session.flush()


def follow(
    session: Session, actor: Actor, opportunity_id: int, now: dt.datetime | None = None
) -> Follow:
    """Follow an opportunity one sees whole (following again changes nothing)."""
    shown = market_queries.get_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.follow", shown.opportunity)
    assert actor.user_id is not None
    found = session.get(Follow, (actor.user_id, opportunity_id))
    if found is not None:
        return found
    count = session.scalar(select(func.count()).where(Follow.user_id == actor.user_id))
    if (count or 0) >= FOLLOW_LIMIT:
        raise Conflict(
            N_("you follow {limit} opportunities, the most one may; unfollow one first"),
            code="follow.limit",
            limit=FOLLOW_LIMIT,
        )
    made = Follow(user_id=actor.user_id, opportunity_id=opportunity_id, created_at=now or utcnow())
    session.add(made)
    session.flush()
    _audit(session, actor, "market.opportunity.follow", opportunity_id)
    return made


def unfollow(session: Session, actor: Actor, opportunity_id: int) -> None:
    """Stop following (also one no longer seen: the follow is one's own)."""
    require(actor, "market.saved_search.manage", actor.user_id)
    gone = session.execute(
        delete(Follow).where(
            Follow.user_id == actor.user_id, Follow.opportunity_id == opportunity_id
        )
    )
    if not gone.rowcount:  # type: ignore[attr-defined]
        raise not_found(opportunity_id)
    session.flush()
    _audit(session, actor, "market.opportunity.unfollow", opportunity_id)


def _audit(session: Session, actor: Actor, action: str, opportunity_id: int) -> None:
    # Under the person, not the opportunity: who follows is not the owner's history.
    audit.record(
        session, actor, action, "user", actor.user_id, after={"opportunity_id": opportunity_id}
    )
