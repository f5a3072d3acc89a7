"""The benchmarks' tests build their data in SQLite files of their own whatever the backend under
test (the harness's `sqlite_database`), except those marked `postgres_only`: the rest are marked
`backend_free`, and the PostgreSQL pass of `make test` leaves them to the SQLite pass instead of
running the same work twice."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = str(config.rootpath / "tests" / "bench")
    for item in items:
        if str(item.path).startswith(here) and not item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.backend_free)
