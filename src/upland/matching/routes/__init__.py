"""Matching's routes: the JSON API and the pages (find partners, an item's suggested partners,
feedback, the coordinator's report and weights)."""

from __future__ import annotations

from upland.matching.routes import api, feedback, pages, weights
from upland.web.routing import Router

router = Router()
for part in (feedback.router, weights.router, api.router, pages.router):
    router.include_router(part)
