"""The marketplace's news is never lost on the way: the signal's `PendingNews` row commits with
the change; when the job cannot be queued (Redis down) the row waits and the sweep delivers
it; a delivery that fails leaves it pending; delivered once, never twice."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.notice_world import World, told, world

from upland import jobs
from upland.market import notify
from upland.market.interests import service
from upland.market.interests.schemas import InterestIn
from upland.market.models import PendingNews
from upland.market.saved.notices import NEW_MATCH
from upland.market.saved.schemas import SavedSearchCreate
from upland.market.saved.service import save_search

pytestmark = pytest.mark.usefixtures("market_notices")


class QueueDown(Exception):
    pass


def _queue_down(*_args, **_kwargs):
    raise QueueDown("Redis is down")


def _express(session: Session, w: World) -> None:
    service.express_interest(session, w.pair.other_editor, w.pair.opportunity.id, InterestIn())
    session.commit()


def _settled(session: Session) -> World:
    """The notice world with the news of its making delivered: only what a test does is new."""
    w = world(session)
    session.commit()
    return w


def _pending(session: Session, signal: str = "InterestExpressed") -> list[PendingNews]:
    waiting = PendingNews.delivered_at.is_(None) & (PendingNews.signal == signal)
    return list(session.scalars(select(PendingNews).where(waiting)))


def _broken(_session: Session, _signal: object) -> None:
    raise RuntimeError("the notification service is broken")


def _failing(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> tuple[World, PendingNews, dt.datetime]:
    """Interest news left pending (the queue is down) whose handler fails, and a moment the
    sweep takes it."""
    w = _settled(session)
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    _express(session, w)
    [waiting] = _pending(session)
    monkeypatch.setitem(notify._HANDLERS, "InterestExpressed", [_broken])
    return w, waiting, waiting.created_at + notify.STALE + dt.timedelta(seconds=1)


def test_news_is_delivered_and_stamped_after_commit(session: Session):
    w = world(session)
    _express(session, w)
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert _pending(session) == []


def test_news_whose_job_cannot_be_queued_waits_for_the_sweep(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    w = _settled(session)
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    _express(session, w)  # the change commits although the queue is down
    assert told(session, "market.interest_received") == {}
    [waiting] = _pending(session)
    assert waiting.signal == "InterestExpressed"
    assert notify.deliver_pending() == {
        "delivered": 0,
        "failed": 0,
        "parked": 0,
        "forgotten": 0,
    }  # not stale yet
    later = waiting.created_at + notify.STALE + dt.timedelta(seconds=1)
    assert notify.deliver_pending(later) == {
        "delivered": 1,
        "failed": 0,
        "parked": 0,
        "forgotten": 0,
    }
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert _pending(session) == []
    assert notify.deliver_pending(later) == {
        "delivered": 0,
        "failed": 0,
        "parked": 0,
        "forgotten": 0,
    }  # never twice
    assert set(told(session, "market.interest_received")) == w.owner_side


def test_a_failed_delivery_leaves_the_news_pending(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    working = notify._HANDLERS["InterestExpressed"]
    w, _waiting, later = _failing(session, monkeypatch)
    assert notify.deliver_pending(later) == {
        "delivered": 0,
        "failed": 1,
        "parked": 0,
        "forgotten": 0,
    }
    assert len(_pending(session)) == 1
    monkeypatch.setitem(notify._HANDLERS, "InterestExpressed", working)
    assert notify.deliver_pending(later)["delivered"] == 1
    assert set(told(session, "market.interest_received")) == w.owner_side


def test_delivered_news_is_forgotten_after_a_month(session: Session):
    w = world(session)
    _express(session, w)
    done = list(session.scalars(select(PendingNews)))
    assert done and all(news.delivered_at is not None for news in done)
    first = min(news.delivered_at for news in done)
    last = max(news.delivered_at for news in done)
    assert notify.deliver_pending(first + notify.KEPT)["forgotten"] == 0
    assert notify.deliver_pending(last + notify.KEPT + dt.timedelta(seconds=1)) == {
        "delivered": 0,
        "failed": 0,
        "parked": 0,
        "forgotten": len(done),
    }
    assert session.scalars(select(PendingNews)).all() == []


def test_saved_search_news_waits_for_the_sweep_when_the_queue_is_down(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    """The saved searches' fan-out is market news too: a queue outage only delays it."""
    w = _settled(session)
    searcher = factories.user(session, role="viewer", org=factories.organisation(session))
    save_search(
        session,
        factories.actor_of(session, searcher),
        SavedSearchCreate(name="Oferty", kind="business_offer"),
    )
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    made = factories.opportunity(session, w.stranger_org, publish=True, kind="business_offer")
    session.commit()
    assert searcher.id not in told(session, NEW_MATCH.code)
    waiting = _pending(session, "OpportunityPublished")
    assert [p.fields["opportunity_id"] for p in waiting] == [made.id]
    later = waiting[0].created_at + notify.STALE + dt.timedelta(seconds=1)
    assert notify.deliver_pending(later)["failed"] == 0
    assert searcher.id in told(session, NEW_MATCH.code)


def test_titles_full_of_emoji_are_delivered(session: Session):
    """200 emoji per title (the most a title holds) escape to 12 bytes each in ASCII JSON:
    the news must still fit a notification's params, not fail on every try."""
    w = world(session, title_pl="🦊" * 200, title_en="🐺" * 200)
    _express(session, w)
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert _pending(session) == []


def test_titles_are_capped_to_their_budget():
    made = notify.titled_params("“" * 1000, "\\" * 1000)
    for key in ("title_pl", "title_en"):
        assert len(json.dumps(made[key], ensure_ascii=False)) <= notify.TITLE_BUDGET
        assert made[key].endswith("…")
    assert notify.titled_params("Frezowanie", "Milling") == {
        "title_pl": "Frezowanie",
        "title_en": "Milling",
    }


def test_news_that_keeps_failing_is_parked_not_retried_forever(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    _w, waiting, later = _failing(session, monkeypatch)
    for _ in range(notify.ATTEMPTS - 1):
        assert notify.deliver_pending(later)["failed"] == 1
    session.expire_all()
    assert (waiting.attempts, waiting.parked_at) == (notify.ATTEMPTS - 1, None)
    assert notify.deliver_pending(later) == {
        "delivered": 0,
        "failed": 0,
        "parked": 1,
        "forgotten": 0,
    }
    session.expire_all()
    assert waiting.attempts == notify.ATTEMPTS
    assert waiting.parked_at is not None
    assert "the notification service is broken" in (waiting.problem or "")
    assert "market news parked" in caplog.text
    assert notify.deliver_pending(later)["failed"] == 0  # parked: not tried again
    much_later = later + notify.KEPT + dt.timedelta(days=365)
    notify.deliver_pending(much_later)  # delivered news is forgotten by now; parked is kept
    session.expire_all()
    assert session.scalars(select(PendingNews.id).where(PendingNews.id == waiting.id)).all() == [
        waiting.id
    ]


def _stored_as(session: Session, w: World, monkeypatch: pytest.MonkeyPatch, **changed) -> int:
    """Pending news of an interest, its stored signal changed as a deploy would find it."""
    monkeypatch.setattr(jobs, "enqueue", _queue_down)
    _express(session, w)
    [waiting] = _pending(session)
    fields = {**waiting.fields, **changed.pop("fields", {})}
    for name in changed.pop("without", ()):
        del fields[name]
    waiting.fields = fields
    waiting.signal = changed.pop("signal", waiting.signal)
    session.commit()
    return waiting.id


def test_a_stored_signal_with_a_field_its_class_lost_is_delivered(
    session: Session, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    w = _settled(session)
    news_id = _stored_as(session, w, monkeypatch, fields={"removed_in_a_deploy": 7})
    assert notify.deliver(news_id)
    assert set(told(session, "market.interest_received")) == w.owner_side
    assert "removed_in_a_deploy" in caplog.text


@pytest.mark.parametrize(
    ("changed", "problem"),
    [
        ({"without": ["interest_id"]}, "lacks interest_id"),
        (
            {"signal": "InterestRenamedSince"},
            "no marketplace signal is called InterestRenamedSince",
        ),
    ],
)
def test_a_stored_signal_that_no_longer_loads_is_parked_at_once(
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    changed: dict,
    problem: str,
):
    w = _settled(session)
    news_id = _stored_as(session, w, monkeypatch, **changed)
    assert not notify.deliver(news_id)  # parked: the queue has nothing to retry
    session.expire_all()
    news = session.get(PendingNews, news_id)
    assert news is not None
    assert (news.attempts, news.delivered_at) == (1, None)
    assert news.parked_at is not None
    assert problem in (news.problem or "")
    assert "market news parked after 1 failed attempt(s)" in caplog.text
    assert problem in caplog.text
    later = news.created_at + notify.STALE + dt.timedelta(seconds=1)
    assert notify.deliver_pending(later)["failed"] == 0
    assert told(session, "market.interest_received") == {}
