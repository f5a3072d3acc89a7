"""Routes of interests, introductions, outcomes and bookings: the JSON API and the pages."""

from __future__ import annotations

from fastapi import APIRouter

from upland.market.interests.routes import api, pages

router = APIRouter()
for part in (api.router, pages.router):
    router.include_router(part)
