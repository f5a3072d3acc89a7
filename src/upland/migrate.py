"""Schema migrations (Alembic) driven from code: upgrade, downgrade, and 'at head?' checks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import Connection, Engine

# Schema objects that migrations make by raw SQL (full-text tables and their shadow tables,
# expression indexes): not in the metadata, so schema comparisons and backups must not see them.
# Each area names its own with `unmapped`, next to its models.
_UNMAPPED: set[str] = set()


def unmapped(*prefixes: str) -> None:
    _UNMAPPED.update(prefixes)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter shared by autogenerate, the models-vs-migrations check and backups."""
    return not (name or "").startswith(tuple(_UNMAPPED))


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(resources.files("upland") / "migrations"))
    return config


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for migrations, committed at the end.

    On SQLite, foreign keys are off meanwhile and checked before the commit: batch migrations
    rebuild a table by dropping it, and a DROP TABLE with foreign keys on cascade-deletes
    every child row (the pragma only changes outside a transaction, so it goes to the driver
    before SQLAlchemy's BEGIN).
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        driver = connection.connection.driver_connection if sqlite else None
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if driver is not None:
                    dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise RuntimeError(
                            f"the migration would leave {len(dangling)} rows pointing at missing "
                            f"rows, e.g. {dangling[:3]}; nothing was changed"
                        )
        finally:
            if driver is not None:
                driver.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    config = alembic_config()
    with migrating(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def history() -> list[Script]:
    """Every shipped migration, newest first."""
    return list(scripts().walk_revisions())


def is_known(revision: str) -> bool:
    """Whether `revision` is a migration of this code's history (a database we can work on)."""
    return any(script.revision == revision for script in history())


def to_revert(current: str | None, target: str) -> list[Script]:
    """The migrations a downgrade from `current` to `target` would revert, newest first.

    `target` is a revision id, `base`, or `-N` (N steps down)."""
    if current is None:
        return []
    chain = list(scripts().iterate_revisions(current, "base"))
    if target == "base":
        return chain
    if target.startswith("-") and target[1:].isdigit():
        return chain[: int(target[1:])]
    ids = [script.revision for script in chain]
    if target not in ids:
        raise ValueError(f"{target} is not a migration below the current one ({current})")
    return chain[: ids.index(target)]


def downgrade_loses(script: Script) -> str:
    """What reverting `script` removes, as its module's `downgrade_loses` says."""
    return str(getattr(script.module, "downgrade_loses", "")) or "not described by the migration"


@cache
def head_revision() -> str | None:
    """The newest migration shipped with this code (read once per process)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
