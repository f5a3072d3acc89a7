"""The permission registry: names used in the code exist, unknown ones raise, targets fit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from upland import permissions
from upland.actor import ANONYMOUS, SYSTEM
from upland.organisations.models import Organisation

SRC = Path(permissions.__file__).parent
CHECKS = {"require", "allowed"}


def _names_used() -> dict[str, list[str]]:
    """Every permission name passed as a string literal to `require`/`allowed` under src/."""
    used: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            name = node.args[1]
            if called in CHECKS and isinstance(name, ast.Constant) and isinstance(name.value, str):
                used.setdefault(name.value, []).append(f"{path.relative_to(SRC)}:{node.lineno}")
    return used


def test_every_permission_name_used_in_the_code_is_registered():
    used = _names_used()
    assert len(used) > 10, "found too few permission checks: is the scan broken?"
    unknown = {name: where for name, where in used.items() if name not in permissions.registered()}
    assert not unknown, f"unregistered permission names: {unknown}"


def test_every_check_names_its_permission_literally():
    """A computed name would escape the scan above."""
    computed = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and len(node.args) >= 2:
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                if called in CHECKS and not isinstance(node.args[1], ast.Constant):
                    computed.append(str(path.relative_to(SRC)))
    assert computed == ["permissions.py"]  # `require` passing its own name on


def test_an_unknown_name_raises_instead_of_denying():
    with pytest.raises(permissions.UnknownPermission, match=r"organisations\.organisaton\.view"):
        permissions.allowed(SYSTEM, "organisations.organisaton.view")
    with pytest.raises(permissions.UnknownPermission):
        permissions.require(ANONYMOUS, "no.such.rule")


def test_a_rule_takes_one_type_of_target():
    with pytest.raises(TypeError, match="takes int, not Organisation"):
        permissions.allowed(SYSTEM, "accounts.membership.manage", Organisation(id=1))
    with pytest.raises(TypeError, match="takes Organisation, not int"):
        permissions.allowed(SYSTEM, "organisations.organisation.edit", 1)
    with pytest.raises(TypeError, match="takes no target"):
        permissions.allowed(SYSTEM, "accounts.audit.view", 5)
    assert permissions.allowed(SYSTEM, "organisations.organisation.edit", Organisation(id=1))
    assert permissions.allowed(SYSTEM, "accounts.membership.manage", None)  # no record yet


def test_a_name_registers_once():
    with pytest.raises(RuntimeError, match="registered twice"):
        permissions.rule("accounts.audit.view")(lambda actor, obj: True)
