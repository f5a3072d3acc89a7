"""The guest form e-mails the address typed into it: anyone can type anyone's address, so the
acknowledgement carries no free text from the form (no name, no organisation), only the
platform's own words and the event's own title, in the language of the form, with the link
that switches the event's e-mails off. Received on the SMTP test server."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from tests.browsing import caller_for
from tests.events.world import event
from tests.mailbox import Mailbox, html_of, text_of
from upland.actor import SYSTEM
from upland.events import service
from upland.events.models import EventRegistration

CHOSEN = "Wygrałeś! Odbierz nagrodę: http://evil.example/claim"


def test_the_acknowledgement_repeats_nothing_typed_into_the_form(
    session: Session, client: Any, mailbox: Mailbox
):
    day = event(session, title_pl="Dzień kooperacji", title_en="Cooperation day")
    session.commit()
    visitor = caller_for(session, client, None)
    for lang, email in (("en", "victim@example.org"), ("pl", "ofiara@example.org")):
        answer = visitor.send(
            "POST",
            f"/events/{day.id}/guests?lang={lang}",
            {"name": CHOSEN, "email": email, "organisation": "<b>Odbierz</b> http://evil.example"},
        )
        assert answer.status_code == 303
    [english] = mailbox.to("victim@example.org")
    [polish] = mailbox.to("ofiara@example.org")
    for message in (english, polish):
        whole = text_of(message) + html_of(message) + str(message["Subject"])
        assert "evil.example" not in whole and "Wygrałeś" not in whole and "Odbierz" not in whole
        assert "/events/mail-off/" in text_of(message)  # the unsubscribe link every e-mail has
        assert message["List-Unsubscribe"]
    assert text_of(english).startswith("Hello,") and "“Cooperation day”" in text_of(english)
    assert "we received your registration" in text_of(english)
    assert text_of(polish).startswith("Dzień dobry,") and "„Dzień kooperacji”" in text_of(polish)
    # Later e-mails to the guest stay in the language of their form.
    guest = session.query(EventRegistration).filter_by(guest_email="victim@example.org").one()
    assert guest.guest_language == "en"
    mailbox.clear()
    service.validate_registration(session, SYSTEM, guest.id)
    session.commit()
    [validated] = mailbox.to("victim@example.org")
    assert "is confirmed" in text_of(validated) and "evil.example" not in text_of(validated)


def test_the_api_form_is_written_in_the_callers_language(
    session: Session, client: Any, mailbox: Mailbox
):
    day = event(session, title_pl="Dzień kooperacji", title_en="Cooperation day")
    session.commit()
    visitor = caller_for(session, client, None)
    answer = visitor.send(
        "POST",
        f"/api/v1/events/{day.id}/guests?lang=en",
        {"name": CHOSEN, "email": "api@example.org"},
    )
    assert answer.status_code == 202
    [message] = mailbox.to("api@example.org")
    assert "Cooperation day" in message["Subject"] and "evil" not in text_of(message)
