"""The accessibility statement (deklaracja dostępności) that the act of 4 April 2019 on the
digital accessibility of public bodies' websites requires, in the structure of the ministry's
template. What depends on the deployment (the operator, contact, dates) comes from settings."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from upland.settings import get_settings
from upland.web.routing import Router
from upland.web.templating import render

router = Router(include_in_schema=False)


@router.get("/accessibility", response_class=HTMLResponse)
@router.get("/dostepnosc", response_class=HTMLResponse)
def accessibility_statement(request: Request) -> Response:
    """Public, in both languages; `/dostepnosc` is the address Polish users look for."""
    settings = get_settings()
    return render(
        request,
        "accessibility.html",
        {
            "operator": settings.accessibility_operator,
            "contact_email": settings.accessibility_contact_email,
            "contact_phone": settings.accessibility_contact_phone,
            "published": settings.accessibility_published,
            "updated": settings.accessibility_updated,
            "prepared": settings.accessibility_prepared,
            "site_url": settings.public_url or str(request.base_url).rstrip("/"),
        },
    )
