"""Notification e-mails arrive at a real SMTP server: at once or as one digest per person, in
each person's language, with their unsubscribe links; a failed send keeps the notification
"not yet e-mailed" until a retry gets it through; a digest run twice sends nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.mailbox import Mailbox, free_port, html_of, links_in, smtp_server, text_of
from tests.notifications.conftest import person
from tests.notifications.testkinds import ASKED, PINGED

from upland import settings
from upland.accounts import service as account_service
from upland.actor import SYSTEM, Actor
from upland.db import utcnow
from upland.mail.models import FAILED, SENT, MailMessage
from upland.notifications import delivery, service
from upland.notifications.models import Delivery, Notification

pytestmark = pytest.mark.usefixtures("delivery_within")


def email_of(session: Session, user_id: int) -> str:
    from upland.accounts import queries

    return queries.get_user(session, user_id).email


def ask(session: Session, *users: int, how: str = "daily", link: str | None = "/start"):
    return service.notify(session, users, ASKED.code, {"who": "Rol-Mech", "how": how}, link)


def test_immediate_notifications_arrive_in_each_persons_language(
    session: Session, mailbox: Mailbox
):
    pl, en = person(session, "pl"), person(session, "en")
    made = ask(session, pl, en)
    session.commit()

    [polish] = mailbox.to(email_of(session, pl))
    [english] = mailbox.to(email_of(session, en))
    assert polish["Subject"] == "Upland: Rol-Mech asks about: codzienne podsumowanie e-mailem"
    assert english["Subject"] == "Upland: Rol-Mech asks about: daily e-mail digest"
    assert "Dzień dobry" in text_of(polish) and "Zobacz: https://upland.test/start" in text_of(
        polish
    )
    assert "See: https://upland.test/start" in text_of(english)
    assert 'href="https://upland.test/start"' in html_of(english)
    # Per kind (the List-Unsubscribe header) and for all: two different signed links.
    kind_link = english["List-Unsubscribe"].strip("<>")
    links = links_in(english)
    assert kind_link in links
    all_link = next(u for u in links if "/notifications/unsubscribe/" in u and u != kind_link)
    assert "https://upland.test/account/notifications" in links
    assert all_link != kind_link
    for note in made:
        session.refresh(note)
        assert note.emailed_at is not None  # stamped when the transport took it


def test_a_failed_send_keeps_the_notification_unsent_until_a_retry_gets_it_through(
    session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
):
    port = free_port()  # nobody listens here yet
    monkeypatch.setenv("UPLAND_SMTP_PORT", str(port))
    settings.get_settings.cache_clear()
    user = person(session, "en")
    [note] = ask(session, user)
    session.commit()

    session.refresh(note)
    message = session.get(MailMessage, note.mail_message_id)
    assert message is not None and message.status == FAILED
    assert note.emailed_at is None  # not lost: still waiting for its e-mail

    assert delivery.retry_unsent_mail() == {"sent": 0, "failed": 1}  # the server is still away
    session.refresh(note)
    assert note.emailed_at is None

    with smtp_server(port) as box:
        assert delivery.retry_unsent_mail() == {"sent": 1, "failed": 0}
    [received] = box.messages
    assert received["To"] == email_of(session, user)
    assert "Rol-Mech asks about" in received["Subject"]
    session.refresh(note)
    session.refresh(message)
    assert message.status == SENT and note.emailed_at is not None
    assert delivery.retry_unsent_mail() == {"sent": 0, "failed": 0}


def test_the_daily_digest_is_one_e_mail_per_person_with_all_their_news(
    session: Session, mailbox: Mailbox
):
    pl, en, weekly = person(session, "pl"), person(session, "en"), person(session, "en")
    service.set_preferences(
        session, Actor(user_id=weekly, label="w"), weekly, {PINGED.code: "weekly"}
    )
    for name in ("Ewa", "Jan", "Ola"):
        service.notify(session, [pl, en, weekly], PINGED.code, {"name": name}, f"/p/{name}")
    ask(session, en)  # immediate: not in the digest
    session.commit()
    mailbox.clear()

    assert delivery.send_digests("daily") == {"people": 2, "emails": 2}

    [polish] = mailbox.to(email_of(session, pl))
    [english] = mailbox.to(email_of(session, en))
    assert polish["Subject"] == "Upland: podsumowanie dnia (3)"
    assert english["Subject"] == "Upland: your daily digest (3)"
    body = text_of(english)
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        line for line in body.splitlines() if "pinged you" in line
    ]
    for name in ("Ewa", "Jan", "Ola"):
        assert f"{name} pinged you" in body and f"https://upland.test/p/{name}" in body
    assert "Rol-Mech" not in body
    assert "oto nowości z ostatniego dnia" in text_of(polish)
    assert english["List-Unsubscribe"].startswith("<https://upland.test/notifications/unsubscribe/")
    assert mailbox.to(email_of(session, weekly)) == []

    digested = session.scalars(
        select(Notification).where(Notification.delivery == Delivery.DAILY.value)
    ).all()
    session.expire_all()
    assert len(digested) == 6 and all(n.digested_at and n.emailed_at for n in digested)

    # Run again: nothing is left, nothing is sent twice.
    assert delivery.send_digests("daily") == {"people": 0, "emails": 0}
    assert len(mailbox.messages) == 2

    assert delivery.send_weekly_digests() == {"people": 1, "emails": 1}
    [week] = mailbox.to(email_of(session, weekly))
    assert week["Subject"] == "Upland: your weekly digest (3)"


def test_a_digest_takes_only_news_older_than_its_run_and_skips_inactive_people(
    session: Session, mailbox: Mailbox
):
    active, gone = person(session, "en"), person(session, "en")
    service.notify(session, [active, gone], PINGED.code, {"name": "Ewa"})
    account_service.deactivate_user(session, SYSTEM, gone)
    session.commit()
    mailbox.clear()

    earlier = utcnow() - dt.timedelta(hours=1)
    assert delivery.send_digests("daily", now=earlier) == {"people": 0, "emails": 0}
    assert delivery.send_digests("daily") == {"people": 2, "emails": 1}
    assert [m["To"] for m in mailbox.messages] == [email_of(session, active)]
    session.expire_all()
    left = session.scalars(select(Notification).where(Notification.digested_at.is_(None)))
    assert left.all() == []  # the inactive person's news is settled too, without an e-mail


def test_digests_go_in_batches(session: Session, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(delivery, "BATCH", 2)
    people = [person(session, "en") for _ in range(5)]
    service.notify(session, people, PINGED.code, {"name": "Ewa"})
    session.commit()
    mailbox.clear()
    assert delivery.send_digests("daily") == {"people": 5, "emails": 5}
    assert sorted(m["To"] for m in mailbox.messages) == sorted(email_of(session, p) for p in people)


def test_only_daily_and_weekly_digests_exist():
    with pytest.raises(ValueError):
        delivery.send_digests("immediate")
