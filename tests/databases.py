"""Scratch databases apart from the session-wide test database, on the backend of this run.

SQLite: a file under the test's tmp directory. PostgreSQL: a database created (and dropped
afterwards) through the server's `postgres` maintenance database, named after this process so
two runs on one server do not collide. A scratch database can start as a copy of another
(a file copy, or PostgreSQL's `CREATE DATABASE … TEMPLATE`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from upland.db import make_engine


def reset_settings_and_engine() -> None:
    """Forget the cached settings, engine and sessions (closing the engine's connections), so
    the next use reads UPLAND_* again: for tests that point the app at another database."""
    from upland import db, settings

    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    db.get_sessionmaker.cache_clear()


def migrate_as_in_production(database_url: str) -> None:
    """`upland db upgrade`, exactly what an operator runs, on the database at `database_url`."""
    from typer.testing import CliRunner

    from upland.cli import app as cli_app

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("UPLAND_DATABASE_URL", database_url)
        reset_settings_and_engine()
        result = CliRunner().invoke(cli_app, ["db", "upgrade"])
        reset_settings_and_engine()
    assert result.exit_code == 0, result.output


def postgres_server_url() -> str | None:
    """The PostgreSQL server under test, or None when the run is on SQLite."""
    return os.environ.get("UPLAND_TEST_DATABASE_URL") or None


def maintenance_engine(server_url: str) -> Engine:
    """An AUTOCOMMIT engine on the server's `postgres` database, for CREATE and DROP DATABASE."""
    url = make_url(server_url).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


@contextmanager
def scratch_database(name: str, tmp_path: Path, *, copy_of: str | None = None) -> Iterator[str]:
    """Yield the URL of a new database called `name`, empty or a copy of the database at
    `copy_of` (of the same backend, with no open connections); drop it afterwards."""
    server_url = postgres_server_url()
    if server_url is None:
        path = tmp_path / f"{name}.db"
        if copy_of is not None:
            shutil.copyfile(make_url(copy_of).database or "", path)
        yield f"sqlite:///{path}"
        return
    database = f"{name}_{os.getpid()}"
    template = f' TEMPLATE "{make_url(copy_of).database}"' if copy_of is not None else ""
    admin = maintenance_engine(server_url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"{template}'))
        try:
            yield make_url(server_url).set(database=database).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def engine_for(url: str) -> Iterator[Engine]:
    """The project's engine for `url` (WAL and foreign keys on SQLite), disposed afterwards."""
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
