"""A user's mistake on the command line is one line and a non-zero exit, never a traceback:
an unmigrated database says to run `upland db upgrade`, a domain error says what is wrong.
Through Typer's CliRunner, on the backend the suite runs on (SQLite or PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.databases import engine_for, reset_settings_and_engine, scratch_database
from upland import cli, migrate

runner = CliRunner()


@pytest.fixture
def empty_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An existing database with no tables, as the settings' database."""
    with scratch_database("upland_cli_errors", tmp_path) as url:
        with engine_for(url) as engine, engine.connect():
            pass  # SQLite creates the file
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        reset_settings_and_engine()
        yield url
        reset_settings_and_engine()


def _one_line(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert "Traceback" not in output
    return lines[0]


def test_an_unmigrated_database_is_one_line_with_what_to_run(empty_url: str) -> None:
    result = runner.invoke(cli.app, ["user", "token", "someone@example.pl"])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = _one_line(result.output)
    assert "not migrated" in line and "`upland db upgrade`" in line
    assert "user_account" in line


def test_a_domain_error_is_one_line(empty_url: str) -> None:
    with engine_for(empty_url) as engine:
        migrate.upgrade(engine)

    result = runner.invoke(cli.app, ["user", "token", "nobody@example.pl"])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error: " in _one_line(result.output)


def test_a_bug_still_shows_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only user errors are shortened: an unexpected failure keeps its exception."""

    def broken() -> tuple[int, int]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "tidy_jobs", broken)
    result = runner.invoke(cli.app, ["jobs", "prune"])

    assert isinstance(result.exception, RuntimeError)
