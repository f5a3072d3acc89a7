"""Per-request context: the request id, the page language, one log line, a 500 that keeps the id,
and the headers every answer carries (`security_headers.response_headers`: the security headers
and `Cache-Control: no-store`), added in the same pass over the answer's headers.

A plain ASGI middleware, not Starlette's `BaseHTTPMiddleware` (`@app.middleware("http")`),
which runs the rest of the app in a task of its own and copies every response through a
stream: measurable on every request (`upland bench web`). For the same reason the headers are
added here rather than by two more middleware of their own (each layer is a call and a wrapped
`send` on every request).
"""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from upland import logs
from upland.settings import Settings
from upland.web import errors
from upland.web.i18n import LANGUAGES, negotiate
from upland.web.security_headers import add_missing, response_headers

log = logging.getLogger("upland.http")
LANGUAGE_COOKIE_AGE = 365 * 86400


class RequestContext:
    def __init__(self, app: ASGIApp, settings: Settings, *, hsts: bool = False) -> None:
        self.app = app
        self.settings = settings
        self.hsts = hsts

    def _language(self, request: Request) -> str:
        """`?lang=` → cookie → `Accept-Language` → the default."""
        chosen = request.query_params.get("lang")
        if chosen in LANGUAGES:
            return str(chosen)
        cookie = request.cookies.get("lang")
        if cookie in LANGUAGES:
            return str(cookie)
        return negotiate(request.headers.get("accept-language"), self.settings.default_language)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        rid = logs.accepted_request_id(request.headers.get("x-request-id"))
        token = logs.request_id.set(rid)
        language = request.state.language = self._language(request)
        remember = (
            request.query_params.get("lang") in LANGUAGES
            and request.cookies.get("lang") != language
        )
        started = time.perf_counter()
        status = 500
        answered = False
        defaults = response_headers(scope["path"], hsts=self.hsts)

        async def send_with_context(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                answered, status = True, message["status"]
                headers = MutableHeaders(scope=message)
                add_missing(headers.raw, defaults)
                headers["x-request-id"] = rid
                if remember:
                    secure = "; secure" if self.settings.https else ""
                    headers.append(
                        "set-cookie",
                        f"lang={language}; Max-Age={LANGUAGE_COOKIE_AGE}; Path=/; "
                        f"SameSite=lax{secure}",
                    )
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        except Exception:
            # Answered here, not by Starlette's outer handler, so even a 500 carries the id.
            log.exception(
                "unhandled error",
                extra={"method": request.method, "path": logs.redact_path(request.url.path)},
            )
            if answered:
                raise
            await errors.internal_error(request, rid)(scope, receive, send_with_context)
        finally:
            logs.request_id.reset(token)
            self._log(request, rid, status, started)

    @staticmethod
    def _log(request: Request, rid: str, status: int, started: float) -> None:
        actor = getattr(request.state, "actor", None)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": logs.redact_path(request.url.path),
                "status": status,
                "request_id": rid,
                "client": request.client.host if request.client else None,
                "user_id": actor.user_id if actor is not None else None,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
