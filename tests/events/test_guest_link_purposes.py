"""Attack pass on the events area (4 December), finding 2: a guest's one signed link switched
the e-mails off and also opened their personal data's download and erasure, so whoever was
forwarded an e-mail (or read its List-Unsubscribe header) could download or erase the guest's
data. Each purpose now has its own signed token (the purpose is the signature's salt): a link
of one purpose is refused for the others, with a message saying which link to use."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.browsing import caller_for
from tests.events.world import event
from tests.mailbox import Mailbox, html_of, text_of
from upland import clock
from upland.actor import ANONYMOUS
from upland.errors import Gone
from upland.events import mailing, service
from upland.events.mailing import LinkPurpose
from upland.events.schemas import GuestIn

TOKENS = {
    LinkPurpose.MAIL_OFF: mailing.mail_off_token,
    LinkPurpose.DATA: mailing.data_token,
    LinkPurpose.ERASE: mailing.erase_token,
}
CROSS_USES = [(made, used) for made in LinkPurpose for used in LinkPurpose if made != used]


def _guest(session: Session):
    day = event(session)
    return service.register_guest(
        session, ANONYMOUS, day.id, GuestIn(name="Ewa Gość", email="ewa@guest.example")
    )


def _use(session: Session, purpose: LinkPurpose, token: str) -> Any:
    if purpose == LinkPurpose.MAIL_OFF:
        return service.switch_guest_mail_off(session, token)
    if purpose == LinkPurpose.DATA:
        return service.export_guest_of_link(session, token)
    return service.erase_guest_of_link(session, token)


def test_the_three_tokens_differ(session: Session):
    guest = _guest(session)
    assert len({make(guest.id) for make in TOKENS.values()}) == 3


@pytest.mark.parametrize(("made", "used"), CROSS_USES)
def test_a_link_of_one_purpose_is_refused_for_another(
    session: Session, made: LinkPurpose, used: LinkPurpose
):
    guest = _guest(session)
    with pytest.raises(Gone) as refused:
        _use(session, used, TOKENS[made](guest.id))
    assert refused.value.code == "registration.link_purpose"
    session.refresh(guest)
    assert not guest.mail_off and guest.guest_email == "ewa@guest.example"


@pytest.mark.parametrize("purpose", list(LinkPurpose))
def test_each_link_does_its_own_work(session: Session, purpose: LinkPurpose):
    guest = _guest(session)
    done = _use(session, purpose, TOKENS[purpose](guest.id))
    session.refresh(guest)
    if purpose == LinkPurpose.MAIL_OFF:
        assert guest.mail_off
    elif purpose == LinkPurpose.DATA:
        assert done["event_registrations"][0]["id"] == guest.id
    else:
        assert done == 1 and guest.guest_email is None


def test_an_unsubscribe_link_on_the_web_opens_no_data_and_erases_nothing(
    session: Session, client: Any
):
    guest = _guest(session)
    session.commit()
    visitor = caller_for(session, client, None)
    off = mailing.mail_off_token(guest.id)

    data = visitor.send("GET", f"/events/mail-off/{off}/data?lang=en")
    assert data.status_code == 410
    assert "this link does not download your data" in data.text
    assert "ewa@guest.example" not in data.text and "Ewa" not in data.text
    page = visitor.send("GET", f"/events/mail-off/{off}/erase?lang=pl")
    assert page.status_code == 410 and "ten link nie usuwa Twoich danych" in page.text
    erase = visitor.send("POST", f"/events/mail-off/{off}/erase", {})
    assert erase.status_code == 410
    session.refresh(guest)
    assert guest.guest_email == "ewa@guest.example"
    # the switch-off page no longer hands out the data links
    shown = visitor.send("GET", f"/events/mail-off/{off}")
    assert shown.status_code == 200
    assert "/data" not in shown.text and "/erase" not in shown.text


def test_a_data_link_on_the_web_neither_switches_mail_off_nor_erases(session: Session, client: Any):
    guest = _guest(session)
    session.commit()
    visitor = caller_for(session, client, None)
    data = mailing.data_token(guest.id)
    for method, path in (
        ("GET", f"/events/mail-off/{data}?lang=en"),
        ("POST", f"/events/mail-off/{data}?lang=en"),
        ("GET", f"/events/mail-off/{data}/erase?lang=en"),
        ("POST", f"/events/mail-off/{data}/erase?lang=en"),
    ):
        answer = visitor.send(method, path, {} if method == "POST" else None)
        assert answer.status_code == 410, (method, path)
        assert "this link does not" in answer.text
    erase = mailing.erase_token(guest.id)
    assert visitor.send("GET", f"/events/mail-off/{erase}/data").status_code == 410
    assert visitor.send("POST", f"/events/mail-off/{erase}", {}).status_code == 410
    session.refresh(guest)
    assert not guest.mail_off and guest.guest_email == "ewa@guest.example"


def test_the_api_names_the_code_of_a_wrong_link(session: Session, client: Any):
    guest = _guest(session)
    session.commit()
    answer = client.get(
        f"/events/mail-off/{mailing.mail_off_token(guest.id)}/data",
        headers={"accept": "application/json"},
    )
    assert answer.status_code == 410
    assert "registration.link_purpose" in answer.text


def test_a_forged_link_is_not_found(session: Session, client: Any):
    guest = _guest(session)
    session.commit()
    forged = mailing.data_token(guest.id)[:-2] + "xx"
    assert client.get(f"/events/mail-off/{forged}/data").status_code == 404


def test_every_link_expires_as_the_switch_off_link_does(session: Session):
    guest = _guest(session)
    assert mailing.link_expires(guest) == dt.date(2030, 6, 10)
    for purpose, make in TOKENS.items():
        with clock.replay(dt.datetime(2030, 6, 11, 9, tzinfo=dt.UTC)), pytest.raises(Gone) as old:
            _use(session, purpose, make(guest.id))
        assert old.value.code == "registration.link_expired"
    session.refresh(guest)
    assert not guest.mail_off and guest.guest_email == "ewa@guest.example"


def test_the_e_mail_carries_one_link_per_purpose(session: Session, client: Any, mailbox: Mailbox):
    day = event(session)
    session.commit()
    visitor = caller_for(session, client, None)
    for lang, email in (("en", "ewa@guest.example"), ("pl", "jan@guest.example")):
        answer = visitor.send(
            "POST", f"/events/{day.id}/guests?lang={lang}", {"name": "Ewa", "email": email}
        )
        assert answer.status_code == 303
    for email, words in (
        ("ewa@guest.example", ("Download your data", "Erase your data")),
        ("jan@guest.example", ("Pobierz swoje dane", "Usuń swoje dane")),
    ):
        [message] = mailbox.to(email)
        text = text_of(message)
        assert all(w in text and w in html_of(message) for w in words)
        found = dict(
            (m.group(2) or "off", m.group(1))
            for m in re.finditer(r"/events/mail-off/([\w.-]+)(?:/(data|erase))?\b", text)
        )
        assert set(found) == {"off", "data", "erase"}
        assert mailing.registration_of_token(LinkPurpose.MAIL_OFF, found["off"])
        assert mailing.registration_of_token(LinkPurpose.DATA, found["data"])
        assert mailing.registration_of_token(LinkPurpose.ERASE, found["erase"])
        assert found["off"] in message["List-Unsubscribe"]
        assert found["data"] not in message["List-Unsubscribe"]
