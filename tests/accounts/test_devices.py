"""The account page names each session by its browser and system, read from the User-Agent;
a client ua-parser does not know is named by itself, never "unknown" (issue 8)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import log_in

from upland.accounts.devices import describe

ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [
        (ANDROID, "Chrome Mobile · Android"),
        (WINDOWS, "Firefox · Windows"),
        ("python-httpx/0.27.0", "python-httpx"),
        ("  NewBrowser/1.0 (compatible)", "NewBrowser"),
        ("", ""),
        (None, ""),
        ("/// ***", ""),
    ],
)
def test_a_session_is_named_by_its_browser_and_system(user_agent: str | None, shown: str) -> None:
    assert describe(user_agent) == shown


@pytest.mark.parametrize(
    ("user_agent", "shown"),
    [(ANDROID, "Chrome Mobile · Android"), ("", "Browser not recognised")],
)
def test_the_account_page_shows_browser_and_system_or_a_readable_fallback(
    session: Session, client: TestClient, user_agent: str, shown: str
) -> None:
    account = factories.user(session)
    client.headers["user-agent"] = user_agent
    assert log_in(client, account.email).status_code == 303
    page = client.get("/account?lang=en").text
    assert f"<strong>{shown}</strong>" in page
    assert "Unknown device" not in page


def test_a_user_agent_ua_parser_gives_up_on_does_not_stop_the_log_in(
    session: Session, client: TestClient
) -> None:
    """Attack finding: ua-parser raised ValueError on "(Linux; Android 10;  )" and the log-in
    answered 500; the session is named by the first product instead."""
    odd = "Mozilla/5.0 (Linux; Android 10;  )"
    assert describe(odd) == "Mozilla"
    account = factories.user(session)
    client.headers["user-agent"] = odd
    assert log_in(client, account.email).status_code == 303
    assert "<strong>Mozilla</strong>" in client.get("/account?lang=en").text
