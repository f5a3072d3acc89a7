"""The public home page (`/`) and the starting page of a logged-in person (`/start`)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from upland import panels
from upland.errors import PermissionDenied
from upland.home import cache, disclosure, figures
from upland.organisations import statistics
from upland.web.deps import ActorDep, SessionDep
from upland.web.routing import Router
from upland.web.templating import render

router = Router(include_in_schema=False)
NEWEST = 6


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Figures are suppressed for everyone alike (the page is the public face of the cluster)
    and kept briefly (`home.cache`); the newest members are those the viewer may see."""
    newest = statistics.newest_members(session, actor, limit=NEWEST)
    context = {
        "figures": cache.public_figures(session),
        "newest": newest,
        "names": figures.place_names(session, {o.teryt for o in newest if o.teryt}),
        "min_cell": disclosure.MIN_CELL,
    }
    return render(request, "home/index.html", context)


@router.get("/start", response_class=HTMLResponse)
def start_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    if actor.is_anonymous:
        raise PermissionDenied("log in first", code="login_required")
    return render(request, "home/start.html", {"shown": panels.shown_to(session, actor)})
