"""Every page of the application, as real browsers meet it: the sweep behind the accessibility
(axe-core) and the phone-width browser tests.

The pages are not listed by hand: they come from the whole-app permission matrix
(`tests/matrix.py`), which must have rows for every route. Each GET page row is visited with the
ids of its area's world, as each of the roles in `ROLES` the matrix says gets a 200 (or, for a
page none of them may see, the first actor who may), so a page another area adds later is swept
as soon as it has its matrix rows. `uncovered()` names every GET route that answers HTML to
somebody and is not swept; `NOT_PAGES` lists, with reasons, the GET routes that are no page.

One `upland serve` (on a SQLite file holding every world) and one Chromium serve the whole test
session: `sweep_server()` is cached, so both browser modules share it.
"""

from __future__ import annotations

import importlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import use_fast_hashing
from tests.matrix import ACTORS, AREAS, Row, World, route_of, served_routes
from upland import migrate
from upland.accounts.models import User
from upland.actor import SYSTEM
from upland.db import make_engine
from upland.reference.service import seed_reference
from upland.settings import DEFAULT_PARTNERS

ROOT = Path(__file__).resolve().parents[1]
ROLES = ("anonymous", "own_admin", "officer_here", "coordinator")
LANGUAGES = ("pl", "en")
NOT_PAGES = {
    "/healthz": "a JSON health report",
    "/account/data.json": "a JSON download of one's data",
    "/organisations/export.{fmt}": "CSV, XLSX and JSON downloads",
    "/language": "the language switch: a redirect back to the page",
    "/capability-terms/options": "an htmx fragment: the <option>s of a datalist",
    "/reference/municipalities/options": "an htmx fragment: the <option>s of a datalist",
    "/reference/municipalities": "JSON for the municipality field as one types",
}
# Pages no matrix row reaches with a 200: the error page.
EXTRA_PAGES = (("error-404", "/no-such-page", 404),)
FACTORY_EMAIL = re.compile(r"^user\d+@test\.example$")


@dataclass(frozen=True)
class Visit:
    """One page as one actor: `key` names its world and actor (one logged-in browser each)."""

    name: str
    route: str
    path: str
    actor: str
    key: str
    languages: tuple[str, ...] = LANGUAGES
    status: int = 200


@dataclass
class Sweep:
    base: str
    visits: list[Visit]
    logins: dict[str, str | None]  # key -> the e-mail to log in with (None: anonymous)
    served_pages: set[str] = field(default_factory=set)  # GET routes that answer somebody 200


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pages_of(module: Any) -> Iterator[tuple[Row, str]]:
    """Each GET page row of an area with the world it is visited in."""
    for row in module.ROWS:
        if row.method != "GET" or row.path.startswith("/api/"):
            continue
        variants = row.variants or module.VARIANTS
        yield row, variants[0]


def _actors_for(row: Row, variant: str) -> list[str]:
    allowed = [a for a in ACTORS if row.expect(a, variant) == 200]
    chosen = [a for a in ROLES if a in allowed]
    return chosen or allowed[:1]


def _languages(n: int, actors: int) -> tuple[str, ...]:
    """Each page in both languages and as each role, not every role in every language: the
    roles of a page take turns (half the visits, the same coverage)."""
    return LANGUAGES if actors == 1 else (LANGUAGES[n % len(LANGUAGES)],)


def _set_aside_fixed_emails(session: Session, world_number: int) -> None:
    """Worlds give some users fixed e-mails; several worlds share this database."""
    for user in session.scalars(select(User)):
        if not FACTORY_EMAIL.match(user.email) and not user.email.startswith("w-"):
            user.email = f"w-{world_number}-{user.email}"


def plan(session: Session) -> tuple[list[Visit], dict[str, str | None], set[str]]:
    """Build the worlds the page rows need; every visit, the log-ins, the routes with a page."""
    from upland.app import create_app

    served = served_routes(create_app())
    worlds: dict[tuple[str, str], World] = {}
    visits: list[Visit] = []
    logins: dict[str, str | None] = {}
    pages: set[str] = set()
    for area in AREAS:
        module = importlib.import_module(area)
        for row, variant in _pages_of(module):
            route = route_of(row, served)
            if route is None or route.path in NOT_PAGES:
                continue
            actors = _actors_for(row, variant)
            if not actors:
                continue  # a redirect or a page nobody may see in this configuration
            pages.add(route.path)
            if (area, variant) not in worlds:
                worlds[(area, variant)] = module.build_world(session, variant)
                session.flush()
                _set_aside_fixed_emails(session, len(worlds))
            world = worlds[(area, variant)]
            for n, actor in enumerate(actors):
                key = f"{area}:{variant}:{actor}"
                account = world.accounts[actor]
                logins[key] = account[1] if account else None
                path = _without_lang(row.path.format(**world.fields(actor)))
                visits.append(
                    Visit(row.name, route.path, path, actor, key, _languages(n, len(actors)))
                )
    logins.setdefault("anonymous", None)
    for name, path, status in EXTRA_PAGES:
        visits.append(Visit(name, path, path, "anonymous", "anonymous", status=status))
    return visits, logins, pages


def uncovered(sweep: Sweep) -> list[str]:
    """GET routes that answer somebody a page and that the sweep does not visit."""
    visited = {v.route for v in sweep.visits}
    return sorted(sweep.served_pages - visited)


_CACHE: dict[str, Sweep] = {}


@pytest.fixture(scope="session")
def sweep_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sweep]:
    """The server of the sweep, started once per test session (both browser modules)."""
    if "sweep" in _CACHE:
        yield _CACHE["sweep"]
        return
    folder = tmp_path_factory.mktemp("sweep")
    url = f"sqlite:///{folder / 'sweep.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with pytest.MonkeyPatch.context() as monkeypatch, Session(engine) as session, session.begin():
        use_fast_hashing(monkeypatch)  # argon2id still: the server checks what it reads
        seed_reference(session, SYSTEM, DEFAULT_PARTNERS)
        visits, logins, pages = plan(session)
    engine.dispose()
    port = _free_port()
    env = {
        **os.environ,
        "UPLAND_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "UPLAND_DATABASE_URL": url,  # the secret key is the tests': signed links work
        "UPLAND_NODE_MODULES": str(ROOT / "node_modules"),
        "UPLAND_CACHE_DIR": str(folder),
        "UPLAND_DEV_MODE": "true",
        "UPLAND_LOGIN_RATE_PER_ADDRESS": "1000/minute",
    }
    env.pop("UPLAND_SMTP_HOST", None)
    env.pop("UPLAND_REDIS_URL", None)
    log = (folder / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "upland", "serve", "--port", str(port)],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("upland serve did not start")
        _CACHE["sweep"] = Sweep(base, visits, logins, pages)
        yield _CACHE["sweep"]
    finally:
        _CACHE.pop("sweep", None)
        process.terminate()
        process.wait(timeout=10)
        log.close()


def launch(playwright: Any) -> Any:
    from tests.test_browser import _chromium

    return playwright.chromium.launch(
        executable_path=_chromium(),
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
    )


def logged_in_context(browser: Any, sweep: Sweep, key: str, **options: Any) -> Any:
    """A browser context of one actor of one world, logged in through the form."""
    from playwright.sync_api import expect

    context = browser.new_context(**options)
    email = sweep.logins[key]
    if email is not None:
        page = context.new_page()
        page.goto(f"{sweep.base}/login?next=/account")
        page.locator("#f-email").fill(email)
        page.locator("#f-password").fill(factories.PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{sweep.base}/account")
        page.close()
    return context


def set_language(context: Any, sweep: Sweep, language: str) -> None:
    context.add_cookies([{"name": "lang", "value": language, "url": sweep.base}])


def _without_lang(path: str) -> str:
    """The sweep sets each visit's language itself; a row's own `lang=` would contradict it."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
