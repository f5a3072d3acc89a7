"""Alembic environment: runs on the connection `upland.migrate` hands over.

Migrations import no application code (the code moves on; a migration must do tomorrow what it
did the day it was written). Whoever compares models with migrations passes the metadata and
the name filter in `config.attributes`.
"""

from __future__ import annotations

from alembic import context

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `upland db upgrade` (upland.migrate)")
    context.configure(
        connection=connection,
        target_metadata=config.attributes.get("target_metadata"),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=config.attributes.get("include_name"),
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
