"""The `upland` command as an operator meets it: one clear line per problem (bad setting,
unreachable database or Redis, missing database file) instead of a traceback, a warning for a
mistyped `UPLAND_*` variable, the database named by every command; and the schema commands
`db downgrade` (asks, listing what is lost) and `db history`."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.databases import engine_for, reset_settings_and_engine, scratch_database
from upland import cli, migrate

runner = CliRunner()


@pytest.fixture
def upland(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Iterator[object]:
    """`upland(*argv)` runs the real entry point in an empty working directory; returns
    (exit status, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in ("UPLAND_DATABASE_URL", "UPLAND_REDIS_URL", "UPLAND_DEV_MODE"):
        monkeypatch.delenv(name, raising=False)

    def run(*argv: str) -> tuple[int, str]:
        monkeypatch.setattr(sys, "argv", ["upland", *argv])
        reset_settings_and_engine()
        try:
            cli.main()
            status = 0
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
        return status, capsys.readouterr().err

    yield run
    reset_settings_and_engine()


def test_a_malformed_value_is_one_line(upland, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_PARTNER_MUNICIPALITIES", "[0663011")
    status, err = upland("db", "current")
    assert status == 2
    assert err.strip().splitlines() == [
        "bad setting UPLAND_PARTNER_MUNICIPALITIES: Value error, not a JSON list "
        "(Expecting ',' delimiter)"
    ]


def test_a_bad_redis_url_is_one_line(upland, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_REDIS_URL", "localhost:6379")
    status, err = upland("db", "current")
    assert status == 2
    assert len(err.strip().splitlines()) == 1
    assert "UPLAND_REDIS_URL" in err and "redis://" in err


def test_unknown_variables_are_warned_about(
    upland, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("UPLAND_DATABSE_URL", "sqlite:///elsewhere.db")
    (tmp_path / ".env").write_text("UPLAND_SECRET_KEYS=abc\n", encoding="utf-8")
    _, err = upland("db", "current")
    assert "UPLAND_DATABSE_URL is not a setting of Upland" in err
    assert "did you mean UPLAND_DATABASE_URL?" in err
    assert "UPLAND_SECRET_KEYS is not a setting of Upland" in err


def test_a_missing_database_file_is_refused_not_created(upland, tmp_path: Path) -> None:
    status, err = upland("user", "list")
    path = tmp_path / "var" / "upland.db"
    assert status == 1
    assert f"database: SQLite {path}" in err
    assert f"the database file {path} does not exist: run `upland db upgrade`" in err
    assert f"{tmp_path / '.env'}, which does not exist" in err
    assert "Traceback" not in err
    assert not path.exists()


def test_db_upgrade_creates_the_database_and_says_so(upland, tmp_path: Path) -> None:
    status, err = upland("db", "upgrade")
    path = tmp_path / "var" / "upland.db"
    assert status == 0, err
    assert f"creating the database file {path}" in err
    assert path.exists()
    status, err = upland("db", "current")
    assert status == 0
    assert f"database: SQLite {path}" in err


def test_an_unreachable_database_is_one_line(upland, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_DATABASE_URL", "postgresql+psycopg://upland:pw@127.0.0.1:1/upland")
    status, err = upland("db", "current")
    lines = err.strip().splitlines()
    assert status == 1
    assert lines[0] == "database: PostgreSQL postgresql+psycopg://upland:***@127.0.0.1:1/upland"
    assert lines[1].startswith("error: cannot use the database (PostgreSQL ")
    assert len(lines) == 2
    assert "pw@" not in err


def test_help_and_secret_key_need_no_database(upland) -> None:
    status, err = upland("secret-key")
    assert status == 0
    assert "database:" not in err
    status, err = upland("user", "--help")
    assert status == 0
    assert "does not exist" not in err


def test_benchmarks_need_no_database(upland) -> None:
    """`make bench` on a fresh checkout: each benchmark builds its own scratch database."""
    status, err = upland("bench", "no-such-bench")
    assert status == 2
    assert "unknown benchmark 'no-such-bench'" in err
    assert "does not exist" not in err


# --- db downgrade and history --------------------------------------------------------------------


@pytest.fixture
def migrated_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with scratch_database("upland_downgrade_test", tmp_path) as url:
        with engine_for(url) as engine:
            migrate.upgrade(engine)
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        reset_settings_and_engine()
        try:
            yield url
        finally:
            reset_settings_and_engine()


def _revision(url: str) -> str | None:
    with engine_for(url) as engine:
        return migrate.current_revision(engine)


def test_downgrade_lists_what_is_lost_and_asks(migrated_url: str) -> None:
    refused = runner.invoke(cli.app, ["db", "downgrade", "0003"], input="n\n")
    assert refused.exit_code != 0
    assert "0005 facet tokens" in refused.output
    assert "0004 invitations" in refused.output
    assert "removes the invitation table: pending invitations" in refused.output
    assert "0003 covering" not in refused.output
    assert _revision(migrated_url) == migrate.head_revision()

    agreed = runner.invoke(cli.app, ["db", "downgrade", "0003"], input="y\n")
    assert agreed.exit_code == 0, agreed.output
    assert _revision(migrated_url) == "0003"


def test_downgrade_yes_does_not_ask(migrated_url: str) -> None:
    result = runner.invoke(cli.app, ["db", "downgrade", "--yes", "--", "-1"])
    assert result.exit_code == 0, result.output
    assert "continue?" not in result.output
    assert _revision(migrated_url) == migrate.history()[1].revision


def test_downgrade_to_an_unknown_revision_says_so(migrated_url: str) -> None:
    result = runner.invoke(cli.app, ["db", "downgrade", "0042", "--yes"])
    assert result.exit_code == 1
    assert "0042 is not a migration below the current one" in result.output
    assert _revision(migrated_url) == migrate.head_revision()


def test_history_marks_current_and_head(migrated_url: str) -> None:
    head, below = migrate.history()[:2]
    with engine_for(migrated_url) as engine:
        migrate.downgrade(engine, below.revision)
    result = runner.invoke(cli.app, ["db", "history"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{head.revision}  ") and lines[0].endswith("(head)")
    assert lines[1].startswith(f"{below.revision}  ") and lines[1].endswith("(current)")
    assert lines[-1].startswith("0001  registry")


def test_undecodable_json_is_one_line(upland, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPLAND_PARTNER_AREAS", "{bad")
    status, err = upland("db", "current")
    assert status == 2
    [line] = err.strip().splitlines()
    assert line.startswith("bad setting UPLAND_PARTNER_AREAS")
