"""A tracked job: queued after commit, run in a transaction of its own, its outcome recorded;
the organisations import as such a job, through the upload page and through the API."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.jobrunner import run_jobs_within

from upland import settings
from upland.errors import Invalid
from upland.jobs import tracked
from upland.jobs.models import DONE, FAILED, Job
from upland.organisations.models import Organisation
from upland.reference.models import CapabilityTerm

GOOD = "kind,legal_name,nip,teryt,pkd\ncompany,Nowa Firma sp. z o.o.,5260250995,Lublin,29.32.Z\n"
MIXED = GOOD + "company,Zła Firma,5260250996,Lubln,29.99.Q\n"

# --- tasks for the tests; importable as tests.jobs.test_tracked_jobs.<name> -------------------


def count_terms(session: Session, job: tracked.Context, *, times: int) -> dict[str, Any]:
    for done in range(1, times + 1):
        job.report(done, times)
    return {"terms": session.scalar(select(func.count(CapabilityTerm.id))), "user": job.user_id}


def refuse(session: Session, job: tracked.Context) -> dict[str, Any]:
    factories.organisation(session, legal_name="Nie powinna zostać sp. z o.o.")
    raise Invalid.one("file", "the file is not what it should be")


def crash(session: Session, job: tracked.Context) -> dict[str, Any]:
    raise RuntimeError("boom")


TASKS = "tests.jobs.test_tracked_jobs."


@pytest.fixture
def inline(monkeypatch: pytest.MonkeyPatch, connection: Connection) -> None:
    monkeypatch.delenv("UPLAND_REDIS_URL", raising=False)
    settings.get_settings.cache_clear()
    run_jobs_within(monkeypatch, connection)


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("UPLAND_UPLOAD_DIR", str(tmp_path / "uploads"))
    settings.get_settings.cache_clear()
    yield tmp_path / "uploads"
    monkeypatch.undo()
    settings.get_settings.cache_clear()


def _start(session: Session, task: str, **params: Any) -> Job:
    user = factories.user(session, role="coordinator")
    actor = factories.actor_of(session, user)
    job = tracked.start(session, actor, "Test", TASKS + task, **params)
    assert job.state == "queued"
    session.commit()  # the job is queued once this commits
    session.expire_all()
    return job


def test_a_job_runs_after_commit_and_records_its_outcome(session: Session, inline: None) -> None:
    job = _start(session, "count_terms", times=3)

    assert job.state == DONE
    assert job.result is not None and job.result["terms"] > 0
    assert job.result["user"] == job.started_by_id
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.started_at is not None and job.finished_at is not None


def test_a_rolled_back_job_is_never_queued(session: Session, inline: None) -> None:
    user = factories.user(session, role="coordinator")
    with session.begin_nested():
        job = tracked.start(session, factories.actor_of(session, user), "Test", TASKS + "crash")
        job_id = job.id
        session.rollback()
    assert session.get(Job, job_id) is None


def test_a_refused_task_fails_and_leaves_nothing_behind(session: Session, inline: None) -> None:
    job = _start(session, "refuse")

    assert job.state == FAILED
    assert "the file is not what it should be" in (job.error or "")
    kept = session.scalar(
        select(func.count()).where(Organisation.legal_name == "Nie powinna zostać sp. z o.o.")
    )
    assert kept == 0


def test_an_unexpected_error_fails_the_job_without_its_details(
    session: Session, inline: None
) -> None:
    job = _start(session, "crash")

    assert job.state == FAILED
    assert job.error == "internal error; the log has the details"


def test_a_task_that_names_no_function_fails_the_job_and_is_logged(
    session: Session, inline: None, caplog: pytest.LogCaptureFixture
) -> None:
    job = _start(session, "renamed_in_a_deploy")

    assert job.state == FAILED
    assert job.finished_at is not None
    assert "test_tracked_jobs.renamed_in_a_deploy names no function" in caplog.text


def _organisations(session: Session) -> int:
    return session.scalar(select(func.count(Organisation.id))) or 0


def test_the_api_import_runs_as_a_job(session: Session, client: Any, upload_dir) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    before = _organisations(session)

    queued = client.post(
        "/api/v1/organisations/import",
        files={"file": ("firms.csv", GOOD.encode(), "text/csv")},
        headers={"authorization": f"Bearer {caller.bearer}"},
    )

    assert queued.status_code == 202, queued.text
    job = client.get(
        f"/api/v1/jobs/{queued.json()['id']}", headers={"authorization": f"Bearer {caller.bearer}"}
    ).json()
    assert job["kind"] == "Import organisations"
    assert job["state"] == "done"
    assert (job["result"]["written"], job["result"]["created"], job["done"]) == (True, 1, 1)
    assert _organisations(session) == before + 1
    assert list(upload_dir.iterdir()) == []  # the upload goes with the job


def test_all_or_nothing_holds_inside_the_job(session: Session, client: Any, upload_dir) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    before = _organisations(session)

    queued = client.post(
        "/api/v1/organisations/import",
        files={"file": ("firms.csv", MIXED.encode(), "text/csv")},
        data={"mode": "all_or_nothing"},
        headers={"authorization": f"Bearer {caller.bearer}"},
    )

    assert queued.status_code == 202
    result = queued.json()["result"]
    assert result["written"] is False
    assert result["error_count"] >= 2
    assert {e["column"] for e in result["errors"]} >= {"nip", "teryt"}
    assert _organisations(session) == before
    assert list(upload_dir.iterdir()) == []


def test_only_importers_may_queue_an_import(session: Session, client: Any, upload_dir) -> None:
    editor = factories.user(session, role="editor", org=factories.organisation(session))
    caller = caller_for(session, client, editor)

    refused = client.post(
        "/api/v1/organisations/import",
        files={"file": ("firms.csv", GOOD.encode(), "text/csv")},
        headers={"authorization": f"Bearer {caller.bearer}"},
    )

    assert refused.status_code == 403
    assert session.scalar(select(func.count(Job.id))) == 0
    assert not upload_dir.exists() or list(upload_dir.iterdir()) == []


def test_the_upload_page_follows_the_import_on_the_job_page(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    checked = client.post(
        "/organisations/import",
        data={"csrf_token": caller.csrf},
        files={"file": ("firms.csv", GOOD.encode(), "text/csv")},
    )
    upload = re.search(r'action="/organisations/import/([0-9a-f]+)"', checked.text).group(1)

    committed = client.post(
        f"/organisations/import/{upload}",
        data={"csrf_token": caller.csrf, "mode": "all_or_nothing"},
        follow_redirects=False,
    )

    assert committed.status_code == 303
    assert re.fullmatch(r"/jobs/\d+", committed.headers["location"])
    page = client.get(committed.headers["location"] + "?lang=pl")
    assert "Zakończono" in page.text
    assert "utworzono: 1" in page.text


def test_a_file_name_with_control_characters_is_stored_printable(
    session: Session, client: Any, upload_dir
) -> None:
    """PostgreSQL cannot store NUL, and no page should show raw control characters: the
    upload's name is made printable before anything keeps it."""
    caller = caller_for(session, client, factories.user(session, role="coordinator"))

    queued = client.post(
        "/api/v1/organisations/import",
        files={"file": ("a\x00b\x1b[2J\u202e.xlsx", b"not a workbook", "application/octet-stream")},
        headers={"authorization": f"Bearer {caller.bearer}"},
    )

    assert queued.status_code == 202, queued.text
    job = session.get(Job, queued.json()["id"])
    assert job is not None and job.state == FAILED
    assert job.error is not None and "b?[2J?.xlsx" in job.error  # (the client sends NUL as %00)
    assert not re.search(r"[\x00-\x1f\u202e]", job.error + str(job.params))


def test_a_valid_only_import_of_nothing_valid_says_nothing_was_written(
    session: Session, client: Any, upload_dir
) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    bad = "kind,legal_name,nip,teryt\ncompany,X,123,Lublin\n"

    queued = client.post(
        "/api/v1/organisations/import",
        files={"file": ("firms.csv", bad.encode(), "text/csv")},
        data={"mode": "valid_only"},
        headers={"authorization": f"Bearer {caller.bearer}"},
    )

    summary = queued.json()["result"]["summary"]
    assert summary["en"].startswith("Nothing written: ") and "1 skipped" in summary["en"]
    assert summary["pl"].startswith("Nic nie zapisano: ")
