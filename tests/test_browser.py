"""The main journey in a real browser: an organisation admin edits the profile and the public
list shows the change; the admin invites a colleague who sets up the account from the e-mail.
Playwright drives Debian's Chromium, headless (`tests/browsing.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from tests import factories
from tests.browsing import Firm, Site
from tests.mailbox import links_in

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


def test_org_admin_edits_profile_and_public_list_shows_it(
    firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    page = new_context(locale="en-GB").new_page()
    page.goto(f"{base}/login?next=/organisations/{org_id}/edit&lang=en")
    page.get_by_label("E-mail").fill(firm.admin)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/organisations/{org_id}/edit")

    renamed = f"Spawalnia Nowa Nazwa {firm.tag}"
    page.get_by_label("Short name").fill(renamed)
    page.get_by_label("Description (English)").fill(f"Robotic welding of {firm.tag} frames.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_role("heading", level=1)).to_have_text(renamed)

    visitor = new_context(locale="en-GB").new_page()
    visitor.goto(f"{base}/organisations?lang=en")
    expect(visitor.get_by_role("link", name=renamed)).to_be_visible()
    visitor.get_by_label("Free text").fill(f"robotic welding {firm.tag}")
    visitor.get_by_role("button", name="Filter").click()
    expect(visitor.get_by_text("1 result", exact=True)).to_be_visible()


def test_org_admin_invites_a_colleague_who_sets_up_the_account(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    page = new_context(locale="pl-PL").new_page()
    page.goto(f"{base}/login?next=/organisations/{org_id}&lang=pl")
    page.get_by_label("E-mail").fill(firm.admin)
    page.get_by_label("Hasło").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Zaloguj").click()
    page.get_by_role("button", name="Konta użytkowników").click()

    colleague_email = f"ewa-{firm.tag}@firma.example"
    page.get_by_label("E-mail *").fill(colleague_email)
    page.locator("#add-member").get_by_label("Dostęp").select_option("editor")
    page.get_by_role("button", name="Dodaj").click()
    expect(page.locator("#main")).to_contain_text("wysłano e-mailem")
    expect(page.locator("#invitations")).to_contain_text(colleague_email)
    [link] = [u for u in links_in(site.mail_to(colleague_email)) if "/invitations/" in u]

    colleague = new_context(locale="pl-PL").new_page()
    colleague.goto(link)
    expect(colleague.locator("main")).to_contain_text(firm.name)
    colleague.get_by_label("Imię i nazwisko").fill("Ewa Nowak")
    colleague.locator("#f-password").fill("nowe-haslo-2026")
    colleague.get_by_label("Powtórz hasło").fill("nowe-haslo-2026")
    colleague.get_by_role("button", name="Aktywuj moje konto").click()
    expect(colleague).to_have_url(f"{base}/organisations/{org_id}")
    expect(colleague.get_by_role("link", name="Ewa Nowak")).to_be_visible()  # logged in
    expect(colleague.get_by_role("button", name="Edytuj")).to_be_visible()  # as an editor
