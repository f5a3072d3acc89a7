"""Calendars: one event's agenda as an `.ics` download, and a person's secret feed address
(all their meetings) that calendar apps poll; the feed page makes, rotates and revokes it."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel

from upland.actor import Actor
from upland.db import RowId, utcnow
from upland.errors import NotFound, PermissionDenied
from upland.events import queries, service
from upland.events.ical import calendar_of
from upland.mail import links
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router
from upland.web.templating import render

router = Router(include_in_schema=False)
api = Router(prefix="/api/v1", tags=["events"], dependencies=[CsrfChecked], responses=API_ERRORS)
ICS = "text/calendar; charset=utf-8"


class FeedRead(BaseModel):
    url: str


def _user(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied("log in to see your agenda", code="login_required")
    return actor.user_id


def _ics(body: bytes, filename: str) -> Response:
    headers = {"content-disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=ICS, headers=headers)


def feed_url(token: str) -> str:
    return links.absolute(f"/events/feed/{token}.ics")


@router.get("/events/{event_id:int}/agenda.ics")
def agenda_ics(event_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    """One's meetings at this event as a calendar file."""
    _user(actor)
    queries.get_event(session, actor, event_id)
    meetings = queries.calendar_meetings(session, actor, event_id)
    return _ics(calendar_of(meetings, utcnow()), f"event-{event_id}.ics")


@router.get("/events/feed/{token}.ics")
def feed_ics(token: str, session: SessionDep) -> Response:
    """Whoever holds the address: every meeting of its person, at every event."""
    owner = queries.feed_actor(session, token)
    if owner is None:
        raise NotFound("no calendar feed has this address", code="feed.not_found")
    return _ics(calendar_of(queries.calendar_meetings(session, owner), utcnow()), "upland.ics")


@router.get("/events/feed", response_class=HTMLResponse)
def feed_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    has = queries.has_feed(session, _user(actor))
    return render(request, "events/feed.html", {"has_feed": has, "url": None})


@router.post("/events/feed", response_class=HTMLResponse, dependencies=[CsrfChecked])
def rotate_feed_form(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """A new address, shown once; the previous one stops working."""
    _user(actor)
    with unit_of_work(session):
        token = service.rotate_feed_token(session, actor)
    return render(request, "events/feed.html", {"has_feed": True, "url": feed_url(token)})


@router.post("/events/feed/revoke", dependencies=[CsrfChecked])
def revoke_feed_form(session: SessionDep, actor: ActorDep) -> Response:
    _user(actor)
    with unit_of_work(session):
        service.revoke_feed_token(session, actor)
    return RedirectResponse("/events/feed", status_code=303)


@api.post("/events/feed", response_model=FeedRead, status_code=201)
def api_rotate_feed(session: SessionDep, actor: ActorDep) -> FeedRead:
    """Your calendar-feed address, new (the previous one stops working); shown only now."""
    _user(actor)
    with unit_of_work(session):
        return FeedRead(url=feed_url(service.rotate_feed_token(session, actor)))


@api.delete("/events/feed", status_code=204)
def api_revoke_feed(session: SessionDep, actor: ActorDep) -> Response:
    _user(actor)
    with unit_of_work(session):
        service.revoke_feed_token(session, actor)
    return Response(status_code=204)
