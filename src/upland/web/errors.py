"""One mapping from domain errors to HTTP: JSON under /api (English, as documented), HTML pages
elsewhere (in the page's language)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from upland.errors import Conflict, Gone, Invalid, NotFound, PermissionDenied, UplandError
from upland.web.messages import describe, translate, translate_error
from upland.web.templating import language_of, render

log = logging.getLogger(__name__)

STATUS = {NotFound: 404, PermissionDenied: 403, Invalid: 422, Conflict: 409, Gone: 410}


class FieldErrorRead(BaseModel):
    field: str
    message: str


class ErrorRead(BaseModel):
    """The body of every JSON error: what went wrong and, for 422, which fields and why."""

    detail: str
    errors: list[FieldErrorRead] | None = None


# Declared on each API router, so the OpenAPI schema documents the error answers it can give.
API_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorRead, "description": "The request body could not be parsed"},
    403: {"model": ErrorRead, "description": "Not allowed for you, or an unknown API token"},
    404: {"model": ErrorRead, "description": "No such object, or not visible to you"},
    409: {"model": ErrorRead, "description": "Conflicts with data already stored"},
    422: {"model": ErrorRead, "description": "Invalid input; `errors` names each field"},
}


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    )


def _field(error: Any) -> str:
    """Where a request failed, without the leading 'body'/'query'/'path' (unless that is all)."""
    return ".".join(str(p) for p in error["loc"][1:]) or str(error["loc"][0])


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


def internal_error(request: Request, request_id: str) -> Response:
    """An unexpected failure: no internals shown, only the id that finds the logged traceback."""
    message = f"internal error; quote request id {request_id} when reporting it"
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=500)
    message = translate(message, language_of(request))
    return render(request, "error.html", {"status": 500, "message": message}, 500)


def install(app: FastAPI) -> None:
    @app.exception_handler(UplandError)
    async def domain_error(request: Request, exc: UplandError) -> Response:
        status = _status(exc)
        if _wants_json(request):
            body: dict[str, Any] = {"detail": str(exc)}
            if isinstance(exc, Invalid):
                body["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
            return JSONResponse(body, status_code=status)
        actor = getattr(request.state, "actor", None)
        if status == 403 and (actor is None or actor.is_anonymous) and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        message = describe(exc, language_of(request))
        return render(request, "error.html", {"status": status, "message": message}, status)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            errors = [{"field": _field(e), "message": e["msg"]} for e in exc.errors()]
            return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)
        language = language_of(request)
        message = "; ".join(f"{_field(e)}: {translate_error(e, language)}" for e in exc.errors())
        return render(request, "error.html", {"status": 422, "message": message}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        allowed = _allowed_methods(request) if exc.status_code == 405 else None
        if allowed:
            headers["Allow"] = allowed
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=headers
            )
        response = render(
            request,
            "error.html",
            {"status": exc.status_code, "message": translate(exc.detail, language_of(request))},
            exc.status_code,
        )
        response.headers.update(headers)
        return response
