"""On the day the venue's Wi-Fi fails (issue 11): a personal agenda opened once on a phone is
still readable offline, from the copy its service worker kept, and says when it was updated;
logging out drops the copy. Playwright drives Debian's Chromium, headless
(`tests/browsing.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm, Site, log_in_page
from tests.events.world import event, registered
from upland.accounts import queries as accounts
from upland.actor import SYSTEM
from upland.events import service
from upland.events.instance import build_instance
from upland.events.scheduling import solve
from upland.events.schemas import RegistrationIn, RequestIn

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

KEPT = "caches.open('upland-agenda-v1').then((c) => c.keys()).then((k) => k.length)"
# The kept copy is fetched again once the worker runs, so it may be a minute younger than the
# page first shown: read its own "Updated" line out of the cache.
KEPT_UPDATED = """caches.match(location.href).then((r) => r.text()).then((html) =>
  new DOMParser().parseFromString(html, 'text/html').getElementById('agenda-updated').innerText)"""


def test_the_agenda_stays_readable_offline(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    with site.writing() as session:
        day = event(session, title_en=f"Offline day {firm.tag}")
        admin = accounts.actor_for(session, accounts.get_user_by_email(session, firm.admin))
        service.register(session, admin, day.id, RegistrationIn(organisation_id=firm.org_id))
        partner = factories.organisation(session, short_name=f"Odlewnia {firm.tag}")
        theirs, other = registered(session, day.id, partner)
        asked = service.send_request(session, admin, day.id, RequestIn(receiver_id=theirs.id))
        service.decide_request(session, other, asked.id, accept=True)
        service.store_schedule(session, SYSTEM, day, solve(build_instance(session, day)))
        event_id = day.id

    phone = new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    agenda = f"/events/{event_id}/agenda?lang=en"
    log_in_page(page, firm.base, firm.admin, agenda, "en")
    page.goto(f"{firm.base}{agenda}")
    expect(page.locator("#agenda-updated")).to_contain_text("Updated")
    page.wait_for_selector("html[data-offline-ready]", timeout=5000)
    kept_updated = page.evaluate(KEPT_UPDATED).strip()
    assert kept_updated.startswith("Updated ")

    phone.set_offline(True)
    answer = page.reload()
    assert answer is not None and answer.from_service_worker
    expect(page.locator("h1")).to_have_text("My agenda")
    expect(page.locator("article.agenda-meeting")).to_contain_text(f"Odlewnia {firm.tag}")
    assert page.locator("#agenda-updated").inner_text() == kept_updated  # the kept copy's time
    expect(page.locator("#agenda-offline")).to_be_visible()

    phone.set_offline(False)
    page.reload()
    assert page.evaluate(KEPT) > 0
    page.locator("form[action='/logout'] button").click()
    page.wait_for_url(lambda url: "/agenda" not in url)
    assert page.evaluate(KEPT) == 0
