"""The PostgreSQL pass leaves a test to the SQLite pass only when it never reaches the database
under test (tests/backend_marks.py)."""

from __future__ import annotations

from typing import Any

import pytest


def _free(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("backend_free") is not None


def test_a_test_without_database_fixtures_is_backend_free(request: pytest.FixtureRequest):
    assert _free(request)


def test_a_test_with_the_session_is_run_on_both_backends(request: pytest.FixtureRequest, session):
    assert not _free(request)


def test_a_fixture_built_on_the_database_counts_too(request: pytest.FixtureRequest, client: Any):
    assert not _free(request)  # `client` reaches `database_url` through `app` and `session`
