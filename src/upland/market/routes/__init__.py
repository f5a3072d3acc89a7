"""The marketplace's routes: the JSON API and the pages (browse, detail, forms, the owner's
list, the review queue, access requests, attachments)."""

from __future__ import annotations

from fastapi import APIRouter

from upland.market.routes import api

router = APIRouter()
for part in (api.router,):
    router.include_router(part)
