"""The schedule's pages: the organiser queues scheduling (followed on the job's page), sees
the table plan slot by slot with the unplaced requests and their reasons, locks and moves
meetings; each participant sees their own agenda (printable)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from upland import clock
from upland.accounts import flash
from upland.db import RowId
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.events import queries, service
from upland.events.models import Event, EventMeeting
from upland.events.schemas import MeetingOutcomeIn
from upland.events.video import meeting_room_link
from upland.events.vocab import AGREEMENT_REPORTED, MeetingOutcome
from upland.i18n import N_, Message
from upland.market.vocab import PartnershipType
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, unit_of_work
from upland.web.forms import FormFields, field_errors, schema_input
from upland.web.messages import describe
from upland.web.routing import Router
from upland.web.templating import language_of, render

router = Router(include_in_schema=False)


def _organiser(session: Any, actor: Any, event_id: int) -> Event:
    event = queries.get_event(session, actor, event_id)
    if not allowed(actor, "events.event.edit", event):
        raise PermissionDenied("only the event's organiser schedules it", code="events.edit_denied")
    return event


def meeting_rows(session: Any, event: Event, meetings: list[EventMeeting]) -> list[dict[str, Any]]:
    """Each meeting with its time, table name and both sides named, in time order."""
    slots = {s.id: s for s in queries.slots_of_event(event)}
    regs = [r for m in meetings for r in (m.request.requester, m.request.receiver)]
    names = queries.registration_names(session, regs)
    rows = []
    for m in meetings:
        slot = slots.get(m.slot)
        names_of = [names.get(r.id, ("", "")) for r in (m.request.requester, m.request.receiver)]
        table = m.table_no
        rows.append(
            {
                "meeting": m,
                "slot": slot,
                "table": event.table_names[table - 1]
                if table <= len(event.table_names)
                else str(table),
                "sides": names_of,
                "registrations": (m.request.requester, m.request.receiver),
            }
        )
    return rows


@router.post("/events/{event_id:int}/schedule", dependencies=[CsrfChecked])
def schedule_form(event_id: RowId, session: SessionDep, actor: ActorDep) -> Response:
    with unit_of_work(session):
        job = service.queue_schedule(session, actor, event_id)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


@router.get("/events/{event_id:int}/schedule", response_class=HTMLResponse)
def schedule_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    event = _organiser(session, actor, event_id)
    meetings = queries.list_meetings(session, actor, event)
    unplaced = event.schedule_report.get("unplaced", {})
    requests = {str(r.id): r for r in queries.list_requests(session, actor, event)}
    regs = [x for r in requests.values() for x in (r.requester, r.receiver)]
    context = {
        "event": event,
        "rows": meeting_rows(session, event, meetings),
        "slots": queries.slots_of_event(event),
        "report": event.schedule_report,
        "unplaced": [(requests[k], reason) for k, reason in unplaced.items() if k in requests],
        "names": queries.registration_names(session, regs),
        "done": flash.take(request.session, language_of(request)),
        "outcome_counts": _outcome_counts(meetings),
    }
    return render(request, "events/schedule.html", context)


def _outcome_counts(meetings: list[EventMeeting]) -> list[tuple[str, int]]:
    """The event's report: how many meetings came to each outcome."""
    counts = {o.value: 0 for o in MeetingOutcome} | {AGREEMENT_REPORTED: 0}
    for m in meetings:
        if m.outcome == MeetingOutcome.AGREEMENT and not m.agreement_confirmed:
            counts[AGREEMENT_REPORTED] += 1
        elif m.outcome:
            counts[m.outcome] += 1
    return list(counts.items())


def _back(request: Request, event_id: int, said: Message) -> Response:
    flash.flash(request.session, said)
    return RedirectResponse(f"/events/{event_id}/schedule", status_code=303)


@router.post("/events/meetings/{meeting_id:int}/lock", dependencies=[CsrfChecked])
def lock_form(
    meeting_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    locked = fields.get("locked") != "0"
    with unit_of_work(session):
        made = service.lock_meeting(session, actor, meeting_id, locked=locked)
    said = N_("The meeting is locked.") if locked else N_("The meeting is unlocked.")
    return _back(request, made.event_id, Message(said))


@router.post("/events/meetings/{meeting_id:int}/move", dependencies=[CsrfChecked])
def move_form(
    meeting_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    try:
        with unit_of_work(session):
            given = fields.get("table") or ""
            table = int(given) if given.isdigit() else 0
            made = service.move_meeting(
                session, actor, meeting_id, slot=fields.get("slot") or "", table=table
            )
    except (ValidationError, Invalid, Conflict) as exc:
        session.rollback()
        language = language_of(request)
        if isinstance(exc, Invalid | ValidationError):
            said = " · ".join(field_errors(exc, language).values())
        else:
            said = describe(exc, language)
        event_id = service.meeting_event_id(session, actor, meeting_id)
        return _back(request, event_id, Message(N_("Not moved: {reason}"), {"reason": said}))
    return _back(request, made.event_id, Message(N_("The meeting is moved and locked there.")))


@router.get("/events/{event_id:int}/agenda", response_class=HTMLResponse)
def agenda_page(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """One's own meetings (the delegation's): time, table, partner and what they offer and
    seek. The organiser sees every meeting here too."""
    event = queries.get_event(session, actor, event_id)
    if actor.user_id is None:
        raise PermissionDenied("log in to see your agenda", code="login_required")
    meetings = queries.list_meetings(session, actor, event)
    context = {
        "event": event,
        "rows": meeting_rows(session, event, meetings),
        "held": event.starts_on is not None and clock.today() >= event.starts_on,
        "outcomes": list(MeetingOutcome),
        "agreements": list(PartnershipType),
        "confirmable": {m.id for m in meetings if service.can_confirm_agreement(actor, m, event)},
        "own": queries.own_sides(session, actor, event, meetings),
        # An online event: each meeting's own room, shown to its two sides (and the organiser).
        "rooms": {m.id: meeting_room_link(event, m.request_id) for m in meetings}
        if event.online
        else {},
        "updated": clock.now(),  # shown in Warsaw time: how fresh a copy kept offline is
        "done": flash.take(request.session, language_of(request)),
    }
    return render(request, "events/agenda.html", context)


@router.post("/events/meetings/{meeting_id:int}/outcome", dependencies=[CsrfChecked])
def outcome_form(
    meeting_id: RowId, request: Request, session: SessionDep, actor: ActorDep, fields: FormFields
) -> Response:
    """What came of a meeting, from the agenda; back to it saying so, or why not (before the
    event: 409)."""
    try:
        with unit_of_work(session):
            data = MeetingOutcomeIn.model_validate(schema_input(MeetingOutcomeIn, fields))
            made = service.record_outcome(session, actor, meeting_id, data)
    except (ValidationError, Invalid) as exc:
        session.rollback()
        said = " · ".join(field_errors(exc, language_of(request)).values())
        flash.flash(request.session, Message(N_("Not saved: {reason}"), {"reason": said}))
        return RedirectResponse("/events", status_code=303)
    flash.flash(request.session, Message(N_("The outcome is saved.")))
    return RedirectResponse(f"/events/{made.event_id}/agenda", status_code=303)


@router.post("/events/meetings/{meeting_id:int}/agreement/confirm", dependencies=[CsrfChecked])
def confirm_agreement_form(
    meeting_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """The other side (or the organiser) confirms a reported agreement, from the agenda."""
    with unit_of_work(session):
        made = service.confirm_agreement(session, actor, meeting_id)
    flash.flash(request.session, Message(N_("The agreement is confirmed: it counts now.")))
    return RedirectResponse(f"/events/{made.event_id}/agenda", status_code=303)
