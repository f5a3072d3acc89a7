"""One PostgreSQL database and one Redis database per pytest-xdist worker.

`make test` runs the PostgreSQL pass on two workers beside the SQLite pass (the PostgreSQL pass
is the longer one, and two cores are better kept busy to the end). Each worker needs a database
of its own, for the suite drops and migrates its schema: worker `gwN` uses `<database>_gwN` on
the same server, created when missing, and the Redis database 2·N below the one configured.
Outside xdist nothing changes.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import create_engine, make_url, text

WORKER_ENV = "PYTEST_XDIST_WORKER"
DONE_ENV = "TESTS_WORKER_DATABASES_SET"  # set once rewritten: subprocesses inherit the result


def worker_number() -> int | None:
    """N of worker `gwN`, or None outside xdist."""
    name = os.environ.get(WORKER_ENV, "")
    return int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else None


def _own_database(server_url: str, worker: str) -> str:
    """The URL of `<database>_<worker>` on the server of `server_url`, created if missing."""
    url = make_url(server_url)
    database = f"{url.database}_{worker}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": database}
            )
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def _own_redis(redis_url: str, number: int) -> str:
    """The Redis database 2·N below the configured one (the SQLite pass keeps its own)."""
    url = urlsplit(redis_url)
    base = int(url.path.strip("/") or 0)
    return urlunsplit(url._replace(path=f"/{(base - 2 * number) % 16}"))


def give_each_worker_its_databases() -> None:
    """Point UPLAND_TEST_DATABASE_URL and UPLAND_TEST_REDIS_URL at this worker's own."""
    number = worker_number()
    if number is None or os.environ.get(DONE_ENV):
        return
    worker = os.environ[WORKER_ENV]
    database = os.environ.get("UPLAND_TEST_DATABASE_URL")
    if database:
        os.environ["UPLAND_TEST_DATABASE_URL"] = _own_database(database, worker)
    redis = os.environ.get("UPLAND_TEST_REDIS_URL")
    if redis:
        os.environ["UPLAND_TEST_REDIS_URL"] = _own_redis(redis, number)
    os.environ[DONE_ENV] = "1"
