"""Security headers on every response (DESIGN §5): a strict Content-Security-Policy (only this
site's own scripts, styles and frames; no inline code), no MIME sniffing, no framing, and no
full URLs leaked to other sites.

A response that needs a different policy (the API docs page, whose one inline script is
allowed by its hash) sets its own `content-security-policy`; every other header is added only
when the response has not set it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


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


class SecurityHeaders:
    """ASGI middleware adding `HEADERS` to every HTTP response, and Strict-Transport-Security
    when the site is reached over HTTPS only (`hsts`)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.headers = HEADERS | (
            {"strict-transport-security": STRICT_TRANSPORT_SECURITY} if hsts else {}
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
