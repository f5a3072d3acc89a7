"""Telling people what happened: new opportunities matching their saved searches, and news of
the opportunities they follow.

The handlers are the marketplace's news (`market.notify.on`): publishing a signal writes its
pending row in the same transaction, and the job (RQ when Redis is configured, in-process
otherwise) runs them after commit in a transaction of its own, so publishing never waits for
the fan-out and a job that cannot be queued only delays it (the sweep delivers). `announce`
and `tell_followers` do the work in the caller's transaction and are what the handlers, the
tests and the benchmark call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.accounts import queries as accounts
from upland.db import transaction, utcnow
from upland.market import permissions
from upland.market.models import Opportunity
from upland.market.notify import on, titled
from upland.market.saved import notices
from upland.market.saved.matching import Match, matches_of
from upland.market.saved.models import Follow, SearchHit
from upland.market.signals import (
    OpportunityChanged,
    OpportunityEvent,
    OpportunityExpired,
    OpportunityFulfilled,
    OpportunityPublished,
    OpportunityRenewed,
    OpportunityWithdrawn,
)
from upland.notifications.service import notify_each
from upland.scheduler.registry import Periodic, register

HERE = "upland.market.saved.fanout"
DEADLINE_DAYS = 3  # followers hear of a deadline this many days before it


def link_of(opportunity_id: int) -> str:
    return f"/market/{opportunity_id}"


# --- new opportunities matching saved searches ----------------------------------------------


def announce(session: Session, opportunity_ids: Iterable[int], on: dt.date) -> list[Match]:
    """Tell everyone whose saved search matches one of these (newly published) opportunities
    and who sees it whole; remember whom, so a renewal does not tell them again."""
    matches, opportunities = matches_of(session, opportunity_ids, on)
    if not matches:
        return []
    by_opportunity: dict[int, list[Match]] = {}
    for match in matches:
        by_opportunity.setdefault(match.opportunity_id, []).append(match)
    for opportunity_id, found in by_opportunity.items():
        opportunity = opportunities[opportunity_id]
        said: dict[str, dict[str, str]] = {}  # one params per search name, checked once
        for name in {m.search_name for m in found}:
            said[name] = titled(opportunity, search=name)
        notify_each(
            session,
            notices.NEW_MATCH.code,
            [(m.user_id, said[m.search_name], link_of(opportunity_id)) for m in found],
        )
    now = utcnow()
    session.execute(
        insert(cast(Table, SearchHit.__table__)),
        [
            {
                "user_id": m.user_id,
                "opportunity_id": m.opportunity_id,
                "search_id": m.search_id,
                "created_at": now,
            }
            for m in matches
        ],
    )
    session.flush()
    return matches


@on(OpportunityPublished)
def _announce(session: Session, event: OpportunityPublished) -> None:
    announce(session, [event.opportunity_id], permissions.today())


# --- followers ----------------------------------------------------------------------------------


def tell_followers(
    session: Session, opportunity_id: int, kind: str, extra: dict[str, str] | None = None
) -> int:
    """Tell the followers of an opportunity who still may see it (its visibility may have
    changed since they followed) a piece of news of `kind`; how many were told. The owner's
    own people are left out: the news is theirs."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None:
        return 0
    followers = list(
        session.scalars(select(Follow.user_id).where(Follow.opportunity_id == opportunity_id))
    )
    if not followers:
        return 0
    actors = accounts.actors_for(session, followers)
    record = permissions.record_of(opportunity)
    told = [
        user_id
        for user_id, actor in sorted(actors.items())
        if not permissions.is_own(actor, opportunity) and visibility.can_see(actor, record)
    ]
    params = titled(opportunity, **(extra or {}))
    made = notify_each(
        session, kind, [(user_id, params, link_of(opportunity_id)) for user_id in told]
    )
    return made


def _follower_news(session: Session, event: OpportunityEvent) -> None:
    kind, extra = notices.CHANGED.code, {}
    if isinstance(event, OpportunityRenewed):
        kind, extra = notices.RENEWED.code, {"expires_on": event.expires_on}
    elif isinstance(event, OpportunityFulfilled):
        kind, extra = notices.CLOSED.code, {"status": "fulfilled"}
    elif isinstance(event, OpportunityWithdrawn):
        kind, extra = notices.CLOSED.code, {"status": "withdrawn"}
    elif isinstance(event, OpportunityExpired):
        kind, extra = notices.CLOSED.code, {"status": "expired"}
    tell_followers(session, event.opportunity_id, kind, extra)


def remind_deadlines(session: Session, on: dt.date) -> int:
    """Tell followers of live opportunities whose deadline is `DEADLINE_DAYS` from `on`."""
    day = on + dt.timedelta(days=DEADLINE_DAYS)
    due = session.scalars(
        select(Opportunity.id)
        .join(Follow, Follow.opportunity_id == Opportunity.id)
        .where(permissions.live(on), Opportunity.deadline == day)
        .distinct()
        .order_by(Opportunity.id)
    ).all()
    return sum(
        tell_followers(session, i, notices.DEADLINE.code, {"deadline_on": day.isoformat()})
        for i in due
    )


def remind_deadlines_job() -> None:
    with transaction() as session:
        remind_deadlines(session, permissions.today())


for _event in (
    OpportunityChanged,
    OpportunityRenewed,
    OpportunityFulfilled,
    OpportunityWithdrawn,
    OpportunityExpired,
):
    on(_event)(_follower_news)
register(
    Periodic(
        "market.follow-deadlines",
        f"{HERE}.remind_deadlines_job",
        cron={"hour": 6, "minute": 30},
        description="tell followers of opportunities whose deadline is three days away",
    )
)
