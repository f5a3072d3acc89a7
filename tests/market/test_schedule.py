"""The marketplace's periodic jobs: a due opportunity expires on a tick of `market.expire` and
its owner's editors hear of it; the reminder before expiry goes once per expiry date, and
renewing earns a new one. Ticks run the task as the scheduler does (the claim, tested in
tests/scheduler, is taken as won)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session
from tests.market.notice_world import World, links, told, world

from upland.market import schedule
from upland.market import service as market
from upland.scheduler import claims, registry, runner

pytestmark = pytest.mark.usefixtures("market_notices")

TODAY = dt.datetime.now(dt.UTC).date()


def _in(days: int) -> dt.date:
    return TODAY + dt.timedelta(days=days)


def test_the_marketplace_registers_its_jobs():
    expire, remind = registry.get(schedule.EXPIRE), registry.get(schedule.REMIND)
    assert expire is not None and expire.every == dt.timedelta(hours=1)
    assert remind is not None and remind.cron == {"hour": 8, "minute": 0}
    in_process = {job.id for job in runner.build().get_jobs()}
    assert {schedule.EXPIRE, schedule.REMIND} <= in_process


def test_a_due_opportunity_expires_on_a_tick(session: Session, monkeypatch: pytest.MonkeyPatch):
    w = world(session, expires_on=_in(3))
    opportunity = w.pair.opportunity
    opportunity.expires_on = _in(-1)  # the day passed (the service refuses past dates)
    session.commit()
    monkeypatch.setattr(claims, "claim", lambda *args, **kwargs: True)
    assert runner.tick(schedule.EXPIRE)
    session.expire_all()
    assert opportunity.status == "expired"
    heard = told(session, "market.opportunity_expired")
    assert set(heard) == w.owner_side
    assert heard[w.owner_admin.user_id or 0] == [
        "“CNC milling of gearbox housings” has expired and is no longer shown: renew it to "
        "open it again"
    ]
    assert links(session, "market.opportunity_expired") == {f"/market/{opportunity.id}#renew"}


def _remind(session: Session) -> None:
    runner.run_now(schedule.REMIND)  # as `upland schedule run market.expiry-reminders`
    session.expire_all()


def _reminders(session: Session, w: World) -> list[str]:
    return told(session, "market.expiry_reminder").get(w.pair.owner_editor.user_id or 0, [])


def test_the_reminder_goes_once_per_expiry_date_and_renewing_resets_it(session: Session):
    w = world(session, expires_on=_in(3))
    later = world(session, expires_on=_in(30))  # beyond the 7 days: not yet
    session.commit()
    _remind(session)
    day = _in(3)
    polish_day = f"{day.day} "  # "5 grudnia 2026": the date written out in Polish
    first = _reminders(session, w)
    assert len(first) == 1
    assert first[0].startswith("Oferta „Frezowanie CNC korpusów przekładni” wygasa " + polish_day)
    assert first[0].endswith(": odnów ją, aby pozostała otwarta")
    assert set(told(session, "market.expiry_reminder")) == w.owner_side
    assert links(session, "market.expiry_reminder") == {f"/market/{w.pair.opportunity.id}#renew"}
    _remind(session)
    assert len(_reminders(session, w)) == 1  # a second run sends nothing
    assert _reminders(session, later) == []
    market.renew_opportunity(session, w.pair.owner_editor, w.pair.opportunity.id, _in(5))
    session.commit()
    assert w.pair.opportunity.expiry_reminded_on is None
    _remind(session)
    assert len(_reminders(session, w)) == 2
    assert w.pair.opportunity.expiry_reminded_on == _in(5)
