"""Every read of feedback: what it says of candidates for one ask (the `feedback` feature),
the coordinator's report, the examples weights are learnt from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.market import match_facts as market
from upland.matching.feedback.models import MatchFeedback
from upland.matching.feedback.schemas import Comment, FeedbackReport, ReasonCount
from upland.matching.index import Key
from upland.matching.texts import ORGANISATION

USEFUL_STEP = 0.5  # each useful verdict or introduction adds this much, up to 1
RECENT = 20


def query_hash(text: str) -> str:
    """The same ask whatever its spacing and case."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def own_organisations(actor: Actor) -> list[int]:
    return sorted(org_id for org_id, role in actor.org_roles.items() if role)


def _mine(actor: Actor) -> object:
    """Feedback given for the actor's organisations, or (with none) by the actor."""
    own = own_organisations(actor)
    if own:
        return MatchFeedback.organisation_id.in_(own)
    return (MatchFeedback.user_id == actor.user_id) & MatchFeedback.organisation_id.is_(None)


def _targets(keys: set[Key]) -> ColumnElement[bool]:
    """Rows about these candidates only (the index leads with organisation, kind, id)."""
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in keys:
        by_kind.setdefault(kind, []).append(item_id)
    return or_(
        *(
            (MatchFeedback.target_kind == kind) & MatchFeedback.target_id.in_(sorted(ids))
            for kind, ids in by_kind.items()
        )
    )


def feedback_values(
    session: Session, actor: Actor, source: Key | None, text: str, keys: Iterable[Key]
) -> dict[Key, float]:
    """The `feedback` feature of each candidate for this ask: -1 when the asker's organisation
    (or the asker) last said "not relevant" to it in this ask (the same item's partners or
    the same text), else up to 1 from useful verdicts in any ask and the marketplace's
    introductions and outcomes with it. Candidates with nothing to say are left out."""
    wanted = set(keys)
    if not wanted or actor.is_anonymous:
        return {}
    same_ask = (
        (MatchFeedback.source_kind == source[0]) & (MatchFeedback.source_id == source[1])
        if source is not None
        else (MatchFeedback.query_hash == query_hash(text)) & MatchFeedback.source_kind.is_(None)
    )
    positive: dict[Key, float] = {}
    latest: dict[Key, bool] = {}
    stmt = (
        select(
            MatchFeedback.target_kind,
            MatchFeedback.target_id,
            MatchFeedback.useful,
            same_ask.label("same_ask"),
        )
        .where(_mine(actor), _targets(wanted))  # type: ignore[arg-type]
        .order_by(MatchFeedback.created_at, MatchFeedback.id)
    )
    for kind, item_id, useful, same in session.execute(stmt):
        key = (kind, item_id)
        if useful:
            positive[key] = positive.get(key, 0.0) + USEFUL_STEP
        if same:
            latest[key] = useful
    evidence = market.evidence_for(session, own_organisations(actor))
    for key in wanted:
        seen = evidence.organisations if key[0] == ORGANISATION else evidence.opportunities
        if seen.get(key[1]):
            positive[key] = positive.get(key, 0.0) + USEFUL_STEP * seen[key[1]]
    values = {key: min(1.0, v) for key, v in positive.items()}
    values.update({key: -1.0 for key, useful in latest.items() if not useful})
    return values


def report(session: Session) -> FeedbackReport:
    """Verdicts by reason and the newest comments."""
    counts = [
        ReasonCount(useful=useful, reason=reason, count=count)
        for useful, reason, count in session.execute(
            select(MatchFeedback.useful, MatchFeedback.reason, func.count())
            .group_by(MatchFeedback.useful, MatchFeedback.reason)
            .order_by(MatchFeedback.useful.desc(), func.count().desc(), MatchFeedback.reason)
        )
    ]
    comments = [
        Comment(
            created_at=row.created_at,
            useful=row.useful,
            reason=row.reason,
            comment=row.comment,
            target_kind=row.target_kind,
            target_id=row.target_id,
        )
        for row in session.scalars(
            select(MatchFeedback)
            .where(MatchFeedback.comment != "")
            .order_by(MatchFeedback.created_at.desc(), MatchFeedback.id.desc())
            .limit(RECENT)
        )
    ]
    useful = sum(c.count for c in counts if c.useful)
    total = sum(c.count for c in counts)
    return FeedbackReport(
        total=total,
        useful=useful,
        not_relevant=total - useful,
        by_reason=counts,
        comments=comments,
    )


@dataclass(frozen=True)
class Example:
    """One verdict with the features' values it was given on (a learning example)."""

    features: dict[str, float]
    useful: bool


def list_examples(session: Session) -> list[Example]:
    """Every verdict that has features, oldest first."""
    return [
        Example(dict(features), useful)
        for features, useful in session.execute(
            select(MatchFeedback.features, MatchFeedback.useful).order_by(MatchFeedback.id)
        )
        if features
    ]
