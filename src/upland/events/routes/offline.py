"""The personal agenda offline: its web-app manifest and the service worker that keeps it
(`static/agenda-sw.js`, served under `/events/` so that its scope covers every agenda)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from upland.db import RowId
from upland.events import queries
from upland.i18n import gettext_in
from upland.web.deps import ActorDep, SessionDep
from upland.web.routing import Router
from upland.web.templating import language_of

router = Router(include_in_schema=False)


@lru_cache(maxsize=1)
def _worker() -> str:
    return (resources.files("upland") / "static" / "agenda-sw.js").read_text(encoding="utf-8")


@router.get("/events/agenda-sw.js")
def agenda_worker() -> Response:
    """The service worker; its scope is `/events/` (allowed by where it is served)."""
    return Response(
        _worker(),
        media_type="text/javascript",
        headers={"service-worker-allowed": "/events/", "cache-control": "no-cache"},
    )


@router.get("/events/{event_id:int}/agenda.webmanifest")
def agenda_manifest(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """The agenda as an app on a phone's home screen (for whoever may see the event)."""
    event = queries.get_event(session, actor, event_id)
    language = language_of(request)
    title = (event.title_en if language == "en" and event.title_en else None) or (
        event.title_pl or event.title_en
    )
    name = f"{gettext_in(language, 'My agenda')}: {title}"
    manifest = {
        "name": name[:200],
        "short_name": gettext_in(language, "My agenda"),
        "lang": language,
        "start_url": f"/events/{event.id}/agenda",
        "scope": f"/events/{event.id}/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1d4ed8",
        "icons": [{"src": "/static/upland-mark.svg", "sizes": "any", "type": "image/svg+xml"}],
    }
    return JSONResponse(manifest, media_type="application/manifest+json")
