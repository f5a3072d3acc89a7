"""`upland backup FILE` / `upland restore FILE`: consistent copies of the whole database.

SQLite uses the online backup API (consistent while the server runs); PostgreSQL uses
pg_dump/pg_restore in custom format, which must be installed.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import typer
from sqlalchemy.engine import URL, make_url

from upland.settings import get_settings


class BackupError(RuntimeError):
    pass


def _libpq_url(database_url: str) -> str:
    """The URL for pg_dump/pg_restore, without the password (argv is visible to `ps`)."""
    url = make_url(database_url)
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return plain.render_as_string(hide_password=False)


def _libpq_env(database_url: str) -> dict[str, str]:
    password = make_url(database_url).password
    return {**os.environ, "PGPASSWORD": str(password)} if password else dict(os.environ)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client) to back up PostgreSQL"
        )
    return path


def backup_database(database_url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        source_path = make_url(database_url).database
        if not source_path or not Path(source_path).exists():
            raise BackupError(f"SQLite database {source_path!r} does not exist")
        try:
            with (
                closing(sqlite3.connect(source_path)) as source,
                closing(sqlite3.connect(target)) as destination,
            ):
                source.backup(destination)
        except sqlite3.Error as exc:
            raise BackupError(f"backup of {source_path} failed: {exc}") from exc
        return
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            _libpq_url(database_url),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=_libpq_env(database_url),
    )
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def restore_database(database_url: str, source: Path) -> None:
    if not source.exists():
        raise BackupError(f"backup file {source} does not exist")
    if database_url.startswith("sqlite"):
        target_path = make_url(database_url).database
        if not target_path:
            raise BackupError("cannot restore into an in-memory SQLite database")
        Path(target_path).parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as backup_file:
            try:
                healthy = backup_file.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"{source} is not a SQLite backup ({exc})") from exc
            if not healthy:
                raise BackupError(f"{source} is not a healthy SQLite database")
            try:
                with closing(sqlite3.connect(target_path)) as destination:
                    backup_file.backup(destination)
            except sqlite3.Error as exc:
                raise BackupError(f"restore into {target_path} failed: {exc}") from exc
        return
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(database_url)}",
            str(source),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=_libpq_env(database_url),
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def register(app: typer.Typer, **_groups: typer.Typer) -> None:
    @app.command("backup")
    def backup_command(file: Path = typer.Argument(..., help="where to write the backup")) -> None:
        """Write a consistent copy of the database to FILE (safe while serving)."""
        try:
            backup_database(get_settings().database_url, file)
        except BackupError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"backup written to {file} ({file.stat().st_size} bytes)")

    @app.command("restore")
    def restore_command(
        file: Path = typer.Argument(..., help="a file written by `upland backup`"),
        yes: bool = typer.Option(False, "--yes", help="do not ask before overwriting"),
    ) -> None:
        """Replace the database's contents with the backup in FILE."""
        if not yes:
            typer.confirm("this overwrites the current database; continue?", abort=True)
        try:
            restore_database(get_settings().database_url, file)
        except BackupError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"restored from {file}")
