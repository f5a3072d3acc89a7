"""What time it is for the domain: the wall clock, or a moment of the past being replayed.

Every writer stamps its changes with `now()` (through `db.utcnow`, which the column defaults
and the services call), so history is written by the same services that write the present:
the demo loader opens `replay()`, sets the clock to each recorded moment (`Replay.at`) and
calls the services, whose rules then hold as they held on that day (an opportunity is live
until its expiry date *then*, a booking starts after *that* day). No second writer with its
own SQL and its own copy of the rules is needed.

While a replay is open `replaying()` is true, also for the signal handlers delivered when its
transaction commits: what belongs to the present (e-mails, digests) holds back for the past.
The clock is a context variable, so a replay in one thread never moves another's time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_moment: ContextVar[dt.datetime | None] = ContextVar("upland_clock_moment", default=None)


def now() -> dt.datetime:
    """The current moment, aware UTC: the replayed one inside `replay()`, else the wall clock."""
    return _moment.get() or dt.datetime.now(dt.UTC)


def today() -> dt.date:
    return now().date()


def replaying() -> bool:
    """Whether the past is being written (the demo's history): no news of it goes out."""
    return _moment.get() is not None


@dataclass
class Replay:
    """The handle of an open replay: where its clock stands."""

    moment: dt.datetime

    def at(self, moment: dt.datetime) -> None:
        """Move the clock to `moment` (aware; it may not run backwards)."""
        if moment.tzinfo is None:
            raise ValueError("the clock keeps aware UTC moments")
        if moment < self.moment:
            raise ValueError(f"the replayed clock cannot go back from {self.moment} to {moment}")
        self.moment = moment.astimezone(dt.UTC)
        _moment.set(self.moment)


@contextmanager
def replay(start: dt.datetime) -> Iterator[Replay]:
    """Replay the past from `start`: `now()` is what the handle last set until the block ends."""
    if start.tzinfo is None:
        raise ValueError("the clock keeps aware UTC moments")
    start = start.astimezone(dt.UTC)
    token = _moment.set(start)
    try:
        yield Replay(start)
    finally:
        _moment.reset(token)
