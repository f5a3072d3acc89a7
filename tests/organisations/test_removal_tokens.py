"""Removals are named by random tokens, not by a counter: the token in an address, a header or
the API tells nobody how many removals there were. Migration 0017 gives the removals waiting to
be undone a token each, so their Undo still works after the upgrade."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for, scratch_database

from upland import migrate
from upland.actor import SYSTEM
from upland.organisations import removals
from upland.organisations.models import RemovedRecord
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


def test_tokens_are_random_and_do_not_count(session: Session) -> None:
    org = factories.organisation(session)
    made = [
        removals.remove(session, SYSTEM, org.id, "capabilities", c.id) for c in org.capabilities
    ]
    made.append(removals.remove(session, SYSTEM, org.id, "people", org.people[0].id))
    records = session.scalars(select(RemovedRecord).order_by(RemovedRecord.id)).all()
    assert [r.token for r in records] == made and len(set(made)) == len(made)
    for record in records:
        assert len(record.token) == 22 and str(record.id) != record.token


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    with scratch_database("upland_removal_tokens", tmp_path) as url, engine_for(url) as engine:
        yield engine


def test_waiting_removals_get_a_token_and_can_still_be_undone(scratch_engine: Engine) -> None:
    migrate.upgrade(scratch_engine)
    with Session(scratch_engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        org = factories.organisation(session)
        capability = org.capabilities[0]
        org_id, row = (
            org.id,
            {c.key: getattr(capability, c.key) for c in capability.__table__.columns},
        )
        session.delete(capability)
    migrate.downgrade(scratch_engine, "0016_notify")
    removed_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with scratch_engine.begin() as connection:
        for _ in range(3):
            connection.execute(
                text(
                    "INSERT INTO removed_record (organisation_id, kind, row, removed_at)"
                    " VALUES (:org, 'capabilities', :row, :at)"
                ),
                {"org": org_id, "row": json.dumps(row), "at": removed_at},
            )
    migrate.upgrade(scratch_engine)
    with Session(scratch_engine) as session, session.begin():
        tokens = session.scalars(select(RemovedRecord.token)).all()
        assert len(tokens) == 3 and len(set(tokens)) == 3 and all(len(t) == 22 for t in tokens)
        restored = removals.restore(session, SYSTEM, org_id, tokens[0])
        assert restored
