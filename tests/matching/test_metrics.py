"""The evaluation's metrics at 10, on hand-computed cases; unjudged results are counted apart."""

from __future__ import annotations

import math

import pytest

from upland.matching.evaluation import judged_share, ndcg, recall, reciprocal_rank


@pytest.mark.parametrize(
    ("ranked", "judged", "expected"),
    [
        ([2, 1], [2, 1], 1.0),
        ([1, 2], [2, 1], (1 + 3 / math.log2(3)) / (3 + 1 / math.log2(3))),
        ([None, 2], [2], (3 / math.log2(3)) / 3),
        ([0, 0], [2, 0], 0.0),
        ([], [2], 0.0),
    ],
)
def test_ndcg(ranked: list[int | None], judged: list[int], expected: float) -> None:
    assert ndcg(ranked, judged) == pytest.approx(expected)


def test_recall_mrr_and_judged_share() -> None:
    ranked: list[int | None] = [None, 0, 1, None, 2]
    assert recall(ranked, [2, 1, 1, 0]) == pytest.approx(2 / 3)
    assert reciprocal_rank(ranked) == pytest.approx(1 / 3)
    assert judged_share(ranked) == pytest.approx(3 / 5)
    assert reciprocal_rank([None, 0]) == 0.0
    assert recall([2], [0]) == 0.0
