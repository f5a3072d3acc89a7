"""The marketplace's news is never lost on the way: the signal's `PendingNews` row commits with
the change; when the job cannot be queued (Redis down) the row waits and the sweep delivers
it; a delivery that fails leaves it pending; delivered once, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.market.notice_world import World, told, world

from upland import jobs
from upland.market import notify
from upland.market.interests import service
from upland.market.interests.schemas import InterestIn
from upland.market.models import PendingNews

pytestmark = pytest.mark.usefixtures("market_notices")


class QueueDown(Exception):
    pass


def _queue_down(*_args, **_kwargs):
    raise QueueDown("Redis is down")


def _express(session: Session, w: World) -> None:
    service.express_interest(session, w.pair.other_editor, w.pair.opportunity.id, InterestIn())
    session.commit()


def _pending(session: Session) -> list[PendingNews]:
    return list(session.scalars(select(PendingNews).where(PendingNews.delivered_at.is_(None))))


def test_news_is_delivered_and_stamped_after_commit(session: Session):
    w = world(session)
    _express(session, w)
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert _pending(session) == []


def test_news_whose_job_cannot_be_queued_waits_for_the_sweep(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    w = world(session)
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    _express(session, w)  # the change commits although the queue is down
    assert told(session, "market.interest_received") == {}
    [waiting] = _pending(session)
    assert waiting.signal == "InterestExpressed"
    assert notify.deliver_pending() == {"delivered": 0, "failed": 0}  # not stale yet
    later = waiting.created_at + notify.STALE + dt.timedelta(seconds=1)
    assert notify.deliver_pending(later) == {"delivered": 1, "failed": 0}
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert _pending(session) == []
    assert notify.deliver_pending(later) == {"delivered": 0, "failed": 0}  # never twice
    assert set(told(session, "market.interest_received")) == w.owner_side


def test_a_failed_delivery_leaves_the_news_pending(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    w = world(session)
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    _express(session, w)
    [waiting] = _pending(session)

    def broken(_session, _signal):
        raise RuntimeError("the notification service is broken")

    working = notify._HANDLERS["InterestExpressed"]
    monkeypatch.setitem(notify._HANDLERS, "InterestExpressed", broken)
    later = waiting.created_at + notify.STALE + dt.timedelta(seconds=1)
    assert notify.deliver_pending(later) == {"delivered": 0, "failed": 1}
    assert len(_pending(session)) == 1
    monkeypatch.setitem(notify._HANDLERS, "InterestExpressed", working)
    assert notify.deliver_pending(later)["delivered"] == 1
    assert set(told(session, "market.interest_received")) == w.owner_side
