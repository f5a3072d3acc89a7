"""An agreement recorded as a meeting's outcome counts, as in the marketplace, once both sides
or the organiser say so: one side's report is shown as "reported by one side", kept out of the
event report's agreements and of the network; the other side's confirmation (or the same
agreement reported by it, or the organiser's word) makes it count and tells the network."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from upland import signals
from upland.accounts import queries as accounts
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.errors import Conflict, NotFound, PermissionDenied
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.report import figures
from upland.events.report.queries import report_rows
from upland.events.scheduling import solve
from upland.events.schemas import MeetingOutcomeIn, RequestIn
from upland.events.signals import MeetingOutcomeRecorded
from upland.events.vocab import AGREEMENT_REPORTED

SIGNED = MeetingOutcomeIn(outcome="agreement", agreement_type="subcontracting")


def _held(session: Session, monkeypatch: pytest.MonkeyPatch):
    """A brokerage day organised by an agency, held: a's user met b's."""
    agency = factories.organisation(session, kind="business_support")
    organiser = factories.actor_of(session, factories.user(session, role="editor", org=agency))
    day = event(session, organiser_id=agency.id, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    bob = factories.actor_of(session, accounts.get_user(session, b.user_id))
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    [meeting] = queries.list_meetings(session, SYSTEM, day)
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    published: list[Any] = []
    monkeypatch.setattr(signals, "publish", lambda s, signal: published.append(signal))
    return day, meeting, alice, bob, organiser, published


def _agreements(session: Session, day_id: int) -> tuple[int, int]:
    total = figures.counts(report_rows(session, [day_id]), lambda _p: True)
    return total.agreements, total.agreements_reported


def test_one_sides_agreement_waits_for_the_other_side(session: Session, monkeypatch):
    day, meeting, alice, bob, _, published = _held(session, monkeypatch)
    service.record_outcome(session, alice, meeting.id, SIGNED)
    assert not meeting.agreement_confirmed
    assert _agreements(session, day.id) == (0, 1)
    [held] = queries.list_held_meetings(session, event_id=day.id)
    assert held.outcome == AGREEMENT_REPORTED  # a tie of the meeting, no agreement yet
    [said] = published
    assert isinstance(said, MeetingOutcomeRecorded) and not said.agreement_confirmed
    with pytest.raises(PermissionDenied) as own:
        service.confirm_agreement(session, alice, meeting.id)
    assert own.value.code == "meeting.own_report"
    stranger = factories.actor_of(session, factories.user(session))
    with pytest.raises(NotFound):
        service.confirm_agreement(session, stranger, meeting.id)

    service.confirm_agreement(session, bob, meeting.id)
    assert meeting.agreement_confirmed_as == "partner"
    assert _agreements(session, day.id) == (1, 0)
    [held] = queries.list_held_meetings(session, event_id=day.id)
    assert held.outcome == "agreement"
    confirmed = published[-1]
    assert isinstance(confirmed, MeetingOutcomeRecorded) and confirmed.agreement_confirmed
    assert session.scalar(
        select(AuditEntry.id).where(AuditEntry.action == "events.meeting.agreement_confirm")
    )
    with pytest.raises(Conflict) as again:
        service.confirm_agreement(session, bob, meeting.id)
    assert again.value.code == "meeting.agreement_confirmed"
    with pytest.raises(Conflict) as changed:
        service.record_outcome(session, alice, meeting.id, MeetingOutcomeIn(outcome="no_interest"))
    assert changed.value.code == "meeting.agreement_confirmed"


def test_the_same_agreement_from_both_sides_counts(session: Session, monkeypatch):
    day, meeting, alice, bob, _, published = _held(session, monkeypatch)
    service.record_outcome(session, alice, meeting.id, SIGNED)
    other = MeetingOutcomeIn(outcome="agreement", agreement_type="licence")
    service.record_outcome(session, bob, meeting.id, other)  # a different type: bob's word now
    assert not meeting.agreement_confirmed
    service.record_outcome(session, alice, meeting.id, other)
    assert meeting.agreement_confirmed_as == "partner"
    assert _agreements(session, day.id) == (1, 0)
    assert published[-1].agreement_confirmed


def test_the_organiser_confirms_or_records_an_agreement_that_counts(session: Session, monkeypatch):
    _, meeting, alice, _, organiser, _ = _held(session, monkeypatch)
    service.record_outcome(session, alice, meeting.id, SIGNED)
    service.confirm_agreement(session, organiser, meeting.id)
    assert meeting.agreement_confirmed_as == "organiser"


def test_an_agreement_the_organiser_records_counts_at_once(session: Session, monkeypatch):
    day2, meeting2, alice2, _, organiser2, _ = _held(session, monkeypatch)
    service.record_outcome(session, alice2, meeting2.id, MeetingOutcomeIn(outcome="follow_up"))
    with pytest.raises(Conflict) as nothing:
        service.confirm_agreement(session, organiser2, meeting2.id)
    assert nothing.value.code == "meeting.not_agreement"
    service.record_outcome(session, organiser2, meeting2.id, SIGNED)
    assert meeting2.agreement_confirmed_as == "organiser"
    assert _agreements(session, day2.id) == (1, 0)


def test_the_agenda_shows_one_sides_word_and_the_other_confirms(
    session: Session, client, monkeypatch
):
    day, meeting, alice, bob, _, _ = _held(session, monkeypatch)
    service.record_outcome(session, alice, meeting.id, SIGNED)
    mine = caller_for(session, client, accounts.get_user(session, alice.user_id))
    page = mine.send("GET", f"/events/{day.id}/agenda?lang=en")
    assert "Reported by one side" in page.text and "/agreement/confirm" not in page.text
    theirs = caller_for(session, client, accounts.get_user(session, bob.user_id))
    page = theirs.send("GET", f"/events/{day.id}/agenda?lang=en")
    assert f"/events/meetings/{meeting.id}/agreement/confirm" in page.text
    done = theirs.send("POST", f"/events/meetings/{meeting.id}/agreement/confirm", {})
    assert done.status_code == 303
    session.refresh(meeting)
    assert meeting.agreement_confirmed
    api = theirs.send("GET", f"/api/v1/events/{day.id}/meetings")
    assert api.json()["items"][0]["agreement_confirmed"] is True


def test_the_other_side_is_asked_to_confirm_a_reported_agreement(
    session: Session, monkeypatch, mailbox
):
    """One side reports an agreement signed: the other side's participants (its whole
    delegation at the event, not its other people, not the reporting side) hear it in-app and
    by e-mail as they chose, in their language, with the link to their agenda where they
    confirm; the same report said again tells nobody twice."""
    from tests.mailbox import text_of
    from upland.accounts import service as account_service
    from upland.actor import Actor
    from upland.events.schemas import RegistrationIn
    from upland.notifications import kinds
    from upland.notifications.models import Notification
    from upland.organisations.models import Organisation

    day, meeting, alice, bob, _, _ = _held(session, monkeypatch)
    theirs = meeting.request.receiver
    org = session.get(Organisation, theirs.organisation_id)
    mate_user = factories.user(session, role="viewer", org=org)
    mate = factories.actor_of(session, mate_user)
    import datetime as dt

    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on - dt.timedelta(days=10))
    service.register(session, mate, day.id, RegistrationIn(organisation_id=org.id))
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    factories.user(session, role="editor", org=org)  # not at the event: not told
    account_service.set_language(
        session, Actor(user_id=mate_user.id, label="mate"), mate_user.id, "en"
    )
    session.commit()

    service.record_outcome(session, alice, meeting.id, SIGNED)
    session.commit()
    notes = list(
        session.scalars(
            select(Notification).where(Notification.kind == "events.agreement_reported")
        )
    )
    assert sorted(n.recipient_id for n in notes) == sorted([bob.user_id, mate_user.id])
    assert all(n.link == f"/events/{day.id}/agenda#agenda-{meeting.id}" for n in notes)
    note = notes[0]
    polish = kinds.sentence(note.kind, note.params, "pl")
    english = kinds.sentence(note.kind, note.params, "en")
    assert "zgłasza podpisaną umowę" in polish and "podwykonawstwo" in polish
    assert "reports an agreement signed (commercial agreement: subcontracting" in english
    [mail] = [m for m in mailbox.to(mate_user.email) if "agreement" in text_of(m)]
    assert "reports an agreement signed" in text_of(mail)
    assert f"/events/{day.id}/agenda" in text_of(mail)

    service.record_outcome(session, alice, meeting.id, SIGNED)  # said again
    session.commit()
    again = session.scalars(
        select(Notification).where(Notification.kind == "events.agreement_reported")
    ).all()
    assert len(again) == 2
    # the page the notice links to offers the other side the confirmation
    service.confirm_agreement(session, bob, meeting.id)
    assert meeting.agreement_confirmed
