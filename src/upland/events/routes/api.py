"""Events in the JSON API (`/api/v1/events…`), over the same queries and services as the pages."""

from __future__ import annotations

from upland.db import RowId
from upland.events import presenters, queries, service
from upland.events.models import Event
from upland.events.schemas import EventIn, EventList, EventRead
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.errors import API_ERRORS
from upland.web.routing import Router

router = Router(prefix="/api/v1", tags=["events"], dependencies=[CsrfChecked], responses=API_ERRORS)


def _read(session: SessionDep, event: Event) -> EventRead:
    return presenters.read_event(event, presenters.organiser_names(session, [event]))


@router.get("/events", response_model=EventList)
def api_list_events(session: SessionDep, actor: ActorDep) -> EventList:
    """Events you may see, soonest first: published and cancelled ones for everyone, drafts for
    their organiser and the cluster's staff."""
    events = queries.list_events(session, actor)
    names = presenters.organiser_names(session, events)
    return EventList(items=[presenters.read_event(e, names) for e in events])


@router.post("/events", response_model=EventRead, status_code=201)
def api_create_event(data: EventIn, session: SessionDep, actor: ActorDep) -> EventRead:
    """A draft event. Staff organise for the cluster (`organiser_id` null) or any organisation;
    editors of a business-support, research, local-government or coordinating organisation
    for it."""
    with unit_of_work(session):
        return _read(session, service.create_event(session, actor, data))


@router.get("/events/{event_id:int}", response_model=EventRead)
def api_get_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    return _read(session, queries.get_event(session, actor, event_id))


@router.put("/events/{event_id:int}", response_model=EventRead)
def api_update_event(
    event_id: RowId, data: EventIn, session: SessionDep, actor: ActorDep
) -> EventRead:
    """Replace the event's fields, sessions and tables (its organiser stays)."""
    with unit_of_work(session):
        return _read(session, service.update_event(session, actor, event_id, data))


@router.post("/events/{event_id:int}/publish", response_model=EventRead)
def api_publish_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    """Show a draft to everyone (409 `event.incomplete`: a brokerage day without sessions or
    tables)."""
    with unit_of_work(session):
        return _read(session, service.publish_event(session, actor, event_id))


@router.post("/events/{event_id:int}/cancel", response_model=EventRead)
def api_cancel_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    with unit_of_work(session):
        return _read(session, service.cancel_event(session, actor, event_id))
