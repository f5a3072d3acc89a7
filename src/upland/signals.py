"""Domain events published after commit, so areas react without importing each other.

The core only delivers: each area defines its own `Signal` subclasses in its `signals` module,
and a later area subscribes to an earlier one's."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]
Recorder = Callable[[Session, Any], None]
_handlers: dict[type, list[Handler]] = defaultdict(list)
_recorders: dict[type, list[Recorder]] = defaultdict(list)
_PENDING = "upland_pending_signals"


@dataclass(frozen=True)
class Signal:
    """Base of every domain event."""


def subscribe(signal_type: type, handler: Handler) -> None:
    _handlers[signal_type].append(handler)


def unsubscribe(signal_type: type, handler: Handler) -> None:
    _handlers[signal_type].remove(handler)


def record_with(signal_type: type, recorder: Recorder) -> None:
    """Have `recorder(session, signal)` run when `signal_type` is published, inside the
    publishing transaction: where work that must survive a failure after commit (a job that
    cannot be queued) writes its row, committed or rolled back with the change itself."""
    if recorder not in _recorders[signal_type]:
        _recorders[signal_type].append(recorder)


def publish(session: Session, signal: Signal) -> None:
    """Queue `signal`; it is delivered only if the surrounding transaction commits."""
    for recorder in _recorders.get(type(signal), []):
        recorder(session, signal)
    session.info.setdefault(_PENDING, []).append(signal)


@event.listens_for(Session, "after_commit")
def _deliver(session: Session) -> None:
    pending = session.info.pop(_PENDING, [])
    for signal in pending:
        for handler in _handlers.get(type(signal), []):
            try:
                handler(signal)
            except Exception:
                log.exception("signal handler failed", extra={"signal": repr(signal)})


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)
