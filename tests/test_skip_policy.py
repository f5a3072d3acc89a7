"""In CI a skip fails the run unless tests/skip_policy.py allows its reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.skip_policy import ALLOWED_SKIPS, allowed

ROOT = Path(__file__).resolve().parents[1]

SAMPLE = """
import pytest

def test_passes():
    pass

def test_missing_tool():
    pytest.skip("pg_dump is not installed")

@pytest.mark.postgres_only
def test_needs_postgres():
    pass

@pytest.mark.xfail(reason="known")
def test_expected_failure():
    assert False
"""


def run_sample(tmp_path: Path, **env: str) -> str:
    (tmp_path / "test_sample.py").write_text(SAMPLE, encoding="utf-8")
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CI", "UPLAND_TEST_DATABASE_URL", "PYTEST_ADDOPTS"}
    }
    environment.update(PYTHONPATH=str(ROOT), **env)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    argv += ["-p", "tests.skip_policy", "-o", "markers=postgres_only: needs PostgreSQL"]
    result = subprocess.run(
        [*argv, "-rfs", str(tmp_path)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout


def summary(output: str) -> str:
    return output.splitlines()[-1]


def test_outside_ci_skips_stay_skips(tmp_path: Path) -> None:
    output = run_sample(tmp_path)
    assert summary(output).startswith("1 passed, 2 skipped, 1 xfailed"), output


def test_in_ci_only_allowed_skips_remain(tmp_path: Path) -> None:
    output = run_sample(tmp_path, CI="true")
    assert summary(output).startswith("1 failed, 1 passed, 1 skipped, 1 xfailed"), output
    assert "FAILED test_sample.py::test_missing_tool" in output
    assert "skipped in CI: pg_dump is not installed" in output
    assert "SKIPPED [1] test_sample.py" in output and "postgres_only:" in output


def test_on_postgres_the_postgres_only_tests_run(tmp_path: Path) -> None:
    output = run_sample(tmp_path, CI="true", UPLAND_TEST_DATABASE_URL="postgresql://unused")
    assert summary(output).startswith("1 failed, 2 passed, 1 xfailed"), output


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("postgres_only: needs PostgreSQL", True),
        ("pg_dump is not installed", False),
        ("postgres_only", True),
        ("postgres: close but not listed", False),
    ],
)
def test_allowed_reasons_are_named_by_their_key(reason: str, expected: bool) -> None:
    assert allowed(reason) is expected
    assert all(why for why in ALLOWED_SKIPS.values())
