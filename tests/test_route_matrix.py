"""The whole application's permission matrix: every route of the route table × every actor.

The harness and the rules for adding rows are in `tests/matrix.py`; each area's rows are in its
`tests/<area>/matrix_rows.py`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from tests.browsing import rolled_back
from tests.conftest import _clear_setting_caches
from tests.matrix import ACTORS, AREAS, caller_for, check_row, route_of, served_routes
from upland.app import create_app
from upland.db import get_engine

CASES = [
    pytest.param(
        area, variant, id=f"{area.split('.')[1]}-{variant}" if variant else area.split(".")[1]
    )
    for area in AREAS
    for variant in importlib.import_module(area).VARIANTS
]


def _all_rows() -> list[tuple[str, Any]]:
    return [(area, r) for area in AREAS for r in importlib.import_module(area).ROWS]


@pytest.fixture(autouse=True)
def _settings(tmp_path, monkeypatch, database_url: str) -> Iterator[None]:
    """Uploads and stored files in scratch folders; `/healthz` looks at the test database."""
    monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(tmp_path / "uploads"))
    monkeypatch.setenv("UPLAND_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.setenv("UPLAND_DATABASE_URL", database_url)
    _clear_setting_caches()
    yield
    get_engine().dispose()
    monkeypatch.undo()
    _clear_setting_caches()


def test_every_route_has_a_row():
    """A new route (of any area) fails here until its area adds a row to the matrix."""
    served = served_routes(create_app())
    assert len(served) > 50, "found too few routes: is the route table read right?"
    covered = {route_of(r, served) for _, r in _all_rows()}
    missing = sorted(f"{s.method} {s.path}" for s in served if s not in covered)
    assert not missing, "routes with no row in any tests/<area>/matrix_rows.py:\n" + "\n".join(
        missing
    )


def test_every_row_is_a_route():
    served = served_routes(create_app())
    stale = [
        f"{area}: {r.name} {r.method} {r.path}"
        for area, r in _all_rows()
        if route_of(r, served) is None
    ]
    assert not stale, "rows that match no route:\n" + "\n".join(stale)


def test_every_actor_is_tried():
    assert len(ACTORS) == len(set(ACTORS)) >= 9


@pytest.mark.parametrize(("area", "variant"), CASES)
def test_route_matrix(
    area: str, variant: str, session: Session, connection: Connection, client: Any
):
    """Every row of the area for every actor, in one world; each row rolled back after it."""
    module = importlib.import_module(area)
    world = module.build_world(session, variant)
    rows = [r for r in module.ROWS if r.variants is None or variant in r.variants]
    wrong = []
    for actor in ACTORS:
        caller = caller_for(session, client, world.accounts[actor])
        fields = world.fields(actor)
        for r in rows:
            with rolled_back(session, connection):
                try:
                    check_row(r, actor, variant, fields, caller, session)
                except AssertionError as exc:
                    wrong.append(f"{actor} {r.name}: {str(exc).splitlines()[0]}")
    assert not wrong, f"{area} {variant}:\n" + "\n".join(wrong)
