"""The events' pages: the list (published events for everyone), an event's page, the form to
create or edit one (forgiving: the input stays on error, each message beside its field), and
the organiser's buttons (publish, cancel). Every write goes through `events.service`."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland import clock
from upland.accounts import flash
from upland.actor import Actor
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.events import presenters, queries, service
from upland.events.models import Event
from upland.events.routes.forms import EventForm, form_values, schema_data
from upland.events.schemas import EventIn
from upland.events.vocab import EventKind, Language, ParticipantType, RequestMode
from upland.i18n import N_, Message
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import form_page_errors, schema_input
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
OPTIONS = {
    "kinds": list(EventKind),
    "languages": list(Language),
    "types": list(ParticipantType),
    "modes": list(RequestMode),
}


def _errors(request: Request, exc: Exception, problems: dict[str, str]) -> dict[str, str]:
    return form_page_errors(language_of(request), exc, problems, N_("cannot read “%(entry)s”"))


def _form_page(
    request: Request,
    session: Any,
    actor: Actor,
    event: Event | None,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    context = {
        "event": event,
        "values": values,
        "errors": errors,
        "organisers": queries.organiser_choices(session, actor) if event is None else [],
        **OPTIONS,
    }
    return render(request, "events/edit.html", context, status)


@router.get("/events", response_class=HTMLResponse)
def events_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    events = queries.list_events(session, actor)
    context = {
        "events": events,
        "names": presenters.organiser_names(session, events),
        "today": clock.today(),
        "may_organise": bool(queries.organiser_choices(session, actor)),
        "may_area_report": allowed(actor, "events.report.area"),
        "title_of": presenters.title_of,
    }
    return render(request, "events/list.html", context)


@router.get("/events/new", response_class=HTMLResponse)
def new_event_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    organisers = queries.organiser_choices(session, actor)
    if not organisers:
        raise PermissionDenied(
            "only the coordinator and organising organisations create events",
            code="events.create_denied",
        )
    values = {
        "kind": "brokerage",
        "organiser_id": organisers[0][0],
        "languages": ["pl"],
        "participant_types": ["company"],
        "request_mode": "acceptance",
        "table_count": 10,
    }
    return _form_page(request, session, actor, None, values, {})


@router.post("/events/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
def create_event_form(
    request: Request, session: SessionDep, actor: ActorDep, form: EventForm
) -> Response:
    data, problems = schema_data(form)
    try:
        if problems:
            raise Invalid([])
        with unit_of_work(session):
            made = service.create_event(
                session, actor, EventIn.model_validate(schema_input(EventIn, data))
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        return _form_page(request, session, actor, None, form, _errors(request, exc, problems), 422)
    flash.flash(request.session, Message(N_("The event was saved as a draft.")))
    return RedirectResponse(f"/events/{made.id}", status_code=303)


@router.get("/events/{event_id:int}", response_class=HTMLResponse)
def event_page(event_id: RowId, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    event = queries.get_event(session, actor, event_id)
    context = {
        "event": event,
        "title": presenters.title_of(event, language_of(request)),
        "organiser": presenters.organiser_names(session, [event]).get(event.organiser_id or 0),
        "video_link": queries.video_link(session, actor, event),
        "slots": queries.slots_of_event(event),
        "may_edit": allowed(actor, "events.event.edit", event),
        "may_report": allowed(actor, "events.report.view", event),
        "done": flash.take(request.session, language_of(request)),
        **_registration_context(session, actor, event),
    }
    return render(request, "events/detail.html", context)


def _registration_context(session: Any, actor: Actor, event: Event) -> dict[str, Any]:
    """What the registration section needs: one's own registration, whether it is open, the
    organisations one may register for and the profile's "what we offer" to start from."""
    mine = queries.my_registration(session, actor, event)
    orgs = sorted(actor.org_roles)
    names = dict(queries.organisation_names(session, orgs))
    return {
        "mine": mine,
        "open": service.registration_open(event, clock.today()),
        "my_organisations": [(o, names.get(o, str(o))) for o in orgs],
        "offer_prefill": service.profile_offer(session, actor, orgs[0]) if len(orgs) == 1 else "",
    }


def _editable(session: Any, actor: Actor, event_id: int) -> Event:
    event = service.visible_event(session, actor, event_id)
    if not allowed(actor, "events.event.edit", event):
        raise PermissionDenied("only the event's organiser changes it", code="events.edit_denied")
    return event


@router.get("/events/{event_id:int}/edit", response_class=HTMLResponse)
def edit_event_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    event = _editable(session, actor, event_id)
    return _form_page(request, session, actor, event, form_values(event), {})


@router.post("/events/{event_id:int}/edit", response_class=HTMLResponse, dependencies=[CsrfChecked])
def edit_event_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep, form: EventForm
) -> Response:
    data, problems = schema_data(form)
    event = _editable(session, actor, event_id)
    data["kind"] = data.get("kind") or event.kind
    try:
        if problems:
            raise Invalid([])
        with unit_of_work(session):
            service.update_event(
                session, actor, event_id, EventIn.model_validate(schema_input(EventIn, data))
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        event = _editable(session, actor, event_id)
        return _form_page(
            request, session, actor, event, form, _errors(request, exc, problems), 422
        )
    flash.flash(request.session, Message(N_("The event was saved.")))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id:int}/publish", dependencies=[CsrfChecked])
def publish_event_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.publish_event(session, actor, event_id)
    flash.flash(request.session, Message(N_("The event is published.")))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id:int}/video-link", dependencies=[CsrfChecked])
def video_link_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """A new link for the event's video rooms; the old one works no more."""
    with unit_of_work(session):
        service.issue_video_link(session, actor, event_id)
    flash.flash(
        request.session,
        Message(
            N_(
                "A new video-room link is issued: the old one works no more and the "
                "participants are told."
            )
        ),
    )
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id:int}/cancel", dependencies=[CsrfChecked])
def cancel_event_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        service.cancel_event(session, actor, event_id)
    flash.flash(request.session, Message(N_("The event is cancelled.")))
    return RedirectResponse(f"/events/{event_id}", status_code=303)
