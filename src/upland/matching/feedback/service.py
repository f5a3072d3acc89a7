"""Every write of feedback: a user's verdict on one suggestion, with the features' values."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.errors import Invalid, NotFound
from upland.i18n import N_
from upland.market import queries as market
from upland.matching import profiles
from upland.matching.feedback.models import MatchFeedback
from upland.matching.feedback.queries import own_organisations, query_hash
from upland.matching.feedback.schemas import FeedbackIn
from upland.matching.feedback.vocab import REASONS
from upland.matching.index import Key
from upland.matching.scoring import Weights
from upland.matching.scoring import score as score_pair
from upland.matching.texts import ORGANISATION
from upland.organisations import queries as organisations
from upland.permissions import require


def _may_open(session: Session, actor: Actor, key: Key) -> bool:
    kind, item_id = key
    if kind == ORGANISATION:
        return bool(organisations.visible_organisation_ids(session, actor, [item_id]))
    return bool(market.visible_opportunity_ids(session, actor, [item_id]))


def _check(data: FeedbackIn) -> tuple[Key | None, Key]:
    source: Key | None = None
    if data.source_kind is not None and data.source_id is not None:
        source = (data.source_kind, data.source_id)
    if source is None and not data.q.strip():
        raise Invalid.one(
            "q", N_("Say which ask the suggestion came from."), code="matching.feedback.ask"
        )
    if data.reason and data.reason not in REASONS:
        raise Invalid.one("reason", N_("Unknown reason."), code="matching.feedback.reason")
    if not data.useful and not data.reason:
        raise Invalid.one(
            "reason", N_("Pick why it is not relevant."), code="matching.feedback.no_reason"
        )
    return source, (data.target_kind, data.target_id)


def give_feedback(
    session: Session, actor: Actor, data: FeedbackIn, today: dt.date
) -> MatchFeedback:
    """Store a verdict on a suggestion the actor may open, for their organisation (the first
    of theirs when they have several), with the features' values of the pair today."""
    require(actor, "matching.feedback.give")
    source, target = _check(data)
    for key in (target, source):
        if key is not None and not _may_open(session, actor, key):
            raise NotFound(
                "{kind} {id} does not exist", code="matching.not_found", kind=key[0], id=key[1]
            )
    need = profiles.need_for(session, actor, today, text=data.q, source=source)
    side = profiles.sides(session, [target], today, actor).get(target)
    features: dict[str, float] = {}
    if side is not None:
        scored = score_pair(need, side, data.text, Weights())
        if scored.excluded is None:  # an excluded pair's parts teach the weights nothing
            features = {part.feature: part.value for part in scored.contributions}
    own = own_organisations(actor)
    row = MatchFeedback(
        user_id=actor.user_id,
        organisation_id=own[0] if own else None,
        source_kind=source[0] if source else None,
        source_id=source[1] if source else None,
        query_hash="" if source else query_hash(data.q),
        target_kind=target[0],
        target_id=target[1],
        useful=data.useful,
        reason=data.reason,
        comment=data.comment.strip(),
        features=features,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "matching.feedback.give",
        "match_feedback",
        row.id,
        after={"target": f"{target[0]} {target[1]}", "useful": row.useful, "reason": row.reason},
    )
    return row
