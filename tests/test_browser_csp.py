"""The pages and the API docs run under the strict Content-Security-Policy in a real browser: no
violation is reported, HTMX still works and Swagger UI renders the operations."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from tests import factories
from tests.browsing import Firm

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser

WATCH = """document.addEventListener("securitypolicyviolation",
  (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));"""


def test_pages_and_api_docs_cause_no_csp_violation(
    firm: Firm, new_context: Callable[..., BrowserContext]
) -> None:
    from playwright.sync_api import expect

    base, org_id = firm.base, firm.org_id
    problems: list[str] = []
    page = new_context(locale="en-GB").new_page()
    page.add_init_script(WATCH)

    def record(message: Any) -> None:
        if "Content Security Policy" in message.text or "CSP violation" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", record)
    page.goto(f"{base}/api/v1/docs")
    # The first OpenAPI schema is built on demand: on a busy machine that takes seconds.
    expect(page.get_by_text("/api/v1/organisations").first).to_be_visible(timeout=30_000)
    page.goto(f"{base}/login?next=/organisations/{org_id}/edit&lang=en")
    page.get_by_label("E-mail").fill(firm.admin)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}/organisations/{org_id}/edit")
    page.goto(f"{base}/organisations")
    page.get_by_label("Free text").fill(firm.name)
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 result", exact=True)).to_be_visible()
    page.goto(f"{base}/account")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Erase my account").click()
    expect(page).to_have_url(f"{base}/account")  # the confirmation was dismissed
    assert not problems, "\n".join(problems)
