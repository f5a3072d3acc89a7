"""Ending a lost phone's session from the account page, in a real browser at phone width."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from tests import factories
from tests.browsing import Firm

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_user_ends_the_session_of_a_lost_phone(
    firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base = firm.base
    pages = []
    for _ in range(2):  # the laptop, then the phone that gets lost
        page = new_context(locale="pl-PL", viewport=PHONE).new_page()
        page.goto(f"{base}/login?next=/account&lang=pl")
        page.get_by_label("E-mail").fill(firm.admin)
        page.get_by_label("Hasło").fill(factories.PASSWORD)
        page.locator("main").get_by_role("button", name="Zaloguj").click()
        expect(page.get_by_role("heading", name="Sesje")).to_be_visible()
        pages.append(page)
    laptop, phone = pages

    laptop.reload()
    sessions = laptop.locator("ul.sessions > li")
    expect(sessions).to_have_count(2)
    for box in (sessions.first, laptop.locator("section", has=sessions.first)):
        bounds = box.bounding_box()
        assert bounds and bounds["x"] + bounds["width"] <= PHONE["width"]
    laptop.get_by_role("button", name="Zakończ wszystkie pozostałe sesje").click()

    expect(sessions).to_have_count(1)
    expect(sessions.first).to_contain_text("to urządzenie")
    phone.reload()
    expect(phone).to_have_url(f"{base}/login?next=/account")
