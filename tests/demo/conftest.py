"""The demo world and its marketplace, built once for the demo tests that only read them."""

from __future__ import annotations

import pytest

from upland.demo.opportunities import MarketWorld, build_market
from upland.demo.world import World, build_world


@pytest.fixture(scope="session")
def demo_world() -> World:
    return build_world()


@pytest.fixture(scope="session")
def market(demo_world: World) -> MarketWorld:
    return build_market(demo_world)
