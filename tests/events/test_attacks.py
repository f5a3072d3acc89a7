"""Events attacked: secret addresses kept out of the request log; a deactivated account's feed
closed; someone who left an organisation no longer acts for its delegation; meeting requests
in the personal-data export and erasure; the video room not guessable and shown only to whom
takes part; a draft event's meetings not betrayed; an unknown receiver a clear 422."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from upland.accounts import queries as accounts
from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.errors import NotFound, PermissionDenied
from upland.events import mailing, queries, service
from upland.events.instance import build_instance
from upland.events.models import EventMeeting
from upland.events.scheduling import solve
from upland.events.schemas import MeetingOutcomeIn, RequestIn
from upland.personal_data import erase, exported

SECRET = "s3cret-token-value"


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        (f"/events/feed/{SECRET}.ics", "/events/feed/***"),
        (f"/events/mail-off/{SECRET}", "/events/mail-off/***"),
        (f"/notifications/unsubscribe/{SECRET}", "/notifications/unsubscribe/***"),
    ],
)
def test_secret_addresses_are_not_logged(client: Any, caplog: Any, path: str, logged: str):
    with caplog.at_level(logging.INFO):
        client.get(path)
    ours = [r for r in caplog.records if r.name.startswith("upland.")]
    assert [getattr(r, "path", None) for r in ours if r.getMessage() == "request"] == [logged]
    for record in ours:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(vars(record))


def test_the_feed_page_s_own_paths_are_logged_as_they_are(client: Any, caplog: Any):
    with caplog.at_level(logging.INFO):
        client.get("/events/feed")
    paths = [getattr(r, "path", None) for r in caplog.records if r.getMessage() == "request"]
    assert paths[0] == "/events/feed"


def test_the_feed_of_a_deactivated_account_answers_404(session: Session, client: Any):
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    token = service.rotate_feed_token(session, alice)
    session.commit()
    assert client.get(f"/events/feed/{token}.ics").status_code == 200
    assert alice.user_id is not None
    account_service.deactivate_user(session, SYSTEM, alice.user_id)
    session.commit()
    assert client.get(f"/events/feed/{token}.ics").status_code == 404
    assert queries.feed_actor(session, token) is None


def _left(session: Session, actor: Any, organisation_id: int) -> Any:
    """The actor after their organisation removed them."""
    account_service.revoke_role(session, SYSTEM, actor.user_id, "editor", organisation_id)
    return factories.actor_of(session, accounts.get_user(session, actor.user_id))


def test_who_left_the_organisation_no_longer_acts_for_its_delegation(session: Session):
    day = event(session)
    firm = factories.organisation(session)
    mine, alice = registered(session, day.id, firm)
    _, bob = registered(session, day.id)
    c, _ = registered(session, day.id)
    asked = service.send_request(session, bob, day.id, RequestIn(receiver_id=mine.id))
    alice = _left(session, alice, firm.id)
    with pytest.raises(PermissionDenied) as sending:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=c.id))
    assert sending.value.code == "request.not_participant"
    with pytest.raises(NotFound):
        service.decide_request(session, alice, asked.id, accept=True)
    assert asked.status == "pending"
    assert queries.list_requests(session, alice, day) == []
    assert mine.status == "cancelled"  # leaving ended the place (test_departures)
    with pytest.raises(NotFound):
        service.cancel_registration(session, alice, mine.id)
    assert queries.my_registration(session, alice, day) is None
    assert queries.list_registrations(session, alice, day) == []


def test_who_left_records_no_outcome_and_loses_the_agenda(session: Session, monkeypatch):
    day = event(session, request_mode="automatic")
    firm = factories.organisation(session)
    _, alice = registered(session, day.id, firm)
    b, _ = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    (meeting,) = queries.list_meetings(session, SYSTEM, day)
    assert len(queries.calendar_meetings(session, alice)) == 1
    alice = _left(session, alice, firm.id)
    assert queries.calendar_meetings(session, alice) == []
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    with pytest.raises(NotFound) as refused:
        service.record_outcome(session, alice, meeting.id, MeetingOutcomeIn(outcome="no_interest"))
    assert refused.value.code == "meeting.not_found"
    assert meeting.outcome is None


def test_meeting_requests_are_exported_and_their_text_erased(session: Session):
    day = event(session)
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    sent = service.send_request(
        session, alice, day.id, RequestIn(receiver_id=b.id, message="Szukamy odlewni aluminium")
    )
    data = exported(session, alice.user_id)
    (request,) = data["events"]["meeting_requests"]
    assert request["message"] == "Szukamy odlewni aluminium"
    assert request["id"] == sent.id and request["event_id"] == day.id
    erase(session, alice.user_id)
    session.refresh(sent)
    assert sent.message == "" and sent.status == "pending"  # the request still counts


def _online(session: Session):
    day = event(session, online=True, venue="")
    participant, alice = registered(session, day.id)
    return day, participant, alice


def test_the_video_room_is_keyed_and_shown_only_to_whom_takes_part(session: Session, client: Any):
    day, _, alice = _online(session)
    other = event(session, online=True, venue="")
    outsider = factories.user(session, role="editor", org=factories.organisation(session))
    session.commit()
    assert client.get(f"/api/v1/events/{day.id}").json()["video_link"] is None
    assert (
        "video room" not in client.get(f"/events/{day.id}", headers={"accept-language": "en"}).text
    )
    nobody = caller_for(session, client, outsider)
    assert nobody.send("GET", f"/api/v1/events/{day.id}").json()["video_link"] is None
    listed = nobody.send("GET", "/api/v1/events").json()["items"]
    assert all(e["video_link"] is None for e in listed)
    client.cookies.clear()
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    link = me.send("GET", f"/api/v1/events/{day.id}").json()["video_link"]
    assert link and re.fullmatch(r"https://meet\.jit\.si/upland-[0-9a-f]{24}", link)
    assert link == queries.video_link(session, SYSTEM, day)
    assert link != queries.video_link(session, SYSTEM, other)
    listed = me.send("GET", "/api/v1/events").json()["items"]
    assert {e["id"]: e["video_link"] for e in listed}[day.id] == link
    assert link in me.send("GET", f"/events/{day.id}").text


def test_the_video_room_changes_with_the_secret_key(session: Session, monkeypatch):
    from upland.settings import get_settings

    day, _, _ = _online(session)
    before = queries.video_link(session, SYSTEM, day)
    monkeypatch.setattr(get_settings(), "secret_key", "another-secret-key-of-enough-length")
    assert queries.video_link(session, SYSTEM, day) != before


def test_meetings_of_a_draft_event_answer_not_found(session: Session, monkeypatch):
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    (meeting,) = session.query(EventMeeting).filter_by(event_id=day.id).all()
    day.status = "draft"  # as if it had never been published: nobody but the organiser sees it
    session.flush()
    stranger = factories.actor_of(session, factories.user(session))
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    for who in (alice, stranger):
        with pytest.raises(NotFound) as hidden:
            service.record_outcome(session, who, meeting.id, MeetingOutcomeIn(outcome="follow_up"))
        assert hidden.value.code == "meeting.not_found"
        with pytest.raises(NotFound) as hidden:
            service.lock_meeting(session, who, meeting.id, locked=True)
        assert hidden.value.code == "meeting.not_found"
        with pytest.raises(NotFound) as hidden:
            service.meeting_event_id(session, who, meeting.id)
        assert hidden.value.code == "meeting.not_found"
    with pytest.raises(NotFound) as missing:
        service.record_outcome(session, stranger, 10**6, MeetingOutcomeIn(outcome="follow_up"))
    assert missing.value.code == "meeting.not_found"


def test_a_draft_event_s_meetings_through_the_api(session: Session, client: Any, monkeypatch):
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    (meeting,) = session.query(EventMeeting).filter_by(event_id=day.id).all()
    day.status = "draft"
    session.commit()
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    answer = me.send(
        "POST", f"/api/v1/events/meetings/{meeting.id}/outcome", {"outcome": "follow_up"}
    )
    assert answer.status_code == 404 and answer.json()["code"] == "meeting.not_found"
    answer = me.send("POST", f"/api/v1/events/meetings/{meeting.id}/lock", {"locked": True})
    assert answer.status_code == 404 and answer.json()["code"] == "meeting.not_found"


@pytest.mark.parametrize(
    ("receiver", "code"),
    [
        (999_999, "request.receiver_unknown"),
        (2**31 - 1, "request.receiver_unknown"),
        (0, "greater_than_equal"),
        (-1, "greater_than_equal"),
        (2**63, "less_than_equal"),
        ("x", "int_parsing"),
    ],
)
def test_a_request_to_an_unknown_receiver_is_a_422(
    session: Session, client: Any, receiver: Any, code: str
):
    day = event(session)
    _, alice = registered(session, day.id)
    session.commit()
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    answer = me.send("POST", f"/api/v1/events/{day.id}/requests", {"receiver_id": receiver})
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("receiver_id", code)


def test_a_request_to_a_participant_of_another_event_is_a_422(session: Session, client: Any):
    day, elsewhere = event(session), event(session)
    _, alice = registered(session, day.id)
    theirs, _ = registered(session, elsewhere.id)
    session.commit()
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    answer = me.send("POST", f"/api/v1/events/{day.id}/requests", {"receiver_id": theirs.id})
    assert answer.status_code == 422, answer.text
    assert "request.receiver_unknown" in answer.text
    page = me.send("POST", f"/events/{day.id}/requests", {"receiver_id": str(theirs.id)})
    assert page.status_code in (303, 422), page.text


def test_the_guest_mail_off_link_still_works(session: Session, client: Any):
    """The redaction is in the log only: the secret link itself works as before."""
    day = event(session)
    from upland.events.schemas import GuestIn

    guest = service.register_guest(
        session,
        SYSTEM,
        day.id,
        GuestIn(
            name="Anna",
            email="anna@fund.example",
            organisation="Fundusz",
            participant_type="investor",
        ),
    )
    session.commit()
    assert client.get(f"/events/mail-off/{mailing.mail_off_token(guest.id)}").status_code == 200


@pytest.mark.parametrize(
    ("template", "ok"),
    [
        ("https://meet.jit.si/upland-{room}", True),
        ("https://video.example/{event}", True),
        ("https://meet.jit.si/upland-cluster", False),  # every event in one room
        ("https://video.example/{id}", False),
        ("https://video.example/{room", False),
    ],
)
def test_the_video_template_needs_the_room_placeholder(template: str, ok: bool):
    from pydantic import ValidationError

    from upland.settings import Settings

    if ok:
        assert Settings(events_video_url=template).events_video_url == template
    else:
        with pytest.raises(ValidationError):
            Settings(events_video_url=template)


def test_a_request_tells_no_unconfirmed_registration_from_none(session: Session, client: Any):
    """A participant trying registration ids learnt which ones existed at the event waiting,
    pending (a guest) or cancelled (409 `request.receiver_unconfirmed`) against 422 for
    none: such a registration is not a participant they see, so it is answered as none."""
    from upland.events.schemas import GuestIn

    day = event(session, capacity=2)
    _, alice = registered(session, day.id)
    registered(session, day.id)
    waiting, _ = registered(session, day.id)
    guest = service.register_guest(
        session, SYSTEM, day.id, GuestIn(name="Ewa Gość", email="ewa@fund.example")
    )
    assert (waiting.status, guest.status) == ("waiting", "pending")
    session.commit()
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    answers = []
    for receiver in (waiting.id, guest.id, 999_999):
        answer = me.send("POST", f"/api/v1/events/{day.id}/requests", {"receiver_id": receiver})
        answers.append((answer.status_code, answer.json()["errors"][0]["code"]))
    assert answers == [(422, "request.receiver_unknown")] * 3


def test_asking_for_a_guest_place_does_not_tell_who_is_registered(session: Session, client: Any):
    """Anybody could type an address into the guest form and read from the answer (409
    `registration.duplicate`, "registered already") whether that person asked for a place at
    the event. The answer is now the same whether the address is registered or not (the API:
    202 `received`, no registration's id), and nothing is added or e-mailed a second time."""
    from sqlalchemy import func, select

    from upland.events.models import EventRegistration
    from upland.mail.models import MailMessage

    day = event(session)
    session.commit()
    visitor = caller_for(session, client, None)
    guest = {"name": "Ewa Gość", "email": "ewa@fund.example"}
    answers = []
    for email in ("ewa@fund.example", "Ewa@Fund.example", "jan@fund.example"):
        answer = visitor.send("POST", f"/api/v1/events/{day.id}/guests", {**guest, "email": email})
        answers.append((answer.status_code, answer.json()))
    assert answers == [(202, {"status": "received"})] * 3
    pages = []
    for email in ("ewa@fund.example", "ola@fund.example"):
        visitor.send("POST", f"/events/{day.id}/guests?lang=en", {**guest, "email": email})
        pages.append(visitor.send("GET", f"/events/{day.id}?lang=en").text)
    assert all("the organiser will validate your registration" in page for page in pages)
    assert not any("already" in page for page in pages)
    rows = session.scalar(
        select(func.count())
        .select_from(EventRegistration)
        .where(EventRegistration.guest_email == "ewa@fund.example")
    )
    mails = session.scalar(
        select(func.count())
        .select_from(MailMessage)
        .where(MailMessage.recipient == "ewa@fund.example")
    )
    assert (rows, mails) == (1, 1)
