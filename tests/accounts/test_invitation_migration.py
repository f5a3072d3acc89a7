"""Migration 0007 on existing data: placeholder accounts of earlier invitations (switched off,
no password) become invitations whose links nobody knows, and lose every role they held;
accepted invitations and real accounts stay as they were."""

from __future__ import annotations

import datetime as dt
import hashlib
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

OLD_TOKEN_HASH = hashlib.sha256(b"a link once shown to an org admin").hexdigest()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with scratch_database("upland_mail_migration", tmp_path) as url, engine_for(url) as engine:
        yield engine


def _insert(connection, table: str, **values) -> int:
    names = ", ".join(values)
    marks = ", ".join(f":{n}" for n in values)
    return int(
        connection.execute(
            text(f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"), values
        ).scalar_one()
    )


def test_placeholder_accounts_become_invitations(engine: Engine):
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        research, rolmech = factories.organisation(session), factories.organisation(session)
        admin = factories.user(session, email="admin@test.example", role="admin", org=research)
        ids = (research.id, rolmech.id, admin.id)
    migrate.downgrade(engine, "0005")
    now = dt.datetime.now(dt.UTC)
    later = now + dt.timedelta(days=10)
    research_id, rolmech_id, admin_id = ids
    with engine.begin() as connection:
        pending = _insert(
            connection,
            "user_account",
            email="nowy@test.example",
            full_name="",
            is_active=False,
            is_platform_admin=False,
            is_coordinator=False,
            language="pl",
            created_at=now,
        )
        for org_id, role, token_hash in [
            (research_id, "admin", OLD_TOKEN_HASH),
            (rolmech_id, "viewer", "b" * 64),
        ]:
            _insert(connection, "membership", user_id=pending, organisation_id=org_id, role=role)
            _insert(
                connection,
                "invitation",
                user_id=pending,
                organisation_id=org_id,
                token_hash=token_hash,
                invited_by_user_id=admin_id,
                created_at=now,
                expires_at=later,
            )
        _insert(
            connection,
            "invitation",
            user_id=admin_id,
            organisation_id=research_id,
            token_hash="c" * 64,
            invited_by_user_id=None,
            created_at=now,
            expires_at=later,
            accepted_at=now,
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        users = connection.execute(text("SELECT email FROM user_account ORDER BY id")).scalars()
        assert list(users) == ["admin@test.example"]
        roles = connection.execute(text("SELECT user_id, organisation_id, role FROM membership"))
        assert roles.all() == [(admin_id, research_id, "admin")]
        rows = connection.execute(
            text(
                "SELECT email, organisation_id, role, token_hash, accepted_at IS NULL "
                "FROM invitation ORDER BY id"
            )
        ).all()
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [
        ("nowy@test.example", research_id, "admin", True),
        ("nowy@test.example", rolmech_id, "viewer", True),
        ("admin@test.example", research_id, "admin", False),
    ]
    assert OLD_TOKEN_HASH not in {r[3] for r in rows} and "b" * 64 not in {r[3] for r in rows}
