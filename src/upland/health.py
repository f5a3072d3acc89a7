"""What `/healthz` reports: the database answers and is migrated, Redis answers when configured.

Cheap enough for a probe every few seconds: one pooled connection for `SELECT 1`, the
migration stamp read only until it has once been found at head (a running process cannot be
migrated backwards under its feet without a restart), one kept Redis client.
"""

from __future__ import annotations

from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from upland import __version__, migrate
from upland.startup import first_line


class Health:
    def __init__(self, redis_url: str | None) -> None:
        self._at_head = False
        self._redis_url = redis_url or ""
        self._redis: Any = None

    def report(self, engine: Engine) -> tuple[int, dict[str, str]]:
        """(HTTP status, body): 200 when every part is ok, else 503 naming the failing part."""
        body = {"status": "ok", "version": __version__, **self._database(engine)}
        if self._redis_url:
            body["redis"] = self._ping_redis()
        healthy = body["database"] == "ok" and body.get("migrations") == "head"
        if body.get("redis", "ok") != "ok" or not healthy:
            body["status"] = "error"
            return 503, body
        return 200, body

    def _database(self, engine: Engine) -> dict[str, str]:
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
                if not self._at_head:
                    current = MigrationContext.configure(connection).get_current_revision()
                    self._at_head = current == migrate.head_revision()
        except Exception as exc:  # any failure means unhealthy; say which
            return {"database": first_line(exc)[:200]}
        return {"database": "ok", "migrations": "head" if self._at_head else "behind"}

    def _ping_redis(self) -> str:
        from redis import Redis
        from redis.exceptions import RedisError

        if self._redis is None:
            self._redis = Redis.from_url(
                self._redis_url, socket_connect_timeout=1, socket_timeout=1
            )
        try:
            self._redis.ping()
        except RedisError as exc:
            return first_line(exc)[:200]
        return "ok"
