"""The marketplace's main journey in a real browser (issue 9): a firm publishes a supplier
search, another firm's admin expresses interest on a phone, the owner is e-mailed and accepts,
the interested firm is e-mailed, both see each other's contacts on the introduction, and the
outcome one records shows on the other's side. Playwright drives
Debian's Chromium, headless (`tests/browsing.py`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm, Site, log_in_page
from tests.mailbox import links_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_publish_interest_accept_contacts_outcome(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base = firm.base
    with site.writing() as session:
        foundry = factories.organisation(session, short_name=f"Odlewnia {firm.tag}")
        buyer = f"buyer-{firm.tag}@odlewnia.example"
        factories.user(session, email=buyer, role="admin", org=foundry)
        foundry_contact = foundry.people[0].email
    with site.writing() as session:
        from upland.organisations.models import Organisation

        owner_contact = session.get(Organisation, firm.org_id).people[0].email

    # The owner publishes a supplier search, in Polish, at desktop width.
    owner = new_context(locale="pl-PL").new_page()
    log_in_page(owner, base, firm.admin, "/market/new", "pl")
    title = f"Szukamy dostawcy odlewów żeliwnych {firm.tag}"
    owner.locator("#f-kind").select_option("business_request")
    owner.locator("#f-title_pl").fill(title)
    owner.locator("#f-description_pl").fill(
        "Potrzebujemy 2 000 odlewów korpusów przekładni rocznie, żeliwo sferoidalne EN-GJS-500."
    )
    expiry = dt.date.today() + dt.timedelta(days=60)
    owner.locator("#f-expires_on").fill(expiry.isoformat())
    owner.locator("#f-visibility").select_option("members")
    owner.locator("main form button[type=submit]").first.click()
    expect(owner.get_by_role("heading", level=1)).to_contain_text(title)
    owner.get_by_role("button", name="Opublikuj").click()
    opportunity_url = owner.url.split("?")[0]
    opportunity_id = int(opportunity_url.rstrip("/").rsplit("/", 1)[1])

    # Another firm's admin finds it and expresses interest, in English, on a phone.
    phone = new_context(locale="en-GB", viewport={"width": 390, "height": 844}).new_page()
    log_in_page(phone, base, buyer, "/market", "en")
    phone.goto(f"{base}/market/{opportunity_id}/interests?lang=en")
    phone.get_by_label("Message to the owner").fill(
        "We cast EN-GJS-500 housings; 2 000 a year fits our line."
    )
    phone.locator("#express").get_by_role("button", name="Express interest").click()
    expect(phone.locator("#my-answer")).to_contain_text("waiting for the owner")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    expect(phone.get_by_text(owner_contact)).to_have_count(0)

    # The owner is told by e-mail, with a link to the answers and a way to unsubscribe.
    told = site.mail_to(firm.admin)
    assert title in told["Subject"] and told["List-Unsubscribe"]
    assert any(f"/market/{opportunity_id}/interests" in link for link in links_in(told))

    # The owner accepts the interest.
    owner.goto(f"{base}/market/{opportunity_id}/interests?lang=pl")
    expect(owner.get_by_text("We cast EN-GJS-500 housings")).to_be_visible()
    owner.get_by_role("button", name="Przyjmij").click()
    expect(owner.get_by_role("status")).to_be_visible()
    accepted = site.mail_to(buyer)
    assert title in accepted["Subject"] and accepted["List-Unsubscribe"]

    # Both now see each other's consented contacts on the introduction.
    owner.goto(f"{base}/market/introductions?lang=pl")
    expect(owner.get_by_text(title)).to_be_visible()
    expect(owner.get_by_role("link", name=foundry_contact)).to_be_visible()
    phone.goto(f"{base}/market/introductions?lang=en")
    expect(phone.get_by_role("link", name=owner_contact)).to_be_visible()

    # The interested firm records a meeting; the owner sees it in the introduction's history.
    introduction = phone.locator("article[id^=introduction-]").filter(has_text=title)
    introduction.get_by_text("Report an outcome").click()
    introduction.locator("select[name=kind]").select_option("meeting_held")
    introduction.locator("input[name=occurred_on]").fill(dt.date.today().isoformat())
    introduction.get_by_role("button", name="Record the outcome").click()
    expect(phone.get_by_role("status")).to_be_visible()
    owner.reload()
    owner_view = owner.locator("article[id^=introduction-]").filter(has_text=title)
    expect(owner_view.get_by_text("Odlewnia", exact=False).first).to_be_visible()
    expect(owner_view.locator("li").filter(has_text=re.compile("spotkanie", re.I))).to_have_count(1)
