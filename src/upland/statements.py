"""SQL statements built once per shape, and run on the session's connection without the ORM.

A list request used to build its SELECT and its count anew (a dozen generative calls), have
SQLAlchemy walk the new objects for their cache keys, and execute them through the ORM
session: together about twice the time of running the SQL (`upland bench web`). A statement
is immutable and memoizes its own cache key, so one built for a shape of request (who sees
what, which filters with which values, which order) can serve every later request of that
shape; values that change from request to request (a page's cursor, its size) are
`bindparam`s given at execution. `Built` keeps them, bounded; `rows` and `scalar` execute one
on the session's connection (Core), after the flush the ORM would have done.

A shape's key must hold everything its statement depends on: a key that leaves something out
would answer one reader with another's statement. Build keys from values, never from objects
compared by identity.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Result
from sqlalchemy.orm import Session

SIZE = 512  # shapes kept per `Built`; a list has a handful in use at any time


class Built:
    """Statements by shape, the least recently used forgotten past `size`."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """The statement kept for `key`, built by `build()` the first time."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        built = build()  # outside the lock: building may read the database (a city's code)
        with self._lock:
            self._kept[key] = built
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return built

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _flushed(session: Session) -> Session:
    """What `session.execute` does first: pending changes reach the database (autoflush)."""
    if session.autoflush:
        session.flush()
    return session


def rows(
    session: Session, stmt: Executable, params: Mapping[str, Any] | None = None
) -> Result[Any]:
    """`stmt`'s rows, run on the session's connection (in its transaction)."""
    return _flushed(session).connection().execute(stmt, dict(params or {}))


def scalar(session: Session, stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of `stmt`'s first row, or None."""
    return rows(session, stmt, params).scalar()
