"""What came of a brokerage-day meeting, said by a side or the organiser once the event began.
As in the marketplace, an agreement signed counts once it is confirmed: by the other side
(explicitly, or by reporting an agreement of the same type) or by the organiser (their staff,
the coordinator, a platform admin, who may also record it confirmed at once). Until then it is
one side's word: the report shows it as such and the network makes no agreement of it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland import audit, clock, signals
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Invalid, PermissionDenied
from upland.events import notices
from upland.events.models import Event, EventMeeting, EventRegistration
from upland.events.names import name_of
from upland.events.permissions import acts_for_party
from upland.events.schemas import MeetingOutcomeIn
from upland.events.service.schedule import _not_found, _seen_meeting
from upland.events.signals import MeetingOutcomeRecorded
from upland.events.vocab import Confirmation, MeetingOutcome
from upland.events.vocab import RegistrationStatus as Status
from upland.i18n import N_
from upland.notifications import service as notifications
from upland.permissions import allowed


def _sides(meeting: EventMeeting) -> tuple[EventRegistration, EventRegistration]:
    return meeting.request.requester, meeting.request.receiver


def _announce(session: Session, event: Event, meeting: EventMeeting) -> None:
    sides = _sides(meeting)
    organisations = tuple(sorted({r.organisation_id for r in sides if r.organisation_id}))
    signals.publish(
        session,
        MeetingOutcomeRecorded(
            event.id,
            meeting.id,
            meeting.outcome or "",
            meeting.agreement_type,
            organisations,
            agreement_confirmed=meeting.agreement_confirmed,
        ),
    )


def record_outcome(
    session: Session, actor: Actor, meeting_id: int, data: MeetingOutcomeIn
) -> EventMeeting:
    """A side of the meeting (or the organiser) says what came of it, once the event began.
    An agreement a side reports waits for the other side's word (the same agreement reported
    by it confirms it); one the organiser records counts at once. A confirmed agreement is
    not changed any more (409 `meeting.agreement_confirmed`)."""
    meeting, event = _seen_meeting(session, actor, meeting_id)
    side = next((r for r in _sides(meeting) if acts_for_party(actor, r)), None)
    if side is None and not allowed(actor, "events.event.edit", event):
        raise _not_found(meeting_id)
    if event.starts_on is None or clock.today() < event.starts_on:
        raise Conflict("outcomes are recorded after the meeting", code="meeting.not_held")
    if (data.outcome == MeetingOutcome.AGREEMENT) != (data.agreement_type is not None):
        raise Invalid.one(
            "agreement_type",
            N_("name the type of agreement, and only for a signed agreement"),
            code="meeting.agreement_type",
        )
    agreement_type = data.agreement_type.value if data.agreement_type else None
    said = (data.outcome.value, agreement_type)
    if meeting.agreement_confirmed:
        if said == (meeting.outcome, meeting.agreement_type):
            return meeting
        raise Conflict("a confirmed agreement is not changed", code="meeting.agreement_confirmed")
    earlier = (meeting.outcome, meeting.agreement_type, meeting.agreement_side_id)
    meeting.outcome, meeting.agreement_type = said
    meeting.outcome_at = utcnow()
    meeting.agreement_side_id = None
    how: Confirmation | None = None
    if data.outcome == MeetingOutcome.AGREEMENT:
        if side is None:
            how = Confirmation.ORGANISER
        elif earlier[:2] == said and earlier[2] not in (None, side.id):
            how = Confirmation.PARTNER  # both sides say so: the earlier report counts
            meeting.agreement_side_id = earlier[2]
        else:
            meeting.agreement_side_id = side.id
    session.flush()
    audit.record(
        session,
        actor,
        "events.meeting.outcome",
        "event_meeting",
        meeting.id,
        after={"outcome": meeting.outcome, "agreement_type": meeting.agreement_type},
    )
    if how is not None:
        _confirm(session, actor, meeting, how)
    elif side is not None and meeting.agreement_side_id == side.id:
        again = earlier == (*said, side.id)  # the same report said again: told already
        _ask_to_confirm(session, actor, event, meeting, side, again=again)
    _announce(session, event, meeting)
    return meeting


def _other_sides_people(
    session: Session, event: Event, other: EventRegistration, actor: Actor
) -> list[int]:
    """Who speaks for the other side at the event: the confirmed participants of its
    organisation (the whole delegation), or the person registered without one."""
    if other.organisation_id is None:
        users = [other.user_id] if other.user_id is not None else []
    else:
        users = list(
            session.scalars(
                select(EventRegistration.user_id).where(
                    EventRegistration.event_id == event.id,
                    EventRegistration.organisation_id == other.organisation_id,
                    EventRegistration.status == Status.CONFIRMED.value,
                    EventRegistration.user_id.is_not(None),
                )
            )
        )
    return sorted({u for u in users if u is not None and u != actor.user_id})


def _ask_to_confirm(
    session: Session,
    actor: Actor,
    event: Event,
    meeting: EventMeeting,
    side: EventRegistration,
    *,
    again: bool = False,
) -> None:
    """The other side hears that one side reports an agreement signed, and where to confirm it
    (in-app, and by e-mail as each person chose, in their language). A guest without an
    account cannot confirm (the organiser does): nothing is e-mailed to them."""
    if again:
        return
    other = next(r for r in _sides(meeting) if r.id != side.id)
    users = _other_sides_people(session, event, other, actor)
    if not users:
        return
    params = {
        "who": name_of(session, side),
        "title": event.title_pl or event.title_en,
        "agreement": meeting.agreement_type,
    }
    link = f"/events/{event.id}/agenda#agenda-{meeting.id}"
    notifications.notify(session, users, notices.AGREEMENT_REPORTED.code, params, link)


def _confirm(session: Session, actor: Actor, meeting: EventMeeting, how: Confirmation) -> None:
    meeting.agreement_confirmed_as = how.value
    meeting.agreement_confirmed_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "events.meeting.agreement_confirm",
        "event_meeting",
        meeting.id,
        after={"agreement_type": meeting.agreement_type, "confirmed_as": how.value},
    )


def can_confirm_agreement(actor: Actor, meeting: EventMeeting, event: Event) -> bool:
    """An agreement one side reported: the other side, or the organiser, may confirm it."""
    if meeting.outcome != MeetingOutcome.AGREEMENT or meeting.agreement_confirmed:
        return False
    others = [r for r in _sides(meeting) if r.id != meeting.agreement_side_id]
    return any(acts_for_party(actor, r) for r in others) or allowed(
        actor, "events.event.edit", event
    )


def confirm_agreement(session: Session, actor: Actor, meeting_id: int) -> EventMeeting:
    """The other side (or the organiser) confirms the agreement a side reported: it counts in
    the event's report and the cooperation network makes an agreement of it."""
    meeting, event = _seen_meeting(session, actor, meeting_id)
    sides = _sides(meeting)
    organiser = allowed(actor, "events.event.edit", event)
    if not organiser and not any(acts_for_party(actor, r) for r in sides):
        raise _not_found(meeting_id)
    if meeting.outcome != MeetingOutcome.AGREEMENT:
        raise Conflict("only a reported agreement is confirmed", code="meeting.not_agreement")
    if meeting.agreement_confirmed:
        raise Conflict("this agreement is confirmed already", code="meeting.agreement_confirmed")
    partner = any(acts_for_party(actor, r) for r in sides if r.id != meeting.agreement_side_id)
    if not partner and not organiser:
        raise PermissionDenied(
            "the other side confirms the agreement you reported", code="meeting.own_report"
        )
    _confirm(session, actor, meeting, Confirmation.PARTNER if partner else Confirmation.ORGANISER)
    _announce(session, event, meeting)
    return meeting
