"""Every read of the weights: the ones that rank, the pending proposal, history, examples."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.matching.scoring import FEATURES, Weights
from upland.matching.weights.models import MatchExample, MatchWeights

SAVED = "saved"
PROPOSED = "proposed"
ACCEPTED = "accepted"
REJECTED = "rejected"


def as_weights(values: dict[str, float]) -> Weights:
    """Stored values as `Weights` (a feature stored before it existed is ignored; a feature
    added since keeps its default)."""
    return Weights().with_values({k: float(v) for k, v in values.items() if k in FEATURES})


def current_row(session: Session) -> MatchWeights | None:
    return session.scalars(
        select(MatchWeights)
        .where(MatchWeights.status == SAVED)
        .order_by(MatchWeights.id.desc())
        .limit(1)
    ).first()


def current_weights(session: Session) -> Weights:
    """What ranks: the newest saved weights, or the defaults."""
    row = current_row(session)
    return as_weights(row.values) if row is not None else Weights()


def pending_proposal(session: Session) -> MatchWeights | None:
    """The newest proposal learnt from feedback that nobody accepted or rejected yet."""
    return session.scalars(
        select(MatchWeights)
        .where(MatchWeights.status == PROPOSED)
        .order_by(MatchWeights.id.desc())
        .limit(1)
    ).first()


def list_versions(session: Session, limit: int = 20) -> list[MatchWeights]:
    return list(session.scalars(select(MatchWeights).order_by(MatchWeights.id.desc()).limit(limit)))


def list_examples(session: Session) -> list[MatchExample]:
    return list(session.scalars(select(MatchExample).order_by(MatchExample.id)))


def get_example(session: Session, example_id: int) -> MatchExample | None:
    return session.get(MatchExample, example_id)
