"""The main journey in a real browser: an organisation admin edits the profile and the public
list shows the change. Playwright drives Debian's Chromium, headless."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session

from tests import factories
from tests.mailbox import text_of
from upland import migrate
from upland.actor import SYSTEM
from upland.db import make_engine
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A real `upland serve` on its own SQLite file with one company and its admin."""
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        org = factories.organisation(session, short_name="Spawalnia Testowa")
        factories.user(session, email="admin@firma.example", role="admin", org=org)
        org_id = org.id
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "UPLAND_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "UPLAND_DATABASE_URL": url,
        "UPLAND_SECRET_KEY": "browser-test-secret-key-long-enough-to-serve",
        "UPLAND_NODE_MODULES": str(ROOT / "node_modules"),
        "UPLAND_CACHE_DIR": str(tmp_path),
        "UPLAND_DEV_MODE": "true",  # on loopback, without SMTP: e-mails go to the outbox
    }
    env.pop("UPLAND_SMTP_HOST", None)
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
        yield base, org_id
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_org_admin_edits_profile_and_public_list_shows_it(server: tuple[str, int]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, org_id = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(locale="en-GB")
        page.goto(f"{base}/login?next=/organisations/{org_id}/edit&lang=en")
        page.get_by_label("E-mail").fill("admin@firma.example")
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.locator("main").get_by_role("button", name="Log in").click()
        expect(page).to_have_url(f"{base}/organisations/{org_id}/edit")

        page.get_by_label("Short name").fill("Spawalnia Nowa Nazwa")
        page.get_by_label("Description (English)").fill("Robotic welding of trailer frames.")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        expect(page.get_by_role("heading", level=1)).to_have_text("Spawalnia Nowa Nazwa")

        visitor = browser.new_context(locale="en-GB").new_page()
        visitor.goto(f"{base}/organisations?lang=en")
        expect(visitor.get_by_role("link", name="Spawalnia Nowa Nazwa")).to_be_visible()
        visitor.get_by_label("Free text").fill("robotic welding")
        visitor.get_by_role("button", name="Filter").click()
        expect(visitor.get_by_text("1 result", exact=True)).to_be_visible()
        browser.close()


def _e_mailed_link(outbox: Path) -> str:
    """The invitation link of the one e-mail in the server's outbox folder."""
    [sent] = outbox.glob("*.eml")
    message = BytesParser(policy=policy.default).parsebytes(sent.read_bytes())
    found = re.search(r"http://127\.0\.0\.1:\d+/invitations/[\w-]+", text_of(message))
    assert found, "no invitation link in the e-mail"
    return found.group(0)


def test_org_admin_invites_a_colleague_who_sets_up_the_account(
    server: tuple[str, int], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, org_id = server
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        page = browser.new_page(locale="pl-PL")
        page.goto(f"{base}/login?next=/organisations/{org_id}&lang=pl")
        page.get_by_label("E-mail").fill("admin@firma.example")
        page.get_by_label("Hasło").fill(factories.PASSWORD)
        page.locator("main").get_by_role("button", name="Zaloguj").click()
        page.get_by_role("button", name="Konta użytkowników").click()

        page.get_by_label("E-mail *").fill("ewa@firma.example")
        page.locator("#add-member").get_by_label("Dostęp").select_option("editor")
        page.get_by_role("button", name="Dodaj").click()
        expect(page.locator("#main")).to_contain_text("wysłano e-mailem")
        expect(page.locator("#invitations")).to_contain_text("ewa@firma.example")
        link = _e_mailed_link(tmp_path / "var" / "outbox")

        colleague = browser.new_context(locale="pl-PL").new_page()
        colleague.goto(link)
        expect(colleague.locator("main")).to_contain_text("Spawalnia Testowa")
        colleague.get_by_label("Imię i nazwisko").fill("Ewa Nowak")
        colleague.locator("#f-password").fill("nowe-haslo-2026")
        colleague.get_by_label("Powtórz hasło").fill("nowe-haslo-2026")
        colleague.get_by_role("button", name="Aktywuj moje konto").click()
        expect(colleague).to_have_url(f"{base}/organisations/{org_id}")
        expect(colleague.get_by_role("link", name="Ewa Nowak")).to_be_visible()  # logged in
        expect(colleague.get_by_role("button", name="Edytuj")).to_be_visible()  # as an editor
        browser.close()
