"""Checks made before serving, so a deployment mistake stops the start with one clear line
instead of turning every request into a 500 later."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from upland import migrate
from upland.settings import DEVELOPMENT_SECRET_KEY, Settings

MIN_SECRET_KEY_LENGTH = 32
# `upland secret-key` gives 64 characters of 64 kinds; a key of few kinds is a typed pattern.
MIN_SECRET_KEY_DISTINCT = 16
# The project directory of a source checkout (src/upland/startup.py → the checkout).
PROJECT_DIR = Path(__file__).resolve().parents[2]
# Front-end packages installed by `npm ci`, served from their own dist folders.
VENDOR_DIRS = {
    "cytoscape": "cytoscape/dist",
    "htmx": "htmx.org/dist",
    "pico": "@picocss/pico/css",
    "swagger-ui": "swagger-ui-dist",
}


class StartupError(Exception):
    """The deployment cannot serve; each problem is one line saying what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def database_label(url: str) -> str:
    """The database a URL names, for people: password hidden, SQLite as an absolute path."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        return f"SQLite {Path(path).resolve()}" if path and path != ":memory:" else "SQLite memory"
    return f"PostgreSQL {parsed.render_as_string(hide_password=True)}"


def node_modules_dir(settings: Settings) -> Path:
    """`UPLAND_NODE_MODULES`; a relative path is taken from the working directory when it is
    there, else from the project directory, so `upland serve` works from anywhere."""
    configured = Path(settings.node_modules)
    if configured.is_absolute() or configured.is_dir():
        return configured
    beside_project = PROJECT_DIR / configured
    return beside_project if beside_project.is_dir() else configured


def config_problems(settings: Settings) -> list[str]:
    """What in the settings alone forbids serving (no database or network access)."""
    problems = []
    if not settings.dev_mode:
        if settings.secret_key == DEVELOPMENT_SECRET_KEY:
            problems.append(
                "UPLAND_SECRET_KEY is the public development key, with which anyone can sign a "
                "session cookie: set a random value (`upland secret-key` prints one), or "
                "UPLAND_DEV_MODE=true on a development machine"
            )
        elif len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
            problems.append(
                f"UPLAND_SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters: set a "
                "random value (`upland secret-key` prints one)"
            )
        elif len(set(settings.secret_key)) < MIN_SECRET_KEY_DISTINCT:
            problems.append(
                f"UPLAND_SECRET_KEY has fewer than {MIN_SECRET_KEY_DISTINCT} different "
                "characters, so it is easy to guess: set a random value (`upland secret-key` "
                "prints one)"
            )
        if not settings.smtp_host:
            problems.append(
                "UPLAND_SMTP_HOST is not set: outside development mode e-mails (with their "
                "invitation and password links) go only to an SMTP server, never to the outbox "
                "folder; set UPLAND_SMTP_HOST, or UPLAND_DEV_MODE=true on a development machine"
            )
        if settings.public_url is None:
            problems.append(
                "UPLAND_PUBLIC_URL is not set: set the address users reach the platform at, "
                "e.g. https://upland.example.org (links in e-mails start with it)"
            )
    modules = node_modules_dir(settings)
    missing = [folder for folder in VENDOR_DIRS.values() if not (modules / folder).is_dir()]
    if missing:
        problems.append(
            f"front-end packages are missing ({', '.join(missing)} not in {modules.resolve()}): "
            "run `npm ci` in the project directory, or set UPLAND_NODE_MODULES"
        )
    return problems


def dev_host_problem(host: str) -> str | None:
    """Development mode hands invitation links to API callers and accepts the public
    development key: it may listen on loopback only, unless the operator says otherwise."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        return None
    return (
        f"development mode on {host}, which is not a loopback address, would hand invitation "
        "links and the development key to the network: use --host 127.0.0.1, or add "
        "--expose-dev-mode if this machine's network is really private"
    )


def check_config(settings: Settings) -> None:
    problems = config_problems(settings)
    if problems:
        raise StartupError(problems)


MissingData = Callable[[Session], list[str]]


def database_problems(engine: Engine, missing_data: MissingData) -> list[str]:
    """Reachable, migrated to this code's head, and holding the shipped data `missing_data`
    names (the reference area's check, passed in by the composition root)."""
    try:
        current = migrate.current_revision(engine)
        head = migrate.head_revision()
        if current != head:
            return [
                f"the database is at migration {current or 'none'}, this version needs {head}: "
                "run `upland db upgrade`"
            ]
        with Session(engine) as session:
            missing = missing_data(session)
    except DBAPIError as exc:
        return [f"cannot use the database: {first_line(exc.orig)}"]
    if missing:
        return [
            f"the database has no reference data ({', '.join(missing)}): run `upland db upgrade`"
        ]
    return []


def redis_problem(url: str | None) -> str | None:
    """None when Redis answers (or is not configured), else what went wrong."""
    if not url:
        return None
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2) as client:
            client.ping()
    except RedisError as exc:
        return f"cannot reach Redis at {redis_label(url)}: {first_line(exc)}"
    return None


def redis_label(url: str) -> str:
    """The Redis URL with its password hidden."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def check_serving(settings: Settings, engine: Engine, missing_data: MissingData) -> None:
    """Everything `upland serve` needs before it opens its port."""
    problems = config_problems(settings) + database_problems(engine, missing_data)
    redis = redis_problem(settings.redis_url)
    if redis:
        problems.append(redis)
    if problems:
        raise StartupError(problems)


def first_line(exc: BaseException | None) -> str:
    text = str(exc or "").strip()
    return text.splitlines()[0] if text else type(exc).__name__
