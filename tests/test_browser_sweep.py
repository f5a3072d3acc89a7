"""Every page of the sweep (`tests/page_sweep.py`: every GET page route from the permission
matrix, as anonymous, an organisation admin, a city officer and the coordinator), in Polish and
in English, visited once per language in a real browser and checked twice over:

- on a phone (390 px) it fits the screen (no sideways scrolling), and
- WCAG 2.1 AA by axe-core (npm, `package.json`): no serious or critical violation, at 390 px
  and again at desktop width after resizing the same page (the layout changes at 600 and
  768 px, so each width hides and shows different elements).

Polish pages are checked in the light colour scheme, English in the dark one.

CI checks a sample of the desktop width: each route once at 1280 px (its first visit), every
visit at 390 px. `make sweep` (UPLAND_SWEEP=full) checks every visit at both widths."""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.page_sweep import (
    LANGUAGES,
    Sweep,
    Visit,
    logged_in_context,
    set_language,
    sweep,  # noqa: F401 - the fixture
    uncovered,
)

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"pl": "light", "en": "dark"}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + n.failureSummary)}));
}"""
# The phone's width is passed in: once a page overflows, a mobile browser zooms out and
# window.innerWidth grows with the page, so the culprits would not be named.
OVERFLOW = """(phone) => {
  const wide = [...document.querySelectorAll("body *")].filter((e) => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > phone + 1;
  }).slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
    (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : ""));
  return {width: document.documentElement.scrollWidth, wide: wide};
}"""
# What upland.js does when a page loads on a wide screen; the sweep widens a page loaded narrow.
FULL = os.environ.get("UPLAND_SWEEP") == "full"
OPEN_WIDE = """() => { for (const folded of document.querySelectorAll("details[data-open-wide]"))
  folded.open = true; }"""


def test_the_sweep_covers_every_page_route(sweep: Sweep) -> None:  # noqa: F811
    """A GET route answering HTML to somebody is swept, or listed in NOT_PAGES with a reason."""
    assert len(sweep.served_pages) >= 15, "too few pages found: is the matrix read?"
    assert not uncovered(sweep), uncovered(sweep)
    swept = {(v.route, language) for v in sweep.visits for language in v.languages}
    assert swept >= {(r, language) for r in sweep.served_pages for language in LANGUAGES}
    assert {v.actor for v in sweep.visits} >= {
        "anonymous",
        "own_admin",
        "officer_here",
        "coordinator",
    }


def test_a_page_route_left_out_of_the_sweep_is_named() -> None:
    visit = Visit("list", "/organisations", "/organisations", "anonymous", "anonymous")
    partial = Sweep("http://x", [visit], {"anonymous": None}, {"/organisations", "/vocabulary"})
    assert uncovered(partial) == ["/vocabulary"]


class Findings:
    """What the sweep found: problems to report, minor axe findings to print, time spent."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.minor: dict[str, int] = defaultdict(int)
        self.checked = 0
        self.widened = 0
        self.axe_seconds = {"390": 0.0, "desktop": 0.0}

    def axe(self, page: Page, where: str, width: str) -> None:
        started = time.perf_counter()
        for v in page.evaluate(RUN_AXE, TAGS):
            if v["impact"] in ("serious", "critical"):
                self.problems.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
                self.problems.extend(f"    {node}" for node in v["nodes"])
            else:
                self.minor[f"{v['id']} ({v['impact']})"] += 1
        self.axe_seconds[width] += time.perf_counter() - started

    def overflow(self, page: Page, language: str, visit: Visit) -> None:
        measured = page.evaluate(OVERFLOW, PHONE["width"])
        if measured["width"] > PHONE["width"]:
            self.problems.append(
                f"{language} {visit.actor} {visit.path}: {measured['width']} px wide"
                f" ({', '.join(measured['wide'])})"
            )


def test_a_finding_names_the_page_the_rule_and_the_element(
    new_context: Callable[..., BrowserContext],
) -> None:
    """The sweep's checks themselves, on a page made to fail both: too wide, an image
    without a text alternative."""
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    page.set_content(
        '<!doctype html><html lang="en"><head><title>t</title><meta name="viewport" '
        'content="width=device-width"></head><body><main><h1>t</h1><img src="data:,">'
        '<div id="wide" style="width: 600px">wide</div></main></body></html>'
    )
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = Findings()
    visit = Visit("list", "/organisations", "/organisations", "anonymous", "anonymous")
    found.overflow(page, "en", visit)
    found.axe(page, "en (light) anonymous /organisations at 390 px", "390")
    assert found.problems[0].startswith("en anonymous /organisations: 6"), found.problems
    assert "div#wide" in found.problems[0], found.problems
    assert (
        "en (light) anonymous /organisations at 390 px: image-alt (critical) "
        "Images must have alternative text"
    ) in found.problems, found.problems
    assert any(line.startswith("    img") for line in found.problems), found.problems


def _check(
    page: Page,
    sweep: Sweep,  # noqa: F811
    language: str,
    visit: Visit,
    found: Findings,
    widen: bool,
) -> None:
    """One visit: the page at 390 px (fits, axe), then, if `widen`, the same page widened
    (axe)."""
    scheme = SCHEMES[language]
    page.set_viewport_size(PHONE)
    answer = page.goto(sweep.base + visit.path)
    where = f"{language} ({scheme}) {visit.actor} {visit.path}"
    assert answer is not None and answer.status == visit.status, where
    assert answer.headers["content-type"].startswith("text/html"), (
        f"{where} is no HTML page: list its route in NOT_PAGES"
    )
    assert page.locator("html").get_attribute("lang") == language, where
    found.overflow(page, language, visit)
    found.axe(page, f"{where} at 390 px", "390")
    found.checked += 1
    if not widen:
        return
    page.set_viewport_size(DESKTOP)
    page.evaluate(OPEN_WIDE)
    found.axe(page, f"{where} at {DESKTOP['width']} px", "desktop")
    found.widened += 1


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    sweep: Sweep,  # noqa: F811
    new_context: Callable[..., BrowserContext],
) -> None:
    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    source = AXE.read_text(encoding="utf-8")
    by_key: dict[str, list[Visit]] = defaultdict(list)
    for visit in sweep.visits:
        by_key[visit.key].append(visit)
    found = Findings()
    widened: set[str] = set()
    started = time.perf_counter()
    for key, visits in by_key.items():
        phone: dict[str, Any] = {"viewport": PHONE, "is_mobile": True, "has_touch": True}
        context = logged_in_context(new_context, sweep, key, locale="pl-PL", **phone)
        context.add_init_script(script=source)  # main world, not blocked by the CSP
        page = context.new_page()
        # A page that waits for a model loading on a busy CI machine (the PKD suggester) may
        # take longer than Playwright's 30 s default to answer; its speed is bench/'s business.
        page.set_default_navigation_timeout(90_000)
        for language in LANGUAGES:
            set_language(context, sweep.base, language)
            page.emulate_media(color_scheme=SCHEMES[language])
            for visit in (v for v in visits if language in v.languages):
                _check(page, sweep, language, visit, found, FULL or visit.route not in widened)
                widened.add(visit.route)
        context.close()
    axe = ", ".join(f"{width}: {seconds:.1f} s" for width, seconds in found.axe_seconds.items())
    print(
        f"\nsweep: {found.checked} pages ({found.widened} also at desktop width)"
        f" in {time.perf_counter() - started:.1f} s"
        f" (axe {axe}); minor: {dict(found.minor)}"
    )
    assert found.checked >= 2 * len({v.route for v in sweep.visits})
    assert found.widened >= len({v.route for v in sweep.visits})
    assert not found.problems, "\n".join(found.problems)
