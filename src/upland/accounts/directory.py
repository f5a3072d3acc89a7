"""What accounts know of organisations, told by the registry above them.

Accounts sit below the registry (DESIGN §1: the registry reads accounts, never the reverse), yet
a role is held in an organisation. So the registry provides here, when it is imported, the few
facts accounts need; accounts never import the registry or read its tables. Asking before any
registry is provided is a wiring mistake and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument
from sqlalchemy.orm import Session

from upland.actor import Actor


@dataclass(frozen=True)
class Directory:
    name_of: Callable[[Session, int], str | None]
    """The organisation's display name; None when there is no such organisation."""
    find: Callable[[Session, str], int | None]
    """The id of the organisation with this id, NIP or REGON."""
    in_cluster: Callable[[ColumnExpressionArgument[int]], ColumnElement[bool]]
    """SQL: the organisation with this id is a cluster member (one query per request)."""
    contacts_of: Callable[[Session, int], list[dict[str, Any]]]
    """The user's contact profiles in organisations, for their personal-data export."""
    claim_contacts: Callable[[Session, Actor, int], None]
    """On accepting an invitation: the organisation's contact rows with the actor's address."""
    remove_member: Callable[[Session, Actor, int, int], str]
    """Take the user's role in the organisation away, kept for a while to undo; the removal's
    token (the registry keeps removals, so the members page's Undo restores through it)."""
    offered_removal: Callable[[Session, Actor, int, str], str | None]
    """The removal's token if this member removal of the organisation can be undone by the
    actor now, else None (a `?removed=…` typed into an address offers nothing)."""


_provided: list[Directory] = []


def provide(directory: Directory) -> None:
    if _provided:
        raise RuntimeError("an organisation directory is provided already")
    _provided.append(directory)


def directory() -> Directory:
    if not _provided:
        raise RuntimeError("no organisation directory: the registry provides it when imported")
    return _provided[0]
