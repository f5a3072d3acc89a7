"""Account journeys in a real browser (Debian's Chromium), against `upland serve` sending its
e-mails to the test SMTP server: a forgotten password reset through the e-mail received, a
password change on the account page at phone width, and the coordinator setting up a city
officer who chooses a password from the e-mail and logs in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from tests import factories
from tests.browsing import Firm, Site
from tests.mailbox import links_in, text_of

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
NEW = "Nowe-haslo-2026"


@pytest.fixture
def coordinator(site: Site, firm: Firm) -> str:
    """A coordinator of the cluster for the test; the e-mail to log in with."""
    email = f"koordynator-{firm.tag}@klaster.example"
    with site.writing() as session:
        factories.user(session, email=email, role="coordinator")
    return email


def _log_in(page: object, base: str, email: str, password: str, language: str = "pl") -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    page.goto(f"{base}/login?next=/account&lang={language}")
    page.locator("#f-email, input[name=email]").first.fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()


def _fits(page: object) -> None:
    """Nothing in the page's content reaches past the phone's width (the header is the
    layout's, checked by its own tests)."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    overflowing = page.evaluate(
        """() => Array.from(document.querySelectorAll('main *'))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))"""
    )
    assert overflowing == [], f"wider than {PHONE['width']} px: {overflowing}"


def test_a_forgotten_password_is_reset_through_the_e_mail(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    page = new_context(locale="pl-PL", viewport=PHONE).new_page()
    page.goto(f"{site.base}/password/forgot?lang=pl")
    page.locator("input[name=email]").fill(firm.admin)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("status")).to_contain_text("wysłaliśmy na niego link")

    mail = site.mail_to(firm.admin)
    assert "Ustaw nowe hasło" in (mail["Subject"] or "") or "hasło" in text_of(mail)
    [link] = [u for u in links_in(mail) if "/password/reset/" in u]
    page.goto(link)
    page.locator("input[name=password]").fill(NEW)
    page.locator("input[name=password_repeat]").fill(NEW)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#reset-done")).to_be_visible()

    page.context.clear_cookies()
    _log_in(page, site.base, firm.admin, NEW)
    expect(page).to_have_url(f"{site.base}/account")
    expect(page.locator("main")).to_contain_text(firm.name)
    _fits(page)


def test_the_account_page_changes_the_password_at_phone_width(
    site: Site, firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    laptop = new_context(locale="pl-PL").new_page()
    _log_in(laptop, site.base, firm.admin, factories.PASSWORD)
    phone = new_context(locale="pl-PL", viewport=PHONE).new_page()
    _log_in(phone, site.base, firm.admin, factories.PASSWORD)
    expect(phone).to_have_url(f"{site.base}/account")

    roles = phone.locator("ul.roles")
    expect(roles).to_contain_text(f"{firm.name}: administrator")
    expect(roles).not_to_contain_text("#")
    _fits(phone)
    phone.locator("#f-current_password").fill(factories.PASSWORD)
    phone.locator("#f-password").fill(NEW)
    phone.locator("#f-password_repeat").fill(NEW)
    phone.get_by_role("button", name="Zmień hasło").click()

    expect(phone.locator("#done")).to_contain_text("Hasło zostało zmienione")
    expect(phone.locator("ul.sessions > li")).to_have_count(1)
    laptop.reload()
    expect(laptop).to_have_url(f"{site.base}/login?next=/account")
    mail = site.mail_to(firm.admin)
    assert firm.admin in text_of(mail)


def test_the_coordinator_sets_up_a_city_officer_who_logs_in(
    site: Site, firm: Firm, coordinator: str, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    officer_email = f"anna.nowak-{firm.tag}@radom.example"
    page = new_context(locale="pl-PL", viewport=PHONE).new_page()
    _log_in(page, site.base, coordinator, factories.PASSWORD)
    page.get_by_role("button", name="Zarządzaj użytkownikami").click()
    expect(page).to_have_url(f"{site.base}/users")
    _fits(page)

    page.locator("#f-full_name").fill("Anna Nowak")
    page.locator("#f-email").fill(officer_email)
    page.locator("#f-role").select_option("officer")
    page.locator("#f-city").select_option(label="Radom")
    page.locator("#f-language").select_option("en")
    page.get_by_role("button", name="Załóż konto").last.click()
    expect(page.locator("#done")).to_contain_text("Konto osoby Anna Nowak jest gotowe")
    expect(page.locator("ul.roles")).to_contain_text("urzędnik miasta: Radom")
    _fits(page)

    mail = site.mail_to(officer_email)
    assert mail["Subject"] == "Your Upland account"  # in the language chosen for her
    assert "city officer (Radom)" in text_of(mail)
    [link] = [u for u in links_in(mail) if "/password/reset/" in u]
    officer = new_context(locale="en-GB").new_page()
    officer.goto(link)
    officer.locator("input[name=password]").fill(NEW)
    officer.locator("input[name=password_repeat]").fill(NEW)
    officer.locator("main form button[type=submit]").click()
    expect(officer.locator("#reset-done")).to_be_visible()
    officer.context.clear_cookies()
    _log_in(officer, site.base, officer_email, NEW, "en")
    expect(officer).to_have_url(f"{site.base}/account")
    expect(officer.locator("ul.roles")).to_contain_text("city officer: Radom")

    page.once("dialog", lambda dialog: dialog.accept())  # "Dezaktywować to konto?"
    page.get_by_role("button", name="Dezaktywuj").click()
    expect(page.locator("#done")).to_contain_text("Konto osoby Anna Nowak jest wyłączone")
    officer.reload()
    expect(officer).to_have_url(f"{site.base}/login?next=/account")
    page.get_by_role("button", name="Aktywuj ponownie").click()
    expect(page.locator("#done")).to_contain_text("znów jest aktywne")

    page.goto(f"{site.base}/audit?lang=pl")
    expect(page.locator("ol.history")).to_contain_text("nadał(a) rolę")
    _fits(page)
