"""Registration pages: a member registers for their organisation and a guest asks for a place
(both from the event's page), each cancels their own; the organiser lists the registrations,
validates guests and cancels; a guest's e-mail link switches the event's e-mails off."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland.accounts import flash
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.events import queries, service
from upland.events.mailing import LinkPurpose
from upland.events.schemas import GuestIn, RegistrationIn
from upland.events.vocab import Presence
from upland.i18n import N_, Message
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, client_address, unit_of_work
from upland.web.forms import field_errors, schema_input
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)
LISTS = ("sessions", "topics")


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key == "csrf_token" or not isinstance(value, str) or not value.strip():
            continue
        if key == "sessions":
            data.setdefault(key, []).append(value)
        elif key == "topics":
            data[key] = [t.strip() for t in value.split(";") if t.strip()]
        else:
            data[key] = value.strip()
    return data


Form = Annotated[dict[str, Any], Depends(_form)]


def _refused(request: Request, exc: Exception, event_id: int) -> Response:
    """Back to the event's page saying why (the input is short: it is typed again)."""
    language = language_of(request)
    if isinstance(exc, ValidationError | Invalid):
        said = " · ".join(field_errors(exc, language).values())
    else:
        said = describe(exc, language)  # type: ignore[arg-type]
    flash.flash(request.session, Message(N_("Not registered: {reason}"), {"reason": said}))
    return RedirectResponse(f"/events/{event_id}#register", status_code=303)


@router.post("/events/{event_id:int}/register", dependencies=[CsrfChecked])
def register_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: Form
) -> Response:
    if actor.user_id is None:
        raise PermissionDenied("log in to register", code="login_required")
    try:
        with unit_of_work(session):
            data = RegistrationIn.model_validate(schema_input(RegistrationIn, fields))
            made = service.register(session, actor, event_id, data)
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        return _refused(request, exc, event_id)
    said = (
        N_("You are registered.")
        if made.status == "confirmed"
        else N_("You are on the waiting list.")
    )
    flash.flash(request.session, Message(said))
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.post("/events/{event_id:int}/guests", dependencies=[CsrfChecked])
def guest_form(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: Form
) -> Response:
    try:
        with unit_of_work(session):
            data = GuestIn.model_validate(schema_input(GuestIn, fields))
            service.ask_for_guest_place(
                session, actor, event_id, data, client_address(request), language_of(request)
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        return _refused(request, exc, event_id)
    flash.flash(
        request.session,
        Message(
            N_("Thank you: the organiser will validate your registration; we will e-mail you.")
        ),
    )
    return RedirectResponse(f"/events/{event_id}", status_code=303)


@router.get("/events/{event_id:int}/registrations", response_class=HTMLResponse)
def registrations_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    event = queries.get_event(session, actor, event_id)
    if not allowed(actor, "events.event.edit", event):
        raise PermissionDenied(
            "only the event's organiser lists its registrations", code="events.edit_denied"
        )
    registrations = queries.list_registrations(session, actor, event)
    context = {
        "event": event,
        "registrations": registrations,
        "names": queries.registration_names(session, registrations),
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "events/registrations.html", context)


def _back(registration: Any, actor: Any) -> str:
    event = registration.event
    if allowed(actor, "events.event.edit", event):
        return f"/events/{event.id}/registrations"
    return f"/events/{event.id}"


@router.post("/events/registrations/{registration_id:int}/validate", dependencies=[CsrfChecked])
def validate_form(
    registration_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        made = service.validate_registration(session, actor, registration_id)
    flash.flash(request.session, Message(N_("The registration is validated.")))
    return RedirectResponse(_back(made, actor), status_code=303)


@router.post("/events/registrations/{registration_id:int}/cancel", dependencies=[CsrfChecked])
def cancel_form(
    registration_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    with unit_of_work(session):
        made = service.cancel_registration(session, actor, registration_id)
    flash.flash(request.session, Message(N_("The registration is cancelled.")))
    return RedirectResponse(_back(made, actor), status_code=303)


@router.get("/events/mail-off/{token}", response_class=HTMLResponse)
def mail_off_page(token: str, request: Request, session: SessionDep) -> Response:
    service.guest_of_link(session, token, LinkPurpose.MAIL_OFF)  # a wrong one says so at once
    return render(request, "events/mail_off.html", {"token": token, "done": False})


@router.post("/events/mail-off/{token}", response_class=HTMLResponse, dependencies=[CsrfChecked])
def mail_off_form(token: str, request: Request, session: SessionDep) -> Response:
    with unit_of_work(session):
        service.switch_guest_mail_off(session, token)
    return render(request, "events/mail_off.html", {"token": token, "done": True})


@router.get("/events/mail-off/{token}/data")
def guest_data_download(token: str, session: SessionDep) -> Response:
    """The guest's personal data (their registrations and requests) as a JSON file."""
    data = service.export_guest_of_link(session, token)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="upland-my-event-data.json"'},
    )


@router.get("/events/mail-off/{token}/erase", response_class=HTMLResponse)
def guest_erase_page(token: str, request: Request, session: SessionDep) -> Response:
    """The guest confirms they want their data erased (nothing is erased by opening a link)."""
    service.guest_of_link(session, token, LinkPurpose.ERASE)
    return render(request, "events/guest_erase.html", {"token": token, "done": False})


@router.post(
    "/events/mail-off/{token}/erase", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def guest_erase_form(token: str, request: Request, session: SessionDep) -> Response:
    """Erase the guest's personal data as staff would (`events.service.erase_guest_of_link`)."""
    with unit_of_work(session):
        service.erase_guest_of_link(session, token)
    return render(request, "events/guest_erase.html", {"token": token, "done": True})


@router.get("/events/{event_id:int}/check-in", response_class=HTMLResponse)
def check_in_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """The organiser's list at the door: confirmed participants, marked present or no-show."""
    event = queries.get_event(session, actor, event_id)
    if not allowed(actor, "events.event.edit", event):
        raise PermissionDenied(
            "only the event's organiser lists its registrations", code="events.edit_denied"
        )
    confirmed = [
        r for r in queries.list_registrations(session, actor, event) if r.status == "confirmed"
    ]
    context = {
        "event": event,
        "registrations": confirmed,
        "names": queries.registration_names(session, confirmed),
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "events/check_in.html", context)


@router.post("/events/registrations/{registration_id:int}/attendance", dependencies=[CsrfChecked])
def attendance_form(
    registration_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: Form
) -> Response:
    given = fields.get("attendance")
    presence = Presence(given) if given in {p.value for p in Presence} else None
    with unit_of_work(session):
        made = service.mark_attendance(session, actor, registration_id, presence)
    flash.flash(request.session, Message(N_("Attendance saved.")))
    return RedirectResponse(f"/events/{made.event_id}/check-in", status_code=303)
