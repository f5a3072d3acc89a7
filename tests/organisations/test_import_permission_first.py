"""An import upload from someone who may not import is refused (403) before a byte of its body
is read: nothing is parsed, stored as an upload or queued as a job (web/upload_gate)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import body_counting, caller_for

from upland import settings
from upland.jobs.models import Job

# Not multipart at all: any parser would fail on it, and a permitted caller gets a 4xx for it.
UNPARSABLE = b"--nope\r\nthis is not a multipart body" + b"x" * 4096
HEADERS = {"content-type": "multipart/form-data; boundary=b"}


def _jobs(session: Session) -> int:
    return session.scalar(select(func.count(Job.id))) or 0


def _uploads() -> set[str]:
    folder = Path(settings.get_settings().upload_dir)
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@pytest.fixture
def viewer(session: Session) -> Any:
    org = factories.organisation(session)
    return factories.user(session, role="admin", org=org)  # an organisation's admin, not staff


@pytest.mark.parametrize("path", ["/api/v1/organisations/import", "/organisations/import"])
def test_a_member_who_may_not_import_is_refused_before_the_body_is_read(
    session: Session, app: Any, client: TestClient, viewer: Any, path: str
) -> None:
    caller = caller_for(session, client, viewer)
    wrapped, pulled = body_counting(app)
    jobs, stored = _jobs(session), _uploads()
    headers = dict(HEADERS)
    if path.startswith("/api/"):
        headers["authorization"] = f"Bearer {caller.bearer}"
    else:
        headers["x-csrf-token"] = caller.csrf

    with TestClient(wrapped, base_url="https://testserver", cookies=client.cookies) as pulling:
        refused = pulling.post(path, content=UNPARSABLE, headers=headers)

    assert refused.status_code == 403, refused.text[:300]
    assert sum(pulled) == 0
    assert _jobs(session) == jobs
    assert _uploads() == stored


def test_an_anonymous_upload_is_refused_before_the_body_is_read(session: Session, app: Any) -> None:
    wrapped, pulled = body_counting(app)
    jobs = _jobs(session)

    with TestClient(wrapped, base_url="https://testserver") as pulling:
        refused = pulling.post(
            "/api/v1/organisations/import",
            files={"file": ("firms.csv", b"kind,legal_name\ncompany,Firma\n", "text/csv")},
        )

    assert refused.status_code == 403
    assert refused.json()["code"] == "permission_denied"
    assert sum(pulled) == 0
    assert _jobs(session) == jobs


def test_an_unknown_token_is_refused_as_the_api_refuses_it(app: Any) -> None:
    with TestClient(app, base_url="https://testserver") as client:
        refused = client.post(
            "/api/v1/organisations/import",
            files={"file": ("firms.csv", b"kind,legal_name\n", "text/csv")},
            headers={"authorization": "Bearer upl_made_up"},
        )

    assert refused.status_code == 403
    assert refused.json()["code"] == "token.unknown"


def test_the_coordinator_still_gets_the_parser_s_answer(
    session: Session, client: TestClient
) -> None:
    caller = caller_for(session, client, factories.user(session, role="coordinator"))

    answered = client.post(
        "/api/v1/organisations/import",
        content=UNPARSABLE,
        headers={**HEADERS, "authorization": f"Bearer {caller.bearer}"},
    )

    assert answered.status_code in (400, 422), answered.text[:300]
