"""A brokerage day's journey in a real browser (issue 11): a firm's admin registers on a phone,
finds another participant and asks for a meeting; the other accepts; the organiser schedules
(a job); the admin's agenda shows the meeting and its `.ics` download holds it. Playwright
drives Debian's Chromium, headless (`tests/browsing.py`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm, Site, log_in_page
from tests.events.world import event, registered
from upland.accounts import queries as accounts

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_register_request_accept_schedule_agenda_ics(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base = firm.base
    with site.writing() as session:
        agency = factories.organisation(session, kind="business_support")
        boss = f"boss-{firm.tag}@agencja.example"
        factories.user(session, email=boss, role="editor", org=agency)
        day = event(session, organiser_id=agency.id, title_en=f"Brokerage day {firm.tag}")
        investor = factories.organisation(session, short_name=f"Fundusz {firm.tag}")
        _, other = registered(session, day.id, investor, offer="Kapitał na automatyzację")
        other_email = accounts.get_user(session, other.user_id).email
        event_id = day.id

    # The firm's admin registers on a phone, in English.
    phone = new_context(locale="en-GB", viewport={"width": 390, "height": 844}).new_page()
    log_in_page(phone, base, firm.admin, f"/events/{event_id}", "en")
    phone.goto(f"{base}/events/{event_id}?lang=en")
    phone.locator("#r-seek").fill("Investors in automation")
    phone.locator("#register-form").get_by_role("button", name="Register").click()
    expect(phone.locator("#my-registration")).to_contain_text("confirmed")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # … finds the fund among the participants and asks for a meeting.
    phone.locator("#participants-link").click()
    card = phone.locator("article", has_text=f"Fundusz {firm.tag}")
    card.get_by_text("Ask for a meeting").click()
    card.get_by_label("Message").fill("Let us talk about our welding line.")
    card.get_by_role("button", name="Send the request").click()
    expect(phone.locator("#done")).to_contain_text("sent")

    # The fund accepts, at desktop width, in Polish.
    desk = new_context(locale="pl-PL").new_page()
    log_in_page(desk, base, other_email, f"/events/{event_id}/requests", "pl")
    desk.get_by_role("button", name="Przyjmij").click()
    expect(desk.locator("#done")).to_contain_text("przyjęta")

    # The organiser schedules; the job runs in the server.
    organiser = new_context(locale="en-GB").new_page()
    log_in_page(organiser, base, boss, f"/events/{event_id}/schedule", "en")
    organiser.locator("#schedule").click()
    expect(organiser).to_have_url(re.compile(r"/jobs/\d+"))
    for _ in range(50):
        organiser.goto(f"{base}/events/{event_id}/schedule?lang=en")
        if organiser.locator("[id^=meeting-]").count():
            break
        organiser.wait_for_timeout(200)
    expect(organiser.locator("[id^=meeting-]")).to_have_count(1)

    # The admin's agenda shows the meeting and its calendar file holds it.
    phone.goto(f"{base}/events/{event_id}/agenda?lang=en")
    expect(phone.locator("article.agenda-meeting")).to_contain_text(f"Fundusz {firm.tag}")
    with phone.expect_download() as download:
        phone.locator("#ics").click()
    body = download.value.path().read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in body and f"upland-event-{event_id}-request-" in body
