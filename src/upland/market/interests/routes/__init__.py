"""Routes of interests, introductions, outcomes and bookings: the JSON API and the pages."""

from __future__ import annotations

from upland.market.interests.routes import api, bookings, pages
from upland.web.routing import Router

router = Router()
for part in (api.router, pages.router, bookings.router):
    router.include_router(part)
