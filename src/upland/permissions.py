"""Default-deny permission registry: each area registers named rules; services `require` them.

The core names no area: an area's package imports its `permissions` module, so its rules exist
as soon as anything of the area is imported."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from upland.actor import Actor
from upland.errors import PermissionDenied

Rule = Callable[[Actor, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    """Register a predicate under a permission name like `organisations.organisation.edit`."""

    def register(predicate: Rule) -> Rule:
        if name in _RULES:
            raise RuntimeError(f"permission {name!r} registered twice")
        _RULES[name] = predicate
        return predicate

    return register


def allowed(actor: Actor, name: str, obj: Any = None) -> bool:
    predicate = _RULES.get(name)
    return bool(predicate and predicate(actor, obj))


def require(actor: Actor, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless a registered rule allows it; unknown names are denied."""
    if not allowed(actor, name, obj):
        raise PermissionDenied(f"{actor.label} may not {name}")


def registered() -> list[str]:
    return sorted(_RULES)
