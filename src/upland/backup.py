"""`upland backup FILE` / `upland restore FILE`: consistent copies of the whole database.

SQLite uses the online backup API (consistent while the server runs); PostgreSQL uses
pg_dump/pg_restore in custom format, which must be installed. Backups hold password hashes
and personal data, so they are created readable by their owner only; a restore first checks
that the file is an Upland database at a migration this version knows, with every table and
column that migration has.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from functools import cache
from pathlib import Path

import typer
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import URL, make_url

from upland import migrate
from upland.all_models import metadata
from upland.db import make_engine
from upland.settings import get_settings
from upland.startup import database_label

# Tables every Upland database has had since the first migration.
CORE_TABLES = {"alembic_version", "organisation", "user_account", "municipality", "pkd_code"}
# `CREATE TABLE public.name (` ... `);` in pg_restore's SQL, one column or constraint a line.
# A table with storage parameters ends `)\nWITH (…);` (organisation_search, 0014_perf).
_CREATE_TABLE = re.compile(
    r"^CREATE TABLE \w+\.(\w+) \(\n(.*?)\n\)(?:\nWITH \([^)]*\))?;$", re.MULTILINE | re.DOTALL
)

Schema = dict[str, frozenset[str]]
"""Table name -> its column names."""


class BackupError(RuntimeError):
    pass


def _private_file(path: Path) -> None:
    """Create (or empty) `path` readable and writable by its owner only, before any byte of
    the backup is written to it; a symbolic link is refused, not followed to a file elsewhere."""
    if path.is_symlink():
        raise BackupError(f"{path} is a symbolic link; give the backup's real path")
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise BackupError(f"cannot write the backup to {path}: {exc.strerror}") from exc
    try:
        os.fchmod(descriptor, 0o600)
    finally:
        os.close(descriptor)


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
        _private_file(target)
        try:
            with (
                closing(sqlite3.connect(source_path)) as source,
                closing(sqlite3.connect(target)) as destination,
            ):
                source.backup(destination)
        except sqlite3.Error as exc:
            raise BackupError(f"backup of {source_path} failed: {exc}") from exc
        return
    dump = _tool("pg_dump")
    _private_file(target)
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            dump,
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
        target.unlink()  # the empty file made for it must not pass for a backup
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")


def backup_revision(database_url: str, source: Path) -> str:
    """The migration of the Upland database in `source`; BackupError if it is none we know or
    its tables and columns are not those of that migration."""
    if not source.exists():
        raise BackupError(f"backup file {source} does not exist")
    if database_url.startswith("sqlite"):
        schema, revision = _sqlite_contents(source)
    else:
        schema, revision = _pg_dump_contents(database_url, source)
    missing = sorted(CORE_TABLES - schema.keys())
    if missing:
        raise BackupError(
            f"{source} is not an Upland database (no {', '.join(missing)} table); nothing restored"
        )
    if revision is None or not migrate.is_known(revision):
        raise BackupError(
            f"{source} is at migration {revision or 'none'}, which this version of Upland does "
            "not know (a newer version's backup?); nothing restored"
        )
    differences = schema_differences(expected_schema(revision), schema)
    if differences:
        raise BackupError(
            f"{source} claims migration {revision} but does not have its schema "
            f"({'; '.join(differences)}); nothing restored"
        )
    return revision


@cache
def expected_schema(revision: str) -> Schema:
    """The tables and columns of an Upland database at `revision`: the application's metadata
    at head, else those a scratch SQLite database migrated to `revision` has."""
    if revision == migrate.head_revision():
        schema = {t.name: frozenset(c.name for c in t.columns) for t in metadata.sorted_tables}
        return schema | {"alembic_version": frozenset({"version_num"})}
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'schema.db'}")
        try:
            migrate.upgrade(engine, revision)
            inspector = inspect(engine)
            return {
                table: frozenset(column["name"] for column in inspector.get_columns(table))
                for table in inspector.get_table_names()
                if migrate.include_name(table, "table", None)
            }
        finally:
            engine.dispose()


def schema_differences(expected: Schema, found: Schema, shown: int = 5) -> list[str]:
    """What `found` lacks or has too many of, table by table (tables of its own are allowed)."""
    differences = []
    absent = sorted(expected.keys() - found.keys())
    if absent:
        differences.append(f"no table {', '.join(absent[:shown])}")
    for table in sorted(expected.keys() & found.keys()):
        lacking = sorted(expected[table] - found[table])
        unknown = sorted(  # columns migrations make by raw SQL (search_vector) are no stranger
            c for c in found[table] - expected[table] if migrate.include_name(c, "column", None)
        )
        if lacking:
            differences.append(f"{table} lacks column {', '.join(lacking[:shown])}")
        if unknown:
            differences.append(f"{table} has unknown column {', '.join(unknown[:shown])}")
    return differences[:shown]


def _sqlite_contents(source: Path) -> tuple[Schema, str | None]:
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            if backup.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a healthy SQLite database")
            tables = [
                row[0]
                for row in backup.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            ]
            schema = {
                table: frozenset(
                    row[0]
                    for row in backup.execute("SELECT name FROM pragma_table_info(?)", [table])
                )
                for table in tables
                if migrate.include_name(table, "table", None)
            }
            revision = None
            if "alembic_version" in schema:
                row = backup.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} is not a SQLite backup ({exc})") from exc
    return schema, revision


def _pg_dump_contents(database_url: str, source: Path) -> tuple[Schema, str | None]:
    """Tables and columns from the dump's schema; the revision from its alembic_version data."""
    pg_restore = _tool("pg_restore")
    ddl = _run([pg_restore, "--schema-only", "--file=-", str(source)], database_url, "pg_restore")
    schema = {
        table: frozenset(
            line.split()[0].strip('"')
            for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("CONSTRAINT ")
        )
        for table, body in _CREATE_TABLE.findall(ddl)
        if migrate.include_name(table, "table", None)
    }
    if "alembic_version" not in schema:
        return schema, None
    data = _run(
        [pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
        database_url,
        "pg_restore",
    )
    copied = data.split("FROM stdin;\n", 1)[1].split("\n", 1)[0] if "FROM stdin;" in data else ""
    return schema, (copied if copied and copied != "\\." else None)


def _run(argv: list[str], database_url: str, what: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        argv, capture_output=True, text=True, check=False, env=_libpq_env(database_url)
    )
    if result.returncode:
        raise BackupError(f"{what} failed: {result.stderr.strip()}")
    return result.stdout


def end_other_connections(database_url: str) -> int:
    """End every other session on the target PostgreSQL database, so the restore's DROPs
    cannot wait on (or deadlock with) a server's transactions; how many were ended."""
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            ended = connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)


def restore_database(database_url: str, source: Path) -> str:
    """Replace the database's contents with the backup in `source`; its migration revision."""
    revision = backup_revision(database_url, source)
    if database_url.startswith("sqlite"):
        target_path = make_url(database_url).database
        if not target_path:
            raise BackupError("cannot restore into an in-memory SQLite database")
        Path(target_path).parent.mkdir(parents=True, exist_ok=True)
        try:
            with (
                closing(sqlite3.connect(source)) as backup_file,
                closing(sqlite3.connect(target_path)) as destination,
            ):
                backup_file.backup(destination)
        except sqlite3.Error as exc:
            raise BackupError(f"restore into {target_path} failed: {exc}") from exc
        return revision
    pg_restore = _tool("pg_restore")
    end_other_connections(database_url)
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(database_url)}",
            str(source),
        ],
        database_url,
        "pg_restore",
    )
    return revision


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
        """Replace the database's contents with the backup in FILE (stop serving first)."""
        url = get_settings().database_url
        try:
            revision = backup_revision(url, file)
            if not yes:
                typer.confirm(
                    f"restore {file} (migration {revision}) into {database_label(url)}? This "
                    "replaces all of its data. Stop `upland serve` and `upland worker` first "
                    "(on PostgreSQL their connections to it are ended); continue?",
                    abort=True,
                )
            restore_database(url, file)
        except BackupError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None
        typer.echo(f"restored from {file} into {database_label(url)}")
        if revision != migrate.head_revision():
            typer.echo(f"the backup is at migration {revision}: run `upland db upgrade`")
