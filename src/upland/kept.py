"""Results kept for a few seconds per database, forgotten when a change is announced.

Some reads tally the whole registry yet are the same for every reader and read far more often
than the data changes (the home page's figures, the list page's municipality choices). A
`Kept` holds one such result per database for `ttl` seconds and drops it at once when one of
the signals it listens to is delivered in this process (after commit); another worker process
sees the change when its copy expires. A result computed while a change was announced is not
kept, so a stale copy never outlives the change that made it stale.

Only results that do not depend on who is asking belong here: a `Kept` has no actor.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from upland import signals

T = TypeVar("T")

TTL = 30.0  # seconds, unless a `Kept` says otherwise

_all: list[Kept[Any]] = []


class Kept(Generic[T]):
    """`compute(session)`'s result, per database, at most `ttl` seconds old."""

    def __init__(
        self,
        compute: Callable[[Session], T],
        *,
        forget_on: Iterable[type] = (),
        ttl: float = TTL,
    ) -> None:
        self._compute = compute
        self.ttl = ttl
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, T]] = {}
        self._generation = 0  # bumped by every change: a result computed before it is not kept
        for signal_type in forget_on:
            signals.subscribe(signal_type, self.forget)
        _all.append(self)

    def get(self, session: Session) -> T:
        """The kept result for `session`'s database, computed afresh when missing or old."""
        key = session.get_bind().engine.url.render_as_string(hide_password=True)
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(key)
            generation = self._generation
        if kept is not None and now - kept[0] < self.ttl:
            return kept[1]
        result = self._compute(session)
        with self._lock:
            if generation == self._generation:
                self._kept[key] = (now, result)
        return result

    def forget(self, _signal: Any = None) -> None:
        """Drop every kept copy (the data changed, or a test starts afresh)."""
        with self._lock:
            self._generation += 1
            self._kept.clear()


class Forgetful(Protocol):
    def forget(self, _signal: Any = None) -> None: ...


_others: list[Forgetful] = []


def forget_with_the_rest(store: Forgetful) -> None:
    """Have `forget_all` drop what another kind of store keeps (e.g. totals kept by version)."""
    _others.append(store)


def forget_all() -> None:
    """Drop what every `Kept` holds: each test starts from its own database state."""
    for kept in _all:
        kept.forget()
    for store in _others:
        store.forget()
