"""WCAG 2.1 AA in a real browser: axe-core (npm, `package.json`) on every page of the sweep
(`tests/page_sweep.py`: every GET page route from the permission matrix, as anonymous, an
organisation admin, a city officer and the coordinator) in Polish and in English; no serious
or critical violation is allowed."""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import pytest

from tests.page_sweep import (
    LANGUAGES,
    Sweep,
    Visit,
    launch,
    logged_in_context,
    set_language,
    sweep_server,  # noqa: F401 - the fixture
    uncovered,
)

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Polish pages in the light colour scheme, English in the dark one: both schemes on every page.
SCHEMES = {"pl": "light", "en": "dark"}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                          resultTypes: ["violations"]});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + " — " + n.failureSummary)}));
}"""


def test_the_sweep_covers_every_page_route(sweep_server: Sweep) -> None:  # noqa: F811
    """A GET route answering HTML to somebody is swept, or listed in NOT_PAGES with a reason."""
    assert len(sweep_server.served_pages) >= 15, "too few pages found: is the matrix read?"
    assert not uncovered(sweep_server), uncovered(sweep_server)
    swept = {(v.route, language) for v in sweep_server.visits for language in v.languages}
    assert swept >= {(r, language) for r in sweep_server.served_pages for language in LANGUAGES}
    assert {v.actor for v in sweep_server.visits} >= {
        "anonymous",
        "own_admin",
        "officer_here",
        "coordinator",
    }


def test_a_page_route_left_out_of_the_sweep_is_named() -> None:
    visit = Visit("list", "/organisations", "/organisations", "anonymous", "anonymous")
    sweep = Sweep("http://x", [visit], {"anonymous": None}, {"/organisations", "/vocabulary"})
    assert uncovered(sweep) == ["/vocabulary"]


def test_no_serious_or_critical_violation_on_any_page(sweep_server: Sweep) -> None:  # noqa: F811
    from playwright.sync_api import sync_playwright

    assert AXE.is_file(), "axe-core is missing: run `make setup` (npm ci)"
    source = AXE.read_text(encoding="utf-8")
    by_key = defaultdict(list)
    for visit in sweep_server.visits:
        by_key[visit.key].append(visit)
    problems: list[str] = []
    minor: dict[str, int] = defaultdict(int)
    started, checked = time.perf_counter(), 0
    with sync_playwright() as p:
        browser = launch(p)
        for key, visits in by_key.items():
            context = logged_in_context(browser, sweep_server, key, locale="pl-PL")
            context.add_init_script(script=source)  # main world, not blocked by the CSP
            page = context.new_page()
            for language in LANGUAGES:
                set_language(context, sweep_server, language)
                page.emulate_media(color_scheme=SCHEMES[language])
                for visit in (v for v in visits if language in v.languages):
                    answer = page.goto(sweep_server.base + visit.path)
                    where = f"{language} ({SCHEMES[language]}) {visit.actor} {visit.path}"
                    assert answer is not None and answer.status == visit.status, where
                    assert answer.headers["content-type"].startswith("text/html"), (
                        f"{where} is no HTML page: list its route in NOT_PAGES"
                    )
                    assert page.locator("html").get_attribute("lang") == language, where
                    for v in page.evaluate(RUN_AXE, TAGS):
                        if v["impact"] in ("serious", "critical"):
                            problems.append(f"{where}: {v['id']} ({v['impact']}) {v['help']}")
                            problems.extend(f"    {node}" for node in v["nodes"])
                        else:
                            minor[f"{v['id']} ({v['impact']})"] += 1
                    checked += 1
            context.close()
        browser.close()
    print(f"\naxe: {checked} pages in {time.perf_counter() - started:.1f} s; minor: {dict(minor)}")
    assert checked >= 2 * len({v.route for v in sweep_server.visits})
    assert not problems, "\n".join(problems)
