"""Statements built once per shape (`upland.statements`): kept, bounded, and run as the ORM
would run them (pending changes flushed first)."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from tests import factories
from upland import statements
from upland.organisations.models import Organisation


def test_a_shape_is_built_once_and_the_oldest_shapes_go_past_the_bound() -> None:
    built = statements.Built(size=2)
    calls: list[str] = []

    def maker(name: str) -> object:
        calls.append(name)
        return select(func.count()).where(bindparam("x") == name)

    first = built.get("a", lambda: maker("a"))
    assert built.get("a", lambda: maker("again")) is first
    built.get("b", lambda: maker("b"))
    built.get("a", lambda: maker("again"))  # "a" used last: "b" is now the oldest
    built.get("c", lambda: maker("c"))
    built.get("b", lambda: maker("b"))
    assert calls == ["a", "b", "c", "b"]


def test_rows_see_what_the_session_has_not_flushed_yet(session: Session) -> None:
    org = factories.organisation(session)
    named = select(func.count(Organisation.id)).where(Organisation.legal_name == bindparam("n"))
    assert statements.scalar(session, named, {"n": "Renamed in memory"}) == 0
    org.legal_name = "Renamed in memory"  # pending, as a service leaves it before its flush
    assert statements.scalar(session, named, {"n": "Renamed in memory"}) == 1
    assert [r.id for r in statements.rows(session, select(Organisation.id))] == [org.id]
