"""`upland backup` / `upland restore`: a backup restored into an empty database gives back every
row of every table, on the backend of this run (SQLite online backup, or pg_dump/pg_restore)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Column, Engine, MetaData, String, Table, func, make_url, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests import factories
from tests.databases import engine_for, scratch_database
from upland import backup, migrate
from upland.accounts.service import issue_token
from upland.actor import SYSTEM
from upland.all_models import metadata
from upland.backup import BackupError, backup_database, restore_database
from upland.cli import app as cli_app
from upland.organisations import queries as organisation_queries
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS, get_settings
from upland.startup import database_label

ALEMBIC_VERSION = Table(
    "alembic_version", MetaData(), Column("version_num", String(32), primary_key=True)
)


@pytest.fixture
def source_url(tmp_path: Path) -> Iterator[str]:
    with scratch_database("upland_backup_source", tmp_path) as url:
        yield url


@pytest.fixture
def target_url(tmp_path: Path) -> Iterator[str]:
    with scratch_database("upland_backup_target", tmp_path / "restored") as url:
        yield url


def populate(engine: Engine) -> None:
    """Migrated schema, shipped reference data, organisations, users with roles, a token."""
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        orgs = [factories.organisation(session) for _ in range(3)]
        coordinator = factories.user(session, role="coordinator")
        factories.user(session, role="admin", org=orgs[0])
        factories.user(session, role="viewer", org=orgs[1])
        issue_token(session, SYSTEM, coordinator.id, "backup test")


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the schema (and the migration stamp), in key order."""
    rows = {}
    with engine.connect() as connection:
        for table in [*metadata.sorted_tables, ALEMBIC_VERSION]:
            order = list(table.primary_key.columns) or list(table.columns)
            result = connection.execute(select(table).order_by(*order))
            rows[table.name] = [tuple(row) for row in result]
    return rows


def organisation_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count(Organisation.id))) or 0


def found_by_search(engine: Engine, text: str) -> int:
    """How many organisations the free-text search finds (FTS5 / trigram index)."""
    with Session(engine) as session:
        flt = OrganisationFilter(q=text)
        today = dt.datetime.now(dt.UTC).date()
        return organisation_queries.count_organisations(session, SYSTEM, flt, today)


def test_restore_into_empty_database_gives_back_every_row(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    file = tmp_path / "upland.backup"
    with engine_for(source_url) as source:
        populate(source)
        before = snapshot(source)
        backup_database(source_url, file)
    assert file.stat().st_size > 0
    for table in ("organisation", "site", "person", "user_account", "membership", "api_token"):
        assert before[table], f"{table} should hold data for the comparison to mean something"
    assert before["alembic_version"] == [(migrate.head_revision(),)]

    restore_database(target_url, file)

    with engine_for(target_url) as target:
        after = snapshot(target)
        assert sorted(after) == sorted(before)
        for table, rows in before.items():
            assert after[table] == rows, f"table {table} differs after restore"
        assert migrate.is_at_head(target)
        assert found_by_search(target, "Testowy") == 3
        # The restored database keeps working: keys and sequences continue where they were.
        with Session(target) as session, session.begin():
            factories.organisation(session)
        assert organisation_count(target) == 4
        assert found_by_search(target, "Testowy") == 4


def test_backup_while_another_connection_holds_a_write_transaction(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """The backup is the last committed state, even while a write is in flight."""
    file = tmp_path / "during-write.backup"
    with engine_for(source_url) as source:
        populate(source)
        committed = snapshot(source)
        with Session(source) as writer:
            writer.begin()
            factories.organisation(writer, short_name="Niezatwierdzona")
            backup_database(source_url, file)
            writer.commit()
        assert organisation_count(source) == 4
    if source_url.startswith("sqlite"):
        with sqlite3.connect(file) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    restore_database(target_url, file)

    with engine_for(target_url) as target:
        assert snapshot(target) == committed
        assert found_by_search(target, "Niezatwierdzona") == 0


def test_restore_of_a_missing_file_says_so(source_url: str, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        restore_database(source_url, tmp_path / "no-such.backup")


def test_restore_of_a_file_that_is_not_a_backup_says_so(target_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"certainly not a database " * 100)
    with pytest.raises(BackupError):
        restore_database(target_url, junk)


def test_backup_of_a_missing_sqlite_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist"):
        backup_database(f"sqlite:///{tmp_path / 'absent.db'}", tmp_path / "x.backup")


def test_missing_postgres_client_tools_name_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(shutil, "which", lambda *_args, **_kwargs: None)
    url = "postgresql+psycopg://upland@db.example/upland"
    with pytest.raises(BackupError, match=r"pg_dump is not installed.*postgresql-client"):
        backup_database(url, tmp_path / "x.backup")
    file = tmp_path / "exists.backup"
    file.write_bytes(b"PGDMP")
    with pytest.raises(BackupError, match=r"pg_restore is not installed.*postgresql-client"):
        restore_database(url, file)


def test_postgres_password_is_not_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[list[str], dict[str, str]]] = []
    listing = "".join(
        f"CREATE TABLE public.{table} (\n"
        + ",\n".join(f"    {column} text" for column in sorted(columns))
        + "\n);\n\n"
        for table, columns in backup.expected_schema(str(migrate.head_revision())).items()
    )
    head = f"COPY public.alembic_version (version_num) FROM stdin;\n{migrate.head_revision()}\n"

    def fake_run(argv: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        calls.append((argv, kwargs["env"]))
        output = listing if "--schema-only" in argv else head if "--data-only" in argv else ""
        return subprocess.CompletedProcess(argv, 0, output, "")

    monkeypatch.setattr(shutil, "which", lambda name, *_a, **_k: f"/usr/bin/{name}")
    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(backup, "end_other_connections", lambda _url: 0)
    url = "postgresql+psycopg://upland:s3cret-pass@db.example:5433/upland"
    backup_database(url, tmp_path / "x.backup")
    (tmp_path / "x.backup").write_bytes(b"PGDMP")
    restore_database(url, tmp_path / "x.backup")
    assert len(calls) == 4
    for argv, env in calls:
        assert "s3cret-pass" not in " ".join(argv)
        assert env["PGPASSWORD"] == "s3cret-pass"
    for argv, _env in (calls[0], calls[-1]):
        assert any("upland@db.example:5433/upland" in arg for arg in argv)


@pytest.mark.skipif(
    shutil.which("pg_dump") is None,
    reason="pg_dump is not installed (apt-get install postgresql-client); a failure in CI",
)
def test_pg_dump_failure_is_reported(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="pg_dump failed"):
        backup_database("postgresql+psycopg://nobody@127.0.0.1:1/nothing", tmp_path / "x.backup")


# --- the commands -------------------------------------------------------------------------------


@pytest.fixture
def populated_cli_database(cli_database: str) -> str:
    """The CLI's database (UPLAND_DATABASE_URL, from conftest), with data in it."""
    with engine_for(cli_database) as engine:
        populate(engine)
    return cli_database


def test_backup_and_restore_commands(populated_cli_database: str, tmp_path: Path) -> None:
    cli_database = populated_cli_database
    runner = CliRunner()
    file = tmp_path / "backups" / "cli.backup"
    with engine_for(cli_database) as engine:
        before = snapshot(engine)

    result = runner.invoke(cli_app, ["backup", str(file)])
    assert result.exit_code == 0, result.output
    assert "backup written" in result.output
    assert file.exists()

    with engine_for(cli_database) as engine:
        with Session(engine) as session, session.begin():
            factories.organisation(session)
        assert snapshot(engine) != before

    refused = runner.invoke(cli_app, ["restore", str(file)], input="n\n")
    assert refused.exit_code != 0
    with engine_for(cli_database) as engine:
        assert organisation_count(engine) == 4

    result = runner.invoke(cli_app, ["restore", str(file), "--yes"])
    assert result.exit_code == 0, result.output
    assert "restored from" in result.output
    with engine_for(cli_database) as engine:
        assert snapshot(engine) == before


def test_commands_report_errors_without_a_traceback(
    cli_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    result = runner.invoke(cli_app, ["restore", str(tmp_path / "missing.backup"), "--yes"])
    assert result.exit_code == 1
    assert "error:" in result.output
    assert "does not exist" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)

    if not cli_database.startswith("sqlite"):  # SQLite's file was never created; this one was
        absent = make_url(cli_database).set(database="upland_absent")
        monkeypatch.setenv("UPLAND_DATABASE_URL", absent.render_as_string(hide_password=False))
        get_settings.cache_clear()
    result = runner.invoke(cli_app, ["backup", str(tmp_path / "out.backup")])
    assert result.exit_code == 1
    assert "error:" in result.output
    assert not (tmp_path / "out.backup").exists()


# --- what restore accepts, and the file modes -----------------------------------------------------


def test_backups_are_readable_by_their_owner_only(source_url: str, tmp_path: Path) -> None:
    file = tmp_path / "private.backup"
    file.write_bytes(b"an older file, world-readable")
    file.chmod(0o644)
    with engine_for(source_url) as source:
        populate(source)
    backup_database(source_url, file)
    assert file.stat().st_mode & 0o777 == 0o600
    fresh = tmp_path / "fresh.backup"
    backup_database(source_url, fresh)
    assert fresh.stat().st_mode & 0o777 == 0o600


def test_backup_refuses_a_symbolic_link_and_leaves_its_target_alone(
    source_url: str, tmp_path: Path
) -> None:
    victim = tmp_path / "elsewhere.txt"
    victim.write_text("not a backup")
    link = tmp_path / "bk" / "link.db"
    link.parent.mkdir()
    link.symlink_to(victim)
    with engine_for(source_url) as source:
        populate(source)
    with pytest.raises(BackupError, match="is a symbolic link"):
        backup_database(source_url, link)
    assert victim.read_text() == "not a backup"
    dangling = tmp_path / "bk" / "dangling.db"
    dangling.symlink_to(tmp_path / "new-file")
    with pytest.raises(BackupError, match="is a symbolic link"):
        backup_database(source_url, dangling)
    assert not (tmp_path / "new-file").exists()


def _backup_of(url: str, file: Path, prepare: Any) -> Path:
    with engine_for(url) as engine:
        prepare(engine)
        if url.startswith("sqlite"):
            engine.connect().close()  # the file exists, even when empty
    backup_database(url, file)
    return file


def _stamp(revision: str) -> Any:
    def prepare(engine: Engine) -> None:
        populate(engine)
        with engine.begin() as connection:
            connection.execute(ALEMBIC_VERSION.update().values(version_num=revision))

    return prepare


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (lambda engine: None, "is not an Upland database"),
        (_stamp("9999_from_the_future"), "migration 9999_from_the_future, which this version"),
    ],
    ids=["empty database", "unknown migration"],
)
def test_restore_refuses_what_is_not_a_known_upland_database(
    source_url: str, target_url: str, tmp_path: Path, prepare: Any, message: str
) -> None:
    file = _backup_of(source_url, tmp_path / "odd.backup", prepare)
    with engine_for(target_url) as target:
        populate(target)
        before = snapshot(target)
    with pytest.raises(BackupError, match=message):
        restore_database(target_url, file)
    with engine_for(target_url) as target:
        assert snapshot(target) == before


def _fake(revision: str) -> Any:
    """The core tables, each with one column, stamped with `revision`."""

    def prepare(engine: Engine) -> None:
        fake = MetaData()
        for name in sorted(backup.CORE_TABLES - {"alembic_version"}):
            Table(name, fake, Column("id", String(10), primary_key=True))
        Table("alembic_version", fake, Column("version_num", String(32), primary_key=True))
        fake.create_all(engine)
        with engine.begin() as connection:
            connection.execute(fake.tables["alembic_version"].insert(), {"version_num": revision})

    return prepare


def _without_column(engine: Engine) -> None:
    populate(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE organisation DROP COLUMN website")


@pytest.mark.parametrize(
    ("prepare", "message"),
    [
        (_fake(str(migrate.head_revision())), "does not have its schema \\(no table "),
        (_fake("0003"), "claims migration 0003 but does not have its schema"),
        (_without_column, "organisation lacks column website"),
    ],
    ids=["fake at head", "fake at 0003", "a column dropped"],
)
def test_restore_refuses_a_backup_without_the_schema_of_its_migration(
    source_url: str, target_url: str, tmp_path: Path, prepare: Any, message: str
) -> None:
    file = _backup_of(source_url, tmp_path / "fake.backup", prepare)
    with engine_for(target_url) as target:
        populate(target)
        before = snapshot(target)
    with pytest.raises(BackupError, match=message):
        restore_database(target_url, file)
    with engine_for(target_url) as target:
        assert snapshot(target) == before


def test_restore_accepts_a_genuine_backup_of_an_older_migration(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    def older(engine: Engine) -> None:
        migrate.upgrade(engine, "0003")

    file = _backup_of(source_url, tmp_path / "older.backup", older)
    assert restore_database(target_url, file) == "0003"
    with engine_for(target_url) as target:
        assert migrate.current_revision(target) == "0003"


def test_restore_while_a_server_holds_the_tables(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """A connection in the middle of a transaction on the target (a serving process) does not
    make the restore wait or deadlock: on PostgreSQL it is ended first."""
    file = tmp_path / "busy.backup"
    with engine_for(source_url) as source:
        populate(source)
        before = snapshot(source)
        backup_database(source_url, file)
    with engine_for(target_url) as target:
        populate(target)
        with Session(target) as session, session.begin():
            factories.organisation(session)
        busy = target.connect()
        busy.begin()
        busy.execute(select(func.count(Organisation.id))).scalar_one()
        try:
            restore_database(target_url, file)
        finally:
            busy.invalidate()
        assert snapshot(target) == before


def test_restore_asks_naming_the_target_database(
    populated_cli_database: str, tmp_path: Path
) -> None:
    file = tmp_path / "named.backup"
    assert CliRunner().invoke(cli_app, ["backup", str(file)]).exit_code == 0
    refused = CliRunner().invoke(cli_app, ["restore", str(file)], input="n\n")
    assert refused.exit_code != 0
    assert f"into {database_label(populated_cli_database)}?" in refused.output
    assert f"migration {migrate.head_revision()}" in refused.output
    assert "Stop `upland serve`" in refused.output


def test_restore_command_refuses_a_foreign_file_before_asking(
    populated_cli_database: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = CliRunner().invoke(cli_app, ["restore", str(empty)])
    assert result.exit_code == 1
    if populated_cli_database.startswith("sqlite"):
        assert "is not an Upland database" in result.output
    else:  # not a pg_dump archive at all
        assert "pg_restore failed" in result.output
    assert "continue?" not in result.output
