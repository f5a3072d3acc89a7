"""Security headers on every response (DESIGN §5): a strict Content-Security-Policy (only this
site's own scripts, styles and frames; no inline code), no MIME sniffing, no framing, and no
full URLs leaked to other sites.

A response that needs a different policy (the API docs page, whose one inline script is
allowed by its hash) sets its own `content-security-policy`; every other header is added only
when the response has not set it.
"""

from __future__ import annotations

from functools import lru_cache

from upland.web.no_store import CACHEABLE_PREFIXES, NO_STORE


def content_security_policy(script_src: str = "'self'") -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self'",
            "img-src 'self' data:",  # Pico's and Swagger UI's icons are data: SVGs in their CSS
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


HEADERS = {
    "content-security-policy": content_security_policy(),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "cross-origin-opener-policy": "same-origin",
}


# A year; subdomains are left alone, they may be other services of the operator.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"


@lru_cache(maxsize=4)
def _defaults(hsts: bool, cacheable: bool) -> tuple[tuple[bytes, bytes], ...]:
    headers = HEADERS | ({"strict-transport-security": STRICT_TRANSPORT_SECURITY} if hsts else {})
    if not cacheable:
        headers = headers | NO_STORE
    return tuple(
        (name.encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()
    )


def response_headers(path: str, *, hsts: bool = False) -> tuple[tuple[bytes, bytes], ...]:
    """The headers every answer to `path` carries unless it sets them itself: `HEADERS`,
    Strict-Transport-Security when the site is reached over HTTPS only (`hsts`), and
    `no_store.NO_STORE` outside the static files. `request_context.RequestContext` adds them,
    in the one pass over each answer's headers that also adds the request id."""
    return _defaults(hsts, path.startswith(CACHEABLE_PREFIXES))


def add_missing(raw: list[tuple[bytes, bytes]], defaults: tuple[tuple[bytes, bytes], ...]) -> None:
    """Append to an answer's raw headers each of `defaults` it does not set itself."""
    present = {name.lower() for name, _ in raw}
    raw.extend(header for header in defaults if header[0] not in present)
