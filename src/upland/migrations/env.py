"""Alembic environment: runs against the engine given in config attributes or the settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from upland.all_models import metadata
from upland.db import make_engine
from upland.migrate import include_name, migrating
from upland.settings import get_settings

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = make_engine(url)
    with migrating(engine) as conn:
        _run(conn)
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
