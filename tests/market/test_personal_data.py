"""What the marketplace holds about a person is in their data export and goes with erasure."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.notice_world import world

from upland import jobs
from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.actor import SYSTEM
from upland.market import notify, personal, signals
from upland.market import service as market
from upland.market.interests import service
from upland.market.interests.schemas import InterestIn
from upland.market.models import PendingNews


def test_export_and_erasure(session: Session):
    owner, asker = factories.organisation(session), factories.organisation(session)
    author = factories.user(session, role="editor", org=owner)
    asking = factories.user(session, role="viewer", org=asker)
    made = factories.opportunity(
        session, owner, factories.actor_of(session, author), publish=True, visibility="restricted"
    )
    request = market.request_access(
        session, factories.actor_of(session, asking), made.id, asker.id, "Jan Kowalski, tel. 600"
    )

    data = account_queries.personal_data(session, SYSTEM, author.id)["market"]
    assert [o["id"] for o in data["opportunities_created"]] == [made.id]
    asked = account_queries.personal_data(session, SYSTEM, asking.id)["market"]
    assert asked["access_requests"][0]["message"] == "Jan Kowalski, tel. 600"

    account_service.erase_user(session, SYSTEM, author.id)
    account_service.erase_user(session, SYSTEM, asking.id)
    session.flush()
    session.expire_all()
    assert made.created_by_id is None and made.status == "published"
    assert (request.requested_by_id, request.message) == (None, "")


@pytest.mark.usefixtures("market_notices")
def test_news_naming_a_person_is_exported_and_goes_with_erasure(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    w = world(session)
    session.commit()
    answering = w.pair.other_editor
    service.express_interest(session, answering, w.pair.opportunity.id, InterestIn())
    session.commit()  # delivered at once
    [delivered] = _naming(session, answering.user_id)
    assert delivered.delivered_at is not None
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    later = factories.opportunity(session, w.pair.owner, w.pair.owner_editor, publish=True)
    service.express_interest(session, answering, later.id, InterestIn())
    session.commit()  # the queue is down: this news waits
    waiting = [n for n in _naming(session, answering.user_id) if n.delivered_at is None]
    assert [n.fields["opportunity_id"] for n in waiting] == [later.id]

    data = account_queries.personal_data(session, SYSTEM, answering.user_id or 0)["market"]
    assert [n["id"] for n in data["news"]] == [delivered.id, waiting[0].id]
    assert data["news"][1]["fields"]["user_id"] == answering.user_id

    account_service.erase_user(session, SYSTEM, answering.user_id or 0)
    session.commit()
    session.expire_all()
    assert _naming(session, answering.user_id) == []
    assert session.get(PendingNews, delivered.id) is None  # delivered: gone
    kept = session.get(PendingNews, waiting[0].id)  # still to deliver, without the person
    assert kept is not None and kept.fields["user_id"] is None
    assert kept.fields["organisation_id"] == w.pair.other.id
    assert notify.deliver(kept.id)  # the organisation's editors still hear of it


def test_every_person_field_of_a_signal_is_known():
    """A signal field holding a user id that the export and erasure do not know would leak."""
    people = {
        f.name
        for cls in vars(signals).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls)
        for f in dataclasses.fields(cls)
        if f.name.endswith(("user_id", "_by_id"))
    }
    assert people == set(personal.PERSON_FIELDS)


def _naming(session: Session, user_id: int | None) -> list[PendingNews]:
    rows = session.scalars(select(PendingNews).order_by(PendingNews.id))
    return [n for n in rows if user_id in {n.fields.get(f) for f in personal.PERSON_FIELDS}]


def _queue_down(*_args, **_kwargs):
    raise RuntimeError("Redis is down")
