"""The outbox page exists only in development mode, and then only for staff: in production it
would hand every e-mailed link to the platform admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for
from tests.mailbox import Mailbox

from upland import settings
from upland.accounts import service
from upland.actor import SYSTEM


@pytest.fixture
def development(monkeypatch: pytest.MonkeyPatch, mailbox: Mailbox, tmp_path: Path):
    """Development mode without SMTP: e-mails go to the outbox folder."""
    monkeypatch.delenv("UPLAND_SMTP_HOST")
    monkeypatch.setenv("UPLAND_MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    monkeypatch.setenv("UPLAND_DEV_MODE", "true")
    settings.get_settings.cache_clear()


def test_the_outbox_page_is_not_there_outside_development(session: Session, client: TestClient):
    caller_for(session, client, factories.user(session, role="platform-admin"))
    response = client.get("/dev/outbox")
    assert response.status_code == 404


def test_in_development_staff_read_the_outbox(
    session: Session, client: TestClient, development: None
):
    org = factories.organisation(session)
    service.add_member(session, SYSTEM, org.id, "nowa@firma.example", "viewer")
    session.commit()
    editor = factories.user(session, role="editor", org=org)

    caller_for(session, client, editor)
    assert client.get("/dev/outbox").status_code == 403
    client.cookies.clear()
    assert client.get("/dev/outbox", follow_redirects=False).status_code == 303  # log in first
    caller_for(session, client, factories.user(session, role="coordinator"))
    page = client.get("/dev/outbox?lang=pl")
    assert page.status_code == 200
    assert "Skrzynka nadawcza" in page.text and "nowa@firma.example" in page.text
    assert "https://upland.test/invitations/" in page.text
