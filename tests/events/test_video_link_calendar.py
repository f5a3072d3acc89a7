"""Attack pass (4 December) on the video rooms' new link. A participant imported their agenda
(`agenda.ics`) or subscribes to the feed; the organiser issues a new link because the old one
leaked. The calendar entry's LOCATION changes, but a calendar app keeps an entry whose UID and
SEQUENCE it has seen already: unless SEQUENCE rises, the old room stays in the participant's
calendar, where whoever holds the leaked link waits for them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tests import factories
from tests.events.test_video import _online_day
from upland.events import queries, service
from upland.events.video import meeting_room_link


def test_a_new_link_raises_the_calendar_entry_s_sequence(session: Session) -> None:
    day, boss, alice, *_ = _online_day(session)
    organiser = factories.actor_of(session, boss)
    [before] = queries.calendar_meetings(session, alice, day.id)
    old = meeting_room_link(day, before.request_id)
    service.issue_video_link(session, organiser, day.id)
    [after] = queries.calendar_meetings(session, alice, day.id)
    assert after.location != old
    assert after.sequence > before.sequence
    service.issue_video_link(session, organiser, day.id)
    [again] = queries.calendar_meetings(session, alice, day.id)
    assert again.sequence > after.sequence
