"""Background jobs: an RQ queue on Redis when UPLAND_REDIS_URL is set, in-process otherwise.

Jobs are plain importable functions taking JSON-able arguments, so either path runs the same
code; `upland worker` consumes the queue. A queued job names its function by its dotted path,
looked up when it runs (`call`): a function renamed by a deploy registers its former path
(`renamed`) so that jobs queued before still run; a path that names nothing any more fails
with a logged `UnknownJob`, and RQ keeps the job in its failed registry (to be requeued).
Without Redis a job runs on one background thread of this process, never in the caller's: a
request answers in the same time whatever its jobs do (an e-mail to an existing account must
not make "forgot password" slower than for a stranger).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from upland.settings import get_settings

log = logging.getLogger(__name__)
QUEUE_NAME = "upland"


# One thread: jobs run in the order they came, and an SMTP server never sees a burst.
background: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upland-job")


@dataclass(frozen=True)
class JobHandle:
    """A queued RQ job (`id`), or the in-process run's `future`."""

    id: str | None
    queued: bool
    future: Future[Any] | None = None


_FORMER: dict[str, str] = {}  # a job function's former dotted path → its path now


class UnknownJob(LookupError):
    """A queued job names a function that no longer exists (renamed without `renamed`)."""


def renamed(former: str, current: str) -> None:
    """Register that the job function once at `former` is now at `current` (the area that
    moved it calls this at import), so jobs queued under the old path before a deploy run."""
    if former == current:
        raise ValueError(f"{former} cannot be renamed to itself")
    _FORMER[former] = current


def resolve(path: str) -> Callable[..., Any]:
    """The function a job's dotted path names, through its former paths; `UnknownJob`
    (logged) when it names nothing."""
    current, seen = path, {path}
    while current in _FORMER and _FORMER[current] not in seen:
        current = _FORMER[current]
        seen.add(current)
    module, _, name = current.rpartition(".")
    try:
        function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as error:
        log.error(
            "job %s names no function (renamed or removed without upland.jobs.renamed): "
            "it fails and is kept with the failed jobs",
            path,
        )
        raise UnknownJob(f"no job function is called {path} ({error})") from error
    return function


def call(path: str, *args: Any, **kwargs: Any) -> Any:
    """What the queue runs: the job function `path` names now (`resolve`), on `args`."""
    return resolve(path)(*args, **kwargs)


def queue() -> Any:
    from redis import Redis
    from rq import Queue

    url = get_settings().redis_url
    if not url:
        raise RuntimeError("UPLAND_REDIS_URL is not set")
    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def enqueue(path: str, *args: Any, retry_after: Sequence[int] = (), **kwargs: Any) -> JobHandle:
    """Run `path(*args)` in a worker if Redis is configured, else on this process's background
    thread. A queued job that raises is tried again after each of `retry_after` seconds; an
    in-process one is logged (what it left behind says what to retry)."""
    if get_settings().redis_url:
        from rq import Retry

        retry = Retry(max=len(retry_after), interval=list(retry_after)) if retry_after else None
        job = queue().enqueue(
            f"{__name__}.call", path, *args, **kwargs, job_timeout=3600, retry=retry
        )
        return JobHandle(id=job.id, queued=True)
    future = background.submit(call, path, *args, **kwargs)
    future.add_done_callback(lambda done: _log_failure(path, done))
    return JobHandle(id=None, queued=False, future=future)


def _log_failure(path: str, future: Future[Any]) -> None:
    error = future.exception()
    if error is not None:
        log.error("job %s failed", path, exc_info=error)


def run_worker(burst: bool = False) -> None:
    from rq import Worker

    q = queue()
    # The scheduler puts retried jobs back on the queue once their backoff has passed.
    Worker([q], connection=q.connection).work(burst=burst, with_scheduler=True)
