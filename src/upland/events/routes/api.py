"""Events in the JSON API (`/api/v1/events…`), over the same queries and services as the pages."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Query, Request
from pydantic import BaseModel

from upland.actor import Actor
from upland.db import RowId
from upland.events import presenters, queries, service, suggestions
from upland.events.models import Event, EventMeeting, EventRegistration, MeetingRequest
from upland.events.schemas import (
    EventIn,
    EventList,
    EventRead,
    GuestIn,
    LockIn,
    MeetingList,
    MeetingOutcomeIn,
    MeetingRead,
    MoveIn,
    ParticipantList,
    ParticipantRead,
    ParticipantSuggestionRead,
    RegistrationIn,
    RegistrationList,
    RegistrationRead,
    RequestIn,
    RequestList,
    RequestRead,
    Strict,
    SuggestionList,
)
from upland.events.vocab import WEIGHTS, ParticipantType, Presence
from upland.jobs.schemas import JobRead
from upland.permissions import allowed
from upland.web.deps import ActorDep, CsrfChecked, SessionDep, client_address, unit_of_work
from upland.web.errors import API_ERRORS, ErrorRead
from upland.web.routing import Router
from upland.web.templating import language_of

router = Router(prefix="/api/v1", tags=["events"], dependencies=[CsrfChecked], responses=API_ERRORS)


def _read(session: SessionDep, actor: Actor, event: Event) -> EventRead:
    names = presenters.organiser_names(session, [event])
    return presenters.read_event(event, names, video_link=queries.video_link(session, actor, event))


@router.get("/events", response_model=EventList)
def api_list_events(session: SessionDep, actor: ActorDep) -> EventList:
    """Events you may see, soonest first: published and cancelled ones for everyone, drafts for
    their organiser and the cluster's staff."""
    events = queries.list_events(session, actor)
    names = presenters.organiser_names(session, events)
    links = queries.video_links(session, actor, events)
    return EventList(
        items=[presenters.read_event(e, names, video_link=links.get(e.id)) for e in events]
    )


@router.post("/events", response_model=EventRead, status_code=201)
def api_create_event(data: EventIn, session: SessionDep, actor: ActorDep) -> EventRead:
    """A draft event. Staff organise for the cluster (`organiser_id` null) or any organisation;
    editors of a business-support, research, local-government or coordinating organisation
    for it."""
    with unit_of_work(session):
        return _read(session, actor, service.create_event(session, actor, data))


@router.get("/events/{event_id:int}", response_model=EventRead)
def api_get_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    return _read(session, actor, queries.get_event(session, actor, event_id))


@router.put("/events/{event_id:int}", response_model=EventRead)
def api_update_event(
    event_id: RowId, data: EventIn, session: SessionDep, actor: ActorDep
) -> EventRead:
    """Replace the event's fields, sessions and tables (its organiser stays)."""
    with unit_of_work(session):
        return _read(session, actor, service.update_event(session, actor, event_id, data))


@router.post("/events/{event_id:int}/publish", response_model=EventRead)
def api_publish_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    """Show a draft to everyone (409 `event.incomplete`: a brokerage day without sessions or
    tables)."""
    with unit_of_work(session):
        return _read(session, actor, service.publish_event(session, actor, event_id))


@router.post("/events/{event_id:int}/video-link", response_model=EventRead)
def api_issue_video_link(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    """The organiser issues a new link for the event's video rooms (`video_link` in the
    answer); every earlier link leads to an empty room and the participants are told.
    409 `event.not_online` for an event held in a venue."""
    with unit_of_work(session):
        return _read(session, actor, service.issue_video_link(session, actor, event_id))


@router.post("/events/{event_id:int}/cancel", response_model=EventRead)
def api_cancel_event(event_id: RowId, session: SessionDep, actor: ActorDep) -> EventRead:
    with unit_of_work(session):
        return _read(session, actor, service.cancel_event(session, actor, event_id))


def _registrations(session: SessionDep, items: list[EventRegistration]) -> RegistrationList:
    names = queries.registration_names(session, items)
    return RegistrationList(items=[read_registration(r, names) for r in items])


def read_registration(r: EventRegistration, names: dict[int, tuple[str, str]]) -> RegistrationRead:
    person, organisation = names.get(r.id, ("", ""))
    return RegistrationRead(
        id=r.id,
        event_id=r.event_id,
        status=r.status,
        attendance=r.attendance,
        participant_type=r.participant_type,
        organisation_id=r.organisation_id,
        organisation=organisation,
        name=person,
        guest=r.user_id is None,
        sessions=r.sessions,
        waiting_sessions=r.waiting_sessions,
        topics=r.topics,
        offer=r.offer,
        seek=r.seek,
        created_at=r.created_at,
    )


def _one(session: SessionDep, r: EventRegistration) -> RegistrationRead:
    return read_registration(r, queries.registration_names(session, [r]))


@router.get("/events/{event_id:int}/registrations", response_model=RegistrationList)
def api_list_registrations(
    event_id: RowId, session: SessionDep, actor: ActorDep
) -> RegistrationList:
    """Every registration for the organiser; your own for anybody else."""
    event = queries.get_event(session, actor, event_id)
    return _registrations(session, queries.list_registrations(session, actor, event))


@router.post(
    "/events/{event_id:int}/registrations", response_model=RegistrationRead, status_code=201
)
def api_register(
    event_id: RowId, data: RegistrationIn, session: SessionDep, actor: ActorDep
) -> RegistrationRead:
    """Register yourself for your organisation: `confirmed`, or `waiting` past the capacity.
    409 `registration.closed` outside the window, `registration.duplicate` when registered."""
    with unit_of_work(session):
        return _one(session, service.register(session, actor, event_id, data))


class GuestReceived(BaseModel):
    status: Literal["received"] = "received"


@router.post(
    "/events/{event_id:int}/guests",
    response_model=GuestReceived,
    status_code=202,
    responses={
        429: {
            "model": ErrorRead,
            "description": "Too many registrations from this client address for now",
        }
    },
)
def api_register_guest(
    event_id: RowId, data: GuestIn, request: Request, session: SessionDep, actor: ActorDep
) -> GuestReceived:
    """A guest without an account asks for a place (`pending` until the organiser validates;
    the guest is told by e-mail). The answer is the same whether the address holds a place
    already or not, so it says nothing of who registered. 429 `registration.rate_limited`
    past the client address's sign-ups for now."""
    with unit_of_work(session):
        service.ask_for_guest_place(
            session, actor, event_id, data, client_address(request), language_of(request)
        )
    return GuestReceived()


@router.post(
    "/events/registrations/{registration_id:int}/validate", response_model=RegistrationRead
)
def api_validate_registration(
    registration_id: RowId, session: SessionDep, actor: ActorDep
) -> RegistrationRead:
    with unit_of_work(session):
        return _one(session, service.validate_registration(session, actor, registration_id))


@router.post("/events/registrations/{registration_id:int}/cancel", response_model=RegistrationRead)
def api_cancel_registration(
    registration_id: RowId, session: SessionDep, actor: ActorDep
) -> RegistrationRead:
    """Cancel your registration (or, as the organiser, anyone's); the waiting list moves up."""
    with unit_of_work(session):
        return _one(session, service.cancel_registration(session, actor, registration_id))


def read_request(r: MeetingRequest, names: dict[int, tuple[str, str]]) -> RequestRead:
    def named(reg_id: int) -> str:
        person, organisation = names.get(reg_id, ("", ""))
        return f"{person} ({organisation})" if organisation else person

    return RequestRead(
        id=r.id,
        event_id=r.event_id,
        requester_id=r.requester_id,
        requester=named(r.requester_id),
        receiver_id=r.receiver_id,
        receiver=named(r.receiver_id),
        message=r.message,
        priority=r.priority,
        weight=WEIGHTS[r.priority],
        status=r.status,
        created_at=r.created_at,
    )


def _requests(session: SessionDep, rows: list[MeetingRequest]) -> list[RequestRead]:
    regs = list({r.requester for r in rows} | {r.receiver for r in rows})
    names = queries.registration_names(session, regs)
    return [read_request(r, names) for r in rows]


@router.get("/events/{event_id:int}/participants", response_model=ParticipantList)
def api_list_participants(
    event_id: RowId,
    session: SessionDep,
    actor: ActorDep,
    type: ParticipantType | None = None,
    city: str | None = Query(default=None, max_length=100),
    q: str | None = Query(default=None, max_length=200),
) -> ParticipantList:
    """Confirmed participants (for the event's participants and organiser), filtered by type,
    city and words."""
    event = queries.get_event(session, actor, event_id)
    found = queries.list_participants(
        session, actor, event, kind=type.value if type else None, city=city, q=q
    )
    return ParticipantList(items=[ParticipantRead(**_participant_fields(p)) for p in found])


def _participant_fields(p: Any) -> dict[str, Any]:
    """What the API says of a participant (`queries.list_participants`' rows)."""
    r = p.registration
    return {
        "registration_id": r.id,
        "name": p.name,
        "organisation": p.organisation,
        "organisation_id": r.organisation_id,
        "participant_type": r.participant_type,
        "city": p.city,
        "topics": r.topics,
        "offer": r.offer,
        "seek": r.seek,
    }


@router.get("/events/{event_id:int}/suggestions", response_model=SuggestionList)
def api_event_suggestions(
    event_id: RowId, request: Request, session: SessionDep, actor: ActorDep
) -> SuggestionList:
    """Participants suggested for you by the matching engine, best first, with its reasons
    (empty when you do not take part yourself); only for the event's participants and
    organiser."""
    event = queries.get_event(session, actor, event_id)
    language = language_of(request)
    items = []
    for s in suggestions.suggest_participants(session, actor, event):
        p, (raised, lowered) = s.participant, s.reasons(language)
        items.append(
            ParticipantSuggestionRead(
                **_participant_fields(p),
                score=round(s.score, 4),
                reasons_for=raised,
                reasons_against=lowered,
            )
        )
    return SuggestionList(items=items)


@router.get("/events/{event_id:int}/requests", response_model=RequestList)
def api_list_requests(event_id: RowId, session: SessionDep, actor: ActorDep) -> RequestList:
    """Your delegation's requests, sent and received; every request for the organiser."""
    event = queries.get_event(session, actor, event_id)
    return RequestList(items=_requests(session, queries.list_requests(session, actor, event)))


@router.post("/events/{event_id:int}/requests", response_model=RequestRead, status_code=201)
def api_send_request(
    event_id: RowId, data: RequestIn, session: SessionDep, actor: ActorDep
) -> RequestRead:
    """Ask a participant for a meeting. 422 `request.own_delegation`, `request.type_rule`,
    `request.receiver_unknown`; 409 `request.duplicate`, `request.past`; 403
    `request.not_participant`."""
    with unit_of_work(session):
        made = service.send_request(session, actor, event_id, data)
        return _requests(session, [made])[0]


@router.post("/events/requests/{request_id:int}/accept", response_model=RequestRead)
def api_accept_request(request_id: RowId, session: SessionDep, actor: ActorDep) -> RequestRead:
    with unit_of_work(session):
        made = service.decide_request(session, actor, request_id, accept=True)
        return _requests(session, [made])[0]


@router.post("/events/requests/{request_id:int}/decline", response_model=RequestRead)
def api_decline_request(request_id: RowId, session: SessionDep, actor: ActorDep) -> RequestRead:
    with unit_of_work(session):
        made = service.decide_request(session, actor, request_id, accept=False)
        return _requests(session, [made])[0]


def _meetings(session: SessionDep, event: Event, rows: list[EventMeeting]) -> list[MeetingRead]:
    slots = {s.id: s for s in queries.slots_of_event(event)}
    regs = [r for m in rows for r in (m.request.requester, m.request.receiver)]
    names = queries.registration_names(session, regs)
    out = []
    for m in rows:
        slot = slots.get(m.slot)
        sides = [names.get(r.id, ("", "")) for r in (m.request.requester, m.request.receiver)]
        out.append(
            MeetingRead(
                id=m.id,
                request_id=m.request_id,
                slot=m.slot,
                day=slot.day if slot else None,
                starts=f"{slot.starts:%H:%M}" if slot else None,
                ends=f"{slot.ends:%H:%M}" if slot else None,
                table=m.table_no,
                table_name=event.table_names[m.table_no - 1]
                if m.table_no <= len(event.table_names)
                else str(m.table_no),
                locked=m.locked,
                sequence=m.sequence,
                sides=[f"{p} ({o})" if o else p for p, o in sides],
                outcome=m.outcome,
                agreement_type=m.agreement_type,
                agreement_confirmed=m.agreement_confirmed,
            )
        )
    return out


@router.post("/events/{event_id:int}/schedule", response_model=JobRead, status_code=202)
def api_schedule(event_id: RowId, session: SessionDep, actor: ActorDep) -> JobRead:
    """Schedule the accepted requests as a job; follow it at `GET /api/v1/jobs/{id}`. Locked
    meetings stay; the others may move (their SEQUENCE grows and both sides are told)."""
    with unit_of_work(session):
        job = service.queue_schedule(session, actor, event_id)
    session.refresh(job)  # without Redis the job may have run already
    return JobRead.of(job)


@router.get("/events/{event_id:int}/meetings", response_model=MeetingList)
def api_list_meetings(event_id: RowId, session: SessionDep, actor: ActorDep) -> MeetingList:
    """The schedule: every meeting and the unplaced requests with their reasons for the
    organiser; your delegation's meetings for a participant."""
    event = queries.get_event(session, actor, event_id)
    rows = queries.list_meetings(session, actor, event)
    organiser = allowed(actor, "events.event.edit", event)
    unplaced = event.schedule_report.get("unplaced", {}) if organiser else {}
    return MeetingList(items=_meetings(session, event, rows), unplaced=unplaced)


@router.post("/events/meetings/{meeting_id:int}/lock", response_model=MeetingRead)
def api_lock_meeting(
    meeting_id: RowId, data: LockIn, session: SessionDep, actor: ActorDep
) -> MeetingRead:
    with unit_of_work(session):
        made = service.lock_meeting(session, actor, meeting_id, locked=data.locked)
        return _meetings(session, made.request.event, [made])[0]


@router.post("/events/meetings/{meeting_id:int}/move", response_model=MeetingRead)
def api_move_meeting(
    meeting_id: RowId, data: MoveIn, session: SessionDep, actor: ActorDep
) -> MeetingRead:
    """Move a meeting by hand (locked there). 422 `meeting.unknown_slot|unknown_table`; 409
    `meeting.table_taken`, `meeting.busy`, `meeting.unavailable`."""
    with unit_of_work(session):
        made = service.move_meeting(session, actor, meeting_id, slot=data.slot, table=data.table)
        return _meetings(session, made.request.event, [made])[0]


class AttendanceIn(Strict):
    attendance: Presence | None


@router.put(
    "/events/registrations/{registration_id:int}/attendance", response_model=RegistrationRead
)
def api_mark_attendance(
    registration_id: RowId, data: AttendanceIn, session: SessionDep, actor: ActorDep
) -> RegistrationRead:
    """At the door: `present`, `no_show`, or null to unmark (the organiser)."""
    with unit_of_work(session):
        made = service.mark_attendance(session, actor, registration_id, data.attendance)
        return _one(session, made)


@router.post("/events/meetings/{meeting_id:int}/outcome", response_model=MeetingRead)
def api_record_outcome(
    meeting_id: RowId, data: MeetingOutcomeIn, session: SessionDep, actor: ActorDep
) -> MeetingRead:
    """After the event, a side says what came of a meeting: `follow_up`, `agreement` (with
    its `agreement_type`) or `no_interest`. 409 `meeting.not_held` before the event. A side's
    agreement counts once the other side (or the organiser) confirms it; a confirmed one is
    not changed (409 `meeting.agreement_confirmed`)."""
    with unit_of_work(session):
        made = service.record_outcome(session, actor, meeting_id, data)
        return _meetings(session, made.request.event, [made])[0]


@router.post("/events/meetings/{meeting_id:int}/agreement/confirm", response_model=MeetingRead)
def api_confirm_agreement(meeting_id: RowId, session: SessionDep, actor: ActorDep) -> MeetingRead:
    """The other side (or the organiser) confirms the agreement a side reported: it counts.
    403 `meeting.own_report` for the side that reported it; 409 `meeting.not_agreement`,
    `meeting.agreement_confirmed`."""
    with unit_of_work(session):
        made = service.confirm_agreement(session, actor, meeting_id)
        return _meetings(session, made.request.event, [made])[0]
