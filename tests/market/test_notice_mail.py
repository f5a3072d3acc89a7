"""The marketplace's news by e-mail: an interest received reaches the owner's editor through
the real local SMTP server, in Polish, with a link to the interests and a signed link that
stops e-mails of that kind; every market kind's e-mail carries such a link."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.mailbox import Mailbox, links_in, text_of
from tests.market.notice_world import world
from tests.notifications.conftest import person

from upland.accounts import queries as account_queries
from upland.actor import Actor
from upland.mail.models import MailMessage
from upland.market.interests import service
from upland.market.interests.schemas import BookingIn, DecisionIn, InterestIn, OutcomeIn
from upland.notifications import kinds
from upland.notifications import service as notifications
from upland.notifications.models import Notification

TITLE_PL = "Frezowanie CNC korpusów przekładni"


def test_an_interest_is_emailed_at_once_with_its_unsubscribe_link(
    session: Session, mailbox: Mailbox, market_notices: None
):
    w = world(session)
    service.express_interest(session, w.pair.other_editor, w.pair.opportunity.id, InterestIn())
    session.commit()

    editor = account_queries.get_user(session, w.pair.owner_editor.user_id or 0)
    [mail] = mailbox.to(editor.email)
    sentence = f"{w.pair.other.short_name} jest zainteresowana ofertą „{TITLE_PL}”"
    assert mail["Subject"] == f"Upland: {sentence}"
    body = text_of(mail)
    assert sentence in body
    link = f"https://upland.test/market/{w.pair.opportunity.id}/interests"
    assert link in links_in(mail)
    stop = mail["List-Unsubscribe"].strip("<>")
    assert stop in links_in(mail)
    token = stop.rsplit("/", 1)[1]
    assert notifications.unsubscribe_link_target(token) == (editor.id, "market.interest_received")
    # The admin reads English; the viewer, the interested side and the others get no e-mail.
    admin = account_queries.get_user(session, w.owner_admin.user_id or 0)
    [english] = mailbox.to(admin.email)
    assert "is interested in “CNC milling of gearbox housings”" in english["Subject"]
    assert len(mailbox.messages) == 2
    note = session.scalars(select(Notification).where(Notification.recipient_id == editor.id)).one()
    assert note.emailed_at is not None


SAMPLE = {
    "title": "Chassis dynamometer",  # saved searches' news: the title in the reader's language
    "search": "Dynamometers in Lublin",
    "deadline": "2027-01-10",
    "title_pl": "Hamownia podwoziowa",
    "title_en": "Chassis dynamometer",
    "organisation": "Rol-Mech",
    "owner": "Politechnika Lubelska",
    "reason": "Dodaj opis",
    "reason_label": "too_early",
    "expires_on": "2027-01-15",
    "starts_on": "2027-02-01",
    "ends_on": "2027-02-03",
    "outcome": "agreement",
    "agreement": "licence",
}


def test_every_market_kind_is_emailed_with_its_sentence_and_an_unsubscribe_link(
    session: Session,
):
    user = person(session, "en")
    market = [k for k in kinds.registered() if k.code.startswith("market.")]
    assert len(market) >= 22  # the notices of interests, opportunities and saved searches
    own = Actor(user_id=user, label="reader")
    notifications.set_preferences(session, own, user, {k.code: "immediate" for k in market})
    for kind in market:
        [note] = notifications.notify(session, [user], kind.code, SAMPLE, "/market")
        mail = session.get(MailMessage, note.mail_message_id)
        assert mail is not None and mail.unsubscribe_url
        assert mail.unsubscribe_url in mail.body_text
        sentence = kind.message(SAMPLE).render("en")
        assert "{" not in sentence
        assert sentence in mail.body_text


def test_a_cancelled_booking_is_emailed_to_the_owner_with_its_unsubscribe_link(
    session: Session, mailbox: Mailbox, market_notices: None
):
    w = world(session, owner_kind="research", kind="infrastructure_offer", equipment="Hamownia")
    start = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=3)
    days = BookingIn(starts_on=start, ends_on=start + dt.timedelta(days=1), purpose="Testy")
    booking = service.request_booking(session, w.pair.other_editor, w.pair.opportunity.id, days)
    session.commit()
    service.accept_booking(session, w.pair.owner_editor, booking.id, DecisionIn())
    session.commit()
    mailbox.clear()
    service.cancel_booking(session, w.pair.other_editor, booking.id, DecisionIn())
    session.commit()

    editor = account_queries.get_user(session, w.pair.owner_editor.user_id or 0)
    [mail] = mailbox.to(editor.email)
    sentence = f"{w.pair.other.short_name} odwołała rezerwację „{TITLE_PL}” od "
    assert mail["Subject"].startswith(f"Upland: {sentence}")
    assert sentence in text_of(mail)
    stop = mail["List-Unsubscribe"].strip("<>")
    assert stop in links_in(mail)
    token = stop.rsplit("/", 1)[1]
    assert notifications.unsubscribe_link_target(token) == (editor.id, "market.booking_withdrawn")


def test_the_coordinators_confirmation_is_emailed_to_both_sides(
    session: Session, mailbox: Mailbox, market_notices: None
):
    w = world(session)
    interest = service.express_interest(
        session, w.pair.other_editor, w.pair.opportunity.id, InterestIn()
    )
    introduction = service.accept_interest(session, w.pair.owner_editor, interest.id, DecisionIn())
    report = OutcomeIn(kind="agreement_signed", agreement_type="subcontracting")
    reported = service.record_outcome(session, w.pair.other_editor, introduction.id, report)
    session.commit()
    mailbox.clear()
    service.confirm_outcome(session, w.coordinator, reported.id)
    session.commit()

    for actor, opening in (
        (w.owner_admin, "Upland: The coordinator confirmed the agreement"),
        (w.other_second, "Upland: Koordynator potwierdził umowę"),
    ):
        user = account_queries.get_user(session, actor.user_id or 0)
        [mail] = mailbox.to(user.email)
        assert mail["Subject"].startswith(opening)
        assert "https://upland.test/market/introductions" in links_in(mail)
        stop = mail["List-Unsubscribe"].strip("<>")
        target = notifications.unsubscribe_link_target(stop.rsplit("/", 1)[1])
        assert target == (user.id, "market.agreement_confirmed")
