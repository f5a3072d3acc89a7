"""Phones: every page of the sweep (`tests/page_sweep.py`) at 390 px, in Polish and English,
fits the screen (no sideways scrolling), shows the log-in button, and on the list the results
come before the folded filters end."""

from __future__ import annotations

import re
import time
from collections import defaultdict

import pytest

from tests.page_sweep import (
    LANGUAGES,
    Sweep,
    launch,
    logged_in_context,
    set_language,
    sweep_server,  # noqa: F401 - the fixture
)

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
OVERFLOW = """() => {
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > window.innerWidth + 1;
  }).slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : ""));
  return {width: document.documentElement.scrollWidth, wide: wide};
}"""


def test_every_page_fits_a_phone(sweep_server: Sweep) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    by_key = defaultdict(list)
    for visit in sweep_server.visits:
        by_key[visit.key].append(visit)
    problems: list[str] = []
    started, checked = time.perf_counter(), 0
    with sync_playwright() as p:
        browser = launch(p)
        for key, visits in by_key.items():
            context = logged_in_context(
                browser, sweep_server, key, viewport=PHONE, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            for language in LANGUAGES:
                set_language(context, sweep_server, language)
                for visit in (v for v in visits if language in v.languages):
                    page.goto(sweep_server.base + visit.path)
                    measured = page.evaluate(OVERFLOW)
                    if measured["width"] > PHONE["width"]:
                        problems.append(
                            f"{language} {visit.actor} {visit.path}: {measured['width']} px wide"
                            f" ({', '.join(measured['wide'])})"
                        )
                    checked += 1
            context.close()
        browser.close()
    print(f"\n390 px: {checked} pages in {time.perf_counter() - started:.1f} s")
    assert checked >= 2 * len({v.route for v in sweep_server.visits})
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("language", "log_in"), [("pl", "Zaloguj"), ("en", "Log in")])
def test_a_phone_sees_the_log_in_button_and_the_results_first(
    sweep_server: Sweep,  # noqa: F811
    language: str,
    log_in: str,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        set_language(context, sweep_server, language)
        page = context.new_page()
        page.goto(f"{sweep_server.base}/organisations")
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
        browser.close()


def test_the_language_switch_keeps_filters_chosen_on_the_page(sweep_server: Sweep) -> None:  # noqa: F811
    """Filters applied by htmx change the address without reloading the header: the switch
    follows the address (upland.js) and comes back with the same filters, in English."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        set_language(context, sweep_server, "pl")
        page = context.new_page()
        page.goto(f"{sweep_server.base}/organisations")
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
        browser.close()
