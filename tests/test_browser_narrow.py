"""Phones and the list page in a real browser: at 390 px the log-in button shows and the
results come before the folded filters end; the language switch keeps the filters chosen.
(That every page fits 390 px is the sweep's: `tests/test_browser_sweep.py`.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests.browsing import Firm
from tests.page_sweep import set_language

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize(("language", "log_in"), [("pl", "Zaloguj"), ("en", "Log in")])
def test_a_phone_sees_the_log_in_button_and_the_results_first(
    firm: Firm,  # so that the list has a result
    new_context: Callable[..., BrowserContext],
    language: str,
    log_in: str,
) -> None:
    from playwright.sync_api import expect

    context = new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    set_language(context, firm.base, language)
    page = context.new_page()
    page.goto(f"{firm.base}/organisations")
    button = page.locator("header").get_by_role("button", name=log_in)
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    folded = page.locator("details.more-filters")
    expect(folded).not_to_have_attribute("open", "")
    results = page.locator("#results")
    top = results.bounding_box()
    assert top is not None and top["y"] < PHONE["height"], f"results start at {top}"
    expect(page.locator("#results a[href^='/organisations/']").first).to_be_visible()

    # The folded filters open and work on the phone.
    folded.locator("summary").click()
    expect(page.locator("#f-kind")).to_be_visible()


def test_the_language_switch_keeps_filters_chosen_on_the_page(
    firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    """Filters applied by htmx change the address without reloading the header: the switch
    follows the address (upland.js) and comes back with the same filters, in English."""
    from playwright.sync_api import expect

    context = new_context(viewport={"width": 1280, "height": 900})
    set_language(context, firm.base, "pl")
    page = context.new_page()
    page.goto(f"{firm.base}/organisations")
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")  # wide
    page.get_by_label("Szukany tekst").fill("Matrix")
    page.locator("#f-kind").select_option("company")
    # htmx updates the address after the server answers: seconds on a busy machine.
    expect(page).to_have_url(
        re.compile(r"q=Matrix.*kind=company|kind=company.*q=Matrix"), timeout=30_000
    )
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/organisations\?.*q=Matrix"), timeout=30_000)
    expect(page.get_by_label("Free text")).to_have_value("Matrix")
    expect(page.locator("#f-kind")).to_have_value("company")
    expect(page.locator("details.more-filters summary")).to_have_text("More filters (1 active)")
