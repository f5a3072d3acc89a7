"""What `/healthz` reports: the database answers and is migrated, Redis answers when configured.

Cheap enough for any number of probes: one pooled connection for `SELECT 1`, the migration
stamp read only until it has once been found at head (a running process cannot be migrated
backwards under its feet without a restart), one kept Redis client, and a report reused for
`MAX_AGE` seconds, so a load balancer polling every process costs at most one round trip per
second each (a failure shows at most that much later).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text

from upland import __version__, migrate
from upland.startup import first_line

log = logging.getLogger(__name__)

MAX_AGE = 1.0  # seconds a report is reused

Report = tuple[int, dict[str, str]]


class Health:
    def __init__(
        self,
        redis_url: str | None,
        engine: Callable[[], Engine],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._at_head = False
        self._redis_url = redis_url or ""
        self._redis: Any = None
        self._engine = engine
        self._clock = clock
        self._last: tuple[float, Report] | None = None

    def recent(self) -> Report | None:
        """The last report if it is younger than MAX_AGE: no I/O, safe on the event loop."""
        if self._last is not None and self._clock() - self._last[0] < MAX_AGE:
            return self._last[1]
        return None

    def report(self) -> Report:
        """(HTTP status, body): 200 when every part is ok, else 503 naming the failing part.
        Blocking: checks the database (and Redis) now."""
        checked = self._check()
        self._last = (self._clock(), checked)
        return checked

    def _check(self) -> Report:
        body = {"status": "ok", "version": __version__, **self._database(self._engine())}
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
        except Exception as exc:  # any failure means unhealthy; the log says why
            log.warning("healthz: database check failed: %s", first_line(exc)[:200])
            return {"database": "unreachable"}
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
            log.warning("healthz: Redis check failed: %s", first_line(exc)[:200])
            return "unreachable"
        return "ok"
