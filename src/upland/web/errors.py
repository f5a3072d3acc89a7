"""One mapping from domain errors to HTTP: JSON under /api (English, as documented), HTML pages
elsewhere (in the page's language)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from redis.exceptions import RedisError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from upland.errors import (
    Busy,
    Conflict,
    Gone,
    Invalid,
    NotFound,
    PermissionDenied,
    TooMany,
    UplandError,
)
from upland.i18n import N_, Message, gettext_in
from upland.validation import error_code, field_of, pydantic_message
from upland.web.messages import describe
from upland.web.return_to import login_href
from upland.web.templating import language_of, render

log = logging.getLogger(__name__)

_INTERNAL = N_("internal error; quote request id {id} when reporting it")
_INVALID_REQUEST = N_("invalid request")
# Starlette's own answers (unknown paths, methods, bodies it cannot parse), as msgids.
N_("Not Found")
N_("Method Not Allowed")

STATUS = {
    NotFound: 404,
    PermissionDenied: 403,
    Invalid: 422,
    Conflict: 409,
    Gone: 410,
    TooMany: 429,
    Busy: 503,
}
RETRY_AFTER_SECONDS = 5


class FieldErrorRead(BaseModel):
    field: str
    message: str
    code: str


class ErrorRead(BaseModel):
    """The body of every JSON error: what went wrong (in English), a stable `code` for
    programs and, for 422, which fields and why."""

    detail: str
    code: str
    errors: list[FieldErrorRead] | None = None


# Declared on each API router, so the OpenAPI schema documents the error answers it can give.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorRead, "description": "The request body could not be parsed"},
    403: {"model": ErrorRead, "description": "Not allowed for you, or an unknown API token"},
    404: {"model": ErrorRead, "description": "No such object, or not visible to you"},
    409: {"model": ErrorRead, "description": "Conflicts with data already stored"},
    422: {"model": ErrorRead, "description": "Invalid input; `errors` names each field"},
    503: {"model": ErrorRead, "description": "Busy with a long task; retry after `Retry-After`"},
}


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    )


def _field(error: Any) -> str:
    """Where a request failed, without the leading 'body'/'query'/'path' (unless that is all)."""
    return field_of(error, skip=1)


def _http_code(status: int) -> str:
    """'not_found', 'method_not_allowed': a stable code for Starlette's own answers."""
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


def _status(exc: UplandError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)


def _allowed_methods(request: Request) -> str | None:
    """Every method some route serves at this path; Starlette's 405 names one route's only."""
    allowed = []
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        probe = {k: request.scope.get(k, "") for k in ("type", "path", "root_path")}
        routes = (r for r in request.app.router.routes if not isinstance(r, Mount))
        if any(route.matches({**probe, "method": method})[0] is Match.FULL for route in routes):
            allowed.append(method)
    return ", ".join(allowed) or None


def _retry(exc: UplandError) -> dict[str, str]:
    if isinstance(exc, Busy):
        return {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if isinstance(exc, TooMany) and exc.retry_after is not None:
        return {"Retry-After": str(exc.retry_after)}
    return {}


def internal_error(request: Request, request_id: str) -> Response:
    """An unexpected failure: no internals shown, only the id that finds the logged traceback."""
    message = Message(_INTERNAL, {"id": request_id})
    if _wants_json(request):
        return JSONResponse(
            {"detail": message.english(), "code": "internal_error"}, status_code=500
        )
    context = {"status": 500, "message": message.render(language_of(request))}
    return render(request, "error.html", context, 500)


def domain_error_response(request: Request, exc: UplandError) -> Response:
    """A domain error as the reader gets it: JSON under /api, a page (or the log-in) elsewhere.
    Also used by middleware that refuses a request before any route runs (`body_limit`)."""
    status = _status(exc)
    if _wants_json(request):
        body: dict[str, Any] = {"detail": str(exc), "code": exc.code}
        if isinstance(exc, Invalid):
            body["errors"] = [
                {"field": e.field, "message": e.message, "code": e.code} for e in exc.errors
            ]
        return JSONResponse(body, status_code=status, headers=_retry(exc))
    actor = getattr(request.state, "actor", None)
    if status == 403 and (actor is None or actor.is_anonymous) and request.method == "GET":
        return RedirectResponse(login_href(request.url.path, request.url.query), 303)
    message = describe(exc, language_of(request))
    page = render(request, "error.html", {"status": status, "message": message}, status)
    page.headers.update(_retry(exc))
    return page


def install(app: FastAPI) -> None:
    @app.exception_handler(UplandError)
    async def domain_error(request: Request, exc: UplandError) -> Response:
        return domain_error_response(request, exc)

    @app.exception_handler(RedisError)
    async def redis_unavailable(request: Request, exc: RedisError) -> Response:
        """Redis (log-in limits, the job queue) went away after start-up: say so and when to
        retry, instead of an internal error; the log has the reason."""
        log.error("Redis unavailable: %s", exc)
        busy = Busy(
            "a service the platform needs is unavailable; try again in a moment",
            code="unavailable",
        )
        return await domain_error(request, busy)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            errors = [
                {
                    "field": _field(e),
                    "message": pydantic_message(e).english(),
                    "code": error_code(e),
                }
                for e in exc.errors()
            ]
            body = {"detail": _INVALID_REQUEST, "code": "invalid", "errors": errors}
            return JSONResponse(body, status_code=422)
        language = language_of(request)
        message = "; ".join(
            f"{_field(e)}: {pydantic_message(e).render(language)}" for e in exc.errors()
        )
        return render(request, "error.html", {"status": 422, "message": message}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        allowed = _allowed_methods(request) if exc.status_code == 405 else None
        if allowed:
            headers["Allow"] = allowed
        if _wants_json(request):
            body = {"detail": exc.detail, "code": _http_code(exc.status_code)}
            return JSONResponse(body, status_code=exc.status_code, headers=headers)
        message = gettext_in(language_of(request), str(exc.detail))
        response = render(
            request, "error.html", {"status": exc.status_code, "message": message}, exc.status_code
        )
        response.headers.update(headers)
        return response
