"""Where a person returns after logging in or switching language: the page they were on, path
and query, and only ever a page of this site (no open redirect)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# Pages a return address never names: coming back to them would only log in again.
NOT_RETURNED_TO = ("/login", "/logout", "/password/")


def same_site(target: str | None) -> str | None:
    """`target` (a path with its query) if it is a page of this site, else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    return target


def here(path: str, query: str) -> str:
    """The address of the page being shown: path and query."""
    return path + (f"?{query}" if query else "")


def login_href(path: str, query: str = "") -> str:
    """The log-in link of a page: back to this path and query once logged in."""
    if path == "/" or path.startswith(NOT_RETURNED_TO):
        return "/login"
    return "/login?next=" + quote(here(path, query), safe="/")
