"""Ending one's log-in sessions: one, or all but this one, from the account page; the same
over the API (`/api/v1/me/sessions`)."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from upland.accounts import flash, queries, service
from upland.accounts.schemas import (
    SessionRead,
)
from upland.db import RowId
from upland.i18n import N_, Message, plural_message
from upland.web.deps import (
    ActorDep,
    CsrfChecked,
    SessionDep,
    unit_of_work,
)
from upland.web.errors import API_ERRORS
from upland.web.routing import Router

pages = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["accounts"], dependencies=[CsrfChecked], responses=API_ERRORS)


@pages.post("/account/sessions/{session_id}/end", dependencies=[CsrfChecked])
def end_session_form(
    session_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        device = service.end_session(session, actor, session_id)
    said = N_("The session on {device} has ended.") if device else N_("The session has ended.")
    flash.flash(request.session, Message(said, {"device": device} if device else {}))
    return RedirectResponse("/account#sessions", status_code=303)


@pages.post("/account/sessions/end-others", dependencies=[CsrfChecked])
def end_other_sessions_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        ended = service.end_other_sessions(session, actor)
    flash.flash(
        request.session,
        plural_message("{n} other session has ended.", "{n} other sessions have ended.", n=ended),
    )
    return RedirectResponse("/account#sessions", status_code=303)


@api.get("/me/sessions", response_model=list[SessionRead])
def api_my_sessions(session: SessionDep, actor: ActorDep) -> list[SessionRead]:
    """Your active log-in sessions (browsers), most recently used first."""
    return [
        SessionRead(
            id=s.id,
            device=s.device,
            address=s.address,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            current=s.id == actor.session_id,
        )
        for s in queries.list_sessions(session, actor)
    ]


@api.delete("/me/sessions/{session_id}", status_code=204)
def api_end_my_session(session_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """Log out one of your sessions, wherever that browser is."""
    with unit_of_work(session):
        service.end_session(session, actor, session_id)
    return Response(status_code=204)
