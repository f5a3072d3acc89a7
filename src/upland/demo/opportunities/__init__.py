"""The marketplace's demo world: about 300 opportunities with their interests, introductions,
outcomes and bookings, generated from the demo `World`'s organisations.

`build.build_market(world)` is pure and seeded like `world.build_world`: same world and seed,
same market; the world's "today" is `profiles.AS_OF`. It returns plain frozen dataclasses
(`specs`) that a loader feeds to the market services; nothing here touches a database.
"""

from upland.demo.opportunities.build import build_market
from upland.demo.opportunities.specs import (
    BookingSpec,
    InterestSpec,
    MarketWorld,
    OpportunitySpec,
    OutcomeSpec,
)

__all__ = [
    "BookingSpec",
    "InterestSpec",
    "MarketWorld",
    "OpportunitySpec",
    "OutcomeSpec",
    "build_market",
]
