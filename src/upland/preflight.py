"""What the `upland` command checks before running any subcommand, so an operator's mistake is
one clear line instead of a traceback: the settings are valid, unknown `UPLAND_*` variables
(typos) are pointed out, the command names the database it works on, and a missing SQLite
file is not silently created empty."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any

from dotenv import dotenv_values
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console

from upland import private_files
from upland.settings import Settings, get_settings
from upland.startup import database_label, first_line, redis_label

# Commands that create the database when its SQLite file does not exist yet.
CREATES_DATABASE = {("db", "upgrade"), ("run",), ("demo",), ("restore",)}
# Benchmarks build scratch databases of their own; they never touch the configured one.
NO_DATABASE = {("secret-key",), ("eval", "pkd"), ("bench",), ("events", "solve")}
DEVELOPMENT = {("run",), ("demo",)}
# Read by the test suite, not by the application.
# The test suite's own variables, not settings of the application.
OTHER_VARIABLES = {
    "UPLAND_TEST_DATABASE_URL",
    "UPLAND_TEST_REDIS_URL",
    "UPLAND_TEST_SQLITE_REDIS_URL",
    "UPLAND_GUS_DATA_DIR",
    "UPLAND_FUZZ_EXAMPLES",
    "UPLAND_FUZZ_COVERAGE",
}


def command_path(root: Any, argv: list[str]) -> tuple[str, ...] | None:
    """The subcommand `argv` runs (`("db", "upgrade")`), or None for help and unknown names.

    `root` is the Click command of the Typer app; groups are told apart by their `commands`."""
    path: list[str] = []
    command = root
    words = iter(argv)
    while hasattr(command, "commands"):
        name = next((word for word in words if not word.startswith("-")), None)
        if name is None or name not in command.commands:
            return None
        path.append(name)
        command = command.commands[name]
    return None if "--help" in argv else tuple(path)


def unknown_variables() -> list[str]:
    """One warning per `UPLAND_*` name in the environment or `.env` that no setting reads."""
    known = {f"UPLAND_{name.upper()}" for name in Settings.model_fields}
    given = {name.upper() for name in os.environ if name.upper().startswith("UPLAND_")}
    given |= {name.upper() for name in dotenv_values(".env") if name.upper().startswith("UPLAND_")}
    warnings = []
    for name in sorted(given - known - OTHER_VARIABLES):
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        warnings.append(f"{name} is not a setting of Upland and is ignored{hint}")
    return warnings


def setting_problems() -> list[str]:
    """Each invalid setting as `UPLAND_NAME: what is wrong`."""
    try:
        get_settings()
    except ValidationError as exc:
        return [
            f"UPLAND_{str(error['loc'][0]).upper() if error['loc'] else '?'}: {error['msg']}"
            for error in exc.errors()
        ]
    except SettingsError as exc:
        # pydantic-settings could not decode a JSON value before validation.
        field = re.search(r'field "(\w+)"', str(exc))
        name = f"UPLAND_{field.group(1).upper()}" if field else "a setting"
        return [f"{name}: not valid JSON ({first_line(exc.__cause__) if exc.__cause__ else exc})"]
    return []


def missing_database_file(settings: Settings) -> Path | None:
    path = settings.sqlite_path()
    return path.resolve() if path is not None and not path.exists() else None


def run(root: Any, argv: list[str], console: Console) -> None:
    """Check before `argv` runs; exits with status 2 (settings) or 1 (database) on a problem."""
    command = command_path(root, argv)
    if command is None or command in NO_DATABASE:
        return
    for warning in unknown_variables():
        console.print(f"[yellow]warning[/yellow]: {warning}")
    problems = setting_problems()
    for problem in problems:
        console.print(f"[red]bad setting[/red] {problem}")
    if problems:
        raise SystemExit(2)
    if command in DEVELOPMENT:
        os.environ["UPLAND_DEV_MODE"] = "true"
        get_settings.cache_clear()
    settings = get_settings()
    console.print(f"database: {database_label(settings.database_url)}")
    for warning in private_files.exposed_files(settings):
        console.print(f"[yellow]warning[/yellow]: {warning}")
    missing = missing_database_file(settings)
    if missing is None:
        return
    if command in CREATES_DATABASE:
        console.print(f"creating the database file {missing}")
        return
    env_file = Path(".env").resolve()
    console.print(
        f"[red]error[/red]: the database file {missing} does not exist: run `upland db upgrade` "
        f"to create it, or point UPLAND_DATABASE_URL at your database (in the environment or "
        f"in {env_file}, {'which exists' if env_file.exists() else 'which does not exist'})"
    )
    raise SystemExit(1)


_MISSING_TABLE = ("no such table", "undefinedtable", "does not exist")


def explain(exc: BaseException) -> str | None:
    """One line for an error a user can do something about, None for a bug (whose traceback
    stays): a domain error (`upland.errors`), a database with no or old tables, a database or
    Redis that cannot be reached."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from upland.errors import UplandError

    if isinstance(exc, UplandError):
        return f"{exc} ({exc.code})"
    if isinstance(exc, OperationalError | ProgrammingError):
        reason = f"{type(exc.orig).__name__} {exc.orig}".lower()
        if any(sign in reason for sign in _MISSING_TABLE):
            label = database_label(get_settings().database_url)
            return (
                f"the database ({label}) is not migrated to this version of Upland "
                f"({first_line(exc.orig)}): run `upland db upgrade`"
            )
    return unreachable(exc)


def unreachable(exc: BaseException) -> str | None:
    """One line for a database or Redis that cannot be reached, None for any other error."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeout
    from sqlalchemy.exc import InterfaceError, OperationalError

    settings = get_settings()
    if isinstance(exc, OperationalError | InterfaceError):
        label = database_label(settings.database_url)
        return f"cannot use the database ({label}): {first_line(exc.orig)}"
    if isinstance(exc, RedisConnectionError | RedisTimeout):
        return f"cannot reach Redis at {redis_label(settings.redis_url or '')}: {first_line(exc)}"
    return None
