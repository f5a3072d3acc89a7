"""A small marketplace history for the dashboard's tests: opportunities of firms in Lublin,
Radom and outside, published on chosen days since 2018 (`upland.clock` replays each day)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland import clock
from upland.actor import Actor
from upland.market import service as market

LUBLIN, RADOM, KIELCE = "0663011", "1463011", "2661011"


def moment(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=dt.UTC)


@dataclass
class History:
    session: Session
    monkeypatch: pytest.MonkeyPatch
    editors: dict[int, Actor] = field(default_factory=dict)

    def firm(self, teryt: str, **more: Any) -> Any:
        org = factories.organisation(
            self.session, sites=[{"teryt": teryt, "is_headquarters": True}], **more
        )
        user = factories.user(self.session, role="editor", org=org)
        self.editors[org.id] = factories.actor_of(self.session, user)
        return org

    def publish(self, owner: Any, day: str, **overrides: Any) -> Any:
        """An opportunity of `owner` published on `day` (review off: submitting publishes)."""
        actor = self.editors[owner.id]
        made = factories.opportunity(self.session, owner, actor, **overrides)
        with clock.replay(moment(day)):
            market.submit_opportunity(self.session, actor, made.id)
        return made

    def withdraw(self, opportunity: Any, day: str) -> None:
        with clock.replay(moment(day)):
            market.withdraw_opportunity(
                self.session, self.editors[opportunity.owner_id], opportunity.id
            )


def build(session: Session, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Six Lublin firms (one offer each, 2018–2025, one of them withdrawn), two Radom firms and
    one outside (a technology offer each, 2024), and a draft nobody else sees."""
    history = History(session, monkeypatch)
    lublin = [history.firm(LUBLIN) for _ in range(6)]
    radom = [history.firm(RADOM) for _ in range(2)]
    outside = history.firm(KIELCE)
    days = ["2018-03-20", "2018-05-02", "2019-07-15", "2021-01-04", "2024-02-10", "2025-06-30"]
    offers = [history.publish(org, day) for org, day in zip(lublin, days, strict=True)]
    history.withdraw(offers[0], "2018-09-01")
    tech = {"kind": "technology_offer", "trl": 6}
    for org in [*radom, outside]:
        history.publish(org, "2024-04-01", **tech)
    factories.opportunity(session, lublin[1], history.editors[lublin[1].id])  # a draft
    session.flush()
    return {
        "history": history,
        "lublin": lublin,
        "radom": radom,
        "outside": outside,
        "offers": offers,
    }
