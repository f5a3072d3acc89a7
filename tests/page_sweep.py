"""Every page of the application, as real browsers meet it: the sweep behind the accessibility
(axe-core) and the phone-width browser tests.

The pages are not listed by hand: they come from the whole-app permission matrix
(`tests/matrix.py`), which must have rows for every route. Each GET page row is visited with the
ids of its area's world, as each of the roles in `ROLES` the matrix says gets a 200 (or, for a
page none of them may see, the first actor who may), so a page another area adds later is swept
as soon as it has its matrix rows. `uncovered()` names every GET route that answers HTML to
somebody and is not swept; `NOT_PAGES` lists, with reasons, the GET routes that are no page.

In the suite the sweep is a sample: each page as two of its roles at most, one per language,
the roles taking turns from page to page so that every role is swept; `make sweep`
(UPLAND_SWEEP=full) visits each page as every role.

The worlds are written into the database of the session's shared live server
(`tests/browsing.py`: `site`), once per session, when the sweep first needs them.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import factories
from tests.browsing import CSRF_FIELD, Site, use_fast_hashing
from tests.matrix import ACTORS, AREAS, Row, World, route_of, served_routes
from upland.accounts.models import User
from upland.mail import service as mail_service

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

ROLES = ("anonymous", "own_admin", "officer_here", "coordinator")
FULL = os.environ.get("UPLAND_SWEEP") == "full"
LANGUAGES = ("pl", "en")
NOT_PAGES = {
    "/healthz": "a JSON health report",
    "/account/data.json": "a JSON download of one's data",
    "/organisations/export.{fmt}": "CSV, XLSX and JSON downloads",
    "/market/export.{fmt}": "CSV and JSON downloads",
    "/market/attachments/{attachment_id}": "an attachment's file (PDF or image)",
    "/market/dashboard/export.{fmt}": "CSV and XLSX downloads",
    "/language": "the language switch: a redirect back to the page",
    "/capability-terms/options": "an htmx fragment: the <option>s of a datalist",
    "/organisations/city-options": "an htmx fragment: the <option>s of a datalist",
    "/reference/municipalities/options": "an htmx fragment: the <option>s of a datalist",
    "/reference/municipalities": "JSON for the municipality field as one types",
    "/events/{event_id:int}/agenda.ics": "an iCalendar download of one's meetings",
    "/events/feed/{token}.ics": "an iCalendar feed for calendar apps",
    "/events/{event_id:int}/agenda.webmanifest": "the offline agenda's web-app manifest (JSON)",
    "/events/agenda-sw.js": "the offline agenda's service worker (JavaScript)",
    "/events/{event_id:int}/report.{fmt}": "CSV and XLSX downloads",
    "/events/area-report.{fmt}": "CSV and XLSX downloads",
    "/events/mail-off/{token}/data": "a guest's personal data as a JSON download",
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


def _sample(actors: list[str], turn: int) -> list[str]:
    """Two of a page's roles, starting at the page's turn in the round of its roles."""
    if FULL or len(actors) <= 2:
        return actors
    return [actors[(turn + i) % len(actors)] for i in range(2)]


def _languages(n: int, actors: int) -> tuple[str, ...]:
    """Each page in both languages and as each role, not every role in every language: the
    roles of a page take turns (half the visits, the same coverage)."""
    return LANGUAGES if actors == 1 else (LANGUAGES[n % len(LANGUAGES)],)


def _set_aside_fixed_emails(session: Session, world_number: int, after_user: int) -> None:
    """Worlds give some users fixed e-mails; several worlds (and other tests' users, ids up to
    `after_user`) share this database."""
    for user in session.scalars(select(User).where(User.id > after_user)):
        if not FACTORY_EMAIL.match(user.email) and not user.email.startswith("w-"):
            user.email = f"w-{world_number}-{user.email}"


def plan(session: Session) -> tuple[list[Visit], dict[str, str | None], set[str]]:
    """Build the worlds the page rows need; every visit, the log-ins, the routes with a page."""
    from upland.app import create_app

    served = served_routes(create_app())
    others = session.scalar(select(func.max(User.id))) or 0
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
            actors = _sample(_actors_for(row, variant), len(pages))
            if not actors:
                continue  # a redirect or a page nobody may see in this configuration
            pages.add(route.path)
            if (area, variant) not in worlds:
                worlds[(area, variant)] = module.build_world(session, variant)
                session.flush()
                _set_aside_fixed_emails(session, len(worlds), others)
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


@pytest.fixture(scope="session")
def sweep(site: Site) -> Sweep:
    """Every world of the sweep, written into the shared server's database once a session."""
    with pytest.MonkeyPatch.context() as monkeypatch, site.writing() as session:
        use_fast_hashing(monkeypatch)  # argon2id still: the server checks what it reads
        monkeypatch.setattr(mail_service, "dispatch", lambda message_id: None)  # nothing sent
        visits, logins, pages = plan(session)
    return Sweep(site.base, visits, logins, pages)


def logged_in_context(
    new_context: Callable[..., BrowserContext], sweep: Sweep, key: str, **options: Any
) -> BrowserContext:
    """A browser context of one actor of one world, logged in through the log-in form posted
    by the context's own request client (it shares the context's cookies; no page to render)."""
    context = new_context(**options)
    email = sweep.logins[key]
    if email is not None:
        form = context.request.get(f"{sweep.base}/login")
        token = CSRF_FIELD.search(form.text())
        assert token, f"no CSRF field on the log-in page: {form.status}"
        answer = context.request.post(
            f"{sweep.base}/login",
            form={"email": email, "password": factories.PASSWORD, "csrf_token": token.group(1)},
            max_redirects=0,
        )
        assert answer.status == 303, f"log-in of {email} ({key}) answered {answer.status}"
    return context


def set_language(context: BrowserContext, base: str, language: str) -> None:
    context.add_cookies([{"name": "lang", "value": language, "url": base}])


def _without_lang(path: str) -> str:
    """The sweep sets each visit's language itself; a row's own `lang=` would contradict it."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return urlunsplit(parts._replace(query=urlencode(query)))
