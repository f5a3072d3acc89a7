"""The pure scoring of missing ties: candidates at distance two by Adamic–Adar, pairs that
ever had a relation left out, the aims' bonuses, and the matching engine's say."""

from __future__ import annotations

import math

import pytest

from upland.network.recommendations.scoring import (
    CROSS_CITY_BONUS,
    SCIENCE_BUSINESS_BONUS,
    Candidate,
    Org,
    candidates,
    cross_city,
    rank,
    science_business,
    structure,
)

STAR = [(0, 1), (0, 2), (0, 3)]  # 0 is a hub of three
PATH = [(1, 2), (2, 3)]


@pytest.mark.parametrize(
    ("ties", "never", "expected"),
    [
        ([], (), []),
        ([(1, 2)], (), []),  # a lone tie: nobody at distance two
        (PATH, (), [((1, 3), (2,), 1 / math.log(2))]),
        (PATH, [(1, 3)], []),  # had a relation once (withdrawn): never suggested
        ([*PATH, (3, 1)], (), []),  # a triangle is closed
        (
            STAR,
            (),
            [
                ((1, 2), (0,), 1 / math.log(3)),
                ((1, 3), (0,), 1 / math.log(3)),
                ((2, 3), (0,), 1 / math.log(3)),
            ],
        ),
        (  # two shared partners add up; the hub of three counts less than a partner of two
            [(1, 2), (2, 3), (1, 4), (4, 3), (4, 5)],
            (),
            [
                ((1, 3), (2, 4), 1 / math.log(2) + 1 / math.log(3)),
                ((2, 4), (1, 3), 2 / math.log(2)),
                ((1, 5), (4,), 1 / math.log(3)),
                ((3, 5), (4,), 1 / math.log(3)),
            ],
        ),
        ([(2, 1), (1, 2), (3, 1), (1, 1)], (), [((2, 3), (1,), 1 / math.log(2))]),  # doubles, loops
    ],
)
def test_candidates(ties, never, expected) -> None:
    found = [(c.pair, c.shared, pytest.approx(c.adamic_adar)) for c in candidates(ties, never)]
    assert sorted(found, key=lambda f: (-f[2].expected, f[0])) == found
    assert sorted(found) == sorted(expected)


LUBLIN, RADOM = "0663011", "1463011"


@pytest.mark.parametrize(
    ("a", "b", "across", "science"),
    [
        (Org(LUBLIN, "company"), Org(RADOM, "company"), True, False),
        (Org(LUBLIN, "company"), Org(LUBLIN, "research"), False, True),
        (Org(LUBLIN, "research"), Org(RADOM, "company"), True, True),
        (Org(None, "company"), Org(RADOM, "research"), False, True),  # outside: not a city
        (Org(None, "research"), Org(None, "research"), False, False),
        (None, Org(RADOM, "company"), False, False),
    ],
)
def test_the_aims_bonuses(a, b, across, science) -> None:
    assert (cross_city(a, b), science_business(a, b)) == (across, science)
    orgs = {i: o for i, o in ((1, a), (2, b)) if o is not None}
    lifted = structure(Candidate((1, 2), (3,), 2.0), orgs)
    expected = 2.0 * (1 + CROSS_CITY_BONUS * across + SCIENCE_BUSINESS_BONUS * science)
    assert lifted == pytest.approx(expected)


def test_rank_keeps_what_matching_also_suggests() -> None:
    orgs = {1: Org(LUBLIN, "company"), 2: Org(LUBLIN, "company"), 3: Org(RADOM, "research")}
    found = [
        Candidate((1, 2), (9,), 1.0),
        Candidate((1, 3), (9,), 1.0),
        Candidate((2, 3), (9,), 1.0),
        Candidate((4, 5), (9,), 5.0),
    ]
    match = {(1, 2): 0.9, (1, 3): 0.5, (2, 3): 0.05}  # (4, 5) not scored: opted out
    ranked = rank(found, orgs, match)
    assert [r.pair for r in ranked] == [(1, 3), (1, 2)]  # (2, 3): matching says too little
    first = ranked[0]
    assert (first.cross_city, first.science_business) == (True, True)
    assert first.structure == pytest.approx(2.0) and first.score == pytest.approx(1.0)
    assert [r.pair for r in rank(found, orgs, match, limit=1)] == [(1, 3)]
    assert [r.pair for r in rank(found, orgs, match, min_match=0.6)] == [(1, 2)]
