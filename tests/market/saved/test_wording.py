"""Saved searches' and follows' news say things the way every marketplace notice does: the
stored params hold both titles and ISO dates, and the sentence picks the reader's language
when it is read (list, e-mail, digest). Rows stored before, with one `title` and a `deadline`,
still read as they did."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories

from upland.market.saved import fanout, notices, service
from upland.market.saved.schemas import SavedSearchCreate
from upland.notifications import kinds
from upland.notifications.models import Notification

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def reader(session: Session):
    owner = factories.organisation(session)
    member = factories.organisation(session)
    return owner, factories.user(session, role="viewer", org=member)


def _one(session: Session, kind: str) -> Notification:
    return session.scalars(select(Notification).where(Notification.kind == kind)).one()


def test_one_new_match_reads_in_each_readers_language(session: Session, reader):
    owner, user = reader
    actor = factories.actor_of(session, user)
    service.save_search(session, actor, SavedSearchCreate(name="Spawanie", q="spawanie"))
    made = factories.opportunity(
        session, owner, publish=True, title_pl="Spawanie ram", title_en="Welding of frames"
    )
    fanout.announce(session, [made.id], TODAY)
    note = _one(session, notices.NEW_MATCH.code)
    assert kinds.sentence(note.kind, note.params, "pl").endswith(": Spawanie ram")
    assert kinds.sentence(note.kind, note.params, "en").endswith(": Welding of frames")


def test_a_followers_deadline_is_a_date_written_out(session: Session, reader):
    owner, user = reader
    due = TODAY + dt.timedelta(days=fanout.DEADLINE_DAYS)
    made = factories.opportunity(session, owner, publish=True, deadline=due.isoformat())
    service.follow(session, factories.actor_of(session, user), made.id)
    fanout.remind_deadlines(session, TODAY)
    note = _one(session, notices.DEADLINE.code)
    assert note.params["deadline_on"] == due.isoformat()
    english = kinds.sentence(note.kind, note.params, "en")
    assert due.isoformat() not in english and str(due.year) in english
    assert f"{due:%B} {due.day}, {due.year}" in english


@pytest.mark.parametrize(
    ("kind", "params", "expected"),
    [
        (
            notices.NEW_MATCH.code,
            {"search": "Moje", "title": "Spawanie ram"},
            "New opportunity matching “Moje”: Spawanie ram",
        ),
        (
            notices.DEADLINE.code,
            {"title": "Spawanie ram", "deadline": "2027-01-10"},
            "The deadline of “Spawanie ram”, which you follow, is January 10, 2027",
        ),
        (
            notices.RENEWED.code,
            {"title": "Spawanie ram", "expires_on": "2027-03-01"},
            "“Spawanie ram”, which you follow, was renewed until March 1, 2027",
        ),
        (
            notices.CLOSED.code,
            {"title": "Spawanie ram", "status": "withdrawn"},
            "“Spawanie ram”, which you follow, was withdrawn",
        ),
    ],
)
def test_rows_stored_before_still_read_as_they_did(kind: str, params: dict, expected: str):
    assert kinds.sentence(kind, params, "en") == expected
