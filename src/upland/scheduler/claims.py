"""Run-once per tick, whatever the number of processes: a tick is run by the process whose
conditional UPDATE (or first INSERT) of the job's claim row succeeds, in a transaction of its
own. On PostgreSQL a second process's UPDATE waits for the first's row lock and then finds the
claim taken; on SQLite the writers' BEGIN IMMEDIATE puts them in line. A claim younger than the
job's lease (half its period) belongs to the same tick."""

from __future__ import annotations

import datetime as dt
import os
import socket

from sqlalchemy import select, update

from upland.db import transaction, utcnow
from upland.errors import Conflict
from upland.scheduler.models import ScheduleClaim


def holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def claim(name: str, lease: dt.timedelta, now: dt.datetime | None = None, by: str = "") -> bool:
    """Whether this process won the tick of `name` at `now`."""
    now = now or utcnow()
    by = by or holder()
    try:
        with transaction() as session:
            taken = session.execute(
                update(ScheduleClaim)
                .where(ScheduleClaim.name == name, ScheduleClaim.claimed_at <= now - lease)
                .values(claimed_at=now, claimed_by=by)
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                return True
            if session.get(ScheduleClaim, name) is not None:
                return False
            session.add(ScheduleClaim(name=name, claimed_at=now, claimed_by=by))
    except Conflict:  # another process inserted the first claim at the same moment
        return False
    return True


def last_claims() -> dict[str, ScheduleClaim]:

    with transaction() as session:
        return {c.name: c for c in session.scalars(select(ScheduleClaim))}
