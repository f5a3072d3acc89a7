"""The front door in a real browser (Playwright on Debian's Chromium): the public home page
and an organisation admin's starting page, at 1280 and 390 px, in Polish and English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import live_server, migrated_database
from tests.test_browser_csp import WATCH

from upland.db import make_engine

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
WORDS = {
    "en": {"title": "Lublin Automotive and Machinery Upland", "few": "not shown",
           "table": "The numbers as a table", "search": "Search the registry",
           "start": "Your start page", "website": "Website", "password": "Password",
           "login": "Log in"},
    "pl": {"title": "Wyżyna Motoryzacyjna i Maszynowa", "few": "nie pokazano",
           "table": "Liczby w tabeli", "search": "Przeszukaj rejestr",
           "start": "Twoja strona startowa", "website": "Strona internetowa", "password": "Hasło",
           "login": "Zaloguj"},
}  # fmt: skip


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """`upland serve` on a database of its own, for the home page's figures count every
    organisation: 6 members in Lublin, 2 in Radom, an admin of one; the base URL and the
    admin's organisation."""
    url = migrated_database(tmp_path)
    engine = make_engine(url)
    with Session(engine) as session, session.begin():
        for i in range(6):
            factories.organisation(session, short_name=f"Lubelska {i}", member_since="2024-01-01")
        radom = [{"teryt": "1463011", "is_headquarters": True}]
        for i in range(2):
            factories.organisation(session, short_name=f"Radomska {i}", sites=radom)
        org = factories.organisation(session, short_name="Spawalnia Startowa", website=None)
        factories.user(session, email="admin@start.example", role="admin", org=org)
        org_id = org.id
    engine.dispose()
    with live_server(tmp_path, url) as base:
        yield base, org_id


def _fits(page) -> None:
    """Nothing of the page's content reaches beyond the viewport (the header is the layout's
    own business, tested with it)."""
    right = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main *')]"
        ".map(e => e.getBoundingClientRect().right))"
    )
    assert right <= page.viewport_size["width"], right


def test_front_door_and_start_page(
    server: tuple[str, int], new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base, org_id = server
    problems: list[str] = []
    for lang, words in WORDS.items():
        for width in WIDTHS:
            context = new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            page.add_init_script(WATCH)
            page.on("console", lambda m: problems.append(m.text) if "CSP" in m.text else None)
            page.goto(f"{base}/?lang={lang}")
            expect(page.get_by_role("heading", level=1)).to_have_text(words["title"])
            chart = page.locator("#chart-cities")
            expect(chart.get_by_role("img")).to_be_visible()
            chart.get_by_text(words["table"]).click()
            radom = chart.get_by_role("row").filter(has_text="Radom")
            expect(radom).to_contain_text(words["few"])  # 2 members: suppressed
            _fits(page)

            page.get_by_label(words["search"]).fill("Lubelska 3")
            page.get_by_label(words["search"]).press("Enter")
            expect(page).to_have_url(f"{base}/organisations?q=Lubelska+3")
            expect(page.get_by_role("link", name="Lubelska 3")).to_be_visible()

            page.goto(f"{base}/login?lang={lang}")
            page.get_by_label("E-mail").fill("admin@start.example")
            page.get_by_label(words["password"]).fill(factories.PASSWORD)
            page.locator("main").get_by_role("button", name=words["login"]).click()
            expect(page).to_have_url(f"{base}/start")
            expect(page.get_by_role("heading", level=1)).to_have_text(words["start"])
            expect(page.locator("progress")).to_be_visible()
            _fits(page)
            page.locator(".missing").get_by_role("link", name=words["website"]).click()
            expect(page).to_have_url(f"{base}/organisations/{org_id}/edit#f-website")
            context.close()
    assert problems == []  # the charts and the mark need no inline script or style
