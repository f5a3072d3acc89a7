"""A walk through the events pages as each role sees them, for a person to look at (issue 11).

Loads the demo world into a fresh SQLite file and serves it (`bench/screenshots.demo_server`),
then drives Debian's Chromium through Playwright as the organiser (the coordinator), a
participant of a member firm (a demo delegate), a guest (no account) and a city officer, in
Polish and English, at 390 px and 1280 px. Writes one PNG per page into --out and prints, per
page, its HTTP status and whether anything is wider than the screen (a horizontal scroll at
390 px is what a phone user stumbles on). The few kept for the docs are copied by hand into
docs/screenshots/events-*.png.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screenshots import demo_server, logged_in

from upland.demo.world import USER_DOMAIN

WIDTHS = (390, 1280)
OVERFLOW = """() => {
  const w = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > w + 1 && getComputedStyle(e).position !== 'fixed'
      && !e.closest('[style*="overflow"], .overflow-auto, figure, table');
  }).slice(0, 3).map(e => e.tagName + (e.id ? '#' + e.id : '')
    + (e.className ? '.' + String(e.className).split(' ')[0] : ''));
  return {scroll: document.documentElement.scrollWidth, width: w, wide: wide};
}"""


def _events(base: str) -> tuple[int, int]:
    """The coming brokerage day and the last one held."""
    items = httpx.get(f"{base}/api/v1/events").json()["items"]
    today = dt.date.today().isoformat()
    days = sorted((e["starts_on"], e["id"]) for e in items if e.get("starts_on"))
    coming = next(i for d, i in days if d >= today)
    held = [i for d, i in days if d < today][-1]
    return coming, held


def walks(coming: int, held: int) -> list[tuple[str, str | None, list[str]]]:
    return [
        ("guest", None, ["/events", f"/events/{coming}"]),
        (
            "participant",
            f"delegat.1@{USER_DOMAIN}",
            [
                f"/events/{coming}",
                f"/events/{coming}/participants",
                f"/events/{coming}/requests",
                f"/events/{held}/agenda",
            ],
        ),
        (
            "organiser",
            f"koordynator@{USER_DOMAIN}",
            [
                f"/events/{coming}",
                f"/events/{coming}/registrations",
                f"/events/{coming}/requests",
                f"/events/{held}/schedule",
                f"/events/{held}/check-in",
                f"/events/{held}/report",
            ],
        ),
        (
            "officer",
            f"urzednik.radom@{USER_DOMAIN}",
            ["/events/area-report", f"/events/area-report?event={held}"],
        ),
    ]


def take(base: str, out: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    coming, held = _events(base)
    print(f"coming day {coming}, last held {held}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for role, login, paths in walks(coming, held):
            for lang in ("pl", "en"):
                for width in WIDTHS:
                    context, page = logged_in(browser, base, login, lang, width)
                    for path in paths:
                        sep = "&" if "?" in path else "?"
                        answer = page.goto(f"{base}{path}{sep}lang={lang}")
                        status = answer.status if answer else 0
                        found = page.evaluate(OVERFLOW)
                        stem = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "")
                        target = out / f"{role}-{stem}-{lang}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        wide = found["scroll"] > found["width"]
                        print(
                            f"{role:11} {lang} {width:4} {status} {path:34} "
                            f"{'OVERFLOW ' + str(found) if wide else 'ok'}"
                        )
                    context.close()
        browser.close()


DOCS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def take_docs(base: str, out: Path, chromium: str) -> None:
    """The few small PNGs docs/events.md shows: one part of a page each."""
    from playwright.sync_api import sync_playwright

    coming, held = _events(base)
    shots = (
        # (file, log-in, language, width, path, element or None for the screen's top)
        (
            "events-agenda-en-390",
            f"delegat.1@{USER_DOMAIN}",
            "en",
            390,
            f"/events/{held}/agenda",
            "article.agenda-meeting",
        ),
        (
            "events-table-plan-pl-390",
            f"koordynator@{USER_DOMAIN}",
            "pl",
            390,
            f"/events/{held}/schedule",
            "#plan tbody tr",
        ),
        (
            "events-area-report-pl-1280",
            f"urzednik.radom@{USER_DOMAIN}",
            "pl",
            1280,
            f"/events/area-report?event={held}",
            None,
        ),
        ("events-guest-form-pl-390", None, "pl", 390, f"/events/{coming}", "#register"),
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for stem, login, lang, width, path, element in shots:
            context, page = logged_in(browser, base, login, lang, width)
            sep = "&" if "?" in path else "?"
            page.goto(f"{base}{path}{sep}lang={lang}")
            target = out / f"{stem}.png"
            if element:
                page.locator(element).first.screenshot(path=str(target))
            else:
                page.screenshot(path=str(target))
            print(target)
            context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="where the PNGs of the walk go")
    parser.add_argument("--docs", action="store_true", help="only the docs' few, into docs/")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium", help="browser"
    )
    args = parser.parse_args()
    out = args.out or DOCS
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp)) as base:
        (take_docs if args.docs else take)(base, out, args.chromium)


if __name__ == "__main__":
    main()
