"""Jinja2 environment shared by every area's pages."""

from __future__ import annotations

import datetime as dt
import logging
from importlib import resources
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.exc import SQLAlchemyError

from upland.notifications.queries import count_unread
from upland.panels import item_panels_for
from upland.web import i18n
from upland.web.deps import csrf_token, session_outside_routes
from upland.web.language import switch_href
from upland.web.return_to import login_href

WARSAW = ZoneInfo("Europe/Warsaw")
log = logging.getLogger(__name__)

templates = Jinja2Templates(directory=str(resources.files("upland") / "templates"))


def local_time(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """Stored UTC, shown in Warsaw time."""
    return value.astimezone(WARSAW).strftime(fmt) if value else ""


def _query(params: dict[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "")}
    return urlencode(merged)


templates.env.filters["local_time"] = local_time
templates.env.globals["query"] = _query
templates.env.globals["language_switch"] = switch_href
templates.env.globals["login_href"] = login_href
templates.env.globals["item_panels"] = item_panels_for
i18n.install(templates.env)


def language_of(request: Request) -> str:
    """The page language the request middleware chose (from ?lang=, cookie, Accept-Language)."""
    return str(getattr(request.state, "language", "pl"))


def unread_notifications(request: Request) -> int:
    """The unread count in the navigation: one indexed count per request, asked only by pages
    that show it to a logged-in person (a route that has it already puts it in the state)."""
    cached = getattr(request.state, "unread_notifications", None)
    if cached is not None:
        return int(cached)
    actor = getattr(request.state, "actor", None)
    count = 0
    if actor is not None and actor.user_id is not None:
        try:
            with session_outside_routes(request.app) as session:
                count = count_unread(session, actor)
        except SQLAlchemyError:  # an error page about the database still renders
            log.warning("unread notifications not counted", exc_info=True)
    request.state.unread_notifications = count
    return count


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    language = language_of(request)
    actor = getattr(request.state, "actor", None)
    full = {
        "request": request,
        "lang": language,
        "actor": actor,
        "user_name": getattr(request.state, "user_name", None),
        "csrf_token": csrf_token(request),
        "unread_notifications": lambda: unread_notifications(request),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, full, status_code=status_code)
