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
"""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import AsyncIterable, AsyncIterator, Callable
from contextlib import ExitStack
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from fastapi.routing import APIRoute
from starlette.responses import StreamingResponse

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


class Router(APIRouter):
    """The application's routers: every route a `RequestRoute`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("route_class", RequestRoute)
        super().__init__(**kwargs)
