"""Account journeys in a real browser (Debian's Chromium), against `upland serve` sending its
e-mails to the test SMTP server: a forgotten password reset through the e-mail received, a
password change on the account page at phone width, and the coordinator setting up a city
officer who chooses a password from the e-mail and logs in."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.mailbox import Mailbox, free_port, links_in, smtp_server, text_of
from tests.test_browser import _chromium

from upland import migrate
from upland.actor import SYSTEM
from upland.db import make_engine
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 390, "height": 844}
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
NEW = "Nowe-haslo-2026"


@dataclass
class Served:
    base: str
    mailbox: Mailbox
    org_name: str

    def mail_to(self, address: str, count: int = 1) -> EmailMessage:
        """The `count`-th e-mail to the address, waiting for the background job to send it."""
        for _ in range(100):
            received = self.mailbox.to(address)
            if len(received) >= count:
                return received[count - 1]
            time.sleep(0.1)
        pytest.fail(f"no e-mail number {count} to {address}; got {len(received)}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`upland serve` on its own SQLite file, e-mailing through the test SMTP server."""
    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        org = factories.organisation(session, short_name="Spawalnia Testowa")
        factories.user(session, email="admin@firma.example", role="admin", org=org)
        factories.user(session, email="koordynator@klaster.example", role="coordinator")
    engine.dispose()
    port = free_port()
    with smtp_server() as box:
        env = {
            **os.environ,
            "UPLAND_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "UPLAND_DATABASE_URL": url,
            "UPLAND_SECRET_KEY": "browser-test-secret-key-long-enough-to-serve",
            "UPLAND_NODE_MODULES": str(ROOT / "node_modules"),
            "UPLAND_CACHE_DIR": str(tmp_path),
            "UPLAND_DEV_MODE": "true",
            "UPLAND_SMTP_HOST": "127.0.0.1",
            "UPLAND_SMTP_PORT": str(box.port),
            "UPLAND_SMTP_TLS": "none",
        }
        env.pop("UPLAND_REDIS_URL", None)  # e-mails leave on the server's own job thread
        log = (tmp_path / "server.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "upland", "serve", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("upland serve did not start")
            yield Served(base, box, "Spawalnia Testowa")
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()


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


def test_a_forgotten_password_is_reset_through_the_e_mail(served: Served) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=ARGS)
        page = browser.new_context(locale="pl-PL", viewport=PHONE).new_page()
        page.goto(f"{served.base}/password/forgot?lang=pl")
        page.locator("input[name=email]").fill("admin@firma.example")
        page.locator("main form button[type=submit]").click()
        expect(page.get_by_role("status")).to_contain_text("wysłaliśmy na niego link")

        mail = served.mail_to("admin@firma.example")
        assert "Ustaw nowe hasło" in (mail["Subject"] or "") or "hasło" in text_of(mail)
        [link] = [u for u in links_in(mail) if "/password/reset/" in u]
        page.goto(link)
        page.locator("input[name=password]").fill(NEW)
        page.locator("input[name=password_repeat]").fill(NEW)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("#reset-done")).to_be_visible()

        page.context.clear_cookies()
        _log_in(page, served.base, "admin@firma.example", NEW)
        expect(page).to_have_url(f"{served.base}/account")
        expect(page.locator("main")).to_contain_text("Spawalnia Testowa")
        _fits(page)
        browser.close()


def test_the_account_page_changes_the_password_at_phone_width(served: Served) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=ARGS)
        laptop = browser.new_context(locale="pl-PL").new_page()
        _log_in(laptop, served.base, "admin@firma.example", factories.PASSWORD)
        phone = browser.new_context(locale="pl-PL", viewport=PHONE).new_page()
        _log_in(phone, served.base, "admin@firma.example", factories.PASSWORD)
        expect(phone).to_have_url(f"{served.base}/account")

        roles = phone.locator("ul.roles")
        expect(roles).to_contain_text("Spawalnia Testowa: administrator")
        expect(roles).not_to_contain_text("#")
        _fits(phone)
        phone.locator("#f-current_password").fill(factories.PASSWORD)
        phone.locator("#f-password").fill(NEW)
        phone.locator("#f-password_repeat").fill(NEW)
        phone.get_by_role("button", name="Zmień hasło").click()

        expect(phone.locator("#done")).to_contain_text("Hasło zostało zmienione")
        expect(phone.locator("ul.sessions > li")).to_have_count(1)
        laptop.reload()
        expect(laptop).to_have_url(f"{served.base}/login?next=/account")
        mail = served.mail_to("admin@firma.example")
        assert "admin@firma.example" in text_of(mail)
        browser.close()


def test_the_coordinator_sets_up_a_city_officer_who_logs_in(served: Served) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=ARGS)
        page = browser.new_context(locale="pl-PL", viewport=PHONE).new_page()
        _log_in(page, served.base, "koordynator@klaster.example", factories.PASSWORD)
        page.get_by_role("button", name="Zarządzaj użytkownikami").click()
        expect(page).to_have_url(f"{served.base}/users")
        _fits(page)

        page.locator("#f-full_name").fill("Anna Nowak")
        page.locator("#f-email").fill("anna.nowak@radom.example")
        page.locator("#f-role").select_option("officer")
        page.locator("#f-city").select_option(label="Radom")
        page.locator("#f-language").select_option("en")
        page.get_by_role("button", name="Załóż konto").last.click()
        expect(page.locator("#done")).to_contain_text("Konto osoby Anna Nowak jest gotowe")
        expect(page.locator("ul.roles")).to_contain_text("urzędnik miasta: Radom")
        _fits(page)

        mail = served.mail_to("anna.nowak@radom.example")
        assert mail["Subject"] == "Your Upland account"  # in the language chosen for her
        assert "city officer (Radom)" in text_of(mail)
        [link] = [u for u in links_in(mail) if "/password/reset/" in u]
        officer = browser.new_context(locale="en-GB").new_page()
        officer.goto(link)
        officer.locator("input[name=password]").fill(NEW)
        officer.locator("input[name=password_repeat]").fill(NEW)
        officer.locator("main form button[type=submit]").click()
        expect(officer.locator("#reset-done")).to_be_visible()
        officer.context.clear_cookies()
        _log_in(officer, served.base, "anna.nowak@radom.example", NEW, "en")
        expect(officer).to_have_url(f"{served.base}/account")
        expect(officer.locator("ul.roles")).to_contain_text("city officer: Radom")

        page.once("dialog", lambda dialog: dialog.accept())  # "Dezaktywować to konto?"
        page.get_by_role("button", name="Dezaktywuj").click()
        expect(page.locator("#done")).to_contain_text("Konto osoby Anna Nowak jest wyłączone")
        officer.reload()
        expect(officer).to_have_url(f"{served.base}/login?next=/account")
        page.get_by_role("button", name="Aktywuj ponownie").click()
        expect(page.locator("#done")).to_contain_text("znów jest aktywne")

        page.goto(f"{served.base}/audit?lang=pl")
        expect(page.locator("ol.history")).to_contain_text("nadał(a) rolę")
        _fits(page)
        browser.close()
