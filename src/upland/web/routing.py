"""Routes whose database session lives in the handler's own thread: one trip to the pool.

A plain-`def` handler (DESIGN rule 12) runs in FastAPI's thread pool. Given its session as a
generator dependency (`SessionDep`), a request went to the pool three times: to open the
session, to run the handler, and to close it after the answer (each trip a hand-over between
the event loop and a worker thread, which under load cost more than the work it carried:
`upland bench web`, docs/performance.md). Every router of the application is a `Router`, whose
routes (`RequestRoute`) take the `SessionDep` parameter out of what FastAPI resolves and open
the session inside the handler's own call instead, from the same source (`get_session`, or the
override a test installs), and close it there when the handler returns or raises, in the
same thread. Handlers keep their signature (`session: SessionDep`); nothing else changes.

A `StreamingResponse` (the exports) still reads through the session while it is sent: its
session is closed when the stream ends (in the pool), or when the client goes away.

A `Router` also answers "not here" at once for a path none of its routes can match: FastAPI
tries the application's routers in turn and each walks all its routes (twice for the one that
matches), so a request to the registry tried every route of the accounts area first. The test
is the literal start of each route's full path (before its first `{`), a prefix of every path
the route matches; the order in which routes are tried, and so which one answers, is
unchanged.
"""

from __future__ import annotations

import functools
import inspect
import sys
import typing
import weakref
from collections.abc import AsyncIterable, AsyncIterator, Callable
from contextlib import ExitStack
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.responses import StreamingResponse
from starlette.routing import Match
from starlette.types import Scope

from upland.web.deps import get_session, session_outside_routes

REQUEST_PARAMETER = "upland_request_"


def _is_session(annotation: Any) -> bool:
    """`annotation` is `SessionDep` (a session from `get_session`)."""
    if typing.get_origin(annotation) is not Annotated:
        return False
    return any(
        isinstance(extra, Depends) and extra.dependency is get_session
        for extra in annotation.__metadata__
    )


def session_parameter(endpoint: Callable[..., Any]) -> str | None:
    """The name of the handler's `SessionDep` parameter, if it is a plain `def` with one."""
    if inspect.iscoroutinefunction(endpoint):
        return None
    hints = typing.get_type_hints(endpoint, include_extras=True)
    names = [name for name, hint in hints.items() if name != "return" and _is_session(hint)]
    return names[0] if len(names) == 1 else None


async def _closing(body: AsyncIterable[Any], stack: ExitStack) -> AsyncIterator[Any]:
    try:
        async for chunk in body:
            yield chunk
    finally:
        with anyio.CancelScope(shield=True):  # a client gone mid-stream still frees the session
            await run_in_threadpool(stack.close)


def in_one_trip(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """`endpoint` with its session opened and closed in its own call (see the module)."""
    name = session_parameter(endpoint)
    if name is None:
        return endpoint
    hints = typing.get_type_hints(endpoint, include_extras=True)
    signature = inspect.signature(endpoint)
    parameters = [
        p.replace(annotation=hints.get(p.name, p.annotation))
        for p in signature.parameters.values()
        if p.name != name
    ]
    given = next((p.name for p in parameters if p.annotation is Request), None)
    request_name = given or REQUEST_PARAMETER
    if given is None:
        parameters.append(
            inspect.Parameter(REQUEST_PARAMETER, inspect.Parameter.KEYWORD_ONLY, annotation=Request)
        )

    @functools.wraps(endpoint)
    def handler(**values: Any) -> Any:
        request = values[request_name] if given else values.pop(request_name)
        stack = ExitStack()
        values[name] = stack.enter_context(session_outside_routes(request.app))
        try:
            answer = endpoint(**values)
        except BaseException:
            stack.__exit__(*sys.exc_info())
            raise
        if isinstance(answer, StreamingResponse):
            answer.body_iterator = _closing(answer.body_iterator, stack.pop_all())
        else:
            stack.close()
        return answer

    handler.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=sorted(parameters, key=lambda p: p.kind),
        return_annotation=hints.get("return", signature.return_annotation),
    )
    del handler.__wrapped__  # FastAPI reads the signature above, not the handler's
    return handler


class RequestRoute(APIRoute):
    """An `APIRoute` whose plain-`def` handler opens and closes its session itself."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, in_one_trip(endpoint), **kwargs)


def literal_head(path: str | None) -> str:
    """The part of a route's path before its first parameter ("" matches any path)."""
    return (path or "").split("{", 1)[0]


class Router(APIRouter):
    """The application's routers: every route a `RequestRoute`, and a path none of its routes
    can match refused without trying them (see the module)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", RequestRoute)
        super().__init__(**kwargs)
        # Per application (a router may be included in several): the literal starts of the
        # full paths of its routes, taken when the route table is complete (first request).
        self._heads: weakref.WeakKeyDictionary[Any, tuple[str, ...]] = weakref.WeakKeyDictionary()

    def _heads_in(self, app: Any) -> tuple[str, ...]:
        heads = self._heads.get(app)
        if heads is None:
            own = {id(c.original_route) for c in iter_route_contexts(self.routes)}
            heads = tuple(
                {
                    literal_head(c.path)
                    for c in iter_route_contexts(app.routes)
                    if id(c.original_route) in own
                }
            )
            self._heads[app] = heads
        return heads

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        app = scope.get("app")
        checkable = scope["type"] == "http" and app is not None and not scope.get("root_path")
        if checkable and not scope["path"].startswith(self._heads_in(app)):
            return Match.NONE, {}
        return super().matches(scope)
