"""Agendas as iCalendar: stable UIDs, SEQUENCE growing when a meeting moves, local times in
UTC; the `.ics` download and the secret feed address (rotated: the old one stops; revoked)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import caller_for
from tests.events.world import DAY, event, registered
from upland.accounts import queries as accounts
from upland.actor import SYSTEM
from upland.events import queries, service
from upland.events.ical import CalendarMeeting, calendar_of, uid_of
from upland.events.instance import build_instance
from upland.events.scheduling import solve
from upland.events.schemas import RequestIn

NOW = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)


def test_a_meeting_reads_with_a_stable_uid_and_its_sequence():
    meeting = CalendarMeeting(
        7,
        42,
        2,
        DAY,
        dt.time(9),
        dt.time(9, 30),
        "Giełda",
        "Anna (Odlewnia)",
        "A",
        "Targi Lublin",
        "/events/7/agenda",
    )
    parsed = Calendar.from_ical(calendar_of([meeting], NOW))
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["uid"]) == uid_of(7, 42) == "upland-event-7-request-42@upland"
    assert int(entry["sequence"]) == 2
    assert entry.decoded("dtstart") == dt.datetime(2030, 3, 12, 8, tzinfo=dt.UTC)  # 9:00 CET
    assert "Anna (Odlewnia)" in str(entry["summary"]) and "A" in str(entry["location"])


def _scheduled(session: Session):
    day = event(session, request_mode="automatic")
    _, alice = registered(session, day.id)
    b, _ = registered(session, day.id)
    service.send_request(session, alice, day.id, RequestIn(receiver_id=b.id))
    service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
    return day, alice


def test_download_and_feed(session: Session, client: Any):
    day, alice = _scheduled(session)
    outsider = factories.user(session)
    session.commit()
    me = caller_for(session, client, accounts.get_user(session, alice.user_id))
    ics = me.send("GET", f"/events/{day.id}/agenda.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    (entry,) = Calendar.from_ical(ics.content).walk("VEVENT")
    meeting = queries.list_meetings(session, SYSTEM, day)[0]
    assert int(entry["sequence"]) == 0
    free = next(s.id for s in queries.slots_of_event(day) if s.id != meeting.slot)
    service.move_meeting(session, SYSTEM, meeting.id, slot=free, table=1)
    session.commit()
    (moved,) = Calendar.from_ical(me.send("GET", f"/events/{day.id}/agenda.ics").content).walk(
        "VEVENT"
    )
    assert moved["uid"] == entry["uid"] and int(moved["sequence"]) == 1
    made = me.send("POST", "/events/feed", {})
    url = made.text.split("<code>")[1].split("</code>")[0]
    path = url[url.index("/events/feed/") :]
    assert me.send("GET", path).status_code == 200
    rotated = me.send("POST", "/api/v1/events/feed").json()["url"]
    assert me.send("GET", path).status_code == 404  # the old address stops working
    new_path = rotated[rotated.index("/events/feed/") :]
    assert len(Calendar.from_ical(client.get(new_path).content).walk("VEVENT")) == 1
    assert me.send("DELETE", "/api/v1/events/feed").status_code == 204
    assert client.get(new_path).status_code == 404
    nobody = caller_for(session, client, outsider)
    empty = nobody.send("GET", f"/events/{day.id}/agenda.ics")
    assert Calendar.from_ical(empty.content).walk("VEVENT") == []
