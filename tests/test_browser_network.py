"""The network graph in a real browser (issue 12): a member opens the graph, finds an
organisation by name, sees its ties and follows the link to its profile; the time slider hides
the ties of quarters before they began. Playwright drives Debian's Chromium
(`tests/browsing.py`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm, Site, log_in_page
from tests.market.interest_world import editor
from tests.test_browser_csp import WATCH
from upland.actor import SYSTEM
from upland.network import service
from upland.network.schemas import RelationDeclare
from upland.organisations.models import Organisation

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_find_an_organisation_in_the_graph_and_open_its_profile(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    with site.writing() as session:
        partner = factories.organisation(session, short_name=f"Kuźnia Grafowa {firm.tag}")
        declared = service.declare_relation(
            session,
            editor(session, session.get(Organisation, firm.org_id)),
            RelationDeclare(
                organisation_id=firm.org_id,
                partner_id=partner.id,
                kind="supplier_of",
                starts_on=dt.date(2024, 2, 1),
            ),
        )
        service.confirm_relation(session, SYSTEM, declared.id)

    page = new_context(locale="en-GB", viewport={"width": 390, "height": 844}).new_page()
    errors: list[str] = []
    page.add_init_script(WATCH)  # a CSP violation is logged as an error
    page.on("console", lambda m: errors.append(m.text) if "CSP" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    log_in_page(page, firm.base, firm.admin, "/network", "en")
    expect(page.locator("#network-graph[data-ready=true]")).to_have_count(1)
    expect(page.locator("#network-status")).to_contain_text("organisations")

    page.locator("#network-search").fill(f"grafowa {firm.tag}")
    page.get_by_role("button", name="Find").click()
    details = page.locator("#network-details")
    expect(details.get_by_role("heading")).to_have_text(partner.short_name)
    expect(details.get_by_role("listitem")).to_contain_text(firm.name)

    page.locator("#network-period").press("Home")  # 2018 Q1: before the tie began
    expect(page.locator("#network-period-label")).to_have_text("2018 Q1")
    page.get_by_role("button", name="Find").click()
    expect(details).to_contain_text("No tie in the chosen period and types.")
    page.locator("#network-period").press("End")  # the last quarter again
    page.get_by_role("button", name="Find").click()
    expect(details.get_by_role("listitem")).to_contain_text(firm.name)

    details.get_by_role("link", name=f"Profile of {partner.short_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(partner.short_name)
    assert not errors, errors
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
