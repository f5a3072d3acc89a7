"""The home page's kept figures: the suppressed figures themselves, forgotten when the registry
announces a change and after `TTL` seconds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland import kept as keeping
from upland.home import cache, figures

LUBLIN = "0663011"


def _at(teryt: str) -> dict[str, Any]:
    return {"sites": [{"teryt": teryt, "is_headquarters": True}]}


@pytest.fixture
def members(session: Session) -> None:
    for _ in range(6):
        factories.organisation(session, **_at(LUBLIN))
    factories.organisation(session, kind="research", **_at(LUBLIN))
    session.commit()


def test_the_kept_figures_are_the_suppressed_figures(session, members):
    kept = cache.public_figures(session)
    assert kept == figures.cluster_figures(session, hide_small=True)
    assert kept.research_units.count is None  # one research unit: suppressed, in the copy too
    assert cache.public_figures(session) is kept


def test_a_registry_change_is_shown_at_once(session, members):
    before = cache.public_figures(session)
    factories.organisation(session, **_at(LUBLIN))
    assert cache.public_figures(session) is before  # not committed: nothing announced yet
    session.commit()
    after = cache.public_figures(session)
    assert after.members.count == (before.members.count or 0) + 1


def test_the_copy_expires(session, members, monkeypatch):
    first = cache.public_figures(session)
    now = keeping.time.monotonic()
    monkeypatch.setattr(keeping.time, "monotonic", lambda: now + cache.TTL + 1)
    assert cache.public_figures(session) is not first


def test_figures_computed_across_a_change_are_not_kept(session, members, monkeypatch):
    computed = figures.cluster_figures

    def changed_meanwhile(*args: Any, **kwargs: Any) -> figures.Figures:
        result = computed(*args, **kwargs)
        cache.forget()  # a change committed while these were counted
        return result

    monkeypatch.setattr(cache, "cluster_figures", changed_meanwhile)
    first = cache.public_figures(session)
    monkeypatch.setattr(cache, "cluster_figures", computed)
    assert cache.public_figures(session) is not first
