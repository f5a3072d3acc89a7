"""Jobs in tests run at once, in the caller's thread, inside the test's rolled-back connection:
a test reads a job's outcome right after the request that queued it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from tests.mailbox import Inline
from upland import jobs
from upland.jobs import tracked


def run_jobs_within(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    @contextmanager
    def transaction() -> Iterator[Session]:
        with (
            Session(bind=connection, join_transaction_mode="create_savepoint") as session,
            session.begin(),
        ):
            yield session

    monkeypatch.setattr(tracked, "transaction", transaction)
    monkeypatch.setattr(jobs, "background", Inline())
