"""How well two organisations fit as partners, as the matching engine judges them: each side's
structured facts (capabilities, PKD codes, certificates, partner city, kind) scored both ways
with the coordinator's weights, the similarity of their stored profile texts as the text
feature. What the cooperation network's missing-tie recommendations ask of matching.

A pair that either side would not be suggested in (opted out) is left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from upland.matching import profiles, queries
from upland.matching.explanations import Explanation, explain
from upland.matching.scoring import Need, Scored, score
from upland.matching.texts import ORGANISATION
from upland.matching.weights import queries as weights_queries

__all__ = ["PairFit", "organisation_pairs"]


@dataclass(frozen=True)
class PairFit:
    """The pair's score (the mean of both directions' totals) and why (the better one's)."""

    score: float
    explanation: Explanation


def _similarity(a: queries.StoredVector | None, b: queries.StoredVector | None) -> float:
    """Cosine of two profile texts' vectors of one model, in [0, 1]; 0 when unknown."""
    if a is None or b is None or a.vector is None or b.vector is None or a.model != b.model:
        return 0.0
    if a.vector.shape != b.vector.shape:
        return 0.0
    norm = float(np.linalg.norm(a.vector) * np.linalg.norm(b.vector))
    return max(0.0, float(np.dot(a.vector, b.vector)) / norm) if norm else 0.0


def _slugs(scored: Iterable[Scored]) -> set[str]:
    found: set[str] = set()
    for s in scored:
        for part in s.contributions:
            terms = part.reason.params.get("terms") if part.reason else None
            if isinstance(terms, tuple):
                found.update(str(t) for t in terms)
    return found


def organisation_pairs(
    session: Session, pairs: Iterable[tuple[int, int]], today: dt.date
) -> dict[tuple[int, int], PairFit]:
    """The fit of each pair of organisations (by the pair as given)."""
    wanted = list(dict.fromkeys(pairs))
    ids = {i for pair in wanted for i in pair}
    sides = profiles.sides(session, [(ORGANISATION, i) for i in ids], today)
    vectors = queries.active_vectors(session, ORGANISATION, ids)
    weights = weights_queries.current_weights(session)
    scored: dict[tuple[int, int], tuple[float, Scored]] = {}
    for a, b in wanted:
        side_a, side_b = sides.get((ORGANISATION, a)), sides.get((ORGANISATION, b))
        if side_a is None or side_b is None:
            continue
        text = _similarity(vectors.get(a), vectors.get(b))
        there = score(Need(asker=side_a, capabilities=side_a.capabilities), side_b, text, weights)
        back = score(Need(asker=side_b, capabilities=side_b.capabilities), side_a, text, weights)
        if there.excluded is not None or back.excluded is not None:
            continue
        best = there if there.total >= back.total else back
        scored[(a, b)] = ((there.total + back.total) / 2, best)
    names = profiles.names_for(session, _slugs(s for _, s in scored.values()))
    return {pair: PairFit(total, explain(best, names)) for pair, (total, best) in scored.items()}
