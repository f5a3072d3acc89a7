"""The total of the unfiltered browse list (and of one kind) is the number of rows it holds.

Part of it is kept between requests (`market.kept_totals`: live opportunities per level and
kind, under the stamp of migration 0037). Whatever writes — a service, an edit straight on
the rows, the expiry job, a rolled-back savepoint — and whichever day is asked, the total, the
page's total and the kind facet must equal what the reader can page through, for every kind of
reader, with the tally warm before each write."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, update
from sqlalchemy.orm import Session
from tests import factories
from tests.market.test_text_totals import KINDS, LUBLIN, TODAY, _actors, _org, _world

from upland.actor import SYSTEM, Actor
from upland.market import kept_totals, queries
from upland.market import service as market
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityFilter, OpportunityUpdate
from upland.market.vocab import OpportunityKind


def _agree(session: Session, actors: list[Actor], on: dt.date, step: str) -> int:
    """Every total of the unfiltered list and of each kind is the list's rows, for each reader."""
    seen = 0
    for actor in actors:
        label = (step, actor.label)
        rows = list(queries.iter_opportunities(session, actor, OpportunityFilter(), on, batch=9))
        seen += len(rows)
        assert queries.count_opportunities(session, actor, OpportunityFilter(), on) == len(rows)
        page = queries.list_opportunities(session, actor, OpportunityFilter(), on=on, limit=2)
        assert page.total == len(rows), label
        by_kind = queries.count_by_kind(session, actor, OpportunityFilter(), on)
        assert by_kind == {
            k: n for k in KINDS if (n := sum(1 for r in rows if r.opportunity.kind == k))
        }, label
        for kind in KINDS:
            of_kind = OpportunityFilter(kind=OpportunityKind(kind))
            assert queries.count_opportunities(session, actor, of_kind, on) == by_kind.get(
                kind, 0
            ), (*label, kind)
    return seen


def test_kept_totals_follow_every_write(session: Session) -> None:
    world = _world(session, random.Random(20261205))
    orgs, actors = world["orgs"], _actors(world["orgs"], world["asker"])
    editor = factories.actor_of(session, factories.user(session, role="editor", org=orgs[1]))
    live = [
        o
        for o in session.query(Opportunity).filter(Opportunity.status == "published")
        if o.expires_on is None or o.expires_on > TODAY + dt.timedelta(days=1)
    ]
    own = [o for o in live if o.owner_id == orgs[1].id]
    assert live and own
    writes: list[tuple[str, Callable[[], Any]]] = [
        (
            "published",
            lambda: factories.opportunity(
                session, orgs[1], editor, publish=True, visibility="public", kind=KINDS[1]
            ),
        ),
        (
            "visibility",
            lambda: market.update_opportunity(
                session,
                editor,
                own[0].id,
                OpportunityUpdate(visibility="members"),
                today=TODAY,
            ),
        ),
        ("kind on the row", lambda: setattr(live[1], "kind", KINDS[2])),
        ("withdrawn", lambda: market.withdraw_opportunity(session, editor, own[-1].id)),
        ("past its date", lambda: setattr(live[2], "expires_on", TODAY - dt.timedelta(days=1))),
        (
            "expiry job",
            lambda: market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC)),
        ),
        (
            "renewed",
            lambda: market.renew_opportunity(
                session, editor, own[0].id, TODAY + dt.timedelta(days=10)
            ),
        ),
        (
            "bulk update",
            lambda: session.execute(
                update(Opportunity)
                .where(Opportunity.id.in_([o.id for o in live[3:6]]))
                .values(visibility="restricted")
            ),
        ),
        ("deleted", lambda: session.delete(live[6])),
    ]
    before = _agree(session, actors, TODAY, "start")
    for step, write in writes:
        write()
        session.flush()
        session.expire_all()
        _agree(session, actors, TODAY, step)
    assert _agree(session, actors, TODAY, "end") != before
    _agree(session, actors, TODAY + dt.timedelta(days=400), "a later day")


def test_a_rolled_back_write_leaves_the_total_as_it_was(session: Session) -> None:
    owner = _org(session, LUBLIN)
    factories.opportunity(session, owner, publish=True, visibility="public")
    count = queries.count_opportunities
    reader = _actors([owner] * 5, owner)[0]
    before = count(session, reader, OpportunityFilter(), TODAY)
    savepoint = session.begin_nested()
    factories.opportunity(session, owner, publish=True, visibility="public")
    assert count(session, reader, OpportunityFilter(), TODAY) == before + 1
    savepoint.rollback()
    assert count(session, reader, OpportunityFilter(), TODAY) == before


def test_the_tally_is_kept_until_a_write(session: Session) -> None:
    """Asked again with nothing written, the tally is not counted again; a write recounts."""
    owner = _org(session, LUBLIN)
    made = factories.opportunity(session, owner, publish=True, visibility="public")
    counted: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "GROUP BY" in statement and "opportunity_stamp" in statement:
            counted.append(statement)

    connection = session.connection()
    event.listen(connection, "before_cursor_execute", note)
    try:
        reader = _actors([owner] * 5, owner)[0]
        first = queries.count_opportunities(session, reader, OpportunityFilter(), TODAY)
        assert queries.count_opportunities(session, reader, OpportunityFilter(), TODAY) == first
        assert len(counted) <= 1
        made.expires_on = TODAY - dt.timedelta(days=1)
        session.flush()
        assert queries.count_opportunities(session, reader, OpportunityFilter(), TODAY) == (
            first - 1
        )
        assert len(counted) == 2
    finally:
        event.remove(connection, "before_cursor_execute", note)


@pytest.mark.parametrize("fields", [{}, {"kind": "business_offer"}, {"q": "&&"}])
def test_which_filters_are_kept(fields: dict[str, Any]) -> None:
    assert kept_totals.answers(OpportunityFilter(**fields))


@pytest.mark.parametrize(
    "fields",
    [{"q": "laser"}, {"pkd": "25"}, {"trl_min": 4}, {"kind": "business_offer", "city": "Lublin"}],
)
def test_which_filters_are_counted_otherwise(fields: dict[str, Any]) -> None:
    assert not kept_totals.answers(OpportunityFilter(**fields))
