"""The demo dated to the day it is loaded: every date of the world and its history moves by
one delta, so a demo loaded years after `AS_OF` still has its story end the day before, with
open opportunities, and nothing in the future."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from upland.demo import dating
from upland.demo.history.steps import timeline
from upland.demo.opportunities import MarketWorld
from upland.demo.opportunities.specs import Status
from upland.demo.opportunities.timeline import END, day_start
from upland.demo.profiles import AS_OF
from upland.demo.world import World

LOADED = dt.date(2029, 2, 14)


def _dates(value: Any) -> Iterator[dt.date]:
    """Every date and datetime in `value`, in a fixed order."""
    if isinstance(value, dt.date):
        yield value
    elif hasattr(value, "__dataclass_fields__"):
        for name in value.__dataclass_fields__:
            yield from _dates(getattr(value, name))
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _dates(getattr(value, name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _dates(item)


def _live_on(market: MarketWorld, day: dt.date) -> int:
    return sum(
        o.status == Status.PUBLISHED and o.expires_on >= day and o.published_at is not None
        for o in market.opportunities
    )


def test_loaded_on_a_later_day_every_date_moves_by_one_delta(
    demo_world: World, market: MarketWorld
) -> None:
    by = dating.delta(LOADED)
    for original in (demo_world, market):
        before = list(_dates(original))
        after = list(_dates(dating.shifted(original, by)))
        assert before and len(after) == len(before)
        assert all(a - b == by for a, b in zip(after, before, strict=True))


def test_the_history_ends_the_day_before_the_load_with_opportunities_open(
    market: MarketWorld,
) -> None:
    assert _live_on(market, LOADED) == 0  # as generated, the story is long over by then
    by = dating.delta(LOADED)
    moved = dating.shifted(market, by)
    steps = timeline(moved)
    assert steps[-1].at < day_start(LOADED)
    assert steps[-1].at == timeline(market)[-1].at + by
    assert END + by == dt.datetime.combine(LOADED, dt.time(18), dt.UTC) - dt.timedelta(days=1)
    assert _live_on(moved, LOADED) == _live_on(market, AS_OF + dt.timedelta(days=1)) > 0
    assert [s.action for s in steps] == [s.action for s in timeline(market)]


def test_the_same_day_gives_the_same_demo_and_the_day_after_as_of_the_original(
    market: MarketWorld,
) -> None:
    by = dating.delta(LOADED)
    assert dating.shifted(market, by) == dating.shifted(market, by)
    assert dating.shifted(market, dating.delta(AS_OF + dt.timedelta(days=1))) is market
    assert END.date() == AS_OF


def test_what_the_original_shares_the_copy_shares(market: MarketWorld) -> None:
    moved = dating.shifted(market, dt.timedelta(days=3))
    first = moved.opportunities[0]
    assert moved.opportunity(first.key) is first
    assert dating.shifted((market, market), dt.timedelta(days=3))[1] is not market
    pair = dating.shifted((market, market), dt.timedelta(days=3))
    assert pair[0] is pair[1]
