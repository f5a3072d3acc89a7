"""Who may organise, see and change events. Default deny; every list goes through `visible_to`.

- **organising** (`events.event.create`, target `Organiser`): the cluster's staff, for the
  cluster or for any organisation; an organisation's editors when it is of an organising kind
  (business support, research, local government, the coordinator's office);
- **seeing** (`events.event.view`): a published or cancelled event is public; a draft is seen
  by its organiser's users and staff;
- **changing** (`events.event.edit`): the organiser's editors and staff;
- **registering** (`events.registration.create`, target the organisation's id): any user of
  the organisation, for it (guests register without an account and are validated);
- **one registration** (`events.registration.manage`: see it, cancel it): the person who
  registered, while they act for its party (below), and the event's organiser;
- **acting for a party** (`acts_for_party`): a registration stands for its organisation's
  delegation; only the organisation's current users act for it (send and answer requests,
  cancel, record outcomes, see its agenda). Someone who left the organisation keeps no power
  of its delegation, whatever registrations they made while they belonged to it;
- **a guest's personal data** (`events.guest.data`: export and erase a guest's registrations
  by e-mail): staff, as for users' accounts; a guest downloads their own through the signed
  link of the event's e-mails;
- **an event's report** (`events.report.view`): its organiser's editors and staff;
- **a partner area's report** (`events.report.area`, target the partner municipality's TERYT
  or `outside`): the area's city officer, and staff for every area.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, or_, true

from upland.actor import Actor, OrgRole
from upland.errors import NotFound
from upland.events.models import Event, EventRegistration, MeetingRequest
from upland.events.vocab import EventStatus
from upland.permissions import rule

ORGANISING_KINDS = frozenset({"business_support", "research", "local_government", "coordinator"})


@dataclass(frozen=True)
class Organiser:
    """Who would organise: an organisation (id and kind), or the cluster itself (None)."""

    organisation_id: int | None
    kind: str | None = None


def not_found(event_id: int) -> NotFound:
    """The one answer for an event that does not exist or that the reader may not see."""
    return NotFound("event {id} does not exist", code="event.not_found", id=event_id)


def is_organiser(actor: Actor, event: Event) -> bool:
    """The organiser's editors, and staff: they run the event and see all of it."""
    return actor.is_staff or actor.has_role(event.organiser_id, OrgRole.EDITOR)


def acts_for_party(actor: Actor, party: EventRegistration) -> bool:
    """The actor speaks for the side of the event this registration stands for: a current
    user of its organisation, or, without an organisation, the person registered."""
    if actor.user_id is None:
        return False
    if party.organisation_id is not None:
        return actor.has_role(party.organisation_id, OrgRole.VIEWER)
    return party.user_id == actor.user_id


def is_own(actor: Actor, registration: EventRegistration) -> bool:
    """The actor's own registration, while they still act for its party."""
    mine = actor.user_id is not None and registration.user_id == actor.user_id
    return mine and acts_for_party(actor, registration)


@rule("events.event.create", Organiser)
def can_create_event(actor: Actor, organiser: Organiser | None) -> bool:
    if actor.is_staff:
        return True
    if organiser is None or organiser.kind not in ORGANISING_KINDS:
        return False
    return actor.has_role(organiser.organisation_id, OrgRole.EDITOR)


@rule("events.event.view", Event)
def can_view_event(actor: Actor, event: Event) -> bool:
    if event.status != EventStatus.DRAFT:
        return True
    return actor.is_staff or actor.has_role(event.organiser_id, OrgRole.VIEWER)


@rule("events.event.edit", Event)
def can_edit_event(actor: Actor, event: Event) -> bool:
    return is_organiser(actor, event)


@rule("events.video.issue", Event)
def can_issue_video_link(actor: Actor, event: Event) -> bool:
    """A new link for the event's video rooms: whoever runs the event."""
    return is_organiser(actor, event)


@rule("events.registration.create", int)
def can_register(actor: Actor, organisation_id: int | None) -> bool:
    return actor.user_id is not None and actor.has_role(organisation_id, OrgRole.VIEWER)


@rule("events.registration.manage", EventRegistration)
def can_manage_registration(actor: Actor, registration: EventRegistration) -> bool:
    return is_own(actor, registration) or is_organiser(actor, registration.event)


@rule("events.guest.data")
def can_handle_guest_data(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("events.request.decide", MeetingRequest)
def can_decide_request(actor: Actor, request: MeetingRequest) -> bool:
    """The receiver accepts or declines; so may the organiser, on behalf of any participant (a
    guest without an account, someone who answers by phone), as brokerage-day desks do: the
    audit names who decided."""
    return is_own(actor, request.receiver) or is_organiser(actor, request.event)


@rule("events.request.view", MeetingRequest)
def can_view_request(actor: Actor, request: MeetingRequest) -> bool:
    """Its two sides and the organiser."""
    sides = (request.requester, request.receiver)
    return any(is_own(actor, side) for side in sides) or is_organiser(actor, request.event)


@rule("events.report.view", Event)
def can_view_report(actor: Actor, event: Event) -> bool:
    """The organiser (who edits the event) and, read-only, every user of the organising
    organisation: its viewers see their own event's figures, nothing they could change."""
    return is_organiser(actor, event) or (
        event.organiser_id is not None and actor.has_role(event.organiser_id, OrgRole.VIEWER)
    )


@rule("events.report.area", str)
def can_view_area_report(actor: Actor, area: str | None) -> bool:
    """Staff for every area (the cluster's whole picture); a city officer for their own (no
    area: whether the reader has an area report at all)."""
    if actor.is_staff:
        return True
    if actor.officer_teryt is None:
        return False
    return area is None or area == actor.officer_teryt


def request_not_found(request_id: int) -> NotFound:
    return NotFound("meeting request {id} does not exist", code="request.not_found", id=request_id)


def registration_not_found(registration_id: int) -> NotFound:
    return NotFound(
        "registration {id} does not exist", code="registration.not_found", id=registration_id
    )


def visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Only the events `actor` may see (`can_view_event` as SQL)."""
    if actor.is_staff:
        return stmt.where(true())
    own = [org for org in actor.org_roles]
    return stmt.where(
        or_(Event.status != EventStatus.DRAFT.value, Event.organiser_id.in_(own))
        if own
        else Event.status != EventStatus.DRAFT.value
    )
