"""One mapping from domain errors to HTTP: JSON under /api, HTML pages elsewhere."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from upland.errors import Conflict, Invalid, NotFound, PermissionDenied, UplandError
from upland.web.templating import render

log = logging.getLogger(__name__)

STATUS = {NotFound: 404, PermissionDenied: 403, Invalid: 422, Conflict: 409}


def _wants_json(request: Request) -> bool:
    return (
        request.url.path.startswith("/api/")
        or "application/json" in request.headers.get("accept", "").split(",")[0]
    )


def _status(exc: UplandError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)


def internal_error(request: Request, request_id: str) -> Response:
    """An unexpected failure: no internals shown, only the id that finds the logged traceback."""
    message = f"internal error; quote request id {request_id} when reporting it"
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=500)
    return render(request, "error.html", {"status": 500, "message": message}, 500)


def install(app: FastAPI) -> None:
    @app.exception_handler(UplandError)
    async def domain_error(request: Request, exc: UplandError) -> Response:
        status = _status(exc)
        if _wants_json(request):
            body: dict = {"detail": str(exc)}
            if isinstance(exc, Invalid):
                body["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
            return JSONResponse(body, status_code=status)
        actor = getattr(request.state, "actor", None)
        if status == 403 and (actor is None or actor.is_anonymous) and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return render(request, "error.html", {"status": status, "message": str(exc)}, status)

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"][1:]) or str(e["loc"][0]),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)
        message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return render(request, "error.html", {"status": 422, "message": message}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail},
                status_code=exc.status_code,
                headers=getattr(exc, "headers", None),
            )
        return render(
            request,
            "error.html",
            {"status": exc.status_code, "message": exc.detail},
            exc.status_code,
        )
