"""Uses of one link or offer that arrive together: exactly one succeeds, the others get a clean
answer (410, 409 or the form again), never a 500 — on SQLite and on PostgreSQL.

These tests need real commits seen by concurrent requests, so they run the app on a scratch
database of the run's backend, one browser per thread, released together by a barrier.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests import factories
from tests.browsing import csrf_of, log_in
from tests.databases import reset_settings_and_engine, scratch_database
from typer.testing import CliRunner

from upland.accounts import passwords, service
from upland.accounts.models import Invitation, Membership, PasswordReset, User
from upland.actor import SYSTEM
from upland.app import create_app
from upland.audit import AuditEntry
from upland.cli import app as cli_app
from upland.db import transaction, utcnow

USES = 4
NEW_PASSWORD = "nowe-haslo-2026"


@pytest.fixture
def live_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The app on its own migrated database, committing for real."""
    with scratch_database("upland_races", tmp_path) as url:
        monkeypatch.setenv("UPLAND_DATABASE_URL", url)
        reset_settings_and_engine()
        result = CliRunner().invoke(cli_app, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        yield create_app()
        reset_settings_and_engine()


def together(prepare: Callable[[TestClient], Any], use: Callable[[TestClient, Any], Any], app: Any):
    """Each of USES browsers prepares (opens the page), then all use at the same moment."""
    barrier = threading.Barrier(USES)

    def one(_: int) -> int:
        client = TestClient(app, base_url="https://testserver")
        prepared = prepare(client)
        barrier.wait(timeout=60)
        return int(use(client, prepared).status_code)

    with ThreadPoolExecutor(USES) as pool:
        return sorted(pool.map(one, range(USES)))


def _count(model: Any, *where: Any) -> int:
    with transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_a_reset_link_used_four_times_at_once_works_once(live_app: Any) -> None:
    token = "r" * 43
    with transaction() as session:
        user = factories.user(session, email="ewa@firma.example")
        session.add(
            PasswordReset(
                user_id=user.id,
                token_hash=passwords.digest(token),
                expires_at=utcnow() + dt.timedelta(hours=1),
            )
        )
    link = f"/password/reset/{token}"

    statuses = together(
        lambda client: csrf_of(client.get(link)),
        lambda client, csrf: client.post(
            link,
            data={"password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD, "csrf_token": csrf},
        ),
        live_app,
    )

    assert statuses == [200, 410, 410, 410]
    assert _count(AuditEntry, AuditEntry.action == "accounts.user.set_password") == 1


def test_an_invitation_accepted_four_times_at_once_makes_one_account(live_app: Any) -> None:
    with transaction() as session:
        org = factories.organisation(session)
        invited = service.add_member(session, SYSTEM, org.id, "nowy@firma.example", "editor")
    link = f"/invitations/{invited.token}"
    form = {"full_name": "Nowy", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}

    statuses = together(
        lambda client: csrf_of(client.get(link)),
        lambda client, csrf: client.post(
            link, data={**form, "csrf_token": csrf}, follow_redirects=False
        ),
        live_app,
    )

    assert statuses[0] == 303
    assert all(status in {409, 410, 422} for status in statuses[1:]), statuses
    assert _count(User, User.email == "nowy@firma.example") == 1


def test_an_offer_accepted_four_times_at_once_grants_one_role(live_app: Any) -> None:
    with transaction() as session:
        org = factories.organisation(session)
        existing = factories.user(session, email="jan@firma.example")
        invited = service.add_member(session, SYSTEM, org.id, existing.email, "editor")
    accept = f"/account/offers/{invited.invitation.id}/accept"

    def prepare(client: TestClient) -> str:
        assert log_in(client, "jan@firma.example").status_code == 303
        return csrf_of(client.get("/account"))

    statuses = together(
        prepare,
        lambda client, csrf: client.post(accept, data={"csrf_token": csrf}, follow_redirects=False),
        live_app,
    )

    assert statuses == [303, 410, 410, 410]
    assert _count(Membership, Membership.user_id == existing.id) == 1


def test_one_address_added_four_times_at_once_never_fails(live_app: Any) -> None:
    with transaction() as session:
        org = factories.organisation(session)
        admin = factories.user(session, role="admin", org=org)
        _, bearer = service.issue_token(session, SYSTEM, admin.id, "races")
    url = f"/api/v1/organisations/{org.id}/members"

    statuses = together(
        lambda client: {"Authorization": f"Bearer {bearer}"},
        lambda client, headers: client.post(
            url, json={"email": "nowy@firma.example", "role": "viewer"}, headers=headers
        ),
        live_app,
    )

    assert all(status in {202, 409} for status in statuses), statuses
    assert _count(Invitation, Invitation.email == "nowy@firma.example") >= 1
