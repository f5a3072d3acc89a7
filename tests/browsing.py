"""Acting through the web UI as a browser does: log-in form, CSRF tokens, bearer tokens; and
in a real browser (Playwright on Debian's Chromium): one Chromium and one live server shared by
the session's browser tests, fresh browser contexts and a company of its own for each test.

Also `rolled_back`, which lets one test try many writes against the same world, and cheap
argon2id parameters for tests that create and log in many users. Registered as a plugin in
`tests/conftest.py`, so its fixtures serve every folder.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from tests import factories
from tests import mailbox as mailboxes
from upland import migrate
from upland.accounts import passwords
from upland.accounts import service as account_service
from upland.accounts.models import User
from upland.actor import SYSTEM
from upland.db import WRITER, make_engine
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def use_fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Still argon2id, with parameters cheap enough for hundreds of log-ins."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


def csrf_of(response: Any) -> str:
    """The CSRF token of a page's first form."""
    found = CSRF_FIELD.search(response.text)
    assert found, f"no CSRF field on {response.url}"
    return found.group(1)


@dataclass
class Caller:
    """A browser (session cookie and the CSRF token from its pages) and an API client."""

    client: Any
    csrf: str
    bearer: str | None = None

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Forms for pages; JSON with the bearer token (else the CSRF header) for the API."""
        if not path.startswith("/api/"):
            form = None if method == "GET" else {**(body or {}), "csrf_token": self.csrf}
            return self.client.request(method, path, data=form, follow_redirects=False)
        headers = (
            {"authorization": f"Bearer {self.bearer}"}
            if self.bearer
            else {"x-csrf-token": self.csrf}
        )
        return self.client.request(method, path, json=body, headers=headers)

    @contextmanager
    def keeping_cookies(self) -> Iterator[None]:
        """Put the session cookie back after a request that logs out or switches users."""
        saved = dict(self.client.cookies)
        try:
            yield
        finally:
            self.client.cookies.clear()
            for name, value in saved.items():
                self.client.cookies.set(name, value)


def log_in(client: Any, email: str, password: str = factories.PASSWORD) -> Any:
    """Post the log-in form with the token from the log-in page; the response."""
    token = csrf_of(client.get("/login"))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )


def log_in_page(page: Page, base: str, email: str, then: str, language: str) -> None:
    """Log in through the form in a real browser and land on `then`."""
    from playwright.sync_api import expect

    page.goto(f"{base}/login?next={then}&lang={language}")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(factories.PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(f"{base}{then}")))


def caller_for(session: Session, client: Any, account: User | None) -> Caller:
    """A logged-in browser with a bearer token for `account`, or an anonymous visitor."""
    if account is None:
        return Caller(client, csrf_of(client.get("/login")))
    response = log_in(client, account.email)
    assert response.status_code == 303, response.text
    _, bearer = account_service.issue_token(session, SYSTEM, account.id, "tests")
    return Caller(client, csrf_of(client.get("/account")), bearer)


def body_counting(app: Any) -> tuple[Any, list[int]]:
    """The app behind a wrapper noting each body chunk the app pulls from the server."""
    pulled: list[int] = []

    async def wrapped(scope: Any, receive: Any, send: Any) -> None:
        async def counted() -> Any:
            message = await receive()
            pulled.append(len(message.get("body", b"")))
            return message

        await app(scope, counted, send)

    return wrapped, pulled


@contextmanager
def rolled_back(session: Session, connection: Connection) -> Iterator[None]:
    """Undo everything done inside, so each of several writes meets the same world."""
    session.commit()
    checkpoint = connection.begin_nested()
    try:
        yield
    finally:
        session.close()
        checkpoint.rollback()


# A real browser. Starting Chromium and `upland serve` costs seconds each on a busy machine,
# so one Chromium and one server (`site`) serve every browser test of the session; each test
# gets fresh browser contexts and, on the shared server, a world of its own (`firm`).
# Playwright's sync API marks its event loop as running in this thread while it is alive, so
# the browser tests run last (`pytest_collection_modifyitems`): no other test meets that loop.

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests after all others, in their collected order."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def chromium_path() -> str:
    """Debian's Chromium, which Playwright drives (no browser download)."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as actions do (30 s): a busy CI machine is slow, never a finding.
    expect.set_options(timeout=30_000)
    executable = chromium_path()
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (own cookies, viewport, locale), all closed after the test."""
    opened: list[BrowserContext] = []

    def open_context(**options: Any) -> BrowserContext:
        context = chromium.new_context(**options)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@contextmanager
def live_server(folder: Path, database_url: str, **env: str) -> Iterator[str]:
    """`upland serve` on a free port over `database_url`, in development mode (loopback, no
    real mail); its base URL. `env` adds or overrides UPLAND_* settings."""
    port = mailboxes.free_port()
    environment = {
        **os.environ,
        "UPLAND_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "UPLAND_DATABASE_URL": database_url,  # the tests' secret key: signed links work
        "UPLAND_NODE_MODULES": str(ROOT / "node_modules"),
        "UPLAND_CACHE_DIR": str(folder),
        "UPLAND_DEV_MODE": "true",
        **env,
    }
    environment.pop("UPLAND_REDIS_URL", None)  # jobs (e-mails) run on the server's own thread
    if "UPLAND_SMTP_HOST" not in env:
        environment.pop("UPLAND_SMTP_HOST", None)  # e-mails go to the outbox folder
    base = f"http://127.0.0.1:{port}"
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "upland", "serve", "--port", str(port)],
            env=environment,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            _wait_until_healthy(base, process)
            yield base
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill: a loaded CI machine may take long to finish a graceful stop."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_until_healthy(base: str, process: subprocess.Popen[bytes]) -> None:
    """Up to two minutes: start-up on a busy two-core machine is slow, never a finding."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"upland serve exited with {process.returncode}: see server.log")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail("upland serve did not answer /healthz within two minutes")


def migrated_database(folder: Path) -> str:
    """A SQLite file under `folder`, migrated, with the reference data; its URL."""
    url = f"sqlite:///{folder / 'upland.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
    engine.dispose()
    return url


@dataclass
class Site:
    """The shared `upland serve` (its own SQLite file, whatever backend the suite runs on),
    e-mailing to a test SMTP server; tests add their own rows with `writing()`."""

    base: str
    database_url: str
    mailbox: mailboxes.Mailbox
    engine: Engine

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A committed transaction on the server's database, begun as a writer (BEGIN IMMEDIATE
        on SQLite): a deferred one that read first is refused at once, whatever the busy
        timeout, when the server committed in between."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            session.connection(execution_options={WRITER: True})
            yield session

    def mail_to(self, address: str, count: int = 1) -> EmailMessage:
        """The `count`-th e-mail to the address, waiting for the server's job to send it."""
        received: list[EmailMessage] = []
        for _ in range(300):
            received = self.mailbox.to(address)
            if len(received) >= count:
                return received[count - 1]
            time.sleep(0.1)
        pytest.fail(f"no e-mail number {count} to {address}; got {len(received)}")


def patient_engine(url: str) -> Engine:
    """The project's engine for the live server's SQLite file, waiting up to 60 s for the
    writer lock (5 s in the app): on a CI machine running four test workers, the server's own
    short writes can be descheduled with the lock held for longer than the app's timeout, and a
    fixture's insert is no user to be told to retry."""
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _patient(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=60000")

    return engine


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The live server most browser tests share, started once per session."""
    folder = tmp_path_factory.mktemp("site")
    url = migrated_database(folder)
    engine = patient_engine(url)
    with (
        mailboxes.smtp_server() as box,
        live_server(
            folder,
            url,
            UPLAND_SMTP_HOST="127.0.0.1",
            UPLAND_SMTP_PORT=str(box.port),
            UPLAND_SMTP_TLS="none",
            UPLAND_LOGIN_RATE_PER_ADDRESS="1000/minute",  # every test logs in from 127.0.0.1
        ) as base,
    ):
        yield Site(base, url, box, engine)
    engine.dispose()


@dataclass(frozen=True)
class Firm:
    """One test's own company on the shared server, and its admin."""

    base: str
    org_id: int
    name: str
    admin: str  # the admin's e-mail; the password is factories.PASSWORD
    tag: str  # unique to the test: for other e-mail addresses it makes up


_firms = itertools.count(1)


@pytest.fixture
def firm(site: Site) -> Firm:
    """A company of its own for the test, so tests that write do not meet each other's rows."""
    tag = _letters(next(_firms))
    with site.writing() as session:
        org = factories.organisation(session, short_name=f"Spawalnia Testowa {tag}")
        admin = f"admin-{tag}@firma.example"
        factories.user(session, email=admin, role="admin", org=org)
        return Firm(site.base, org.id, org.short_name, admin, tag)


def _letters(n: int) -> str:
    """A word made of letters only (searches split digits off), different for each `n`."""
    word = ""
    while n:
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
    return "qx" + word
