"""A held brokerage day for the report tests, made through the services: a Lublin agency
organises; companies from Lublin (a, c as research) and Radom (b) meet; a asks b and c, c asks
b (all accepted at once); everything is scheduled; a and b come, c does not; a–b ends in a
licence agreement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import event, registered
from upland.actor import SYSTEM, Actor
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.models import Event
from upland.events.scheduling import solve
from upland.events.schemas import MeetingOutcomeIn, RequestIn
from upland.events.vocab import Presence

RADOM = "1463011"


@dataclass
class HeldDay:
    event: Event
    organiser: Any  # the organising organisation
    editor: Actor  # its editor


def held_day(session: Session, monkeypatch: pytest.MonkeyPatch) -> HeldDay:
    agency = factories.organisation(session, kind="business_support")
    editor = factories.actor_of(session, factories.user(session, role="editor", org=agency))
    day = event(session, organiser_id=agency.id, request_mode="automatic")
    a, alpha = registered(session, day.id)
    radom = factories.organisation(
        session, sites=[{"teryt": RADOM, "is_headquarters": True}], people=[]
    )
    b, _ = registered(session, day.id, radom)
    lab = factories.organisation(session, kind="research")
    c, gamma = registered(session, day.id, lab, **{"participant_type": "research"})
    ab = service.send_request(session, alpha, day.id, RequestIn(receiver_id=b.id))
    service.send_request(session, alpha, day.id, RequestIn(receiver_id=c.id))
    service.send_request(session, gamma, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    for who, came in ((a, Presence.PRESENT), (b, Presence.PRESENT), (c, Presence.NO_SHOW)):
        service.mark_attendance(session, SYSTEM, who.id, came)
    monkeypatch.setattr("upland.clock.today", lambda: day.starts_on)
    meeting = next(m for m in queries.list_meetings(session, SYSTEM, day) if m.request_id == ab.id)
    service.record_outcome(
        session, SYSTEM, meeting.id, MeetingOutcomeIn(outcome="agreement", agreement_type="licence")
    )
    return HeldDay(day, agency, editor)
