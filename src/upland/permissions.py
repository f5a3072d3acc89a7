"""Default-deny permission registry: each area registers named rules; services `require` them.

A rule is `predicate(actor, target)` registered with the one type its target has: the loaded
record the action is about (`Organisation`, `Person`); an id where the caller must not load
the record (`int`: an organisation's id for its user accounts, a user's id for their own
data); or no target at all for actions about no record (creating, importing, the audit log).
None always fits: there is no record yet (a form for a new one) or no id (the anonymous).
Every call of a name passes that type, so a rule never guesses what it was given. An unknown
name or a target of another type is a programming error and raises, never a silent denial.

The core names no area: an area's package imports its `permissions` module, so its rules exist
as soon as anything of the area is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from upland.actor import Actor
from upland.errors import PermissionDenied

Rule = Callable[[Actor, Any], bool]


class UnknownPermission(LookupError):
    """A permission name no area registered: a typo would otherwise deny everybody, silently."""


@dataclass(frozen=True)
class Registered:
    predicate: Rule
    target: type | None  # the type every call passes; None: called without a target


_RULES: dict[str, Registered] = {}


def rule(name: str, target: type | None = None) -> Callable[[Rule], Rule]:
    """Register a predicate under a permission name like `organisations.organisation.edit`."""

    def register(predicate: Rule) -> Rule:
        if name in _RULES:
            raise RuntimeError(f"permission {name!r} registered twice")
        _RULES[name] = Registered(predicate, target)
        return predicate

    return register


def lookup(name: str) -> Registered:
    """The registered rule, or UnknownPermission."""
    found = _RULES.get(name)
    if found is None:
        raise UnknownPermission(f"no rule is registered as {name!r}")
    return found


def allowed(actor: Actor, name: str, obj: Any = None) -> bool:
    found = lookup(name)
    if obj is not None and (found.target is None or not isinstance(obj, found.target)):
        wanted = found.target.__name__ if found.target else "no target"
        raise TypeError(f"{name} takes {wanted}, not {type(obj).__name__}")
    return bool(found.predicate(actor, obj))


def require(actor: Actor, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless the registered rule allows it."""
    if not allowed(actor, name, obj):
        raise PermissionDenied("you may not do this", code="permission_denied", permission=name)


def registered() -> list[str]:
    return sorted(_RULES)
