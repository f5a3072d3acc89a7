"""Weights learnt from feedback: a small, explainable model (pure; no session, no clock).

Each verdict is an example: the scoring features' values the pair had when it was judged, and
whether it was useful. An L2-regularised logistic regression (Newton's method, numpy) says
how much each feature separates useful from not relevant. Its coefficients become proposed
weights on the scale of the current ones (the same total), never negative (a weight that
would punish a feature is shown as 0: the coordinator decides); a feature no example varied
in keeps its current weight. The proposal is only shown: the coordinator accepts or rejects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from upland.matching.scoring import FEATURES, Weights

MIN_EXAMPLES = 10


@dataclass(frozen=True)
class Learnt:
    weights: Weights
    coefficients: dict[str, float]
    examples: int
    useful: int


def _fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 50) -> np.ndarray:
    """Logistic regression with an intercept (last column, not penalised) by Newton steps."""
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = design.T @ (p - y) + penalty * beta
        hessian = (
            (design * (p * (1 - p))[:, None]).T @ design
            + np.diag(penalty)
            + 1e-9 * np.eye(len(beta))
        )
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta[:-1]


def learn(
    examples: Sequence[tuple[dict[str, float], bool]], current: Weights, *, l2: float = 1.0
) -> Learnt | None:
    """Proposed weights from (features, useful) examples, or None with too few examples or
    only one kind of verdict."""
    useful = sum(1 for _, ok in examples if ok)
    if len(examples) < MIN_EXAMPLES or useful in (0, len(examples)):
        return None
    x = np.array([[float(f.get(name, 0.0)) for name in FEATURES] for f, _ in examples])
    y = np.array([1.0 if ok else 0.0 for _, ok in examples])
    coefficients = _fit(x, y, l2)
    varied = x.std(axis=0) > 1e-9
    old = np.array([getattr(current, name) for name in FEATURES])
    positive = np.where(varied, np.maximum(coefficients, 0.0), 0.0)
    budget = float(old[varied].sum())
    scale = budget / float(positive.sum()) if positive.sum() > 0 else 0.0
    proposed = np.where(varied, positive * scale, old)
    values = {name: round(float(v), 3) for name, v in zip(FEATURES, proposed, strict=True)}
    return Learnt(
        current.with_values(values),
        {name: round(float(c), 4) for name, c in zip(FEATURES, coefficients, strict=True)},
        len(examples),
        useful,
    )
