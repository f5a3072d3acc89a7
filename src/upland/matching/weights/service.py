"""Every write of the weights: the coordinator saves a version, learns a proposal from feedback
and accepts or rejects it, keeps example asks. Each write is audit-logged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.errors import Invalid, NotFound
from upland.i18n import N_
from upland.matching.feedback import queries as feedback
from upland.matching.scoring import FEATURES
from upland.matching.weights import learning, queries
from upland.matching.weights.models import MatchExample, MatchWeights
from upland.permissions import require

MAX_WEIGHT = 5.0
MAX_EXAMPLES = 20


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_values(values: Mapping[str, object]) -> dict[str, float]:
    """Every feature's weight, a number from 0 to `MAX_WEIGHT` (unknown names refused; a
    feature left out keeps its current weight, filled in by the caller)."""
    unknown = sorted(set(values) - set(FEATURES))
    if unknown:
        raise Invalid.one(
            unknown[0], N_("Unknown feature."), code="matching.weights.unknown_feature"
        )
    checked: dict[str, float] = {}
    for name, value in values.items():
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            number = float("nan")
        if not 0.0 <= number <= MAX_WEIGHT:
            raise Invalid.one(
                name,
                N_("A weight is a number from 0 to {max}."),
                code="matching.weights.range",
                max=MAX_WEIGHT,
            )
        checked[name] = number
    return checked


def save_weights(
    session: Session, actor: Actor, values: Mapping[str, object], note: str = ""
) -> MatchWeights:
    """A new saved version: what ranks from now on."""
    require(actor, "matching.weights.manage")
    before = queries.current_weights(session)
    chosen = before.with_values(check_values(values))
    row = MatchWeights(
        status=queries.SAVED,
        values={name: getattr(chosen, name) for name in FEATURES},
        note=note[:500],
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "matching.weights.save",
        "match_weights",
        row.id,
        before={name: getattr(before, name) for name in FEATURES},
        after=dict(row.values),
    )
    return row


def propose_weights(session: Session, actor: Actor) -> MatchWeights:
    """Learn weights from every verdict and keep them as a proposal (replacing a pending one)."""
    require(actor, "matching.weights.manage")
    examples = [(e.features, e.useful) for e in feedback.list_examples(session)]
    learnt = learning.learn(examples, queries.current_weights(session))
    if learnt is None:
        raise Invalid.one(
            "feedback",
            N_(
                "Too little feedback to learn from: at least {n} verdicts, both useful and "
                "not relevant ones."
            ),
            code="matching.weights.too_few",
            n=learning.MIN_EXAMPLES,
        )
    pending = queries.pending_proposal(session)
    if pending is not None:
        pending.status = queries.REJECTED
        pending.decided_at = _now()
    row = MatchWeights(
        status=queries.PROPOSED,
        values={name: getattr(learnt.weights, name) for name in FEATURES},
        examples=learnt.examples,
        note=f"{learnt.useful} useful of {learnt.examples}",
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "matching.weights.propose", "match_weights", row.id, after=dict(row.values)
    )
    return row


def decide_proposal(session: Session, actor: Actor, proposal_id: int, accept: bool) -> MatchWeights:
    """Accept (it becomes a new saved version) or reject the pending proposal."""
    require(actor, "matching.weights.manage")
    proposal = session.get(MatchWeights, proposal_id)
    if proposal is None or proposal.status != queries.PROPOSED:
        raise NotFound(
            "proposal {id} does not exist", code="matching.weights.no_proposal", id=proposal_id
        )
    proposal.status = queries.ACCEPTED if accept else queries.REJECTED
    proposal.decided_by_id = actor.user_id
    proposal.decided_at = _now()
    session.flush()
    audit.record(
        session,
        actor,
        "matching.weights.accept" if accept else "matching.weights.reject",
        "match_weights",
        proposal.id,
        after={"status": proposal.status},
    )
    if accept:
        return save_weights(session, actor, proposal.values, note=f"proposal {proposal.id}")
    return proposal


def add_example(session: Session, actor: Actor, text: str, kind: str = "") -> MatchExample:
    """Keep an ask to preview changes of weights on."""
    require(actor, "matching.weights.manage")
    text = text.strip()
    if not text or len(text) > 2000:
        raise Invalid.one(
            "text", N_("Type an ask of up to 2000 characters."), code="matching.example.text"
        )
    if kind not in ("", "organisations", "opportunities"):
        raise Invalid.one("kind", N_("Unknown kind of result."), code="matching.kind")
    if len(queries.list_examples(session)) >= MAX_EXAMPLES:
        raise Invalid.one(
            "text",
            N_("At most {n} example asks."),
            code="matching.example.too_many",
            n=MAX_EXAMPLES,
        )
    row = MatchExample(text=text, kind=kind, created_by_id=actor.user_id)
    session.add(row)
    session.flush()
    audit.record(
        session, actor, "matching.example.add", "match_example", row.id, after={"text": text}
    )
    return row


def remove_example(session: Session, actor: Actor, example_id: int) -> None:
    require(actor, "matching.weights.manage")
    row = queries.get_example(session, example_id)
    if row is None:
        raise NotFound(
            "example {id} does not exist", code="matching.example.not_found", id=example_id
        )
    audit.record(
        session,
        actor,
        "matching.example.remove",
        "match_example",
        row.id,
        before={"text": row.text},
    )
    session.delete(row)
    session.flush()
