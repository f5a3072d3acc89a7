"""How much of a request body the server reads: refused with 413 before any work.

A pure ASGI middleware (inside the request context, so a 413 carries the request id, the
security headers and a log line). Two classes of route:

- routes that take a file (found in the route table: a `File()` parameter) accept
  `UPLAND_MAX_UPLOAD_MB` plus room for the form around the file, but only from a client whose
  bearer token or session cookie belongs to an active user (`accounts.credentials`: one
  indexed look-up of a SHA-256, no password hashing). Merely sending a header is not enough:
  an anonymous client with a made-up cookie or token gets the small limit, and its 200 MB
  body is never spooled;
- every other route (forms, JSON) accepts `UPLAND_MAX_REQUEST_KB`.

An upload route that names its permission (`upload_gate.RequireFirst`) also refuses (403)
whoever may not use it, from the same look-up, before reading the body: FastAPI would parse the
whole form before any dependency of the route could say no.

A declared `Content-Length` over the limit is answered at once, without reading the body; a
body that grows past it while streaming (chunked, or a lying header) is cut off where it
passes the limit: the answer is sent and the route stops reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from upland.errors import PermissionDenied
from upland.i18n import N_
from upland.i18n import Message as Said
from upland.settings import Settings
from upland.web import upload_gate
from upland.web.deps import SESSION_KEY
from upland.web.errors import domain_error_response
from upland.web.templating import language_of, render

FORM_ALLOWANCE = 1024 * 1024  # the multipart framing and fields around an uploaded file
TOO_LARGE = N_("the request is too large: at most {size} is accepted")


class BodyTooLarge(HTTPException):
    """Stops a route reading on (FastAPI passes HTTP exceptions through its body parsing)."""

    def __init__(self) -> None:
        super().__init__(413, "request too large")


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


def too_large(request: Request, limit: int) -> Response:
    message = Said(TOO_LARGE, {"size": _size(limit)})
    if request.url.path.startswith("/api/"):
        body = {"detail": message.english(), "code": "request.too_large"}
        return JSONResponse(body, status_code=413, headers={"connection": "close"})
    context = {"status": 413, "message": message.render(language_of(request))}
    page = render(request, "error.html", context, 413)
    page.headers["connection"] = "close"
    return page


def _takes_file(route: Any) -> bool:
    if not isinstance(route, APIRoute):
        return False
    return any(isinstance(f.field_info, params.File) for f in route.dependant.body_params)


def _bearer(header: bytes) -> str | None:
    scheme, _, value = header.decode("latin-1").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@dataclass(frozen=True)
class _Verdict:
    limit: int
    refused: PermissionDenied | None = None  # the upload route refuses this sender outright


class BodyLimit:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.small = settings.max_request_kb * 1024
        self.upload = settings.max_upload_mb * 1024 * 1024 + FORM_ALLOWANCE
        self._upload_paths: list[tuple[re.Pattern[str], set[str], str | None]] | None = None
        self._upload_methods: set[str] = set()

    def _upload_route(self, scope: Scope) -> tuple[bool, str | None]:
        """Whether the method and path are an upload route's, and the permission it demands
        first."""
        if self._upload_paths is None:  # the route table is complete by the first request
            routes = iter_route_contexts(scope["app"].routes) if "app" in scope else []
            self._upload_paths = [
                (
                    compile_path(c.path or "")[0],
                    set(getattr(c.original_route, "methods", None) or ()),
                    upload_gate.permission_of(c.original_route),
                )
                for c in routes
                if _takes_file(c.original_route)
            ]
            self._upload_methods = set().union(*(p[1] for p in self._upload_paths))
        path, method = scope["path"], scope["method"]
        if method not in self._upload_methods:  # most requests (GETs): no pattern to try
            return (False, None)
        found = next((p for p in self._upload_paths if method in p[1] and p[0].match(path)), None)
        return (found is not None, found[2] if found else None)

    async def _verdict(self, scope: Scope) -> _Verdict:
        is_upload, permission = self._upload_route(scope)
        if not is_upload:
            return _Verdict(self.small)
        # The first Authorization header, as the route's own actor resolution reads it.
        first = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        bearer = _bearer(first)
        cookie = scope.get("session", {}).get(SESSION_KEY)  # its signature checked by then
        cookie = cookie if isinstance(cookie, str) else None
        actor = None
        if bearer or cookie:
            actor = await run_in_threadpool(upload_gate.uploader, scope.get("app"), bearer, cookie)
        limit = self.upload if actor is not None else self.small
        return _Verdict(limit, upload_gate.refusal(actor, bearer, permission))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Every method: a GET with a body is still read by whatever parses bodies (the input
        # checks read form and JSON bodies of any request), so it gets the same small limit.
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        verdict = await self._verdict(scope)
        limit = verdict.limit
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await too_large(Request(scope), limit)(scope, receive, send)
            return
        if verdict.refused is not None:  # an upload its sender may not make: not read at all
            await domain_error_response(Request(scope), verdict.refused)(scope, receive, send)
            return
        received = 0
        answered = False

        async def counted() -> Message:
            nonlocal received, answered
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    if not answered:
                        answered = True
                        await too_large(Request(scope), limit)(scope, receive, send)
                    raise BodyTooLarge()
            return message

        async def unless_answered(message: Message) -> None:
            if not answered:  # the route's own answer to the cut-off body is dropped
                await send(message)

        try:
            await self.app(scope, counted, unless_answered)
        except BodyTooLarge:
            if not answered:
                raise
