"""Routes of saved searches and follows: the JSON API and the pages."""

from __future__ import annotations

from upland.market.saved.routes import api, pages
from upland.web.routing import Router

router = Router()
for part in (api.router, pages.router):
    router.include_router(part)
