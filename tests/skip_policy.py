"""In CI (`CI` set) a skipped test fails the run, unless its reason is allowed here.

CI has everything the suite needs (PostgreSQL, Redis, Chromium, pg_dump, the GUS files), so a
skip there means something is missing, not that a test does not apply. The allowed reasons are
the one place to say which skips are by design; a skip reason must start with its key and ':'.
"""

from __future__ import annotations

import os
from collections.abc import Generator

import pytest

ALLOWED_SKIPS: dict[str, str] = {
    "postgres_only": "the SQLite pass of `make test` skips it; the PostgreSQL pass runs it",
}


def skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def allowed(reason: str) -> bool:
    return reason.split(":", 1)[0].strip() in ALLOWED_SKIPS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.postgres_only` tests skip on a SQLite run, with an allowed reason."""
    if os.environ.get("UPLAND_TEST_DATABASE_URL"):
        return
    skip = pytest.mark.skip(reason="postgres_only: needs UPLAND_TEST_DATABASE_URL (PostgreSQL)")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and os.environ.get("CI")) or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report)
    if not allowed(reason):
        report.outcome = "failed"
        report.longrepr = (
            f"skipped in CI: {reason}\nCI must run every test the machine can run; a skip "
            "by design needs its reason in tests/skip_policy.py ALLOWED_SKIPS"
        )
