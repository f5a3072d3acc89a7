"""Request-scoped dependencies: DB session, the acting user, CSRF protection."""

from __future__ import annotations

import dataclasses
import hmac
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.accounts.models import User
from upland.actor import ANONYMOUS, Actor
from upland.db import get_sessionmaker, writing
from upland.errors import Busy, PermissionDenied

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_KEY = "sid"  # the server-side session's token in the signed cookie


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """One write transaction: ends the read transaction the request may have opened, then
    commits everything the services flushed, or rolls all of it back on error."""
    if session.in_transaction():
        session.commit()
    with writing(session):
        yield session


def get_session() -> Iterator[Session]:
    """The request's database session (a plain `def`, run in the thread pool: closing hands
    the connection back with a ROLLBACK, which must not wait on the event loop)."""
    session = get_sessionmaker()()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_session)]


@contextmanager
def session_outside_routes(app: Any) -> Iterator[Session]:
    """A database session for middleware, from the same source the routes' `SessionDep` uses
    (so an app whose `get_session` is overridden, as in the tests, reads the same data)."""
    override = getattr(app, "dependency_overrides", {}).get(get_session)
    if override is None:
        with get_sessionmaker()() as session:
            yield session
        return
    made = override()
    if isinstance(made, Session):  # an override handing out a session it owns
        yield made
        return
    try:
        yield next(made)
    finally:
        made.close()


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


async def current_actor(request: Request) -> Actor:
    """Bearer token first (API clients), then the session token in the signed cookie
    (browsers): one indexed lookup of a live session, written at most once a minute.

    A request with neither is the anonymous visitor, answered here on the event loop: most
    public reads carry no credential, and a trip through the thread pool for nothing cost
    more than the rest of the dependency (`upland bench web`). A credential is resolved in
    the pool, in a session of its own from the routes' source (`session_outside_routes`)."""
    cached: Actor | None = getattr(request.state, "actor", None)
    if cached is not None:
        return cached
    if not _bearer(request) and SESSION_KEY not in request.session:
        request.state.actor, request.state.user_name = ANONYMOUS, None
        return ANONYMOUS
    return await run_in_threadpool(_resolve_actor, request)


def _resolve_actor(request: Request) -> Actor:
    with session_outside_routes(request.app) as session:
        return _actor_of_credential(request, session)


def _actor_of_credential(request: Request, session: Session) -> Actor:
    user: User | None = None
    session_id: int | None = None
    token = _bearer(request)
    if token:
        try:
            with unit_of_work(session):
                api_token = account_service.touch_token(session, token)
        except Busy:  # a long write holds the database: who is asking can still be read
            api_token = account_service.touch_token(session, token, note_use=False)
        user = session.get(User, api_token.user_id) if api_token else None
        if user is None or not user.is_active:
            raise PermissionDenied("the API token is unknown or revoked", code="token.unknown")
    elif SESSION_KEY in request.session:
        plain = str(request.session[SESSION_KEY])
        try:
            with unit_of_work(session):
                live = account_service.touch_session(session, plain)
        except Busy:  # as above: the visit is noted next time
            live = account_service.touch_session(session, plain, note_seen=False)
        if live is None:
            request.session.pop(SESSION_KEY, None)
        else:
            user, session_id = live.user, live.id
    actor = account_queries.actor_for(session, user) if user else ANONYMOUS
    if session_id is not None:
        actor = dataclasses.replace(actor, session_id=session_id)
    request.state.actor = actor
    # A plain string for the page header: error pages render after the request's session has
    # closed (and a failed unit of work has expired the user), when `user` can no longer load.
    request.state.user_name = (user.full_name or user.email) if user else None
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def client_address(request: Request) -> str:
    """The client as the server saw it: uvicorn puts X-Forwarded-For here only for
    UPLAND_TRUSTED_PROXIES, so no forwarded header is read here."""
    return request.client.host if request.client else "unknown"


def log_in_browser(request: Request, session: Session, user: User) -> None:
    """Inside the caller's unit of work: a new server-side session replaces the browser's old
    one, and the cookie gets its token and a fresh CSRF token."""
    _, token = account_service.start_session(
        session,
        user,
        request.headers.get("user-agent"),
        client_address(request),
        request.session.get(SESSION_KEY),
    )
    request.session.clear()
    request.session[SESSION_KEY] = token
    csrf_token(request)


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Unsafe requests authenticated by cookie must carry the session's CSRF token.

    HTML forms always need it (log-in CSRF included); an API call needs it only when a
    logged-in session cookie is what authenticates it.
    """
    if request.method in SAFE_METHODS or _bearer(request):
        return
    if request.url.path.startswith("/api/") and SESSION_KEY not in request.session:
        return
    expected = request.session.get("csrf")
    if not expected:  # nothing can match: refused before the body is read and parsed
        raise PermissionDenied(
            "the form has expired or did not come from this site; reload the page",
            code="csrf.invalid",
        )
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    # Bytes, because compare_digest refuses (TypeError) str with non-ASCII characters.
    if not expected or not given or not hmac.compare_digest(str(expected).encode(), given.encode()):
        raise PermissionDenied(
            "the form has expired or did not come from this site; reload the page",
            code="csrf.invalid",
        )


CsrfChecked = Depends(verify_csrf)
