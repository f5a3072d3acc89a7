"""The accounts permission matrix (DESIGN §6): every account route × every kind of actor.

Each route's `who` restates the rules of `upland.accounts.permissions` by hand: everyone may log
in and out, logged-in users manage only their own account, tokens, sessions and data (another
user's session is not found, even for staff), an organisation's
admins (and staff) manage its user accounts, whoever holds an invitation link may use it, and
only staff (coordinator, platform admin) see other users, their tokens and the audit log. A
city officer has no account rights over any organisation, even one in their partner area
(docs/permissions.md): the world's organisation sits in Lublin, inside the officer's area.
A role offer is answered only by its addressee, logged in; password-reset and unsubscribe
links work for whoever holds them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import Caller, caller_for, rolled_back

from upland.accounts import passwords, routes, service
from upland.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    PasswordReset,
    User,
    UserSession,
)
from upland.actor import SYSTEM
from upland.mail import links

ACTORS = ("anonymous", "member", "org_admin", "officer", "coordinator", "platform_admin")
EVERYONE = set(ACTORS)
USERS = EVERYONE - {"anonymous"}
STAFF = {"coordinator", "platform_admin"}
ORG_ADMINS = {"org_admin"} | STAFF


RESET_TOKEN = "r" * 43


@dataclass
class World:
    me: int | None  # the acting user
    my_token: int | None
    other: int  # another user, with a token of their own
    other_email: str
    other_token: int
    org: int  # the organisation where the actor has a role (member, org_admin)
    invitation: str  # a link token of an invitation into org
    invitation_id: int
    offer: int  # an invitation into another organisation, addressed to the acting user
    offer_org: int
    reset: str  # a password-reset link of the other user
    notices: str  # the other user's unsubscribe token
    other_session: int  # a browser session of the other user
    my_session: int | None = None  # a second browser session of the actor (not the caller's)


def build_world(session: Session, actor: str) -> tuple[World, User | None]:
    org = factories.organisation(session)
    invited = service.add_member(session, SYSTEM, org.id, "nowa@test.example", "viewer")
    grants: dict[str, dict[str, Any]] = {
        "member": {"role": "viewer", "org": org},
        "org_admin": {"role": "admin", "org": org},
        "officer": {"role": "officer", "teryt": "0663011"},
        "coordinator": {"role": "coordinator"},
        "platform_admin": {"role": "platform-admin"},
    }
    other = factories.user(session, role="editor", org=org)
    other_token, _ = service.issue_token(session, SYSTEM, other.id, "theirs")
    other_session, _ = service.start_session(session, other, "Firefox", "10.0.0.8", None)
    account = factories.user(session, **grants[actor]) if actor != "anonymous" else None
    offer_org = factories.organisation(session)
    offered = service.add_member(
        session, SYSTEM, offer_org.id, account.email if account else other.email, "viewer"
    )
    service.request_password_reset(session, other.email, "10.9.9.9")
    reset = session.scalars(select(PasswordReset).where(PasswordReset.user_id == other.id)).one()
    reset.token_hash = passwords.digest(RESET_TOKEN)
    world = World(
        account and account.id,
        None,
        other.id,
        other.email,
        other_token.id,
        org.id,
        invited.token,
        invited.invitation.id,
        offered.invitation.id,
        offer_org.id,
        RESET_TOKEN,
        links.sign("notices", other.id),
        other_session.id,
    )
    return world, account


def _count_tokens(session: Session, world: World) -> int:
    stmt = select(func.count()).select_from(ApiToken).where(ApiToken.user_id == world.me)
    return session.scalar(stmt) or 0


def _revoked(token: Callable[[World], int | None]) -> Callable[[Session, World], Any]:
    def observe(session: Session, world: World) -> Any:
        return session.scalar(select(ApiToken.revoked_at).where(ApiToken.id == token(world)))

    return observe


def _ended(which: Callable[[World], int | None]) -> Callable[[Session, World], Any]:
    def observe(session: Session, world: World) -> Any:
        return session.scalar(select(UserSession.ended_at).where(UserSession.id == which(world)))

    return observe


def _my_session(world: World) -> int | None:
    return world.my_session or world.other_session


def _active(session: Session, world: World) -> Any:
    return session.scalar(select(User.is_active).where(User.id == world.me))


def _members(session: Session, world: World) -> Any:
    stmt = select(Membership.user_id, Membership.role).where(
        Membership.organisation_id == world.org
    )
    return sorted(session.execute(stmt).all())


def _invitations(session: Session, world: World) -> Any:
    stmt = select(Invitation.email, Invitation.role).where(
        Invitation.organisation_id == world.org, Invitation.accepted_at.is_(None)
    )
    return sorted(session.execute(stmt).all())


def _offer_taken(session: Session, world: World) -> Any:
    return session.scalar(
        select(Membership.role).where(Membership.organisation_id == world.offer_org)
    )


def _offer_open(session: Session, world: World) -> Any:
    return session.get(Invitation, world.offer) is not None


def _my_notices(session: Session, world: World) -> Any:
    return session.scalar(select(User.mail_notices).where(User.id == world.me))


def _others_notices(session: Session, world: World) -> Any:
    return session.scalar(select(User.mail_notices).where(User.id == world.other))


def _reset_used(session: Session, world: World) -> Any:
    return session.scalar(
        select(PasswordReset.used_at).where(
            PasswordReset.token_hash == passwords.digest(world.reset)
        )
    )


def _accepted(session: Session, world: World) -> Any:
    return session.scalar(
        select(Invitation.accepted_at).where(Invitation.id == world.invitation_id)
    )


def _other_listed(response: Any, world: World, email: str | None) -> None:
    assert world.other_email in response.text


def _invitation_in_api_list(response: Any, world: World, email: str | None) -> None:
    assert "nowa@test.example" in {i["email"] for i in response.json()}


def _other_in_api_list(response: Any, world: World, email: str | None) -> None:
    assert world.other_email in {m["email"] for m in response.json()}


def _my_email(response: Any, world: World, email: str | None) -> None:
    assert email and email in response.text


def _my_data(response: Any, world: World, email: str | None) -> None:
    assert response.json()["account"]["email"] == email


def _me(response: Any, world: World, email: str | None) -> None:
    assert response.json()["email"] == email


def _my_sessions(response: Any, world: World, email: str | None) -> None:
    assert world.my_session in {s["id"] for s in response.json()}


def _users_listed(response: Any, world: World, email: str | None) -> None:
    assert world.other_email in {u["email"] for u in response.json()}


def _audit_listed(response: Any, world: World, email: str | None) -> None:
    assert "accounts.token.issue" in {e["action"] for e in response.json()}


def _audit_page(response: Any, world: World, email: str | None) -> None:
    assert "accounts.token.issue" in response.text


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    who: set[str]  # the actors allowed
    ok: int
    body: dict[str, str] | None = None
    observe: Callable[[Session, World], Any] | None = None  # changes iff the write happened
    check: Callable[[Any, World, str | None], None] | None = None  # on success
    denied: int = 403  # the answer to a logged-in actor not in `who`


MEMBERS = "/organisations/{org}/members"
API_MEMBERS = "/api/v1/organisations/{org}/members"
NEW_MEMBER = {"email": "ktos.nowy@test.example", "role": "editor"}
VIEWER = {"role": "viewer"}
ACCEPT = {
    "full_name": "Nowa Osoba",
    "password": "nowe-haslo-2026",
    "password_repeat": "nowe-haslo-2026",
}
RESET = {"password": "nowe-haslo-2026", "password_repeat": "nowe-haslo-2026"}
INVITATIONS = "/organisations/{org}/invitations"
API_INVITATIONS = "/api/v1/organisations/{org}/invitations"

ROUTES = (
    Route("login-page", "GET", "/login", EVERYONE, 200),
    Route("log-in", "POST", "/login", EVERYONE, 303, {"email": "{other_email}"}),
    Route("log-out", "POST", "/logout", EVERYONE, 303),
    Route("account", "GET", "/account", USERS, 200, check=_my_email),
    Route("new-token", "POST", "/account/tokens", USERS, 200, {"name": "n"}, _count_tokens),
    Route(
        "revoke-own-token",
        "POST",
        "/account/tokens/{my_token}/revoke",
        USERS,
        303,
        {},
        _revoked(lambda w: w.my_token or w.other_token),
    ),
    Route(
        "revoke-others-token",
        "POST",
        "/account/tokens/{other_token}/revoke",
        STAFF,
        303,
        {},
        _revoked(lambda w: w.other_token),
        denied=404,  # someone else's token id answers as an unknown one
    ),
    Route("my-data", "GET", "/account/data.json", USERS, 200, check=_my_data),
    Route(
        "end-own-session",
        "POST",
        "/account/sessions/{my_session}/end",
        USERS,
        303,
        {},
        _ended(_my_session),
    ),
    Route(
        "end-others-session",
        "POST",
        "/account/sessions/{other_session}/end",
        set(),
        303,
        {},
        _ended(lambda w: w.other_session),
        denied=404,
    ),
    Route(
        "end-other-sessions",
        "POST",
        "/account/sessions/end-others",
        USERS,
        303,
        {},
        _ended(_my_session),
    ),
    Route("erase", "POST", "/account/erase", USERS, 303, {}, _active),
    Route("audit", "GET", "/audit?action=accounts.", STAFF, 200, check=_audit_page),
    Route("members", "GET", MEMBERS, ORG_ADMINS, 200, check=_other_listed),
    Route("add-member", "POST", MEMBERS, ORG_ADMINS, 303, NEW_MEMBER, _invitations),
    Route(
        "cancel-invitation",
        "POST",
        INVITATIONS + "/{invitation_id}/cancel",
        ORG_ADMINS,
        303,
        {},
        _invitations,
    ),
    Route("member-role", "POST", MEMBERS + "/{other}/role", ORG_ADMINS, 303, VIEWER, _members),
    Route("remove-member", "POST", MEMBERS + "/{other}/remove", ORG_ADMINS, 303, {}, _members),
    Route("invitation", "GET", "/invitations/{invitation}", EVERYONE, 200),
    Route("accept", "POST", "/invitations/{invitation}", EVERYONE, 303, ACCEPT, _accepted),
    Route("accept-offer", "POST", "/account/offers/{offer}/accept", USERS, 303, {}, _offer_taken),
    Route("decline-offer", "POST", "/account/offers/{offer}/decline", USERS, 303, {}, _offer_open),
    Route("my-notices", "POST", "/account/notices", USERS, 303, {}, _my_notices),
    Route("unsubscribe-page", "GET", "/notices/{notices}", EVERYONE, 200),
    Route("unsubscribe", "POST", "/notices/{notices}", EVERYONE, 200, {}, _others_notices),
    Route("forgot-page", "GET", "/password/forgot", EVERYONE, 200),
    Route("forgot", "POST", "/password/forgot", EVERYONE, 200, {"email": "{other_email}"}),
    Route("reset-page", "GET", "/password/reset/{reset}", EVERYONE, 200),
    Route("reset", "POST", "/password/reset/{reset}", EVERYONE, 200, RESET, _reset_used),
    Route("api-members", "GET", API_MEMBERS, ORG_ADMINS, 200, check=_other_in_api_list),
    Route("api-add-member", "POST", API_MEMBERS, ORG_ADMINS, 202, NEW_MEMBER, _invitations),
    Route(
        "api-invitations", "GET", API_INVITATIONS, ORG_ADMINS, 200, check=_invitation_in_api_list
    ),
    Route(
        "api-cancel-invitation",
        "DELETE",
        API_INVITATIONS + "/{invitation_id}",
        ORG_ADMINS,
        204,
        None,
        _invitations,
    ),
    Route("api-member-role", "PATCH", API_MEMBERS + "/{other}", ORG_ADMINS, 200, VIEWER, _members),
    Route("api-remove-member", "DELETE", API_MEMBERS + "/{other}", ORG_ADMINS, 204, None, _members),
    Route("api-me", "GET", "/api/v1/me", USERS, 200, check=_me),
    Route("api-my-data", "GET", "/api/v1/me/data", USERS, 200, check=_my_data),
    Route("api-my-sessions", "GET", "/api/v1/me/sessions", USERS, 200, check=_my_sessions),
    Route(
        "api-end-session",
        "DELETE",
        "/api/v1/me/sessions/{my_session}",
        USERS,
        204,
        None,
        _ended(_my_session),
    ),
    Route(
        "api-end-others-session",
        "DELETE",
        "/api/v1/me/sessions/{other_session}",
        set(),
        204,
        None,
        _ended(lambda w: w.other_session),
        denied=404,
    ),
    Route("api-users", "GET", "/api/v1/users", STAFF, 200, check=_users_listed),
    Route(
        "api-audit",
        "GET",
        "/api/v1/audit?action=accounts.&limit=5",
        STAFF,
        200,
        check=_audit_listed,
    ),
)


def expected_status(route: Route, actor: str) -> int:
    if actor in route.who:
        return route.ok
    if actor != "anonymous":
        return route.denied
    html_page = route.method == "GET" and not route.path.startswith("/api/")
    return 303 if html_page else 403  # anonymous: to the log-in page


def check_route(
    route: Route, actor: str, world: World, caller: Caller, email: str | None, session: Session
) -> None:
    fields = {
        "my_token": world.my_token or world.other_token,
        "my_session": _my_session(world),
        "other_session": world.other_session,
        "other_token": world.other_token,
        "other_email": world.other_email,
        "org": world.org,
        "other": world.other,
        "invitation": world.invitation,
        "invitation_id": world.invitation_id,
        "offer": world.offer,
        "reset": world.reset,
        "notices": world.notices,
    }
    path = route.path.format(**fields)
    body = route.body and {k: v.format(**fields) for k, v in route.body.items()}
    if route.name == "log-in" and body is not None:
        body["password"] = factories.PASSWORD
    before = route.observe(session, world) if route.observe else None

    with caller.keeping_cookies():  # logging in, out or erasing ends the caller's session
        response = caller.send(route.method, path, body)

    status = expected_status(route, actor)
    assert response.status_code == status, f"{route.method} {path} answered {response.status_code}"
    if route.observe:
        session.expire_all()
        changed = route.observe(session, world) != before
        assert changed is (status == route.ok), "written" if changed else "not written"
    if status == 303 and route.method == "GET":
        assert response.headers["location"] == f"/login?next={path.split('?')[0]}"
    if route.check and status == route.ok:
        route.check(response, world, email)


@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(actor: str, session: Session, connection: Connection, client: Any):
    """Every account route for one kind of actor; each route meets the same world."""
    world, account = build_world(session, actor)
    caller = caller_for(session, client, account)
    if account is not None:
        world.my_token = session.scalar(select(ApiToken.id).where(ApiToken.user_id == account.id))
        mine, _ = service.start_session(session, account, "Safari", "10.0.0.9", None)
        world.my_session = mine.id
    email = account.email if account else None
    wrong = []
    for route in ROUTES:
        with rolled_back(session, connection):
            try:
                check_route(route, actor, world, caller, email, session)
            except AssertionError as exc:
                wrong.append(f"{route.name}: {str(exc).splitlines()[0]}")
    assert not wrong, f"{actor}:\n" + "\n".join(wrong)


def _shape(method: str, path: str) -> tuple[str, str]:
    return method, re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def test_every_account_route_is_in_the_matrix():
    """A new account route must be added to ROUTES, with who may use it."""
    served = {
        _shape(method, route.path)
        for route in [*routes.pages.routes, *routes.api.routes]
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert served, "found no routes to compare"
    assert served - {_shape(r.method, r.path) for r in ROUTES} == set()
