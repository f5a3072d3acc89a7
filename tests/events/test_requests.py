"""Meeting requests: the rules (oneself and one's delegation, who may request whom, duplicates
in either direction, confirmed sides, the event not begun) answered with codes and nothing
stored; acceptance by the receiver or automatically; who sees which requests; browsing
participants by type, city and words."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.events.world import event, event_data, registered
from upland.actor import SYSTEM
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.events import queries, service
from upland.events.schemas import RequestIn


def test_send_accept_and_the_rules(session: Session):
    day = event(session, request_rules=[{"requester": "company", "receiver": "investor"}])
    firm = factories.organisation(session)
    _, alice = registered(session, day.id, firm)
    a2, _ = registered(session, day.id, firm)  # Alice's delegation
    b, bob = registered(session, day.id, participant_type="investor")
    c, carol = registered(session, day.id)
    with pytest.raises(Invalid) as own:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=a2.id))
    assert own.value.errors[0].code == "request.own_delegation"
    with pytest.raises(Invalid) as typed:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=c.id))
    assert typed.value.errors[0].code == "request.type_rule"
    with pytest.raises(Invalid) as unknown:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=999999))
    assert unknown.value.errors[0].code == "request.receiver_unknown"
    sent = service.send_request(
        session, alice, day.id, RequestIn(receiver_id=b.id, message="Odlewy", priority=1)
    )
    assert sent.status == "pending"
    with pytest.raises(Conflict) as twice:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    assert twice.value.code == "request.duplicate"
    with pytest.raises(NotFound):
        service.decide_request(session, carol, sent.id, accept=True)
    with pytest.raises(PermissionDenied):  # the requester does not answer their own request
        service.decide_request(session, alice, sent.id, accept=True)
    service.decide_request(session, bob, sent.id, accept=True)
    assert sent.status == "accepted"
    with pytest.raises(Conflict):
        service.decide_request(session, bob, sent.id, accept=False)
    assert [r.id for r in queries.list_requests(session, bob, day)] == [sent.id]
    assert queries.list_requests(session, carol, day) == []
    assert [r.id for r in queries.list_requests(session, SYSTEM, day)] == [sent.id]


def test_automatic_mode_past_events_and_outsiders(session: Session):
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    made = service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    assert made.status == "accepted"
    outsider = factories.actor_of(session, factories.user(session))
    with pytest.raises(PermissionDenied) as refused:
        service.send_request(session, outsider, day.id, RequestIn(receiver_id=b.id))
    assert refused.value.code == "request.not_participant"
    with pytest.raises(PermissionDenied):
        queries.list_participants(session, outsider, day)
    service.update_event(
        session,
        SYSTEM,
        day.id,
        event_data(
            sessions=[{"day": dt.date(2020, 5, 5), "starts": "09:00", "ends": "10:00"}],
            registration_closes=None,
        ),
    )
    with pytest.raises(Conflict) as past:
        service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    assert past.value.code == "request.past"


def test_browsing_participants(session: Session):
    day = event(session)
    lublin = factories.organisation(session, short_name="Odlewnia Lubelska")
    _, alice = registered(session, day.id, lublin, topics=["aluminium"], seek="obróbka")
    registered(session, day.id, participant_type="investor", offer="kapitał")
    everyone = queries.list_participants(session, alice, day)
    assert len(everyone) == 2
    assert [
        p.organisation for p in queries.list_participants(session, alice, day, q="Aluminium")
    ] == ["Odlewnia Lubelska"]
    assert len(queries.list_participants(session, alice, day, kind="investor")) == 1
    assert len(queries.list_participants(session, alice, day, city="Lublin")) == 2
    assert queries.list_participants(session, alice, day, city="Radom") == []
