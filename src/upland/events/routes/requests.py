"""Meeting-request pages: a participant browses the others (filters by type, city, words) and
asks for meetings; the receiver accepts or declines on the requests page; the organiser sees
every request of the event there."""

from __future__ import annotations

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.accounts import flash
from upland.db import RowId
from upland.errors import Conflict, Invalid
from upland.events import queries, service, suggestions
from upland.events.schemas import RequestIn
from upland.events.vocab import WEIGHTS, ParticipantType
from upland.i18n import N_, Message
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, schema_input
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


@router.get("/events/{event_id:int}/participants", response_class=HTMLResponse)
def participants_page(
    event_id: RowId,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    type: str | None = None,
    city: str | None = None,
    q: str | None = None,
) -> Response:
    event = queries.get_event(session, actor, event_id)
    found = queries.list_participants(session, actor, event, kind=type, city=city, q=q)
    context = {
        "event": event,
        "participants": found,
        "filters": {"type": type or "", "city": city or "", "q": q or ""},
        "types": list(ParticipantType),
        "mine": queries.my_registration(session, actor, event),
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "events/participants.html", context)


@router.get("/events/{event_id:int}/suggestions", response_class=HTMLResponse)
def suggestions_fragment(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """“Suggested for you”, loaded into the participants page after it shows (the engine's
    ranking is the slow part); a page of its own without htmx."""
    event = queries.get_event(session, actor, event_id)
    found = suggestions.suggest_participants(session, actor, event)
    language = language_of(request)
    context = {
        "event": event,
        "suggestions": [(s, *s.reasons(language)) for s in found],
    }
    htmx = request.headers.get("hx-request") == "true"
    template = "events/_suggestions.html" if htmx else "events/suggestions.html"
    return render(request, template, context)


@router.post("/events/{event_id:int}/requests", dependencies=[CsrfChecked])
def request_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    try:
        with unit_of_work(session):
            data = RequestIn.model_validate(schema_input(RequestIn, fields))
            service.send_request(session, actor, event_id, data)
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        said = (
            " · ".join(field_errors(exc, language).values())
            if isinstance(exc, ValidationError | Invalid)
            else describe(exc, language)
        )
        flash.flash(request.session, Message(N_("Not sent: {reason}"), {"reason": said}))
        return RedirectResponse(f"/events/{event_id}/participants", status_code=303)
    flash.flash(request.session, Message(N_("Your meeting request was sent.")))
    return RedirectResponse(f"/events/{event_id}/requests", status_code=303)


@router.get("/events/{event_id:int}/requests", response_class=HTMLResponse)
def requests_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    event = queries.get_event(session, actor, event_id)
    rows = queries.list_requests(session, actor, event)
    regs = {r.requester for r in rows} | {r.receiver for r in rows}
    context = {
        "event": event,
        "requests": rows,
        "names": queries.registration_names(session, list(regs)),
        "may_decide": {r.id for r in rows if allowed(actor, "events.request.decide", r)},
        "weights": WEIGHTS,
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "events/requests.html", context)


def _decide(
    request: Request, session: SessionDep, actor: ActorDep, rid: int, accept: bool
) -> Response:
    with unit_of_work(session):
        made = service.decide_request(session, actor, rid, accept=accept)
    said = (
        N_("The meeting request is accepted.") if accept else N_("The meeting request is declined.")
    )
    flash.flash(request.session, Message(said))
    return RedirectResponse(f"/events/{made.event_id}/requests", status_code=303)


@router.post("/events/requests/{request_id:int}/accept", dependencies=[CsrfChecked])
def accept_form(
    request_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _decide(request, session, actor, request_id, True)


@router.post("/events/requests/{request_id:int}/decline", dependencies=[CsrfChecked])
def decline_form(
    request_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    return _decide(request, session, actor, request_id, False)
