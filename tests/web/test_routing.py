"""Every route's session is opened and closed in the handler's own thread (`web/routing.py`):
one trip to the thread pool per request, the same session source, streams closed at their end."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from upland.app import create_app
from upland.web.deps import SessionDep, get_session
from upland.web.routing import RequestRoute, Router, session_parameter


class Recorded:
    """A stand-in session that notes the threads it was opened and closed in."""

    def __init__(self) -> None:
        self.opened_in = threading.get_ident()
        self.closed_in: int | None = None
        self.used_in: list[int] = []

    def use(self) -> int:
        self.used_in.append(threading.get_ident())
        return len(self.used_in)


def _recording_app() -> tuple[FastAPI, list[Recorded]]:
    made: list[Recorded] = []

    def source() -> Iterator[Recorded]:
        session = Recorded()
        made.append(session)
        try:
            yield session
        finally:
            session.closed_in = threading.get_ident()

    router = Router()

    @router.get("/plain")
    def plain(session: SessionDep) -> dict[str, Any]:
        return {"uses": session.use(), "thread": threading.get_ident()}  # type: ignore[attr-defined]

    @router.get("/with-request")
    def with_request(request: Request, session: SessionDep, n: int = 1) -> dict[str, Any]:
        return {"path": request.url.path, "n": n, "uses": session.use()}  # type: ignore[attr-defined]

    @router.get("/fails")
    def fails(session: SessionDep) -> None:
        session.use()  # type: ignore[attr-defined]
        raise RuntimeError("boom")

    @router.get("/stream")
    def stream(session: SessionDep) -> StreamingResponse:
        def rows() -> Iterator[str]:
            for _ in range(3):
                yield f"{session.use()}\n"  # type: ignore[attr-defined]
                assert made[-1].closed_in is None  # still open while it streams

        return StreamingResponse(rows(), media_type="text/plain")

    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[get_session] = source
    return app, made


def test_the_session_is_opened_used_and_closed_in_the_handlers_thread() -> None:
    app, made = _recording_app()
    with TestClient(app) as client:
        answer = client.get("/plain").json()
    (session,) = made
    assert answer["uses"] == 1
    assert session.opened_in == session.closed_in == answer["thread"] == session.used_in[0]
    assert session.opened_in != threading.get_ident()  # in the pool, not on the event loop


def test_a_handler_keeps_its_own_parameters_and_request() -> None:
    app, made = _recording_app()
    with TestClient(app) as client:
        assert client.get("/with-request?n=7").json() == {
            "path": "/with-request",
            "n": 7,
            "uses": 1,
        }
        assert client.get("/with-request?n=x").status_code == 422
    assert made[0].closed_in is not None


def test_a_failing_handler_still_closes_its_session() -> None:
    app, made = _recording_app()
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/fails").status_code == 500
    assert made[0].closed_in == made[0].used_in[0]


def test_a_stream_keeps_its_session_until_it_ends() -> None:
    app, made = _recording_app()
    with TestClient(app) as client:
        assert client.get("/stream").text == "1\n2\n3\n"
    assert made[0].closed_in is not None


def test_only_plain_handlers_with_a_session_are_wrapped() -> None:
    async def on_the_loop(session: SessionDep) -> None:
        return None

    def without(n: int) -> int:
        return n

    def with_session(session: SessionDep, n: int) -> int:
        return n

    assert session_parameter(on_the_loop) is None
    assert session_parameter(without) is None
    assert session_parameter(with_session) == "session"


@pytest.fixture(scope="module")
def app_routes() -> list[APIRoute]:
    app = create_app()
    return [
        c.original_route
        for c in iter_route_contexts(app.routes)
        if isinstance(c.original_route, APIRoute)
    ]


def test_every_route_of_the_app_opens_its_session_itself(app_routes: list[APIRoute]) -> None:
    """The pattern holds for every area: no route is left resolving `get_session` as a
    dependency (three trips to the pool), and every router makes `RequestRoute`s."""
    resolved = [
        route.path
        for route in app_routes
        if any(d.call is get_session for d in route.dependant.dependencies)
    ]
    assert resolved == []
    plain = [r.path for r in app_routes if not isinstance(r, RequestRoute)]
    assert plain == ["/api/v1/docs", "/healthz"]  # the app's own two: neither takes a session


def _nested_app() -> FastAPI:
    """Routers nested and prefixed as the areas' are, with overlapping paths."""
    inner = Router(prefix="/things")

    @inner.get("/{thing_id:int}")
    def thing(thing_id: int) -> dict[str, Any]:
        return {"by": "inner", "id": thing_id}

    outer = Router()
    outer.include_router(inner, prefix="/api")

    @outer.get("/api/things/export")
    def export() -> dict[str, str]:
        return {"by": "outer"}

    first = Router()

    @first.get("/api/things/{name}")
    def named(name: str) -> dict[str, str]:
        return {"by": "first", "name": name}

    app = FastAPI()
    app.include_router(outer)
    app.include_router(first)
    return app


def test_routers_refuse_paths_none_of_their_routes_can_match_and_keep_the_order() -> None:
    app = _nested_app()
    with TestClient(app) as client:
        assert client.get("/api/things/7").json() == {"by": "inner", "id": 7}
        assert client.get("/api/things/export").json() == {"by": "outer"}
        assert client.get("/api/things/x").json() == {"by": "first", "name": "x"}
        assert client.post("/api/things/7").status_code == 405
        assert client.get("/elsewhere").status_code == 404
