"""The marketplace's fixtures: its news delivered after each commit, inside the test's
rolled-back connection (as `mailbox` does for the send job)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session
from tests.mailbox import Inline

from upland import jobs
from upland.market import notify, schedule

_real_dispatch = notify.dispatch


@pytest.fixture
def market_notices(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    """Each commit's signals become notifications at once; the marketplace's periodic jobs
    run in the test's connection too."""

    @contextmanager
    def transaction() -> Iterator[Session]:
        with (
            Session(bind=connection, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session

    monkeypatch.setattr(notify, "dispatch", _real_dispatch)
    monkeypatch.setattr(notify, "transaction", transaction)
    monkeypatch.setattr(schedule, "transaction", transaction)
    monkeypatch.setattr(jobs, "background", Inline())
