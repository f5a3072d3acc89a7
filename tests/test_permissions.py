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
FIRST = "RequireFirst"  # web/upload_gate: a route's permission, checked before its body is read


def _checks() -> list[tuple[str, int, ast.expr]]:
    """(file, line, permission argument) of every `require`/`allowed`/`RequireFirst` call."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if called in CHECKS and len(node.args) >= 2:
                found.append((str(path.relative_to(SRC)), node.lineno, node.args[1]))
            elif called == FIRST and node.args:
                found.append((str(path.relative_to(SRC)), node.lineno, node.args[0]))
    return found


def _names_used() -> dict[str, list[str]]:
    """Every permission name passed as a string literal to a check under src/."""
    used: dict[str, list[str]] = {}
    for where, line, name in _checks():
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            used.setdefault(name.value, []).append(f"{where}:{line}")
    return used


def test_every_permission_name_used_in_the_code_is_registered():
    used = _names_used()
    assert len(used) > 10, "found too few permission checks: is the scan broken?"
    unknown = {name: where for name, where in used.items() if name not in permissions.registered()}
    assert not unknown, f"unregistered permission names: {unknown}"


def test_every_check_names_its_permission_literally():
    """A computed name would escape the scan above."""
    computed = sorted({where for where, _, name in _checks() if not isinstance(name, ast.Constant)})
    # `require` passing its own name on, and `RequireFirst` passing the route's on
    assert computed == ["permissions.py", "web/upload_gate.py"]


def test_a_route_cannot_demand_an_unknown_permission_first():
    from upland.web.upload_gate import RequireFirst

    with pytest.raises(ValueError, match="unknown permission"):
        RequireFirst("no.such.permission")


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
