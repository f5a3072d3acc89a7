"""The video rooms of an online event can be renamed: a participant whose registration was
cancelled, or anyone holding a leaked link, keeps an old name that leads nowhere once the
organiser issues a new link (web, API, command line; audited; the participants who still count
are told). Online B2B meetings have a room each, shown only to their two sides."""

from __future__ import annotations

from typing import Any

import pytest
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import event, registered
from upland.accounts import queries as accounts
from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.errors import Conflict, PermissionDenied
from upland.events import queries, service
from upland.events.instance import build_instance
from upland.events.scheduling import solve
from upland.events.schemas import RequestIn
from upland.events.video import meeting_room_link, room_link
from upland.notifications.models import Notification


def _online_day(session: Session):
    """An online brokerage day of an agency: alice's firm meets bob's, carol's firm meets
    nobody; dave registered and cancelled."""
    agency = factories.organisation(session, kind="business_support")
    boss = factories.user(session, role="editor", org=agency)
    day = event(session, online=True, venue="", organiser_id=agency.id, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, bob = registered(session, day.id)
    _, carol = registered(session, day.id)
    dave_reg, dave = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    [meeting] = queries.list_meetings(session, SYSTEM, day)
    return day, boss, alice, bob, carol, dave, dave_reg, meeting


def _user(session: Session, actor: Any) -> Any:
    return accounts.get_user(session, actor.user_id)


def test_a_new_link_leaves_the_old_one_nowhere_and_tells_who_still_counts(
    session: Session, client: Any
):
    day, boss, alice, bob, carol, dave, dave_reg, meeting = _online_day(session)
    old_event_room = room_link(day)
    old_meeting_room = meeting_room_link(day, meeting.request_id)
    service.cancel_registration(session, dave, dave_reg.id)  # dave keeps the old link
    session.commit()

    me = caller_for(session, client, _user(session, alice))
    assert old_event_room in me.send("GET", f"/events/{day.id}").text
    assert old_meeting_room in me.send("GET", f"/events/{day.id}/agenda").text
    client.cookies.clear()

    organiser = caller_for(session, client, boss)
    page = organiser.send("GET", f"/events/{day.id}?lang=en")
    assert 'id="video-link-form"' in page.text and "New video-room link" in page.text
    done = organiser.send("POST", f"/events/{day.id}/video-link", {})
    assert done.status_code == 303
    assert (
        "A new video-room link is issued" in organiser.send("GET", f"/events/{day.id}?lang=en").text
    )
    session.refresh(day)
    new_event_room = room_link(day)
    new_meeting_room = meeting_room_link(day, meeting.request_id)
    assert new_event_room != old_event_room and new_meeting_room != old_meeting_room
    client.cookies.clear()

    # Nowhere is the old link shown: the event page, the API, the agenda, the calendar.
    me = caller_for(session, client, _user(session, alice))
    detail = me.send("GET", f"/events/{day.id}").text
    assert new_event_room in detail and old_event_room not in detail
    assert me.send("GET", f"/api/v1/events/{day.id}").json()["video_link"] == new_event_room
    agenda = me.send("GET", f"/events/{day.id}/agenda").text
    assert new_meeting_room in agenda and old_meeting_room not in agenda
    ics = Calendar.from_ical(me.send("GET", f"/events/{day.id}/agenda.ics").content)
    [entry] = ics.walk("VEVENT")
    assert new_meeting_room in str(entry["location"])
    assert old_meeting_room not in me.send("GET", f"/events/{day.id}/agenda.ics").text
    client.cookies.clear()

    # Told: the participants who still count, not the cancelled one, not the organiser.
    told = set(
        session.scalars(
            select(Notification.recipient_id).where(
                Notification.kind == "events.video_link_changed"
            )
        )
    )
    assert told == {alice.user_id, bob.user_id, carol.user_id}
    note = session.scalars(
        select(Notification).where(Notification.kind == "events.video_link_changed")
    ).first()
    assert note is not None and note.link == f"/events/{day.id}"
    assert old_event_room not in str(note.params) and new_event_room not in str(note.params)
    # Audited, the secret never written down.
    [entry_] = session.scalars(select(AuditEntry).where(AuditEntry.action == "events.video.issue"))
    assert day.video_secret is not None and day.video_secret not in str(entry_.after)


def test_a_meeting_room_is_shown_to_its_two_sides_only(session: Session, client: Any):
    day, _, alice, bob, carol, _, _, meeting = _online_day(session)
    session.commit()
    room = meeting_room_link(day, meeting.request_id)
    assert room != room_link(day)
    for who, sees in ((alice, True), (bob, True), (carol, False)):
        caller = caller_for(session, client, _user(session, who))
        assert (room in caller.send("GET", f"/events/{day.id}/agenda").text) is sees
        assert (room in caller.send("GET", f"/events/{day.id}/agenda.ics").text) is sees
        client.cookies.clear()


def test_the_api_and_the_rules(session: Session, client: Any):
    day, boss, alice, _, _, _, _, _ = _online_day(session)
    venue = event(session, organiser_id=day.organiser_id)
    session.commit()
    with pytest.raises(PermissionDenied):
        service.issue_video_link(session, alice, day.id)
    with pytest.raises(Conflict) as offline:
        service.issue_video_link(session, SYSTEM, venue.id)
    assert offline.value.code == "event.not_online"
    before = room_link(day)
    api = caller_for(session, client, boss)
    answer = api.send("POST", f"/api/v1/events/{day.id}/video-link")
    assert answer.status_code == 200
    assert answer.json()["video_link"] not in (None, before)
    assert api.send("POST", f"/api/v1/events/{venue.id}/video-link").status_code == 409
