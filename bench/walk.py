"""Walk the demo platform as each of its users would (`make walk`).

Loads the demo world into a fresh SQLite file and serves it (as `bench/screenshots.py` does),
then, for the anonymous visitor and every demo log-in, follows the links a user can click from
their starting page, breadth first, in Polish at 390 px (a phone) and in English at 1280 px.
Each page is checked the way a user meets it: its status (a link that answers 4xx or 5xx is a
broken promise), how long it took, whether it scrolls sideways on the phone, and whether the
browser logged an error. Pages of one shape (`/organisations/12` and `/organisations/40`) are
visited once, so the walk covers every kind of page each role reaches without loading all of
them. The starting page of each role is kept as a screenshot in `--out`.

Prints one line per problem and a table per role; exits 1 when any page failed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from screenshots import demo_server  # type: ignore[import-not-found]

from upland.demo.world import PASSWORD, build_world

ROOT = Path(__file__).resolve().parents[1]
# Not pages: downloads, the language switch, leaving, fragments for htmx.
SKIP = re.compile(
    r"^/(logout|language|static/)|/export|\.(json|csv|xlsx|pdf|png|svg)$|/options$|/attachments/"
)
PASSES = (("pl", 390), ("en", 1280))
NUMBER = re.compile(r"\d+")


@dataclass
class Visit:
    url: str
    status: int
    seconds: float
    sideways: bool = False
    errors: list[str] = field(default_factory=list)


@dataclass
class Walk:
    who: str
    language: str
    width: int
    visits: list[Visit] = field(default_factory=list)

    def problems(self) -> list[str]:
        found = []
        for v in self.visits:
            if v.status >= 400:
                found.append(f"HTTP {v.status}")
            if v.sideways:
                found.append("scrolls sideways")
            found.extend(f"console: {e}" for e in v.errors)
        return found


def shape(url: str) -> str:
    """`/organisations/12?page=2` and `/organisations/40?page=3` are one kind of page."""
    parts = urlsplit(url)
    keys = sorted({p.split("=", 1)[0] for p in parts.query.split("&") if p})
    return NUMBER.sub("#", parts.path) + ("?" + "&".join(keys) if keys else "")


def log_in(page, base: str, email: str, language: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/login?lang={language}")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/start")


def walk_one(
    browser,
    base: str,
    who: str,
    email: str | None,
    language: str,
    width: int,
    limit: int,
    out: Path,
) -> Walk:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale=f"{language}-PL")
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and r.request.resource_type != "document"
            else None
        ),
    )
    start = "/"
    if email:
        log_in(page, base, email, language)
        start = "/start"
    start += f"?lang={language}"
    result = Walk(who, language, width)
    seen = {shape(start)}
    queue = deque([start])
    while queue and len(result.visits) < limit:
        path = queue.popleft()
        errors.clear()
        began = time.perf_counter()
        response = page.goto(urljoin(base, path))
        seconds = time.perf_counter() - began
        status = response.status if response else 0
        sideways = bool(
            page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        )
        result.visits.append(Visit(path, status, seconds, sideways, list(errors)))
        if len(result.visits) == 1:
            page.screenshot(path=str(out / f"{who}-{language}-{width}.png"), full_page=True)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or shape(local) in seen:
                continue
            seen.add(shape(local))
            queue.append(local)
    context.close()
    return result


def report(walks: list[Walk]) -> int:
    failed = 0
    print("| who | language | width | pages | slowest (s) | problems |")
    print("|---|---|---|---:|---:|---:|")
    for w in walks:
        slowest = max(w.visits, key=lambda v: v.seconds)
        print(
            f"| {w.who} | {w.language} | {w.width} | {len(w.visits)} | "
            f"{slowest.seconds:.2f} {slowest.url} | {len(w.problems())} |"
        )
    for w in walks:
        for v in w.visits:
            bad = v.status >= 400 or v.sideways or v.errors
            if bad:
                failed += 1
                print(
                    f"PROBLEM {w.who} {w.language} {w.width}px {v.url}: status {v.status}"
                    f"{' sideways' if v.sideways else ''} {'; '.join(v.errors)[:300]}"
                )
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "walk", help="screenshots")
    parser.add_argument("--limit", type=int, default=60, help="pages per role and pass")
    parser.add_argument("--only", help="walk only log-ins containing this text")
    parser.add_argument("--urls", action="store_true", help="also list every page visited")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium", help="browser"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    people: list[tuple[str, str | None]] = [("anonymous", None)]
    people += [(u.email.split("@")[0], u.email) for u in build_world().users]
    if args.only:
        people = [p for p in people if args.only in p[0]]
    from playwright.sync_api import sync_playwright

    walks = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        demo_server(Path(tmp)) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for who, email in people:
            for language, width in PASSES:
                walks.append(
                    walk_one(browser, base, who, email, language, width, args.limit, args.out)
                )
                print(
                    f"walked {who} {language} {width}px: {len(walks[-1].visits)} pages",
                    file=sys.stderr,
                )
        browser.close()
    if args.urls:
        for w in walks:
            for v in w.visits:
                print(f"{w.who} {w.language} {v.status} {v.seconds:.2f}s {v.url}")
    sys.exit(report(walks))


if __name__ == "__main__":
    main()
