"""Engine, sessions and the declarative Base shared by every area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import Field
from sqlalchemy import JSON, DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from upland import clock
from upland.errors import Busy, Conflict
from upland.settings import get_settings

# A row id as it may arrive in a URL or a query: positive and within the INTEGER primary keys
# (32-bit on PostgreSQL), so an absurd number is a 422 rather than an overflow in the database.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in and out, whatever the backend stores."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        moment: dt.datetime = value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime, dict[str, Any]: JSON}


def utcnow() -> dt.datetime:
    """Now, aware UTC, as `upland.clock` tells it (a replayed moment while the demo's history
    is written)."""
    return clock.now()


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite would defer BEGIN to the first write, so reads and SAVEPOINTs could run outside
    # the transaction; SQLAlchemy emits BEGIN itself instead (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: bulk imports, big lists
    cursor.close()


# Execution option of a connection that will write. On SQLite a plain (deferred) BEGIN takes
# the write lock only at the first write; if another connection committed since this one first
# read, SQLite refuses at once with "database is locked", whatever the busy timeout. Writers
# therefore start with BEGIN IMMEDIATE and queue for the lock (up to the busy timeout) instead.
WRITER = "upland_writer"


def _sqlite_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(WRITER)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine with the project's per-backend settings (WAL and FKs on SQLite)."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"check_same_thread": False, **kwargs.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """Begin a transaction that will write: commit on success, roll back on error. A
    unique-key violation, two people doing the same thing at once, becomes a Conflict."""
    try:
        with session.begin():
            session.connection(execution_options={WRITER: True})
            yield session
    except IntegrityError as exc:
        raise Conflict(
            "someone else changed this at the same time; reload and try again",
            code="concurrent_change",
        ) from exc
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        raise Busy(
            "the platform is busy with a long task (such as an import); try again in a moment",
            code="busy",
        ) from exc


def is_busy(exc: OperationalError) -> bool:
    """SQLite's writer lock still held after the busy timeout (another transaction writes)."""
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work for CLI commands and jobs: commit on success, roll back on error."""
    session = get_sessionmaker()()
    try:
        with writing(session):
            yield session
    finally:
        session.close()


@contextmanager
def reading() -> Iterator[Session]:
    """A unit of work that only reads: it never takes SQLite's one write lock, so a job may
    load a model or embed inside it without holding up anyone's writes."""
    with get_sessionmaker()() as session, session.begin():
        yield session
