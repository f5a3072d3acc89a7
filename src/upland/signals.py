"""Domain events published after commit, so areas react without importing each other.

The core only delivers: each area defines its own `Signal` subclasses in its `signals` module,
and a later area subscribes to an earlier one's."""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

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


S = TypeVar("S", bound=Signal)


class Unloadable(Exception):
    """A stored signal that no longer fits its class (a field it needs was added since)."""


def load(signal_type: type[S], fields: Mapping[str, Any]) -> S:
    """A signal stored as its fields (`dataclasses.asdict`), as its class now is: a field the
    class no longer has is ignored (and logged); one it needs and the row lacks raises
    `Unloadable`, for the caller to park the row rather than retry it forever."""
    known = {f.name: f for f in dataclasses.fields(signal_type)}
    ignored = sorted(set(fields) - set(known))
    if ignored:
        log.warning(
            "stored %s has fields its class no longer has, ignored: %s",
            signal_type.__name__,
            ", ".join(ignored),
        )
    missing = sorted(
        name
        for name, f in known.items()
        if name not in fields
        and f.default is dataclasses.MISSING
        and f.default_factory is dataclasses.MISSING
    )
    if missing:
        raise Unloadable(f"stored {signal_type.__name__} lacks {', '.join(missing)}")
    return signal_type(**{name: value for name, value in fields.items() if name in known})


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
