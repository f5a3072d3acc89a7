"""`Cache-Control: no-store` on every answer but the static files.

Pages and API answers may carry personal data (the account page, personal-data exports) or
secrets (a new API token, the one-time links of invitations and password resets); no browser
or proxy may keep a copy. Deciding per route would let the next new route forget it, so only
the files under the static mounts, which are the same for everybody, may be cached. A response
that sets its own `cache-control` keeps it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHEABLE_PREFIXES = ("/static/", "/vendor/")


class NoStore:
    """ASGI middleware adding `cache-control: no-store` outside `CACHEABLE_PREFIXES`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CACHEABLE_PREFIXES):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).setdefault("cache-control", "no-store")
            await send(message)

        await self.app(scope, receive, send_no_store)
