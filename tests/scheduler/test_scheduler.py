"""Periodic jobs: when they tick, and the claim that makes each tick run once however many
processes run a scheduler. The claims commit for real (as two processes' would), on the run's
backend; the claim rows are removed afterwards."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from sqlalchemy import delete
from typer.testing import CliRunner

from upland import jobs
from upland.cli import app as cli_app
from upland.db import get_engine
from upland.scheduler import claims, registry, runner
from upland.scheduler.models import ScheduleClaim
from upland.scheduler.registry import Periodic

TEST_JOB = "testing.every-hour"
WINTER = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)  # Thursday; Warsaw is UTC+1
SUMMER = dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC)  # Warsaw is UTC+2


@pytest.fixture
def real_database(engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The run's migrated test database, written by real transactions as processes would."""
    from tests.databases import reset_settings_and_engine

    monkeypatch.setenv("UPLAND_DATABASE_URL", database_url)
    reset_settings_and_engine()
    yield
    with get_engine().begin() as connection:
        connection.execute(delete(ScheduleClaim))
    monkeypatch.undo()
    reset_settings_and_engine()


@pytest.fixture
def test_job() -> Iterator[Periodic]:
    periodic = registry.register(
        Periodic(TEST_JOB, "tests.scheduler.test_scheduler.noop", every=dt.timedelta(hours=1))
    )
    yield periodic
    registry.unregister(TEST_JOB)


def noop() -> str:
    return "done"


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the ticks handed to the job queue."""
    seen: list[str] = []
    lock = threading.Lock()

    def enqueue(path: str, *args, **kwargs):
        with lock:
            seen.append(path)

    monkeypatch.setattr(jobs, "enqueue", enqueue)
    return seen


def test_the_digests_tick_at_seven_warsaw_time_and_mail_retries_every_ten_minutes():
    daily = registry.get("notifications.daily-digest")
    weekly = registry.get("notifications.weekly-digest")
    retry = registry.get("notifications.retry-mail")
    assert daily and weekly and retry
    assert daily.next_after(WINTER) == dt.datetime(2026, 12, 4, 6, 0, tzinfo=dt.UTC)
    assert daily.next_after(SUMMER) == dt.datetime(2026, 7, 2, 5, 0, tzinfo=dt.UTC)
    assert weekly.next_after(WINTER) == dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)  # Monday
    assert daily.lease(WINTER) == dt.timedelta(hours=12)
    assert weekly.lease(WINTER) == dt.timedelta(days=3, hours=12)
    assert retry.lease(WINTER) == dt.timedelta(minutes=5)


def test_a_periodic_job_has_one_kind_of_schedule_and_a_proper_name():
    with pytest.raises(ValueError):
        registry.register(Periodic("testing.both", "x.y", every=dt.timedelta(1), cron={"hour": 1}))
    with pytest.raises(ValueError):
        registry.register(Periodic("testing.none", "x.y"))
    with pytest.raises(ValueError):
        registry.register(Periodic("Bad Name", "x.y", every=dt.timedelta(1)))
    with pytest.raises(ValueError):  # a mistake in the cron fields fails at registration
        registry.register(Periodic("testing.cron", "x.y", cron={"hour": 25}))
    assert registry.get("testing.both") is None


@pytest.mark.usefixtures("real_database")
def test_a_tick_is_claimed_once_and_the_next_tick_again():
    lease = dt.timedelta(minutes=30)
    now = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)
    assert claims.claim(TEST_JOB, lease, now, by="host-a:1") is True
    assert claims.claim(TEST_JOB, lease, now + dt.timedelta(seconds=2), by="host-b:2") is False
    assert claims.claim(TEST_JOB, lease, now + dt.timedelta(hours=1), by="host-b:2") is True
    last = claims.last_claims()[TEST_JOB]
    assert last.claimed_by == "host-b:2"


@pytest.mark.usefixtures("real_database")
def test_many_processes_claiming_the_same_tick_at_once_one_wins():
    lease = dt.timedelta(minutes=30)
    now = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)
    start = threading.Barrier(6)

    def contender(n: int) -> bool:
        start.wait()
        return claims.claim("testing.race", lease, now, by=f"host:{n}")

    with ThreadPoolExecutor(6) as pool:
        won = list(pool.map(contender, range(6)))
    assert won.count(True) == 1
    with ThreadPoolExecutor(6) as pool:  # the row exists now: the UPDATE path races
        later = now + dt.timedelta(hours=1)
        start.reset()
        won = list(
            pool.map(
                lambda n: (start.wait(), claims.claim("testing.race", lease, later))[1], range(6)
            )
        )
    assert won.count(True) == 1


@pytest.mark.usefixtures("real_database")
def test_two_schedulers_run_a_tick_once(test_job: Periodic, queued: list[str]):
    fired = threading.Semaphore(0)
    schedulers = [runner.build(), runner.build()]
    for scheduler in schedulers:
        scheduler.add_listener(lambda event: fired.release(), EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    try:
        for scheduler in schedulers:
            scheduler.start(paused=True)
            scheduler.modify_job(TEST_JOB, next_run_time=dt.datetime.now(dt.UTC))
        for scheduler in schedulers:
            scheduler.resume()
        assert fired.acquire(timeout=30) and fired.acquire(timeout=30)  # both fired the tick
    finally:
        for scheduler in schedulers:
            scheduler.shutdown(wait=True)
    assert queued == ["tests.scheduler.test_scheduler.noop"]


@pytest.mark.usefixtures("real_database")
def test_schedule_list_and_run(test_job: Periodic, queued: list[str]):
    cli = CliRunner()
    listed = cli.invoke(cli_app, ["schedule", "list"])
    assert listed.exit_code == 0, listed.output
    for name in ("notifications.daily-digest", "notifications.weekly-digest", TEST_JOB):
        assert name in listed.output
    assert "cron hour=7 minute=0 (Europe/Warsaw)" in listed.output
    assert f"{TEST_JOB}\tevery 1:00:00\tnext" in listed.output and "last never" in listed.output

    assert runner.tick(TEST_JOB) is True
    assert runner.tick(TEST_JOB) is False  # the same tick, asked again
    assert "last 20" in cli.invoke(cli_app, ["schedule", "list"]).output

    ran = cli.invoke(cli_app, ["schedule", "run", TEST_JOB])
    assert ran.exit_code == 0 and f"{TEST_JOB}: done" in ran.output
    digest = cli.invoke(cli_app, ["schedule", "run", "notifications.daily-digest"])
    assert digest.exit_code == 0 and "'people': 0" in digest.output
    unknown = cli.invoke(cli_app, ["schedule", "run", "nothing.here"])
    assert unknown.exit_code == 1


def test_serving_processes_run_the_scheduler_only_without_redis(monkeypatch: pytest.MonkeyPatch):
    from upland import app as app_module
    from upland.settings import get_settings

    started: list[bool] = []
    monkeypatch.setattr(runner, "start", lambda: started.append(True))
    monkeypatch.setattr(app_module.analysis, "warm_up", lambda: None)
    app_module.create_served_app()
    assert started == [True]
    monkeypatch.setenv("UPLAND_REDIS_URL", "redis://127.0.0.1:6379/2")
    get_settings.cache_clear()
    try:
        app_module.create_served_app()
    finally:
        monkeypatch.delenv("UPLAND_REDIS_URL")
        get_settings.cache_clear()
    assert started == [True]  # with Redis, `upland worker` runs it
