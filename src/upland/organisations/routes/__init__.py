"""The registry's routes: JSON API, list and detail pages, profile editing, imports.

Included in this order because a path parameter must not take a fixed path of a later module
(`/organisations/import`, `/organisations/new` before `/organisations/{org_id}`).
"""

from __future__ import annotations

from upland.organisations.routes import api, imports, pages, profile
from upland.web.routing import Router

router = Router()
for part in (api.router, imports.api, imports.router, profile.router, pages.router):
    router.include_router(part)
