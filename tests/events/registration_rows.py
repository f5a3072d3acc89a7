"""Matrix rows of registrations: people of an organisation register for it (the rest are
refused and may register as guests, which anybody may, the anonymous included); the organiser
lists, validates and cancels registrations (anybody else: 404 for another's registration); a
guest's e-mail link switches their e-mails off for whoever holds it.

One world: the organisation (a business support agency) runs the published brokerage day
`shown`; a company's user registered for it (`member`) and a guest asked for a place (`guest`,
pending)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.matrix_rows import ORGANISERS
from tests.events.world import event, registered
from tests.matrix import ELSEWHERE, EVERYONE, Fields, Row, World, make_accounts, row
from upland.actor import ANONYMOUS
from upland.events import mailing, service
from upland.events.models import EventRegistration
from upland.events.schemas import GuestIn

VARIANTS = ("",)
MEMBERS = frozenset({"other_viewer", "own_viewer", "own_editor", "own_admin"})


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session, kind="business_support")
    other = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other.id)
    shown = event(session, organiser_id=own.id)
    member, _ = registered(session, shown.id)
    guest = service.register_guest(
        session, ANONYMOUS, shown.id, GuestIn(name="Gość Testowy", email="gosc@test.example")
    )
    shared = {
        "shown": shown.id,
        "member": member.id,
        "guest": guest.id,
        "token": mailing.mail_off_token(guest.id),
        "data_token": mailing.data_token(guest.id),
        "erase_token": mailing.erase_token(guest.id),
    }
    return World(accounts, shared)


def _count(session: Session, f: Fields) -> Any:
    return session.scalar(select(func.count()).select_from(EventRegistration))


def _column(key: str, name: str):
    def observe(session: Session, f: Fields) -> Any:
        column = getattr(EventRegistration, name)
        return session.scalar(select(column).where(EventRegistration.id == f[key]))

    return observe


def _managed(method: str, path: str):
    """Another's registration: the organiser's; not found for everybody else."""

    def expect(actor: str, _variant: str) -> int:
        if actor in ORGANISERS:
            return 303 if not path.startswith("/api/") else 200
        return 404

    return expect


GUEST = {"name": "Jan Gość", "email": "jan@guest.example", "participant_type": "investor"}
VALIDATE = "/events/registrations/{guest}/validate"
CANCEL = "/events/registrations/{member}/cancel"
ATTEND = "/events/registrations/{member}/attendance"

ROWS: tuple[Row, ...] = (
    row(
        "event-register",
        "POST",
        "/events/{shown}/register",
        MEMBERS,
        303,
        body={},
        observe=_count,
    ),
    row("event-guest", "POST", "/events/{shown}/guests", EVERYONE, 303, body=GUEST, observe=_count),
    row("event-registrations", "GET", "/events/{shown}/registrations", ORGANISERS, 200),
    Row(
        "registration-validate",
        "POST",
        VALIDATE,
        _managed("POST", VALIDATE),
        303,
        body={},
        observe=_column("guest", "status"),
    ),
    Row(
        "registration-cancel",
        "POST",
        CANCEL,
        _managed("POST", CANCEL),
        303,
        body={},
        observe=_column("member", "status"),
    ),
    row("event-check-in", "GET", "/events/{shown}/check-in", ORGANISERS, 200),
    Row(
        "registration-attendance",
        "POST",
        ATTEND,
        _managed("POST", ATTEND),
        303,
        body={"attendance": "no_show"},
        observe=_column("member", "attendance"),
    ),
    Row(
        "api-registration-attendance",
        "PUT",
        "/api/v1" + ATTEND,
        _managed("PUT", "/api/v1" + ATTEND),
        200,
        body={"attendance": "present"},
        observe=_column("member", "attendance"),
    ),
    row("guest-mail-off-page", "GET", "/events/mail-off/{token}", EVERYONE, 200),
    row("guest-data-download", "GET", "/events/mail-off/{data_token}/data", EVERYONE, 200),
    row(
        "guest-mail-off",
        "POST",
        "/events/mail-off/{token}",
        EVERYONE,
        200,
        body={},
        observe=_column("guest", "mail_off"),
    ),
    row("guest-erase-page", "GET", "/events/mail-off/{erase_token}/erase", EVERYONE, 200),
    row(
        "guest-erase",
        "POST",
        "/events/mail-off/{erase_token}/erase",
        EVERYONE,
        200,
        body={},
        observe=_column("guest", "guest_email"),
    ),
    row("api-event-registrations", "GET", "/api/v1/events/{shown}/registrations", EVERYONE, 200),
    row(
        "api-event-register",
        "POST",
        "/api/v1/events/{shown}/registrations",
        MEMBERS,
        201,
        body={},
        observe=_count,
    ),
    row(
        "api-event-guest",
        "POST",
        "/api/v1/events/{shown}/guests",
        EVERYONE,
        202,
        body=GUEST,
        observe=_count,
    ),
    Row(
        "api-registration-validate",
        "POST",
        "/api/v1" + VALIDATE,
        _managed("POST", "/api/v1" + VALIDATE),
        200,
        observe=_column("guest", "status"),
    ),
    Row(
        "api-registration-cancel",
        "POST",
        "/api/v1" + CANCEL,
        _managed("POST", "/api/v1" + CANCEL),
        200,
        observe=_column("member", "status"),
    ),
)
