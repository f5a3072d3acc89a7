"""The marketplace's routes: the JSON API and the pages (browse, detail, forms, the owner's
list, the review queue, access requests, attachments).

Included in this order because a path parameter must not take a fixed path of a later module
(`/market/new`, `/market/mine` before `/market/{opportunity_id}`).
"""

from __future__ import annotations

from upland.market.routes import actions, api, pages
from upland.web.routing import Router

router = Router()
for part in (api.router, actions.pages, actions.router, pages.router):
    router.include_router(part)
