"""Background jobs run in-process without Redis, and through an RQ queue and worker with it.

The Redis tests use UPLAND_TEST_REDIS_URL (a database they may flush); without it they skip
locally and fail in CI, as does an unreachable server in CI.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.job import Job, JobStatus
from typer.testing import CliRunner

from upland import jobs, settings
from upland.cli import app as cli_app

# --- jobs for the tests; importable as tests.test_jobs.<name>, as a worker needs -----------------


def add(a: int, b: int = 0) -> int:
    return a + b


def fail(message: str) -> None:
    raise ValueError(message)


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def without_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("UPLAND_REDIS_URL", raising=False)
    settings.get_settings.cache_clear()
    yield
    settings.get_settings.cache_clear()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must test the Redis job queue", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[Redis]:
    """A flushed Redis test database, with UPLAND_REDIS_URL pointing at it."""
    url = os.environ.get("UPLAND_TEST_REDIS_URL")
    if not url:
        _unavailable("UPLAND_TEST_REDIS_URL is not set")
    client = Redis.from_url(url)
    try:
        client.ping()
    except RedisError as exc:
        _unavailable(f"Redis at {url} is unreachable: {exc}")
    client.flushdb()
    monkeypatch.setenv("UPLAND_REDIS_URL", url)
    settings.get_settings.cache_clear()
    yield client
    settings.get_settings.cache_clear()
    client.flushdb()
    client.close()


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    """An RQ worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# --- in-process ---------------------------------------------------------------------------------


def wait_for(gate: threading.Event) -> str:
    gate.wait(timeout=30)
    return threading.current_thread().name


@pytest.mark.usefixtures("without_redis")
def test_without_redis_jobs_run_on_a_background_thread_not_the_callers() -> None:
    gate = threading.Event()
    handle = jobs.enqueue("tests.test_jobs.wait_for", gate)
    assert (handle.id, handle.queued) == (None, False)
    assert handle.future is not None
    assert not handle.future.done()  # the caller went on while the job waited
    gate.set()
    thread = handle.future.result(timeout=30)
    assert thread != threading.current_thread().name
    assert thread.startswith("upland-job")


@pytest.mark.usefixtures("without_redis")
def test_without_redis_a_failing_job_is_logged_not_raised_at_the_caller(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handle = jobs.enqueue("tests.test_jobs.fail", "on purpose")
    assert handle.future is not None
    with pytest.raises(ValueError, match="on purpose"):
        handle.future.result(timeout=30)
    jobs.background.submit(lambda: None).result(timeout=30)  # the callback has run by now
    assert "job tests.test_jobs.fail failed" in caplog.text


@pytest.mark.usefixtures("without_redis")
def test_without_redis_there_is_no_queue() -> None:
    with pytest.raises(RuntimeError, match="UPLAND_REDIS_URL"):
        jobs.queue()


@pytest.fixture
def renamed_add() -> Iterator[str]:
    """`add` as if a deploy moved it: jobs queued as `tests.test_jobs.old_add` find it."""
    jobs.renamed("tests.test_jobs.old_add", "tests.test_jobs.add")
    yield "tests.test_jobs.old_add"
    jobs._FORMER.pop("tests.test_jobs.old_add")


@pytest.mark.usefixtures("without_redis")
def test_a_job_queued_under_a_former_name_runs_the_function_now(renamed_add: str) -> None:
    handle = jobs.enqueue(renamed_add, 2, b=40)
    assert handle.future is not None
    assert handle.future.result(timeout=30) == 42


@pytest.mark.usefixtures("without_redis")
def test_a_job_naming_no_function_fails_with_a_logged_unknown_job(
    caplog: pytest.LogCaptureFixture,
) -> None:
    handle = jobs.enqueue("tests.test_jobs.removed_in_a_deploy", 1)
    assert handle.future is not None
    with pytest.raises(jobs.UnknownJob, match="removed_in_a_deploy"):
        handle.future.result(timeout=30)
    assert "job tests.test_jobs.removed_in_a_deploy names no function" in caplog.text


def test_former_names_may_not_loop() -> None:
    with pytest.raises(ValueError):
        jobs.renamed("tests.test_jobs.add", "tests.test_jobs.add")


# --- Redis and an RQ worker ---------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_with_redis_jobs_go_to_the_queue_and_a_worker_runs_them(redis: Redis) -> None:
    handle = jobs.enqueue("tests.test_jobs.add", 2, b=40)
    assert handle.queued
    assert handle.id is not None
    queue = Queue(jobs.QUEUE_NAME, connection=redis)
    assert queue.job_ids == [handle.id]
    assert Job.fetch(handle.id, connection=redis).get_status() == JobStatus.QUEUED

    jobs.run_worker(burst=True)

    job = Job.fetch(handle.id, connection=redis)
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value() == 42
    assert queue.count == 0


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_with_redis_a_failing_job_is_recorded_as_failed(redis: Redis) -> None:
    handle = jobs.enqueue("tests.test_jobs.fail", "broken on purpose")
    jobs.run_worker(burst=True)
    job = Job.fetch(handle.id, connection=redis)
    assert job.get_status() == JobStatus.FAILED
    assert "broken on purpose" in (job.latest_result().exc_string or "")


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_worker_command_in_burst_mode(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    import upland.cli

    monkeypatch.setattr(upland.cli, "tidy_jobs", lambda: (0, 0))  # no database: the queue only
    handle = jobs.enqueue("tests.test_jobs.add", 20, b=22)
    result = CliRunner().invoke(cli_app, ["worker", "--burst"])
    assert result.exit_code == 0, result.output
    assert Job.fetch(handle.id, connection=redis).return_value() == 42


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_with_redis_a_failing_job_is_retried_after_its_backoff(redis: Redis) -> None:
    handle = jobs.enqueue("tests.test_jobs.fail", "down for now", retry_after=(60, 600))
    job = Job.fetch(handle.id, connection=redis)
    assert (job.retries_left, job.retry_intervals) == (2, [60, 600])

    jobs.run_worker(burst=True)

    job = Job.fetch(handle.id, connection=redis)
    assert job.get_status() == JobStatus.SCHEDULED  # tried again in a minute, not lost
    assert job.retries_left == 1


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_with_redis_a_job_queued_under_a_former_name_runs(redis: Redis, renamed_add: str) -> None:
    handle = jobs.enqueue(renamed_add, 20, b=22)
    jobs.run_worker(burst=True)
    assert Job.fetch(handle.id, connection=redis).return_value() == 42


@pytest.mark.redis
@pytest.mark.usefixtures("keep_signal_handlers")
def test_with_redis_a_job_naming_no_function_is_kept_as_failed(redis: Redis) -> None:
    handle = jobs.enqueue("tests.test_jobs.removed_in_a_deploy", 1)
    jobs.run_worker(burst=True)
    job = Job.fetch(handle.id, connection=redis)
    assert job.get_status() == JobStatus.FAILED  # in RQ's failed registry, to be requeued
    assert "UnknownJob" in (job.latest_result().exc_string or "")
    assert handle.id in Queue(jobs.QUEUE_NAME, connection=redis).failed_job_registry
