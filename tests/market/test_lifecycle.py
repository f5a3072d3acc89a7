"""Every (state, action) pair of the lifecycle, with review on and off: the table restated by
hand, so a change of the rules shows up here; invalid pairs are a Conflict with a code, and
through the service they change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import SYSTEM
from upland.audit import AuditEntry
from upland.errors import Conflict
from upland.market import lifecycle
from upland.market import service as market
from upland.market.models import Opportunity
from upland.market.vocab import Action, Status
from upland.settings import get_settings

D, SU, R, P, E, F, W = (
    "draft",
    "submitted",
    "returned",
    "published",
    "expired",
    "fulfilled",
    "withdrawn",
)
# (state, action): next state with review on, next state with review off (None: refused)
EXPECTED: dict[tuple[str, str], tuple[str | None, str | None]] = {
    (D, "edit"): (D, D),
    (R, "edit"): (R, R),
    (P, "edit"): (None, P),
    (D, "submit"): (SU, P),
    (R, "submit"): (SU, P),
    (D, "publish"): (None, P),
    (R, "publish"): (None, P),
    (SU, "approve"): (P, P),
    (SU, "return"): (R, R),
    (SU, "withdraw"): (W, W),
    (R, "withdraw"): (W, W),
    (P, "withdraw"): (W, W),
    (P, "fulfil"): (F, F),
    (E, "fulfil"): (F, F),
    (P, "expire"): (E, E),
    (P, "renew"): (P, P),
    (E, "renew"): (P, P),
}
PAIRS = [(s.value, a.value) for s in Status for a in Action]


@pytest.mark.parametrize(("review", "column"), [(True, 0), (False, 1)])
@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_every_pair(state: str, action: str, review: bool, column: int):
    wanted = EXPECTED.get((state, action), (None, None))[column]
    if wanted is None:
        with pytest.raises(Conflict) as refused:
            lifecycle.next_status(state, action, review=review)
        assert refused.value.code in {"market.transition", "market.review_required"}
    else:
        assert lifecycle.next_status(state, action, review=review) == wanted


def test_publishing_under_review_says_to_submit():
    with pytest.raises(Conflict) as refused:
        lifecycle.next_status("draft", "publish", review=True)
    assert refused.value.code == "market.review_required"


def test_actions_from_a_state_follow_the_table():
    assert lifecycle.actions_from("published", review=True) == [
        Action.WITHDRAW,
        Action.FULFIL,
        Action.EXPIRE,
        Action.RENEW,
    ]
    assert Action.EDIT in lifecycle.actions_from("published", review=False)


def _entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.fixture
def review(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "market_review", True)


STEPS = {
    "submit": lambda s, a, i: market.submit_opportunity(s, a, i),
    "publish": lambda s, a, i: market.publish_opportunity(s, a, i),
    "approve": lambda s, a, i: market.approve_opportunity(s, SYSTEM, i),
    "return": lambda s, a, i: market.return_opportunity(s, SYSTEM, i, "Uzupełnij opis"),
    "withdraw": lambda s, a, i: market.withdraw_opportunity(s, a, i),
    "fulfil": lambda s, a, i: market.fulfil_opportunity(s, a, i),
}


@pytest.mark.parametrize("action", sorted(STEPS))
def test_an_invalid_step_changes_nothing(session: Session, review: None, action: str):
    """From a withdrawn opportunity no step is valid: each is refused and writes nothing."""
    owner = factories.organisation(session)
    editor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    made = factories.opportunity(session, owner, editor)
    market.submit_opportunity(session, editor, made.id)
    market.withdraw_opportunity(session, editor, made.id)
    session.flush()
    before = (made.status, made.updated_at, _entries(session))
    with pytest.raises(Conflict) as refused:
        STEPS[action](session, editor, made.id)
    assert refused.value.code.startswith("market.")
    session.expire_all()
    again = session.get(Opportunity, made.id)
    assert again is not None
    assert (again.status, again.updated_at, _entries(session)) == before


def test_review_round_trip(session: Session, review: None):
    owner = factories.organisation(session)
    editor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    made = factories.opportunity(session, owner, editor)
    assert market.submit_opportunity(session, editor, made.id).status == "submitted"
    returned = market.return_opportunity(session, SYSTEM, made.id, "Dodaj kody PKD")
    assert (returned.status, returned.review_reason) == ("returned", "Dodaj kody PKD")
    market.submit_opportunity(session, editor, made.id)
    approved = market.approve_opportunity(session, SYSTEM, made.id)
    assert approved.status == "published" and approved.published_at is not None
    assert approved.review_reason == ""
