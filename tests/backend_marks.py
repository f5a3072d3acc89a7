"""Which tests touch the database under test, so the PostgreSQL pass runs only those.

A test is backend-bound when its fixtures reach the run's database (`database_url` and all that
builds on it: `engine`, `session`, `app`, `client`, ...; `cli_database`; the demo database) or
its module makes databases of its own on the run's backend (`tests.databases`, or reads
UPLAND_TEST_DATABASE_URL). Every other test — text processing, scoring, schedulers, parsers,
rendering without a database — does the same work on either pass, so it is marked
`backend_free` and the PostgreSQL pass of `make test` (`-m "not backend_free"`) leaves it to the
SQLite pass. Decided from the fixture closure, not by hand, so a new area's pure tests need no
marking and a test that gains a database fixture is run on PostgreSQL again by itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

BACKEND_FIXTURES = frozenset({"database_url", "cli_database", "demo_database"})
BACKEND_SOURCE_WORDS = ("tests.databases", "UPLAND_TEST_DATABASE_URL", "postgres_only")


@functools.cache
def _module_reaches_backend(path: Path) -> bool:
    source = path.read_text(encoding="utf-8")
    return any(word in source for word in BACKEND_SOURCE_WORDS)


def backend_bound(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(fixtures & BACKEND_FIXTURES) or _module_reaches_backend(Path(item.path))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if not backend_bound(item):
            item.add_marker(pytest.mark.backend_free)
