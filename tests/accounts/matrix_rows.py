"""Matrix rows of the accounts area (folded in from its own matrix).

They restate the rules of `upland.accounts.permissions` by hand: everyone may log in and out,
logged-in users manage only their own account, tokens, sessions and data (another user's
session is not found, even for staff), an organisation's admins (and staff) manage its user
accounts, whoever holds an invitation link may use it, and only staff see other users, their
tokens and the audit log. A city officer has no account rights over any organisation, even one
in their partner area (the world's organisation sits in Lublin). A role offer is answered only
by its addressee, logged in; password-reset and unsubscribe links work for whoever holds them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, STAFF, USERS, Fields, Row, World, make_accounts, row

from upland.accounts import passwords, service
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

VARIANTS = ("",)
ORG_ADMINS = STAFF | {"own_admin"}
RESET_TOKEN = "r" * 43


def build_world(session: Session, variant: str) -> World:
    org = factories.organisation(session)
    elsewhere = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    invited = service.add_member(session, SYSTEM, org.id, "nowa@test.example", "viewer")
    other = factories.user(session, role="editor", org=org)
    other_token, _ = service.issue_token(session, SYSTEM, other.id, "theirs")
    other_session, _ = service.start_session(session, other, "Firefox", "10.0.0.8", None)
    inactive = factories.user(session)
    inactive.is_active = False
    accounts = make_accounts(session, org.id, elsewhere.id)
    offer_org = factories.organisation(session)
    per_actor: dict[str, Fields] = {}
    for actor, account in accounts.items():
        if account is None:
            offer = service.add_member(session, SYSTEM, offer_org.id, other.email, "viewer")
            mine = {"my_token": other_token.id, "my_session": other_session.id}
        else:
            user = session.get(User, account[0])
            assert user is not None
            offer = service.add_member(session, SYSTEM, offer_org.id, user.email, "viewer")
            token, _ = service.issue_token(session, SYSTEM, user.id, "mine")
            started, _ = service.start_session(session, user, "Safari", "10.0.0.9", None)
            mine = {"my_token": token.id, "my_session": started.id}
        per_actor[actor] = {**mine, "offer": offer.invitation.id}
    service.request_password_reset(session, other.email, "10.9.9.9")
    reset = session.scalars(select(PasswordReset).where(PasswordReset.user_id == other.id)).one()
    reset.token_hash = passwords.digest(RESET_TOKEN)
    shared = {
        "other": other.id,
        "other_email": other.email,
        "inactive": inactive.id,
        "other_token": other_token.id,
        "other_session": other_session.id,
        "org": org.id,
        "invitation": invited.token,
        "invitation_id": invited.invitation.id,
        "offer_org": offer_org.id,
        "reset": RESET_TOKEN,
        "notices": links.sign("notices", other.id),
    }
    return World(accounts, shared, per_actor)


# --- observations ---------------------------------------------------------------------------


def _tokens(session: Session, f: Fields) -> Any:
    stmt = select(func.count()).select_from(ApiToken).where(ApiToken.user_id == f["me"])
    return session.scalar(stmt)


def _revoked(key: str) -> Any:
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(ApiToken.revoked_at).where(ApiToken.id == f[key]))

    return observe


def _ended(key: str) -> Any:
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(UserSession.ended_at).where(UserSession.id == f[key]))

    return observe


def _active(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.is_active).where(User.id == f["me"]))


def _members(session: Session, f: Fields) -> Any:
    stmt = select(Membership.user_id, Membership.role).where(Membership.organisation_id == f["org"])
    return sorted(session.execute(stmt).all())


def _invitations(session: Session, f: Fields) -> Any:
    stmt = select(Invitation.email, Invitation.role).where(
        Invitation.organisation_id == f["org"], Invitation.open()
    )
    return sorted(session.execute(stmt).all())


def _offer_taken(session: Session, f: Fields) -> Any:
    stmt = select(Membership.user_id).where(Membership.organisation_id == f["offer_org"])
    return sorted(session.scalars(stmt))


def _offer_open(session: Session, f: Fields) -> Any:
    return session.get(Invitation, f["offer"]) is not None


def _my_notices(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.mail_notices).where(User.id == f["me"]))


def _others_notices(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.mail_notices).where(User.id == f["other"]))


def _reset_used(session: Session, f: Fields) -> Any:
    digest = passwords.digest(f["reset"])
    return session.scalar(select(PasswordReset.used_at).where(PasswordReset.token_hash == digest))


def _password(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.password_hash).where(User.id == f["me"]))


def _my_language(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.language).where(User.id == f["me"]))


def _other_account(session: Session, f: Fields) -> Any:
    row = session.execute(
        select(User.is_active, User.officer_teryt, User.is_coordinator).where(User.id == f["other"])
    ).one()
    return tuple(row)


def _inactive_active(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.is_active).where(User.id == f["inactive"]))


def _new_officer(session: Session, f: Fields) -> Any:
    return session.scalar(select(User.id).where(User.email == NEW_OFFICER["email"]))


def _others_resets(session: Session, f: Fields) -> Any:
    stmt = (
        select(func.count()).select_from(PasswordReset).where(PasswordReset.user_id == f["other"])
    )
    return session.scalar(stmt)


def _accepted(session: Session, f: Fields) -> Any:
    stmt = select(Invitation.accepted_at).where(Invitation.id == f["invitation_id"])
    return session.scalar(stmt)


# --- checks of a success ------------------------------------------------------------------------


def _other_listed(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["other_email"] in response.text


def _invitation_in_api_list(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert "nowa@test.example" in {i["email"] for i in response.json()}


def _other_in_api_list(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["other_email"] in {m["email"] for m in response.json()}


def _my_email(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["email"] and f["email"] in response.text


def _my_data(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert response.json()["account"]["email"] == f["email"]


def _me(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert response.json()["email"] == f["email"]


def _my_sessions(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["my_session"] in {s["id"] for s in response.json()}


def _users_listed(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["other_email"] in {u["email"] for u in response.json()}


def _audit_listed(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert "accounts.token.issue" in {e["action"] for e in response.json()}


def _audit_page(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert "utworzył(a) token API" in response.text  # a sentence, not the action's code


def _history_page(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert "history-entry" in response.text


def _person_page(response: Any, f: Fields, actor: str, variant: str) -> None:
    assert f["other_email"] in response.text


MEMBERS = "/organisations/{org}/members"
API_MEMBERS = "/api/v1/organisations/{org}/members"
INVITATIONS = "/organisations/{org}/invitations"
API_INVITATIONS = "/api/v1/organisations/{org}/invitations"
NEW_MEMBER = {"email": "ktos.nowy@test.example", "role": "editor"}
VIEWER = {"role": "viewer"}
ACCEPT = {
    "full_name": "Nowa Osoba",
    "password": "nowe-haslo-2026",
    "password_repeat": "nowe-haslo-2026",
}
RESET = {"password": "nowe-haslo-2026", "password_repeat": "nowe-haslo-2026"}
LOG_IN = {"email": "{other_email}", "password": factories.PASSWORD}
NEW_PASSWORD = {
    "current_password": factories.PASSWORD,
    "password": "nowe-haslo-2026",
    "password_repeat": "nowe-haslo-2026",
}
NEW_OFFICER = {
    "email": "urzednik.nowy@test.example",
    "full_name": "Nowy Urzędnik",
    "role": "officer",
    "city": "1463011",
    "language": "pl",
}
USERS_PAGE = "/users/{other}"

ROWS: tuple[Row, ...] = (
    row("login-page", "GET", "/login", EVERYONE, 200),
    row("log-in", "POST", "/login", EVERYONE, 303, body=LOG_IN),
    row("log-out", "POST", "/logout", EVERYONE, 303),
    row("account", "GET", "/account", USERS, 200, check=_my_email),
    row("new-token", "POST", "/account/tokens", USERS, 200, body={"name": "n"}, observe=_tokens),
    row(
        "revoke-own-token",
        "POST",
        "/account/tokens/{my_token}/revoke",
        USERS,
        303,
        body={},
        observe=_revoked("my_token"),
    ),
    row(
        "revoke-others-token",
        "POST",
        "/account/tokens/{other_token}/revoke",
        STAFF,
        303,
        body={},
        observe=_revoked("other_token"),
        denied=404,  # someone else's token id answers as an unknown one
    ),
    row("my-data", "GET", "/account/data.json", USERS, 200, check=_my_data),
    row(
        "end-own-session",
        "POST",
        "/account/sessions/{my_session}/end",
        USERS,
        303,
        body={},
        observe=_ended("my_session"),
    ),
    row(
        "end-others-session",
        "POST",
        "/account/sessions/{other_session}/end",
        set(),
        303,
        body={},
        observe=_ended("other_session"),
        denied=404,
    ),
    row(
        "end-other-sessions",
        "POST",
        "/account/sessions/end-others",
        USERS,
        303,
        body={},
        observe=_ended("my_session"),
    ),
    row("erase", "POST", "/account/erase", USERS, 303, body={}, observe=_active),
    row("audit", "GET", "/audit?action=accounts.", STAFF, 200, check=_audit_page),
    row("audit-language", "GET", "/audit?lang=en&object_type=user", STAFF, 200),
    row("history", "GET", "/organisations/{org}/history", ORG_ADMINS, 200, check=_history_page),
    row(
        "change-password",
        "POST",
        "/account/password",
        USERS,
        303,
        body=NEW_PASSWORD,
        observe=_password,
    ),
    row(
        "e-mail-language",
        "POST",
        "/account/language",
        USERS,
        303,
        body={"language": "en"},
        observe=_my_language,
    ),
    row("users", "GET", "/users?q=test", STAFF, 200, check=_other_listed),
    row("password-reloaded", "GET", "/account/password?lang=en", EVERYONE, 303),
    row("language-reloaded", "GET", "/account/language", EVERYONE, 303),
    row("token-reloaded", "GET", "/account/tokens", EVERYONE, 303),
    row("user-action-reloaded", "GET", USERS_PAGE + "/roles/grant?lang=en", EVERYONE, 303),
    row("create-user", "POST", "/users", STAFF, 303, body=NEW_OFFICER, observe=_new_officer),
    row("user", "GET", USERS_PAGE, STAFF, 200, check=_person_page),
    row(
        "grant-role",
        "POST",
        USERS_PAGE + "/roles/grant",
        STAFF,
        303,
        body={"role": "coordinator"},
        observe=_other_account,
    ),
    row(
        "revoke-role",
        "POST",
        USERS_PAGE + "/roles/revoke",
        STAFF,
        303,
        body={"role": "editor", "organisation_id": "{org}"},
        observe=_members,
    ),
    row(
        "deactivate",
        "POST",
        USERS_PAGE + "/deactivate",
        STAFF,
        303,
        body={},
        observe=_other_account,
    ),
    row(
        "reactivate",
        "POST",
        "/users/{inactive}/reactivate",
        STAFF,
        303,
        body={},
        observe=_inactive_active,
    ),
    row(
        "send-reset",
        "POST",
        USERS_PAGE + "/reset",
        STAFF,
        303,
        body={},
        observe=_others_resets,
    ),
    row("members", "GET", MEMBERS, ORG_ADMINS, 200, check=_other_listed),
    row("add-member", "POST", MEMBERS, ORG_ADMINS, 303, body=NEW_MEMBER, observe=_invitations),
    row(
        "cancel-invitation",
        "POST",
        INVITATIONS + "/{invitation_id}/cancel",
        ORG_ADMINS,
        303,
        body={},
        observe=_invitations,
    ),
    row(
        "member-role",
        "POST",
        MEMBERS + "/{other}/role",
        ORG_ADMINS,
        303,
        body=VIEWER,
        observe=_members,
    ),
    row(
        "remove-member",
        "POST",
        MEMBERS + "/{other}/remove",
        ORG_ADMINS,
        303,
        body={},
        observe=_members,
    ),
    row("invitation", "GET", "/invitations/{invitation}", EVERYONE, 200),
    row(
        "accept", "POST", "/invitations/{invitation}", EVERYONE, 303, body=ACCEPT, observe=_accepted
    ),
    row(
        "accept-offer",
        "POST",
        "/account/offers/{offer}/accept",
        USERS,
        303,
        body={},
        observe=_offer_taken,
    ),
    row(
        "decline-offer",
        "POST",
        "/account/offers/{offer}/decline",
        USERS,
        303,
        body={},
        observe=_offer_open,
    ),
    row("my-notices", "POST", "/account/notices", USERS, 303, body={}, observe=_my_notices),
    row("unsubscribe-page", "GET", "/notices/{notices}", EVERYONE, 200),
    row(
        "unsubscribe", "POST", "/notices/{notices}", EVERYONE, 200, body={}, observe=_others_notices
    ),
    row("forgot-page", "GET", "/password/forgot", EVERYONE, 200),
    row("forgot", "POST", "/password/forgot", EVERYONE, 200, body={"email": "{other_email}"}),
    row("reset-page", "GET", "/password/reset/{reset}", EVERYONE, 200),
    row("reset", "POST", "/password/reset/{reset}", EVERYONE, 200, body=RESET, observe=_reset_used),
    row("api-members", "GET", API_MEMBERS, ORG_ADMINS, 200, check=_other_in_api_list),
    row(
        "api-add-member",
        "POST",
        API_MEMBERS,
        ORG_ADMINS,
        202,
        body=NEW_MEMBER,
        observe=_invitations,
    ),
    row(
        "api-invitations",
        "GET",
        API_INVITATIONS,
        ORG_ADMINS,
        200,
        check=_invitation_in_api_list,
    ),
    row(
        "api-cancel-invitation",
        "DELETE",
        API_INVITATIONS + "/{invitation_id}",
        ORG_ADMINS,
        204,
        observe=_invitations,
    ),
    row(
        "api-member-role",
        "PATCH",
        API_MEMBERS + "/{other}",
        ORG_ADMINS,
        200,
        body=VIEWER,
        observe=_members,
    ),
    row(
        "api-remove-member",
        "DELETE",
        API_MEMBERS + "/{other}",
        ORG_ADMINS,
        204,
        observe=_members,
    ),
    row("api-me", "GET", "/api/v1/me", USERS, 200, check=_me),
    row("api-my-data", "GET", "/api/v1/me/data", USERS, 200, check=_my_data),
    row("api-my-sessions", "GET", "/api/v1/me/sessions", USERS, 200, check=_my_sessions),
    row(
        "api-end-session",
        "DELETE",
        "/api/v1/me/sessions/{my_session}",
        USERS,
        204,
        observe=_ended("my_session"),
    ),
    row(
        "api-end-others-session",
        "DELETE",
        "/api/v1/me/sessions/{other_session}",
        set(),
        204,
        observe=_ended("other_session"),
        denied=404,
    ),
    row("api-users", "GET", "/api/v1/users", STAFF, 200, check=_users_listed),
    row(
        "api-audit",
        "GET",
        "/api/v1/audit?action=accounts.&limit=5",
        STAFF,
        200,
        check=_audit_listed,
    ),
)
