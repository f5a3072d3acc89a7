"""A person who leaves an organisation (removed, or leaving) no longer holds a place for it at
events to come: each active registration is cancelled as a cancellation by hand is, so the
waiting list moves up and the promoted hear of it; places at events already held, and places
for another organisation of theirs, stay."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import event, registered
from upland.accounts import service as accounts
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.events import service
from upland.events.schemas import RegistrationIn
from upland.notifications.models import Notification


def test_leaving_cancels_the_registrations_for_that_organisation_at_coming_events(
    session: Session,
):
    day = event(session, capacity=1)
    other_day = event(session, capacity=5)
    held = event(session, capacity=5)
    firm, second_firm = factories.organisation(session), factories.organisation(session)
    user = factories.user(session, role="editor", org=firm)
    accounts.grant_role(session, SYSTEM, user.id, "editor", second_firm.id)
    person = factories.actor_of(session, user)
    place = service.register(session, person, day.id, RegistrationIn(organisation_id=firm.id))
    past = service.register(session, person, held.id, RegistrationIn(organisation_id=firm.id))
    held.starts_on = dt.date(2020, 1, 1)  # an event already held: its figures keep the place
    kept = service.register(
        session, person, other_day.id, RegistrationIn(organisation_id=second_firm.id)
    )
    waiting, next_in_line = registered(session, day.id)
    assert (place.status, waiting.status) == ("confirmed", "waiting")

    accounts.remove_member(session, SYSTEM, firm.id, user.id)

    assert place.status == "cancelled"
    assert waiting.status == "confirmed"
    assert (past.status, kept.status) == ("confirmed", "confirmed")
    told = session.scalars(
        select(Notification.kind).where(Notification.recipient_id == next_in_line.user_id)
    ).all()
    assert told[-1] == "events.registration_promoted"
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "events.registration.cancel",
            AuditEntry.object_id == str(place.id),
        )
    ).one()
    assert entry.summary == "left the organisation"


def test_a_role_change_keeps_the_registration(session: Session):
    day = event(session)
    firm = factories.organisation(session)
    admin = factories.user(session, role="admin", org=firm)
    place, person = registered(session, day.id, org=firm)
    accounts.change_member_role(
        session, factories.actor_of(session, admin), firm.id, person.user_id, "viewer"
    )
    assert place.status == "confirmed"


def test_who_left_is_told_their_place_is_cancelled_in_their_language(session: Session):
    """As a cancellation by the organiser: a notice, e-mailed at once (their choice by
    default) in the person's language with the switch-off link every e-mail has."""
    from upland.mail.models import MailMessage

    day = event(session, capacity=5)
    firm = factories.organisation(session)
    user = factories.user(session, role="editor", org=firm)
    user.language = "en"
    person = factories.actor_of(session, user)
    place = service.register(session, person, day.id, RegistrationIn(organisation_id=firm.id))

    accounts.remove_member(session, SYSTEM, firm.id, user.id)

    assert place.status == "cancelled"
    told = session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id,
            Notification.kind == "events.registration_cancelled",
        )
    ).one()
    assert told.link == f"/events/{day.id}"
    [mail] = [
        m
        for m in session.scalars(select(MailMessage).where(MailMessage.recipient == user.email))
        if "registration for" in m.body_text
    ]
    assert mail.language == "en" and mail.unsubscribe_url
    assert "is cancelled" in mail.body_text


def test_the_organiser_cancelling_tells_the_person_and_a_guest(session: Session):
    from upland.actor import ANONYMOUS
    from upland.events.schemas import GuestIn
    from upland.mail.models import MailMessage

    day = event(session, capacity=5)
    place, person = registered(session, day.id)
    guest = service.register_guest(
        session, ANONYMOUS, day.id, GuestIn(name="Ewa", email="ewa@guest.example")
    )
    service.cancel_registration(session, SYSTEM, place.id)
    service.cancel_registration(session, SYSTEM, guest.id)
    kinds = session.scalars(
        select(Notification.kind).where(Notification.recipient_id == person.user_id)
    ).all()
    assert "events.registration_cancelled" in kinds
    mail = session.scalars(
        select(MailMessage)
        .where(MailMessage.recipient == "ewa@guest.example")
        .order_by(MailMessage.id)
    ).all()[-1]
    assert "anulowane" in mail.body_text and mail.unsubscribe_url
