"""Once an opportunity is withdrawn, fulfilled or expired, nothing waiting on it can be
accepted: an interest, a booking, an access request. A clear Conflict, nothing changed; a
decline or a refusal still closes the matter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.market.notice_world import World, world

from upland.actor import SYSTEM
from upland.errors import Conflict
from upland.market import service as market
from upland.market.interests import service
from upland.market.interests.models import Booking, BookingDay, Interest, Introduction
from upland.market.interests.schemas import BookingIn, DecisionIn, InterestIn
from upland.market.models import AccessRequest

TODAY = dt.datetime.now(dt.UTC).date()


def _close(session: Session, w: World, how: str) -> None:
    opportunity = w.pair.opportunity
    if how == "withdraw":
        market.withdraw_opportunity(session, w.pair.owner_editor, opportunity.id)
    elif how == "fulfil":
        market.fulfil_opportunity(session, w.pair.owner_editor, opportunity.id)
    else:
        opportunity.expires_on = TODAY - dt.timedelta(days=1)
        session.flush()
        assert market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC)) == [opportunity.id]
    assert opportunity.status == {"withdraw": "withdrawn", "fulfil": "fulfilled"}.get(
        how, "expired"
    )


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _interest(session: Session) -> tuple[World, Callable[[], object], Callable[[], object]]:
    w = world(session)
    opportunity_id = w.pair.opportunity.id
    made = service.express_interest(session, w.pair.other_editor, opportunity_id, InterestIn())

    def accept() -> object:
        return service.accept_interest(session, w.pair.owner_editor, made.id, DecisionIn())

    def unchanged() -> object:
        assert session.get(Interest, made.id).status == "pending"
        assert _count(session, Introduction) == 0
        return service.decline_interest(session, w.pair.owner_editor, made.id, DecisionIn())

    return w, accept, unchanged


def _booking(session: Session) -> tuple[World, Callable[[], object], Callable[[], object]]:
    w = world(session, owner_kind="research", kind="infrastructure_offer", equipment="Komora")
    day = TODAY + dt.timedelta(days=2)
    asked = BookingIn(starts_on=day, ends_on=day, purpose="Badania")
    made = service.request_booking(session, w.pair.other_editor, w.pair.opportunity.id, asked)

    def accept() -> object:
        return service.accept_booking(session, w.pair.owner_editor, made.id, DecisionIn())

    def unchanged() -> object:
        assert session.get(Booking, made.id).status == "pending"
        assert _count(session, BookingDay) == 0
        return service.decline_booking(session, w.pair.owner_editor, made.id, DecisionIn())

    return w, accept, unchanged


def _access(session: Session) -> tuple[World, Callable[[], object], Callable[[], object]]:
    w = world(session, visibility="restricted")
    made = market.request_access(session, w.stranger, w.pair.opportunity.id, w.stranger_org.id)

    def accept() -> object:
        return market.decide_access(session, w.pair.owner_editor, made.id, grant=True)

    def unchanged() -> object:
        assert session.get(AccessRequest, made.id).status == "pending"
        assert w.stranger_org.id not in w.pair.opportunity.named_ids
        return market.decide_access(session, w.pair.owner_editor, made.id, grant=False)

    return w, accept, unchanged


SUBJECTS = {"interest": _interest, "booking": _booking, "access": _access}


@pytest.mark.parametrize("how", ["withdraw", "fulfil", "expire"])
@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_nothing_is_accepted_once_the_opportunity_is_closed(
    session: Session, subject: str, how: str
):
    w, accept, unchanged = SUBJECTS[subject](session)
    _close(session, w, how)
    with pytest.raises(Conflict) as refused:
        accept()
    assert refused.value.code == f"{subject}.closed"
    unchanged()  # and declining still works


@pytest.mark.parametrize("subject", sorted(SUBJECTS))
def test_renewing_an_expired_opportunity_lets_it_accept_again(session: Session, subject: str):
    w, accept, _ = SUBJECTS[subject](session)
    _close(session, w, "expire")
    market.renew_opportunity(
        session, w.pair.owner_editor, w.pair.opportunity.id, TODAY + dt.timedelta(days=30)
    )
    accept()
