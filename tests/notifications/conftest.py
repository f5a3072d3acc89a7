"""Notifications' fixtures: people in both languages, and the delivery jobs working inside the
test's rolled-back connection (as `mailbox` does for the send job)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from tests import factories
from tests.notifications import testkinds as testkinds  # registers the tests' kinds

from upland.accounts import service as account_service
from upland.actor import Actor
from upland.notifications import delivery


def person(session: Session, language: str = "pl", email: str | None = None) -> int:
    user = factories.user(session, email=email)
    own = Actor(user_id=user.id, label=user.email)
    account_service.set_language(session, own, user.id, language)
    session.flush()
    return user.id


@pytest.fixture
def delivery_within(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    @contextmanager
    def transaction() -> Iterator[Session]:
        with (
            Session(bind=connection, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session

    monkeypatch.setattr(delivery, "transaction", transaction)
