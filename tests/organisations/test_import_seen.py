"""First rows of NIPs and REGONs: the same answers before and after spilling to arrays."""

from __future__ import annotations

import random

from upland.organisations.imports.seen import FirstRows


def test_first_row_of_each_key_across_spills():
    rng = random.Random(7)
    seen = FirstRows(spill=50)
    expected: dict[int, int] = {}
    for row in range(2, 2000):
        key = rng.randrange(10**10 - 600, 10**10)  # many repeats, keys near the int64 top range
        assert seen.first(key, row) == expected.setdefault(key, row)
    assert len(seen) == len(expected)


def test_a_new_key_is_its_own_first_row():
    seen = FirstRows(spill=2)
    assert [seen.first(k, r) for r, k in enumerate([5, 9, 5, 3, 9, 1, 3], start=10)] == [
        10,
        11,
        10,
        13,
        11,
        15,
        13,
    ]
