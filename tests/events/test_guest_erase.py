"""A guest erases their own personal data from their e-mail's signed link: a confirmation page
first (opening the link erases nothing), then a POST with its CSRF token; the same erasure as
staff's `guest-erase` (their places stay in the figures), audited, the organiser notified."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event
from upland.actor import ANONYMOUS
from upland.audit import AuditEntry
from upland.events import mailing, notices, service
from upland.events.schemas import GuestIn
from upland.notifications.models import Notification


def _guest_day(session: Session):
    agency = factories.organisation(session, kind="business_support")
    organiser = factories.user(session, role="editor", org=agency)
    day = event(session, factories.actor_of(session, organiser), organiser_id=agency.id)
    guest = service.register_guest(
        session,
        ANONYMOUS,
        day.id,
        GuestIn(name="Ewa Gość", email="ewa@guest.example", organisation="Gość sp. z o.o."),
    )
    return day, organiser, guest


def test_the_guest_confirms_then_their_data_is_erased(session: Session, client: Any):
    _, organiser, guest = _guest_day(session)
    token = mailing.erase_token(guest.id)
    visitor = caller_for(session, client, None)
    asked = visitor.send("GET", f"/events/mail-off/{token}/erase?lang=en")
    assert asked.status_code == 200 and 'id="erase"' in asked.text
    session.refresh(guest)
    assert guest.guest_email == "ewa@guest.example"  # opening the page erases nothing

    done = visitor.send("POST", f"/events/mail-off/{token}/erase", {})
    assert done.status_code == 200 and 'id="done"' in done.text
    session.refresh(guest)
    assert (guest.guest_name, guest.guest_email, guest.guest_organisation) == ("", None, "")
    assert guest.status != "cancelled"  # still in the event's figures
    entry = session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "events.registration.erase", AuditEntry.object_id == str(guest.id)
        )
    )
    assert entry is not None and "e-mail link" in entry.summary
    told = session.scalars(
        select(Notification.kind).where(Notification.recipient_id == organiser.id)
    )
    assert notices.GUEST_ERASED.code in list(told)
    gone = visitor.send("POST", f"/events/mail-off/{token}/erase", {})
    assert gone.status_code == 404  # nothing is left to erase


def test_erasing_without_the_csrf_token_is_refused(session: Session, client: Any):
    _, _, guest = _guest_day(session)
    token = mailing.erase_token(guest.id)
    session.commit()
    refused = client.post(f"/events/mail-off/{token}/erase", data={})
    assert refused.status_code in (400, 403)
    session.refresh(guest)
    assert guest.guest_email == "ewa@guest.example"
