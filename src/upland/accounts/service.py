"""Every write to accounts: users, roles, members and invitations, tokens, log-in bookkeeping,
erasure."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from upland.accounts import audit, passwords, queries, ratelimit
from upland.accounts.actor import Actor, OrgRole
from upland.accounts.models import ApiToken, Invitation, Membership, User
from upland.db import utcnow
from upland.errors import Conflict, FieldError, Invalid, NotFound, PermissionDenied
from upland.permissions import require
from upland.reference import queries as reference

GLOBAL_ROLES = ("coordinator", "officer", "platform-admin")
TOKEN_PREFIX = "upl_"  # noqa: S105 - a public prefix, not a secret
INVITATION_DAYS = 14
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def _check_organisation(session: Session, organisation_id: int) -> None:
    from upland.organisations.models import Organisation  # registry is upstream of accounts

    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"organisation {organisation_id} does not exist")


def _membership(session: Session, user_id: int, organisation_id: int) -> Membership | None:
    return session.scalars(
        select(Membership).where(
            Membership.user_id == user_id, Membership.organisation_id == organisation_id
        )
    ).first()


def _keep_an_admin(
    session: Session, actor: Actor, membership: Membership, new_role: str | None
) -> None:
    """An organisation's own admins cannot leave it without an admin, so it never locks itself
    out; staff may (someone left the firm and nobody has taken over yet)."""
    user = membership.user
    if actor.is_staff or membership.role != OrgRole.ADMIN or new_role == OrgRole.ADMIN:
        return
    if not user.is_active:  # a pending invitee or a deactivated account is no admin to keep
        return
    others = session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == OrgRole.ADMIN.value,
            Membership.user_id != membership.user_id,
            User.is_active.is_(True),
        )
    )
    if not others:
        raise Conflict(
            f"{user.email} is the last admin of this organisation; make someone else admin first"
        )


def _normal_email(email: str) -> str:
    """Stored lower-case, so it must still fit the column and look like an address after that."""
    value = email.strip().lower()
    if len(value) > 254 or not _EMAIL.fullmatch(value) or _has_control(value):
        raise Invalid.one("email", "enter an e-mail address like name@firm.example")
    return value


def _has_control(value: str) -> bool:
    """Control and invisible formatting characters (bidirectional overrides among them)."""
    return any(unicodedata.category(c) in {"Cc", "Cf"} for c in value)


def _name_problem(name: str, required: bool) -> str | None:
    if required and not name:
        return "enter the full name"
    if len(name) > 200 or _has_control(name):
        return "at most 200 characters, no control characters"
    return None


def _org_role(role: str) -> str:
    if role not in {r.value for r in OrgRole}:
        raise Invalid.one("role", f"the role must be viewer, editor or admin, not {role!r}")
    return role


def create_user(
    session: Session, actor: Actor, email: str, full_name: str, password: str, language: str = "pl"
) -> User:
    require(actor, "accounts.user.manage")
    email = email.strip().lower()
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"a user with e-mail {email} exists already")
    weakness = passwords.check_strength(password)
    if weakness:
        raise Invalid.one("password", weakness)
    user = User(
        email=email,
        full_name=full_name.strip(),
        language=language,
        password_hash=passwords.hash_password(password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.user.create",
        "user",
        user.id,
        after=audit.snapshot(user),
        summary=email,
    )
    return user


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> None:
    user = _user(session, user_id)
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    weakness = passwords.check_strength(password)
    if weakness:
        raise Invalid.one("password", weakness)
    user.password_hash = passwords.hash_password(password)
    session.flush()
    audit.record(session, actor, "accounts.user.set_password", "user", user.id, summary=user.email)


def grant_role(
    session: Session,
    actor: Actor,
    user_id: int,
    role: str,
    organisation_id: int | None = None,
    teryt: str | None = None,
) -> None:
    """Give an organisation role (viewer/editor/admin) or a global one (coordinator, officer…)."""
    user = _user(session, user_id)
    before = audit.snapshot(user)
    if role in {r.value for r in OrgRole}:
        if organisation_id is None:
            raise Invalid.one("organisation", f"role {role} needs an organisation")
        require(actor, "accounts.membership.manage", organisation_id)
        _check_organisation(session, organisation_id)
        membership = _membership(session, user_id, organisation_id)
        old_role = membership.role if membership else None
        if membership is None:
            membership = Membership(user_id=user_id, organisation_id=organisation_id, role=role)
            session.add(membership)
        else:
            _keep_an_admin(session, actor, membership, role)
        membership.role = OrgRole(role).value
        session.flush()
        audit.record(
            session,
            actor,
            "accounts.membership.grant",
            "user",
            user.id,
            before={"organisation_id": organisation_id, "role": old_role},
            after={"organisation_id": organisation_id, "role": role},
            summary=user.email,
        )
        return
    if role == "coordinator":
        require(actor, "accounts.user.manage")
        user.is_coordinator = True
    elif role == "platform-admin":
        require(actor, "accounts.platform_admin.grant")
        user.is_platform_admin = True
    elif role == "officer":
        require(actor, "accounts.user.manage")
        if not teryt or reference.get_municipality(session, teryt) is None:
            raise Invalid.one(
                "city", f"a city officer needs a known municipality TERYT, got {teryt!r}"
            )
        user.officer_teryt = teryt
    else:
        raise Invalid.one("role", f"unknown role {role!r}")
    session.flush()
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.role.grant",
        "user",
        user.id,
        before=old,
        after=new,
        summary=f"{user.email}: {role}",
    )


def revoke_role(
    session: Session, actor: Actor, user_id: int, role: str, organisation_id: int | None = None
) -> None:
    user = _user(session, user_id)
    before = audit.snapshot(user)
    if role in {r.value for r in OrgRole}:
        if organisation_id is None:
            raise Invalid.one("organisation", f"role {role} needs an organisation")
        require(actor, "accounts.membership.manage", organisation_id)
        membership = _membership(session, user_id, organisation_id)
        if membership is None:
            raise NotFound(f"{user.email} has no role in organisation {organisation_id}")
        _keep_an_admin(session, actor, membership, None)
        session.delete(membership)
        session.flush()
        audit.record(
            session,
            actor,
            "accounts.membership.revoke",
            "user",
            user.id,
            before={"organisation_id": organisation_id, "role": membership.role},
            after=None,
            summary=user.email,
        )
        return
    if role == "coordinator":
        require(actor, "accounts.user.manage")
        user.is_coordinator = False
    elif role == "platform-admin":
        require(actor, "accounts.platform_admin.grant")
        user.is_platform_admin = False
    elif role == "officer":
        require(actor, "accounts.user.manage")
        user.officer_teryt = None
    else:
        raise Invalid.one("role", f"unknown role {role!r}")
    session.flush()
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.role.revoke",
        "user",
        user.id,
        before=old,
        after=new,
        summary=f"{user.email}: {role}",
    )


def authenticate(session: Session, email: str, password: str, address: str) -> User:
    """The user if the password is right; rate-limited per account and per address."""
    email = email.strip().lower()
    if ratelimit.login_blocked(email, address):
        raise PermissionDenied("too many failed log-ins; wait a few minutes and try again")
    user = session.scalars(select(User).where(User.email == email)).first()
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        ratelimit.note_failed_login(email, address)
        raise Invalid.one("password", "wrong e-mail or password")
    user.last_login_at = utcnow()
    session.flush()
    return user


def issue_token(session: Session, actor: Actor, user_id: int, name: str) -> tuple[ApiToken, str]:
    """A new API token; the plain value is returned once and only its hash is kept."""
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100] or "token",
        token_hash=passwords.digest(plain),
        prefix=plain[:12],
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.token.issue",
        "api_token",
        token.id,
        after=audit.snapshot(token),
        summary=f"{user.email}: {token.name}",
    )
    return token, plain


def revoke_token(session: Session, actor: Actor, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"token {token_id} does not exist")
    if actor.user_id != token.user_id:
        require(actor, "accounts.user.manage")
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    session.flush()
    old, new = audit.changed(before, audit.snapshot(token))
    audit.record(
        session, actor, "accounts.token.revoke", "api_token", token.id, before=old, after=new
    )


def touch_token(session: Session, plain: str) -> ApiToken | None:
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == passwords.digest(plain))
    ).first()
    if token is None or token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    return token


def erase_user(session: Session, actor: Actor, user_id: int) -> None:
    """Remove personal fields of an account; audit entries keep their ids, not the person."""
    user = _user(session, user_id)
    if actor.user_id != user_id:
        require(actor, "accounts.user.manage")
    personal = [user.email, user.full_name]
    user.email = f"erased-{user.id}@invalid"
    user.full_name = "(erased)"
    user.password_hash = None
    user.is_active = False
    for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)):
        token.revoked_at = token.revoked_at or utcnow()
    _drop_open_invitations(session, user_id)
    session.flush()
    audit.record(session, actor, "accounts.user.erase", "user", user.id, summary="account erased")
    audit.forget(session, user.id, personal, user.email)
    session.flush()


def deactivate_user(session: Session, actor: Actor, user_id: int) -> None:
    require(actor, "accounts.user.manage")
    user = _user(session, user_id)
    before = audit.snapshot(user)
    user.is_active = False
    _drop_open_invitations(session, user_id)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.user.deactivate",
        "user",
        user.id,
        before=old,
        after=new,
        summary=user.email,
    )


# --- Members of an organisation and invitations ---------------------------------------------------


def _awaits_invitation(user: User) -> bool:
    """Invited but never set up: no password and not active (a deactivated user has a password)."""
    return not user.is_active and user.password_hash is None


def _drop_open_invitations(session: Session, user_id: int) -> None:
    """A deactivated or erased account must not come back through an old invitation link."""
    session.execute(
        delete(Invitation).where(Invitation.user_id == user_id, Invitation.accepted_at.is_(None))
    )


@dataclass(frozen=True)
class NewMember:
    """What adding a person did: the invitation and its plain token only when one was made."""

    user_id: int
    invitation: Invitation | None = None
    token: str | None = None


def add_member(
    session: Session,
    actor: Actor,
    organisation_id: int,
    email: str,
    role: str,
    full_name: str = "",
) -> NewMember:
    """Add a person by e-mail: an existing account gets the role; anybody else is invited and
    the plain link token is returned (once). Inviting a pending invitee again gives a new link,
    for when the first one was lost."""
    require(actor, "accounts.membership.manage", organisation_id)
    _check_organisation(session, organisation_id)
    email, role = _normal_email(email), _org_role(role)
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None or _awaits_invitation(user):
        invitation, plain = invite_member(session, actor, organisation_id, email, full_name, role)
        return NewMember(invitation.user_id, invitation, plain)
    if _membership(session, user.id, organisation_id) is not None:
        raise Conflict(f"{email} has a role here already; change it in the list")
    grant_role(session, actor, user.id, role, organisation_id)
    return NewMember(user.id)


def invite_member(
    session: Session, actor: Actor, organisation_id: int, email: str, full_name: str, role: str
) -> tuple[Invitation, str]:
    """Create an account without a password (inactive, so nobody can log in as it), give it the
    role, and return a one-time link token valid for INVITATION_DAYS. Org admins may create
    accounts only this way: the person must accept before the account can be used."""
    require(actor, "accounts.membership.manage", organisation_id)
    _check_organisation(session, organisation_id)
    email, role = _normal_email(email), _org_role(role)
    name = full_name.strip()
    if problem := _name_problem(name, required=False):
        raise Invalid.one("full_name", problem)
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None:
        user = User(email=email, full_name=name, password_hash=None, is_active=False)
        session.add(user)
        session.flush()
        audit.record(
            session,
            actor,
            "accounts.user.invite",
            "user",
            user.id,
            after=audit.snapshot(user),
            summary=email,
        )
    elif not _awaits_invitation(user):
        raise Conflict(f"{email} has an account already; give it a role instead")
    grant_role(session, actor, user.id, role, organisation_id)
    plain = secrets.token_urlsafe(32)
    invitation = Invitation(
        user_id=user.id,
        organisation_id=organisation_id,
        token_hash=passwords.digest(plain),
        invited_by_user_id=actor.user_id,
        expires_at=utcnow() + dt.timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.invitation.create",
        "invitation",
        invitation.id,
        after=audit.snapshot(invitation),
        summary=email,
    )
    return invitation, plain


def change_member_role(
    session: Session, actor: Actor, organisation_id: int, user_id: int, role: str
) -> None:
    """A new role for someone who already has one here (never adds a stranger by id)."""
    require(actor, "accounts.membership.manage", organisation_id)
    role = _org_role(role)
    if _membership(session, user_id, organisation_id) is None:
        raise NotFound(f"user {user_id} has no role in organisation {organisation_id}")
    grant_role(session, actor, user_id, role, organisation_id)


def remove_member(session: Session, actor: Actor, organisation_id: int, user_id: int) -> None:
    """Take away whatever role the user has in the organisation."""
    require(actor, "accounts.membership.manage", organisation_id)
    revoke_role(session, actor, user_id, OrgRole.VIEWER.value, organisation_id)


def accept_invitation(session: Session, token: str, full_name: str, password: str) -> User:
    """Set up an invited account: name, password, active, logged in now. Holding the link is the
    permission. Every open invitation of the account is used up with it, so no other link can
    set the password again; the person's contact rows in the inviting organisations are linked
    to the account."""
    invitation = queries.open_invitation(session, token)
    user = _user(session, invitation.user_id)
    name = full_name.strip()
    problems = {
        "full_name": _name_problem(name, required=True),
        "password": passwords.check_strength(password),
    }
    errors = [FieldError(field, message) for field, message in problems.items() if message]
    if errors:
        raise Invalid(errors)
    before = audit.snapshot(user)
    now = utcnow()
    user.full_name = name
    user.password_hash = passwords.hash_password(password)
    user.is_active = True
    user.last_login_at = now
    used = list(
        session.scalars(
            select(Invitation).where(
                Invitation.user_id == user.id, Invitation.accepted_at.is_(None)
            )
        )
    )
    for open_invitation in used:
        open_invitation.accepted_at = now
    session.flush()
    actor = queries.actor_for(session, user)
    old, new = audit.changed(before, audit.snapshot(user))
    audit.record(
        session,
        actor,
        "accounts.invitation.accept",
        "user",
        user.id,
        before=old,
        after=new,
        summary=user.email,
    )
    from upland.organisations import service as registry  # registry is upstream of accounts

    for organisation_id in sorted({i.organisation_id for i in used}):
        if actor.has_role(organisation_id, OrgRole.VIEWER):
            registry.link_people(session, actor, organisation_id)
    return user
