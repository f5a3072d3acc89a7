"""Meeting requests at a brokerage day: a confirmed participant asks another for a meeting
(message, priority); the receiver accepts or declines, or the event accepts every request at
once. The rules hold here, whoever calls: no request to oneself or one's own delegation, the
event's "who may request whom", one request per pair of parties, both sides confirmed, the
event not begun."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit, clock
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.events import notices
from upland.events.models import Event, EventRegistration, MeetingRequest
from upland.events.names import name_of
from upland.events.permissions import is_organiser, is_own, request_not_found
from upland.events.schemas import RequestIn
from upland.events.service.events import visible_event
from upland.events.vocab import EventKind, RegistrationStatus, RequestMode, RequestStatus
from upland.i18n import N_
from upland.notifications import service as notifications
from upland.permissions import allowed, require

OPEN = (RequestStatus.PENDING.value, RequestStatus.ACCEPTED.value)


def party_of(registration: EventRegistration) -> str:
    """Who meets: the organisation's delegation, or a guest alone."""
    if registration.organisation_id is not None:
        return f"o{registration.organisation_id}"
    return f"r{registration.id}"


def participant_of(session: Session, actor: Actor, event: Event) -> EventRegistration:
    """The actor's confirmed registration, or PermissionDenied: only participants take part,
    and only while they act for the party they registered for."""
    if actor.user_id is not None:
        found = session.scalars(
            select(EventRegistration).where(
                EventRegistration.event_id == event.id,
                EventRegistration.user_id == actor.user_id,
                EventRegistration.status == RegistrationStatus.CONFIRMED.value,
            )
        ).first()
        if found is not None and is_own(actor, found):
            return found
    raise PermissionDenied(
        "only confirmed participants of the event take part in its meetings",
        code="request.not_participant",
    )


def may_browse(session: Session, actor: Actor, event: Event) -> bool:
    """Confirmed participants and the organiser see who takes part."""
    if is_organiser(actor, event):
        return True
    try:
        participant_of(session, actor, event)
    except PermissionDenied:
        return False
    return True


def _require_running(event: Event) -> None:
    if event.kind != EventKind.BROKERAGE:
        raise Conflict("only a brokerage day has meetings", code="request.not_brokerage")
    if event.starts_on is not None and clock.today() >= event.starts_on:
        raise Conflict("the event has begun: requests are closed", code="request.past")


def _receiver(session: Session, event: Event, receiver_id: int) -> EventRegistration:
    """A confirmed participant of the event; any other registration (waiting, a guest not yet
    validated, cancelled) is answered as none, since the sender may not see it."""
    found = session.get(EventRegistration, receiver_id)
    if found is None or found.event_id != event.id or found.status != RegistrationStatus.CONFIRMED:
        raise Invalid.one(
            "receiver_id",
            N_("no participant of this event has the id {id}"),
            code="request.receiver_unknown",
            id=receiver_id,
        )
    return found


def _between(session: Session, event: Event, a: str, b: str) -> bool:
    rows = session.scalars(
        select(MeetingRequest).where(
            MeetingRequest.event_id == event.id, MeetingRequest.status.in_(OPEN)
        )
    )
    return any({party_of(r.requester), party_of(r.receiver)} == {a, b} for r in rows)


def send_request(session: Session, actor: Actor, event_id: int, data: RequestIn) -> MeetingRequest:
    event = visible_event(session, actor, event_id)
    _require_running(event)
    mine = participant_of(session, actor, event)
    theirs = _receiver(session, event, data.receiver_id)
    if party_of(mine) == party_of(theirs):
        raise Invalid.one(
            "receiver_id",
            N_("you cannot ask yourself or your own delegation for a meeting"),
            code="request.own_delegation",
        )
    pair = [mine.participant_type, theirs.participant_type]
    if event.request_rules and pair not in event.request_rules:
        raise Invalid.one(
            "receiver_id",
            N_("at this event, participants of your type may not ask this one for a meeting"),
            code="request.type_rule",
        )
    if _between(session, event, party_of(mine), party_of(theirs)):
        raise Conflict("a meeting request between you exists already", code="request.duplicate")
    automatic = event.request_mode == RequestMode.AUTOMATIC
    request = MeetingRequest(
        event=event,
        requester=mine,
        receiver=theirs,
        message=data.message,
        priority=data.priority,
        status=(RequestStatus.ACCEPTED if automatic else RequestStatus.PENDING).value,
        decided_at=utcnow() if automatic else None,
    )
    session.add(request)
    session.flush()
    audit.record(
        session,
        actor,
        "events.request.send",
        "meeting_request",
        request.id,
        after={"event_id": event.id, "receiver_id": theirs.id, "status": request.status},
    )
    if theirs.user_id is not None:
        params = {"who": name_of(session, mine), "title": event.title_pl or event.title_en}
        notifications.notify(
            session,
            [theirs.user_id],
            notices.REQUESTED.code,
            params,
            f"/events/{event.id}/requests",
        )
    return request


def visible_request(session: Session, actor: Actor, request_id: int) -> MeetingRequest:
    found = session.get(MeetingRequest, request_id)
    if found is None or not allowed(actor, "events.request.view", found):
        raise request_not_found(request_id)
    return found


def decide_request(
    session: Session, actor: Actor, request_id: int, *, accept: bool
) -> MeetingRequest:
    """The receiver (or the organiser, for a guest) accepts or declines a pending request."""
    request = visible_request(session, actor, request_id)
    require(actor, "events.request.decide", request)
    _require_running(request.event)
    if request.status != RequestStatus.PENDING:
        raise Conflict("the request is answered already", code="request.decided")
    request.status = (RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED).value
    request.decided_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "events.request.decide",
        "meeting_request",
        request.id,
        after={"status": request.status},
    )
    if accept and request.requester.user_id is not None:
        event = request.event
        params = {
            "who": name_of(session, request.receiver),
            "title": event.title_pl or event.title_en,
        }
        notifications.notify(
            session,
            [request.requester.user_id],
            notices.ACCEPTED.code,
            params,
            f"/events/{event.id}/requests",
        )
    return request
