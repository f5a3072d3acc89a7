"""Learnt weights: a feature that separates useful from not relevant gains, one that does not
loses, one never varied keeps its weight; too few examples propose nothing."""

from __future__ import annotations

from upland.matching.scoring import Weights
from upland.matching.weights.learning import MIN_EXAMPLES, learn


def _examples() -> list[tuple[dict[str, float], bool]]:
    rows = []
    for i in range(40):
        useful = i % 2 == 0
        rows.append(
            (
                {
                    "text": 0.5 + (i % 5) / 10,  # the same for both verdicts on average
                    "capability": 1.0 if useful else 0.0,  # separates them
                    "distance": (i % 3) / 3,
                },
                useful,
            )
        )
    return rows


def test_the_separating_feature_gains():
    current = Weights()
    learnt = learn(_examples(), current)
    assert learnt is not None and learnt.examples == 40 and learnt.useful == 20
    assert learnt.weights.capability > current.capability
    assert learnt.weights.text < current.text
    assert learnt.weights.pkd == current.pkd  # no example varied in it
    assert all(getattr(learnt.weights, f) >= 0 for f in ("text", "capability", "distance"))


def test_too_few_or_one_sided_examples_propose_nothing():
    assert learn(_examples()[: MIN_EXAMPLES - 1], Weights()) is None
    assert learn([(f, True) for f, _ in _examples()], Weights()) is None
