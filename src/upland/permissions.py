"""Default-deny permission registry: each area registers named rules; services `require` them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from upland.accounts.actor import Actor
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


# Each area's rules, imported on first use so `require` works however the caller started.
RULE_MODULES = (
    "upland.accounts.permissions",
    "upland.jobs.permissions",
    "upland.organisations.permissions",
    "upland.reference.permissions",
)


@cache
def _load_rules() -> None:
    for module in RULE_MODULES:
        importlib.import_module(module)


def allowed(actor: Actor, name: str, obj: Any = None) -> bool:
    _load_rules()
    predicate = _RULES.get(name)
    return bool(predicate and predicate(actor, obj))


def require(actor: Actor, name: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless a registered rule allows it; unknown names are denied."""
    if not allowed(actor, name, obj):
        raise PermissionDenied(f"{actor.label} may not {name}")


def registered() -> list[str]:
    _load_rules()
    return sorted(_RULES)
