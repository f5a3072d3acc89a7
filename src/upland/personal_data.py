"""A user's personal data held outside accounts: each part of the application that keeps some
(the core's jobs now; later areas' offers, messages, registrations) registers how to export and
how to erase it, and accounts' personal-data export and erasure ask every registered part, so a
new kind of record cannot be forgotten by either."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Part:
    name: str
    """The key of this part in the export."""
    export: Callable[[Session, int], Any]
    """What is held about the user, JSON-ready."""
    erase: Callable[[Session, int], None]
    """Remove it (or what in it names the user), in the caller's transaction."""


_parts: dict[str, Part] = {}


def register(part: Part) -> None:
    if part.name in _parts and _parts[part.name] != part:
        raise RuntimeError(f"personal-data part {part.name!r} is registered already")
    _parts[part.name] = part


def exported(session: Session, user_id: int) -> dict[str, Any]:
    return {name: part.export(session, user_id) for name, part in sorted(_parts.items())}


def erase(session: Session, user_id: int) -> None:
    for part in _parts.values():
        part.erase(session, user_id)
