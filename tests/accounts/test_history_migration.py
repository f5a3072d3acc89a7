"""Migration 0009_accounts on existing data: each audit entry about an organisation, or one of
its sites, people or capabilities (even an edit whose values name no organisation), lands in
that organisation's history; an account's own entries belong to none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session
from tests import factories
from tests.databases import engine_for, scratch_database

from upland import migrate
from upland.actor import SYSTEM
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with scratch_database("upland_history_migration", tmp_path) as url, engine_for(url) as engine:
        yield engine


def test_existing_entries_are_filed_under_their_organisation(engine: Engine):
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        org = factories.organisation(session)
        user = factories.user(session)
        ids = (org.id, org.sites[0].id, user.id)
    migrate.downgrade(engine, "0008")
    org_id, site_id, user_id = ids
    entries = [
        ("organisations.organisation.update", "organisation", str(org_id), None),
        ("organisations.site.update", "site", str(site_id), '{"locality": "Lublin"}'),
        ("accounts.membership.grant", "user", str(user_id), f'{{"organisation_id": {org_id}}}'),
        ("accounts.user.set_password", "user", str(user_id), None),
    ]
    with engine.begin() as connection:
        for action, object_type, object_id, after in entries:
            connection.execute(
                text(
                    "INSERT INTO audit_entry (at, actor_label, action, object_type, object_id,"
                    " summary, after) VALUES (CURRENT_TIMESTAMP, 'test', :action, :type, :id,"
                    " '', :after)"
                ),
                {"action": action, "type": object_type, "id": object_id, "after": after},
            )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        filed = dict(
            connection.execute(
                text("SELECT action, organisation_id FROM audit_entry WHERE actor_label = 'test'")
            ).all()
        )
    assert filed == {
        "organisations.organisation.update": org_id,
        "organisations.site.update": org_id,
        "accounts.membership.grant": org_id,
        "accounts.user.set_password": None,
    }
