"""Jobs that nobody ends (their process died) end as failed, errors are shown in the page's
language with a stable code in the API, old reports are deleted, and a user's jobs are part of
their personal-data export and erasure."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.jobrunner import run_jobs_within
from typer.testing import CliRunner

from upland import settings
from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.db import utcnow
from upland.jobs import lifecycle, tracked
from upland.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job


@pytest.fixture
def inline(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    monkeypatch.delenv("UPLAND_REDIS_URL", raising=False)
    settings.get_settings.cache_clear()
    run_jobs_within(monkeypatch, connection)


def _dead_runner() -> str:
    """host:pid of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{lifecycle.this_runner().rpartition(':')[0]}:{child.pid}"


def _job(session: Session, user_id: int | None, state: str, **changes: Any) -> Job:
    job = Job(
        kind="Import organisations",
        task="upland.organisations.import_job.run_import",
        params={"upload": "abc"},
        state=state,
        started_by_id=user_id,
        **changes,
    )
    session.add(job)
    session.flush()
    return job


def test_a_job_whose_process_died_is_failed_when_read(
    session: Session, client: Any, inline: None
) -> None:
    user = factories.user(session, role="coordinator")
    caller = caller_for(session, client, user)
    job = _job(session, user.id, RUNNING, runner=_dead_runner(), started_at=utcnow())

    api = client.get(f"/api/v1/jobs/{job.id}", headers={"authorization": f"Bearer {caller.bearer}"})

    assert api.json()["state"] == "failed"
    assert api.json()["error_code"] == "job.lost"
    assert api.json()["error"] == lifecycle.LOST.english()
    page = client.get(f"/jobs/{job.id}?lang=pl")
    assert lifecycle.LOST.render("pl") in page.text
    assert lifecycle.LOST.render("pl") != lifecycle.LOST.english()


def test_a_job_running_in_a_live_process_is_left_alone(session: Session, inline: None) -> None:
    job = _job(session, None, RUNNING, runner=lifecycle.this_runner(), started_at=utcnow())

    assert lifecycle.reap(session) == 0
    assert job.state == RUNNING


def test_jobs_past_the_stale_limit_fail_at_reaping(session: Session) -> None:
    long_ago = utcnow() - dt.timedelta(minutes=settings.get_settings().job_stale_minutes + 1)
    running = _job(session, None, RUNNING, runner="elsewhere:1", started_at=long_ago)
    queued = _job(session, None, QUEUED, created_at=long_ago)
    fresh = _job(session, None, QUEUED)

    assert lifecycle.reap(session) == 2

    assert (running.state, running.error_code) == (FAILED, "job.timed_out")
    assert (queued.state, queued.error_code) == (FAILED, "job.timed_out")
    assert fresh.state == QUEUED
    assert running.error_said and running.error_said["pl"] != running.error_said["en"]


def test_a_crash_is_recorded_translated_with_a_code(session: Session, inline: None) -> None:
    user = factories.user(session, role="coordinator")
    job = tracked.start(
        session, factories.actor_of(session, user), "Test", "tests.jobs.test_tracked_jobs.crash"
    )
    session.commit()
    session.expire_all()

    assert (job.state, job.error_code) == (FAILED, "internal")
    assert job.error_said == {
        "en": lifecycle.INTERNAL.render("en"),
        "pl": lifecycle.INTERNAL.render("pl"),
    }
    assert job.error_said["pl"] != job.error_said["en"]


def test_old_reports_are_pruned_and_recent_ones_kept(session: Session) -> None:
    days = settings.get_settings().job_retention_days
    old = _job(session, None, DONE, finished_at=utcnow() - dt.timedelta(days=days + 1))
    recent = _job(session, None, DONE, finished_at=utcnow() - dt.timedelta(days=days - 1))
    running = _job(session, None, RUNNING, runner=lifecycle.this_runner(), started_at=utcnow())
    old_id = old.id

    assert lifecycle.prune(session) == (0, 1)

    session.expire_all()
    remaining = set(session.scalars(select(Job.id)))
    assert old_id not in remaining and {recent.id, running.id} <= remaining


def test_a_new_job_prunes_old_reports(session: Session, inline: None) -> None:
    days = settings.get_settings().job_retention_days
    _job(session, None, FAILED, finished_at=utcnow() - dt.timedelta(days=days + 2))
    user = factories.user(session, role="coordinator")

    new = tracked.start(session, factories.actor_of(session, user), "Test", "tests.jobs.x.y")

    session.expire_all()
    assert list(session.scalars(select(Job.kind))) == ["Test"]  # ids may be reused: compare kinds
    assert new.state == QUEUED


def test_a_users_jobs_are_in_their_export_and_go_with_erasure(session: Session) -> None:
    user = factories.user(session, role="coordinator")
    other = factories.user(session, role="coordinator")
    done = _job(session, user.id, DONE, result={"errors": [{"value": "jan@example.pl"}]})
    running = _job(session, user.id, RUNNING, runner=lifecycle.this_runner())
    theirs = _job(session, other.id, DONE)
    actor = factories.actor_of(session, user)

    exported = account_queries.personal_data(session, actor, user.id)["jobs"]

    assert [j["id"] for j in exported] == [done.id, running.id]
    assert exported[0]["result"] == {"errors": [{"value": "jan@example.pl"}]}

    done_id = done.id
    account_service.erase_user(session, actor, user.id)
    session.expire_all()
    assert session.scalar(select(Job.id).where(Job.id == done_id)) is None
    assert (running.started_by_id, running.params, running.result) == (None, {}, None)
    assert session.get(Job, theirs.id) is not None


def test_the_prune_command(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    from upland import cli

    monkeypatch.setattr(cli, "tidy_jobs", lambda: (2, 3))
    result = CliRunner().invoke(cli.app, ["jobs", "prune"])

    assert result.exit_code == 0
    assert "lost jobs marked failed: 2; old job reports deleted: 3" in result.output


def test_the_jobs_part_is_registered_wherever_accounts_export() -> None:
    """The web app and the CLI both load the jobs' personal-data part."""
    code = (
        "import upland.{m}; from upland import personal_data; "
        "assert 'jobs' in personal_data._parts, personal_data._parts"
    )
    for module in ("app", "cli"):
        subprocess.run([sys.executable, "-c", code.format(m=module)], check=True)
