"""Forms that forgive, in a real browser on a phone-sized screen (issue 8 §4, B): a refused
"Add" comes back at the form with the error beside the field, switching the language there
works, a removal asks first and can be undone, and a capability is found by its name."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_profile_forms_forgive_on_a_phone(
    firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    page = new_context(locale="pl-PL", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{base}/login?next=/organisations/{org_id}&lang=pl")
    page.get_by_label("E-mail").fill(firm.admin)
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Zaloguj").click()
    expect(page).to_have_url(f"{base}/organisations/{org_id}")

    # A refused person: back at the form, input kept, the error beside the field, focused.
    people = page.locator("#PersonIn")
    people.locator("summary").click()
    people.locator("#f-full_name").fill("Anna Nowak")
    people.locator("#f-email").fill("zly-adres")
    people.get_by_role("button", name="Dodaj").click()
    expect(page).to_have_url(re.compile(rf"/organisations/{org_id}/people$"))
    email = page.locator("#PersonIn #f-email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    expect(page.locator("#PersonIn #e-email")).to_be_visible()
    expect(page.locator("#PersonIn #f-full_name")).to_have_value("Anna Nowak")

    # Switching the language where the refused form left the browser: the page, not a 405.
    page.locator("header").get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="People")).to_be_visible()
    people = page.locator("#PersonIn")
    people.locator("summary").click()
    people.locator("#f-full_name").fill("Anna Nowak")
    people.locator("#f-email").fill("anna@firma.example")
    people.get_by_role("button", name="Add").click()  # the job title stays blank
    expect(page.get_by_role("status")).to_contain_text("Saved")
    row = page.locator("#PersonIn li", has_text="Anna Nowak")
    expect(row).to_be_visible()

    # Remove asks first (a page, no script), then Undo brings the person back.
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("heading", name="Remove this person?")).to_be_visible()
    widths = page.evaluate(
        "[...document.querySelectorAll('main *')].map(e => e.getBoundingClientRect().right)"
    )
    assert max(widths) <= 390, "the confirmation is wider than the phone"
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_role("status")).to_contain_text("The person has been removed.")
    expect(page.locator("#PersonIn li", has_text="Anna Nowak")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Restored.")
    expect(page.locator("#PersonIn li", has_text="Anna Nowak")).to_be_visible()

    # A capability by the name people see: suggestions while typing, then saved as a term.
    capabilities = page.locator("#CapabilityIn")
    capabilities.locator("summary").click()
    capabilities.locator("#c-kind").select_option("certification")
    term = capabilities.locator("#c-term")
    term.press_sequentially("medical dev", delay=30)
    expect(page.locator("#terms option")).to_have_count(1)
    suggested = page.locator("#terms option").first.get_attribute("value")
    assert suggested and suggested.startswith("ISO 13485")
    term.fill(suggested)
    capabilities.get_by_role("button", name="Add").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator("#CapabilityIn table")).to_contain_text("ISO 13485")
