"""The events' routes: the JSON API and the pages (fixed paths such as `/events/new` come
before `/events/{event_id}`)."""

from __future__ import annotations

from upland.events.routes import (
    api,
    feeds,
    offline,
    pages,
    registrations,
    report,
    requests,
    schedule,
)
from upland.web.routing import Router

router = Router()
for part in (
    api.router,
    feeds.api,
    feeds.router,
    report.api,
    report.router,
    registrations.router,
    requests.router,
    schedule.router,
    offline.router,
    pages.router,
):
    router.include_router(part)
