"""Removing on a phone (issue 8, walk-through): after a removal the "removed — Undo" notice is
where the user is, not above the fold they scrolled away from; an address with a removal that
cannot be undone shows no Undo. On the shared live server and Chromium of `tests.browsing`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests import factories
from tests.browsing import Firm, Site
from upland.actor import SYSTEM
from upland.organisations.models import Organisation
from upland.organisations.schemas import PersonIn

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
NewContext = Callable[..., "BrowserContext"]


def _log_in(page: Any, firm: Firm, next_path: str) -> None:
    page.goto(f"{firm.base}/login?next={next_path}&lang=en")
    page.get_by_label("E-mail").fill(firm.admin)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()


@pytest.mark.parametrize("kind", ["people", "sites", "capabilities"])
def test_undo_is_where_the_user_is_after_removing_on_a_phone(
    firm: Firm, new_context: NewContext, kind: str
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    section = {"people": "#PersonIn", "sites": "#SiteIn", "capabilities": "#CapabilityIn"}[kind]
    page = new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    _log_in(page, firm, f"/organisations/{org_id}")
    expect(page).to_have_url(f"{base}/organisations/{org_id}")

    remove = page.locator(f"{section} a.remove").first
    remove.scroll_into_view_if_needed()
    remove.click()
    page.locator("main").get_by_role("button", name="Remove").click()

    undo = page.locator(f"{section} [role=status]").get_by_role("button", name="Undo")
    expect(undo).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") > 0, "the page scrolled to the notice"
    expect(page.locator(f"{section} #notice")).to_be_focused()
    undo.click()
    restored = page.locator(f"{section} [role=status]")
    expect(restored).to_have_text("Restored.")
    expect(restored).to_be_in_viewport(ratio=1)


def test_an_address_naming_no_undoable_removal_shows_no_undo(
    firm: Firm, new_context: NewContext
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    page = new_context(locale="en-GB", viewport=PHONE).new_page()
    _log_in(page, firm, f"/organisations/{org_id}")
    expect(page).to_have_url(f"{base}/organisations/{org_id}")
    page.goto(f"{base}/organisations/{org_id}?removed=N0tAnUndoableRemoval1#notice")
    expect(page.get_by_role("heading", name=firm.name)).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_have_count(0)


# A word split over two lines has two boxes. Only words of letters count: addresses, e-mails
# and codes (with @ / . : _ or digits) may still break where they must.
SPLIT_WORDS = """() => {
  const split = [];
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !node.parentElement.checkVisibility()) continue;
    for (const found of node.data.matchAll(/\\p{L}{4,}/gu)) {
      const end = found.index + found[0].length;
      if (/[@/.:_\\d]/.test((node.data[found.index - 1] || " ") + (node.data[end] || " "))) {
        continue;
      }
      const range = document.createRange();
      range.setStart(node, found.index);
      range.setEnd(node, found.index + found[0].length);
      const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
      const lines = new Set(boxes.map((r) => Math.round(r.top)));
      if (lines.size > 1) split.push(found[0]);
    }
  }
  return {split: split.slice(0, 5), width: document.documentElement.scrollWidth};
}"""


def _coordinator_and_long_words(site: Site, firm: Firm) -> str:
    """The coordinator who sees /users and /audit (their e-mail), and entries with long words
    to wrap."""
    from upland.organisations import service

    coordinator = f"koordynatorka-{firm.tag}@firma.example"
    with site.writing() as session:
        factories.user(session, email=coordinator, role="coordinator")
        factories.organisation(
            session,
            legal_name="Przedsiębiorstwo Produkcyjno-Handlowo-Usługowe Konstrukcje Stalowe",
            short_name="Konstrukcje Stalowe Starachowice",
        )
        service.add_person(
            session,
            SYSTEM,
            firm.org_id,
            PersonIn(
                full_name="Katarzyna Wierzbicka-Szczepańska",
                role_title="Kierowniczka Działu Zaopatrzenia i Współpracy Międzynarodowej",
                email="katarzyna.wierzbicka-szczepanska.zaopatrzenie@spawalnia-testowa.example",
                contact_visibility="public",
            ),
        )
    return coordinator


@pytest.mark.parametrize("language", ["pl", "en"])
def test_words_wrap_whole_on_a_phone(
    site: Site, firm: Firm, new_context: NewContext, tmp_path: Path, language: str
) -> None:
    """At 390 px words wrap between words (tables become card rows); screenshots of the pages
    the walk-through found broken are left in the test's temporary folder."""
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    coordinator = _coordinator_and_long_words(site, firm)
    pages = ["/organisations", f"/organisations/{org_id}", "/users", "/audit", "/account"]
    problems = []
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{base}/login?lang={language}")
    page.locator("input[name=email]").fill(coordinator)
    page.locator("input[name=password]").fill(factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{base}/start")
    for path in pages:
        page.goto(base + path)
        measured = page.evaluate(SPLIT_WORDS)
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=tmp_path / f"{language}-{name}.png", full_page=True)
        if measured["split"] or measured["width"] > PHONE["width"]:
            problems.append(f"{path}: {measured}")
    assert not problems, "\n".join(problems)


def test_removing_a_member_on_a_phone_shows_what_happened_where_the_user_is(
    site: Site, firm: Firm, new_context: NewContext
) -> None:
    from playwright.sync_api import expect

    org_id = firm.org_id
    last = f"osoba5-{firm.tag}@firma.example"
    with site.writing() as session:
        org = session.get(Organisation, org_id)
        for n in range(6):  # enough rows that the last is below the fold
            email = f"osoba{n}-{firm.tag}@firma.example"
            factories.user(session, email=email, role="viewer", org=org)
    page = new_context(locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _log_in(page, firm, f"/organisations/{org_id}/members")
    row = page.locator("tr", has_text=last)
    row.get_by_role("button", name="Remove").click()
    done = page.locator("#done[role=status]")
    expect(done).to_contain_text("no longer has access to this organisation")
    expect(done).to_be_in_viewport(ratio=1)
    expect(done).to_be_focused()
    expect(page.locator("tr", has_text=last)).to_have_count(0)
