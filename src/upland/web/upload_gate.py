"""Who may upload to a route, decided before the upload is read.

FastAPI parses a form (spooling its files) before any dependency of the route runs, so a
permission check written as `require(...)` in the handler or as an ordinary dependency comes
after an unauthorised file has been received and parsed. An upload route therefore names its
permission with `RequireFirst(name)` among its dependencies: `web/body_limit` finds it in the
route table and refuses (403) whoever may not use the route before reading a byte of the body;
the dependency checks it again when the route runs, so the rule holds without the middleware.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute

from upland.accounts import credentials
from upland.accounts import queries as account_queries
from upland.actor import ANONYMOUS, Actor
from upland.errors import PermissionDenied
from upland.permissions import registered, require
from upland.web.deps import ActorDep, session_outside_routes


@dataclass(frozen=True)
class RequireFirst:
    """A route dependency: the actor must hold `permission` (checked before the body too)."""

    permission: str

    def __post_init__(self) -> None:
        if self.permission not in registered():  # a typo would deny every upload, silently
            raise ValueError(f"unknown permission {self.permission!r}")

    def __call__(self, actor: ActorDep) -> None:
        require(actor, self.permission)


def permission_of(route: Any) -> str | None:
    """The permission an upload route demands before its body is read, if it names one."""
    if not isinstance(route, APIRoute):
        return None
    for dependency in route.dependant.dependencies:
        if isinstance(dependency.call, RequireFirst):
            return dependency.call.permission
    return None


def uploader(app: Any, bearer: str | None, cookie: str | None) -> Actor | None:
    """The actor behind a request's credential, as `current_actor` would find it (bearer token
    first, then the cookie's session), or None when it belongs to no active user. Reads only."""
    with session_outside_routes(app) as session:
        if bearer:
            user = credentials.user_of_token(session, bearer)
        elif cookie is not None:
            user = credentials.user_of_session(session, cookie)
        else:
            return None
        return account_queries.actor_for(session, user) if user is not None else None


def refusal(
    actor: Actor | None, bearer: str | None, permission: str | None
) -> PermissionDenied | None:
    """Why the request may not upload here, or None when it may."""
    if bearer and actor is None:
        return PermissionDenied("the API token is unknown or revoked", code="token.unknown")
    if permission is None:
        return None
    try:
        require(actor or ANONYMOUS, permission)
    except PermissionDenied as denied:
        return denied
    return None
