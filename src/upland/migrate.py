"""Schema migrations (Alembic) driven from code: upgrade, downgrade, and 'at head?' checks."""

from __future__ import annotations

from functools import cache
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# Made by raw SQL in migration 0002 (FTS5 table and its shadow tables on SQLite, trigram index on
# PostgreSQL); they are not in the metadata, so schema comparisons must not see them.
SEARCH_INDEX_OBJECTS = ("organisation_fts", "ix_organisation_search_trgm", "ix_organisation_facets")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter shared by autogenerate and the models-vs-migrations check."""
    return not (name or "").startswith(SEARCH_INDEX_OBJECTS)


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("upland") / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


@cache
def head_revision() -> str | None:
    """The newest migration shipped with this code (read once per process)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
