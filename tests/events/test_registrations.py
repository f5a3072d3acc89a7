"""Registering for an event: members for their organisation, guests validated by the organiser,
the capacity and its waiting list, cancellation promoting the first waiting, the window, and
the news each person hears (notifications, guests' e-mails with their switch-off link)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import event, registered
from upland.actor import ANONYMOUS, SYSTEM
from upland.errors import Conflict, Gone, Invalid, NotFound, PermissionDenied
from upland.events import mailing, queries, service
from upland.events.schemas import GuestIn, RegistrationIn
from upland.events.vocab import Presence
from upland.mail.models import MailMessage
from upland.notifications.models import Notification
from upland.personal_data import erase, exported


def _kinds(session: Session, user_id: int) -> list[str]:
    rows = session.scalars(select(Notification.kind).where(Notification.recipient_id == user_id))
    return list(rows)


def test_capacity_waiting_list_and_promotion(session: Session):
    day = event(session, capacity=2)
    first, a = registered(session, day.id)
    second, _ = registered(session, day.id)
    third, c = registered(session, day.id)
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert _kinds(session, c.user_id) == ["events.registration_waiting"]
    service.cancel_registration(session, a, first.id)
    assert (first.status, third.status) == ("cancelled", "confirmed")
    assert "events.registration_promoted" in _kinds(session, c.user_id)
    with pytest.raises(Conflict):
        service.cancel_registration(session, a, first.id)


def test_a_delegation_registers_people_of_one_organisation(session: Session):
    day = event(session)
    org = factories.organisation(session, description_pl="Obróbka CNC i spawanie")
    one, actor = registered(session, day.id, org)
    two, _ = registered(session, day.id, org, offer="Frezowanie", topics=["CNC", "CNC", "laser"])
    assert one.organisation_id == two.organisation_id == org.id
    assert one.offer == "Obróbka CNC i spawanie"  # prefilled from the profile
    assert two.offer == "Frezowanie" and two.topics == ["CNC", "laser"]
    with pytest.raises(Conflict) as twice:
        service.register(session, actor, day.id, RegistrationIn(organisation_id=org.id))
    assert twice.value.code == "registration.duplicate"


def test_refusals_are_coded_and_change_nothing(session: Session):
    day = event(session, participant_types=["company"])
    org = factories.organisation(session)
    member = factories.actor_of(session, factories.user(session, role="viewer", org=org))
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied):
        service.register(session, ANONYMOUS, day.id, RegistrationIn(organisation_id=org.id))
    with pytest.raises(PermissionDenied):  # not their organisation
        service.register(session, stranger, day.id, RegistrationIn(organisation_id=org.id))
    with pytest.raises(Invalid) as typed:
        service.register(
            session,
            member,
            day.id,
            RegistrationIn(organisation_id=org.id, participant_type="investor"),
        )
    assert typed.value.errors[0].code == "registration.type"
    with pytest.raises(Invalid) as chosen:
        service.register(
            session, member, day.id, RegistrationIn(organisation_id=org.id, sessions=[999])
        )
    assert chosen.value.errors[0].code == "registration.session"
    closed = event(session, registration_closes=dt.date(2020, 1, 1))
    with pytest.raises(Conflict) as late:
        service.register(session, member, closed.id, RegistrationIn(organisation_id=org.id))
    assert late.value.code == "registration.closed"
    draft = event(session, publish=False)
    with pytest.raises(NotFound):
        service.register(session, member, draft.id, RegistrationIn(organisation_id=org.id))
    assert queries.list_registrations(session, SYSTEM, day) == []


def test_guests_are_validated_and_told_by_mail(session: Session):
    day = event(session, capacity=1)
    registered(session, day.id)
    guest = service.register_guest(
        session,
        ANONYMOUS,
        day.id,
        GuestIn(
            name="Anna Inwestor",
            email="Anna@Fund.example",
            organisation="Fundusz",
            participant_type="investor",
        ),
    )
    assert guest.status == "pending" and guest.guest_email == "anna@fund.example"
    with pytest.raises(Conflict):
        service.register_guest(
            session, ANONYMOUS, day.id, GuestIn(name="Anna", email="anna@fund.example")
        )
    outsider = factories.actor_of(session, factories.user(session))
    with pytest.raises(NotFound):
        service.validate_registration(session, outsider, guest.id)
    service.validate_registration(session, SYSTEM, guest.id)
    assert guest.status == "waiting"  # the one place is taken
    sent = list(
        session.scalars(select(MailMessage).where(MailMessage.recipient == "anna@fund.example"))
    )
    assert len(sent) == 2 and all("/events/mail-off/" in m.body_text for m in sent)
    service.switch_guest_mail_off(session, mailing.mail_off_token(guest.id))
    assert guest.mail_off


def test_personal_data_export_and_erasure(session: Session):
    day = event(session)
    mine, actor = registered(session, day.id, seek="Odlewnie aluminium")
    data = exported(session, actor.user_id)
    assert data["events"]["event_registrations"][0]["seek"] == "Odlewnie aluminium"
    erase(session, actor.user_id)
    session.refresh(mine)
    assert mine.user_id is None and mine.seek == "" and mine.status == "confirmed"


def test_check_in_marks_confirmed_participants_only(session: Session):
    day = event(session, capacity=1)
    present, _ = registered(session, day.id)
    waiting, _ = registered(session, day.id)
    service.mark_attendance(session, SYSTEM, present.id, Presence.NO_SHOW)
    assert present.attendance == "no_show"
    service.mark_attendance(session, SYSTEM, present.id, None)
    assert present.attendance is None
    with pytest.raises(Conflict) as refused:
        service.mark_attendance(session, SYSTEM, waiting.id, Presence.PRESENT)
    assert refused.value.code == "registration.not_confirmed"


def _guest(session: Session, day_id: int):
    return service.register_guest(
        session, ANONYMOUS, day_id, GuestIn(name="Ewa Gość", email="ewa@guest.example")
    )


def test_a_guest_mail_off_link_works_until_ninety_days_after_the_event(session: Session):
    from upland import clock

    day = event(session)
    guest = _guest(session, day.id)
    token = mailing.mail_off_token(guest.id)
    assert mailing.link_expires(guest) == dt.date(2030, 6, 10)  # 12 March + 90 days
    with clock.replay(dt.datetime(2030, 6, 10, 21, tzinfo=dt.UTC)):
        assert service.guest_of_link(session, token, mailing.LinkPurpose.MAIL_OFF) is guest
    with clock.replay(dt.datetime(2030, 6, 11, 9, tzinfo=dt.UTC)), pytest.raises(Gone) as refused:
        service.switch_guest_mail_off(session, token)
    assert refused.value.code == "registration.link_expired"
    assert "it worked until June 10, 2030" in str(refused.value)
    assert refused.value.render("pl").startswith("ten link wygasł")
    assert not guest.mail_off


def test_an_expired_guest_link_opens_a_page_saying_so(session: Session, client: Any):
    day = event(session)
    guest = _guest(session, day.id)
    for s in day.sessions:
        s.day = dt.date(2020, 3, 12)  # held long ago
    session.commit()
    path = f"/events/mail-off/{mailing.mail_off_token(guest.id)}"
    page = client.get(f"{path}?lang=en")
    assert page.status_code == 410
    assert "this link has expired: it worked until June 10, 2020" in page.text
    assert (
        client.get(f"/events/mail-off/{mailing.mail_off_token(guest.id + 1000)}").status_code == 404
    )


def test_a_guest_s_data_is_exported_and_erased_by_e_mail(session: Session, client: Any):
    first, second = event(session), event(session)
    guest = _guest(session, first.id)
    again = service.register_guest(
        session,
        ANONYMOUS,
        second.id,
        GuestIn(name="Ewa Gość", email="Ewa@Guest.example", organisation="Gość sp. z o.o."),
    )
    _guest_elsewhere = service.register_guest(
        session, ANONYMOUS, second.id, GuestIn(name="Jan", email="jan@guest.example")
    )
    member = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied):
        service.export_guest(session, member, "ewa@guest.example")
    data = service.export_guest(session, SYSTEM, "EWA@guest.example")
    rows = data["event_registrations"]
    assert [r["id"] for r in rows] == [guest.id, again.id]
    assert rows[1]["organisation"] == "Gość sp. z o.o." and rows[0]["name"] == "Ewa Gość"
    token = mailing.data_token(guest.id)
    assert service.export_guest_of_link(session, token) == data
    session.commit()
    download = client.get(f"/events/mail-off/{token}/data")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert download.json()["event_registrations"][1]["id"] == again.id

    with pytest.raises(PermissionDenied):
        service.erase_guest(session, member, "ewa@guest.example")
    assert service.erase_guest(session, SYSTEM, "ewa@guest.example") == 2
    for r in (guest, again):
        session.refresh(r)
        assert (r.guest_name, r.guest_email, r.guest_organisation) == ("", None, "")
        assert r.status == "pending"  # still counted in the event's figures
    assert _guest_elsewhere.guest_email == "jan@guest.example"
    assert service.export_guest(session, SYSTEM, "ewa@guest.example")["event_registrations"] == []
    with pytest.raises(NotFound):
        service.export_guest_of_link(session, token)
