"""Ending a lost phone's session from the account page, in a real browser at phone width."""

from __future__ import annotations

import pytest
from tests import factories
from tests.test_browser import _chromium, server  # noqa: F401 - the running server fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_a_user_ends_the_session_of_a_lost_phone(server: tuple[str, int]) -> None:  # noqa: F811
    from playwright.sync_api import expect, sync_playwright

    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        pages = []
        for _ in range(2):  # the laptop, then the phone that gets lost
            page = browser.new_context(locale="pl-PL", viewport=PHONE).new_page()
            page.goto(f"{base}/login?next=/account&lang=pl")
            page.get_by_label("E-mail").fill("admin@firma.example")
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
        browser.close()
