"""The development outbox page (`upland.mail`'s outbox folder): only in development mode (404
otherwise, so production never shows e-mailed links to anyone) and only for staff."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse

from upland.errors import NotFound, PermissionDenied
from upland.mail import outbox
from upland.settings import get_settings
from upland.web.deps import ActorDep
from upland.web.routing import Router
from upland.web.templating import render

router = Router(include_in_schema=False)


@router.get("/dev/outbox", response_class=HTMLResponse)
def outbox_page(request: Request, actor: ActorDep) -> Response:
    if not get_settings().dev_mode:
        raise NotFound("there is no such page", code="page.not_found")
    if not actor.is_staff:
        raise PermissionDenied(
            "the outbox is for the coordinators and platform admins", code="outbox.staff_only"
        )
    return render(request, "mail/outbox.html", {"entries": outbox.list_outbox()})
