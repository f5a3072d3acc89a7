"""The baseline of `upland bench web`: a bare Starlette app running exactly the SQL Upland runs.

`UPLAND_BENCH_DATABASE_URL` names the database and `UPLAND_BENCH_SQL` a pickle of
{name: [(statement, parameters), ...]} recorded from Upland's own requests. `/sql/{name}` runs
those statements on a pooled connection and answers the last one's rows as JSON; `/healthz`
runs `SELECT 1`. No middleware, no session, no templates, no validation: what is left of a
request once the database work is done.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

engine = create_engine(os.environ["UPLAND_BENCH_DATABASE_URL"], pool_size=8)
RECORDED: dict[str, list[tuple[str, Any]]] = pickle.loads(  # noqa: S301 - our own file
    Path(os.environ["UPLAND_BENCH_SQL"]).read_bytes()
)


def healthz(request: Request) -> JSONResponse:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


def replay(request: Request) -> JSONResponse:
    rows: list[Any] = []
    with engine.connect() as connection:
        for statement, parameters in RECORDED[request.path_params["name"]]:
            result = connection.exec_driver_sql(statement, parameters)
            rows = [[_plain(v) for v in row] for row in result] if result.returns_rows else rows
    return JSONResponse({"items": rows}, headers={"cache-control": "no-store"})


def _plain(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | str) else str(value)


app = Starlette(routes=[Route("/healthz", healthz), Route("/sql/{name}", replay)])


def serve(port: int, workers: int) -> None:
    """Serve this app as `upland serve` serves Upland (several workers: a socket each)."""
    import uvicorn

    from upland.web.serving import serve_workers

    options: dict[str, Any] = {"port": port, "access_log": False, "log_level": "warning"}
    if workers > 1:
        config = uvicorn.Config("upland.bench.web_bare:app", workers=workers, **options)
        serve_workers(config, "127.0.0.1", port)
        return
    uvicorn.run("upland.bench.web_bare:app", **options)
