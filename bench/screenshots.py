"""Screenshots of the front door and the marketplace for docs/screenshots/ (`make screenshots`).

Loads the demo world into a fresh SQLite file, serves it with `upland serve` and drives
Debian's Chromium through Playwright: the public home page and the marketplace as an
anonymous visitor (1280 px, and 390 px as on a phone), the starting page of an organisation
admin, a city officer and the coordinator, a member's own opportunities (also on a phone) and
introductions, the coordinator's review queue and a city officer's marketplace dashboard,
each in Polish and English. Run it again after changing a page; the PNGs are committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from upland.demo.world import PASSWORD, USER_DOMAIN

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
# (file stem, demo log-in or None for the anonymous visitor, path)
SHOTS = (
    ("home", None, "/"),
    ("start-org-admin", f"admin.firma@{USER_DOMAIN}", "/start"),
    ("start-city-officer", f"urzednik.radom@{USER_DOMAIN}", "/start"),
    ("start-coordinator", f"koordynator@{USER_DOMAIN}", "/start"),
    ("market", None, "/market"),
    ("market-mine", f"czlonek@{USER_DOMAIN}", "/market/mine"),
    ("market-introductions", f"admin.firma@{USER_DOMAIN}", "/market/introductions"),
    ("market-review", f"koordynator@{USER_DOMAIN}", "/market/review"),
    ("market-dashboard", f"urzednik.radom@{USER_DOMAIN}", "/market/dashboard"),
)
# Pages also taken at a phone's width: the public ones and a member's everyday pages.
ON_PHONES = {"home", "market", "market-mine"}
WIDE, PHONE = 1280, 390


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def demo_server(work: Path) -> Iterator[str]:
    """`upland demo` into a fresh database, then `upland serve`; yields the base URL."""
    port = _free_port()
    env = {
        **os.environ,
        "UPLAND_DATABASE_URL": f"sqlite:///{work / 'demo.db'}",
        "UPLAND_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "UPLAND_SECRET_KEY": "screenshots-secret-key-long-enough-to-serve",
        "UPLAND_NODE_MODULES": str(ROOT / "node_modules"),
        "UPLAND_CACHE_DIR": str(work / "cache"),
        "UPLAND_DEV_MODE": "true",
    }
    env.pop("UPLAND_SMTP_HOST", None)
    env.pop("UPLAND_REDIS_URL", None)
    upland = [sys.executable, "-m", "upland"]
    subprocess.run([*upland, "demo", "--quiet"], env=env, cwd=work, check=True)
    server = subprocess.Popen(
        [*upland, "serve", "--port", str(port)],
        env=env,
        cwd=work,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise SystemExit("upland serve did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def logged_in(
    browser: Any, base: str, login: str | None, lang: str, width: int, height: int = 900
) -> tuple[Any, Any]:
    """A browser context at `width` in `lang`, logged in as the demo user `login` (None: an
    anonymous visitor), and its page."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale=f"{lang}-PL")
    page = context.new_page()
    if login:
        page.goto(f"{base}/login?lang={lang}")
        page.locator("#f-email").fill(login)
        page.locator("#f-password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/start")
    return context, page


def take(base: str, out: Path, chromium: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for stem, login, path in SHOTS:
            for lang in ("pl", "en"):
                widths = (WIDE, PHONE) if stem in ON_PHONES else (WIDE,)
                for width in widths:
                    context, page = logged_in(browser, base, login, lang, width)
                    page.goto(f"{base}{path}?lang={lang}")
                    suffix = "" if width == WIDE else f"-{width}"
                    target = out / f"{stem}-{lang}{suffix}.png"
                    height = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": width, "height": height}
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                    written.append(target)
                    context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go")
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium", help="browser"
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp)) as base:
        for path in take(base, args.out, args.chromium):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


if __name__ == "__main__":
    main()
