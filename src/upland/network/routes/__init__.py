"""The network's routes: the JSON API (`api`) and the pages (`pages`: the metrics, the graph,
the graph as a table; `mine`: "your network" and its forms)."""

from __future__ import annotations

from upland.network.routes import api, mine, pages
from upland.web.routing import Router

router = Router()
for part in (api.api, pages.router, mine.router):
    router.include_router(part)
