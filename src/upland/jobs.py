"""Background jobs: an RQ queue on Redis when UPLAND_REDIS_URL is set, in-process otherwise.

Jobs are plain importable functions taking JSON-able arguments, so either path runs the same
code; `upland worker` consumes the queue.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from upland.settings import get_settings

log = logging.getLogger(__name__)
QUEUE_NAME = "upland"


@dataclass(frozen=True)
class JobHandle:
    id: str | None
    queued: bool
    result: Any = None


def _resolve(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def queue() -> Any:
    from redis import Redis
    from rq import Queue

    url = get_settings().redis_url
    if not url:
        raise RuntimeError("UPLAND_REDIS_URL is not set")
    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def enqueue(path: str, *args: Any, retry_after: Sequence[int] = (), **kwargs: Any) -> JobHandle:
    """Run `path(*args)` in a worker if Redis is configured, else right now in this process.
    A queued job that raises is tried again after each of `retry_after` seconds."""
    if get_settings().redis_url:
        from rq import Retry

        retry = Retry(max=len(retry_after), interval=list(retry_after)) if retry_after else None
        job = queue().enqueue(path, *args, **kwargs, job_timeout=3600, retry=retry)
        return JobHandle(id=job.id, queued=True)
    return JobHandle(id=None, queued=False, result=_resolve(path)(*args, **kwargs))


def run_worker(burst: bool = False) -> None:
    from rq import Worker

    q = queue()
    # The scheduler puts retried jobs back on the queue once their backoff has passed.
    Worker([q], connection=q.connection).work(burst=burst, with_scheduler=True)
