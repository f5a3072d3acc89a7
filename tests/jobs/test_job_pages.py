"""A job's state on its page (both languages, polled by HTMX while it runs) and in the API, and
who may see it: whoever started it, coordinators and platform admins; nobody else."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.accounts.models import User
from upland.jobs.models import DONE, QUEUED, Job

HERE = "0663011"


def _job(session: Session, starter: User | None, state: str = DONE, **changes: Any) -> Job:
    fields: dict[str, Any] = {
        "kind": "Import organisations",
        "task": "upland.organisations.import_job.run_import",
        "params": {},
        "state": state,
        "started_by_id": starter.id if starter else None,
        "result": {"summary": "1 rows: 1 created", "written": True, "created": 1},
    }
    job = Job(**(fields | changes))
    session.add(job)
    session.flush()
    return job


def _actor(session: Session, kind: str, starter: User) -> User | None:
    org = factories.organisation(session)
    grants: dict[str, dict[str, Any]] = {
        "other_user": {"role": "editor", "org": org},
        "officer": {"role": "officer", "teryt": HERE},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    if kind == "anonymous":
        return None
    if kind == "starter":
        return starter
    return factories.user(session, **grants[kind])


# actor kind: (status of the page, status of the API)
MATRIX = {
    "anonymous": (303, 403),  # the page sends to the log-in form
    "starter": (200, 200),
    "other_user": (404, 404),  # another user's job is not found: its id reveals nothing
    "officer": (404, 404),
    "coordinator": (200, 200),
    "platform_admin": (200, 200),
}


@pytest.mark.parametrize("kind", MATRIX)
def test_who_sees_a_job(kind: str, session: Session, client: Any) -> None:
    starter = factories.user(session, role="editor", org=factories.organisation(session))
    job = _job(session, starter)
    caller = caller_for(session, client, _actor(session, kind, starter))

    page = caller.send("GET", f"/jobs/{job.id}")
    api = caller.send("GET", f"/api/v1/jobs/{job.id}")

    assert (page.status_code, api.status_code) == MATRIX[kind]
    if page.status_code == 303:
        assert page.headers["location"] == f"/login?next=/jobs/{job.id}"
    if api.status_code == 200:
        body = api.json()
        assert (body["id"], body["state"], body["started_by"]) == (job.id, "done", starter.id)
        assert body["result"]["created"] == 1


def test_a_missing_job_is_not_found(session: Session, client: Any) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))
    assert caller.send("GET", "/api/v1/jobs/999999").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [("pl", ["Zakończono", "utworzono: 1"]), ("en", ["Finished", "created: 1"])],
)
def test_the_page_speaks_the_reader_s_language(
    lang: str, words: list[str], session: Session, client: Any
) -> None:
    coordinator = factories.user(session, role="coordinator")
    job = _job(session, coordinator)
    caller = caller_for(session, client, coordinator)

    page = caller.send("GET", f"/jobs/{job.id}?lang={lang}")

    assert page.status_code == 200
    for word in words:
        assert word in page.text


def test_a_waiting_job_is_polled_and_a_finished_one_is_not(session: Session, client: Any) -> None:
    coordinator = factories.user(session, role="coordinator")
    waiting = _job(session, coordinator, state=QUEUED, result=None)
    finished = _job(session, coordinator)
    caller = caller_for(session, client, coordinator)

    fragment = client.get(f"/jobs/{waiting.id}?lang=en", headers={"hx-request": "true"})
    done = client.get(f"/jobs/{finished.id}?lang=en", headers={"hx-request": "true"})

    assert caller.bearer  # logged in through the browser too
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'hx-get="/jobs/{waiting.id}"' in fragment.text
    assert 'hx-trigger="every 1s"' in fragment.text
    assert "Waiting in the queue" in fragment.text
    assert "hx-get" not in done.text
