"""Writes to an organisation's user accounts: adding people by e-mail, invitations and their
acceptance, changing and removing roles."""

from __future__ import annotations

import datetime as dt
import re
import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.accounts import audit, passwords, queries
from upland.accounts.actor import Actor, OrgRole
from upland.accounts.models import Invitation, User
from upland.accounts.service.users import grant_role, revoke_role
from upland.db import utcnow
from upland.errors import Conflict, FieldError, Invalid, NotFound
from upland.permissions import require

INVITATION_DAYS = 14
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


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


def _awaits_invitation(user: User) -> bool:
    """Invited but never set up: no password and not active (a deactivated user has a password)."""
    return not user.is_active and user.password_hash is None


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
    """Add a person by e-mail: an existing account gets the role, and the organisation's contact
    rows with that e-mail are linked to it; anybody else is invited and the plain link token is
    returned (once). Inviting a pending invitee again gives a new link, for when the first one
    was lost."""
    require(actor, "accounts.membership.manage", organisation_id)
    queries.get_organisation(session, organisation_id)
    email, role = _normal_email(email), _org_role(role)
    user = session.scalars(select(User).where(User.email == email)).first()
    if user is None or _awaits_invitation(user):
        invitation, plain = invite_member(session, actor, organisation_id, email, full_name, role)
        return NewMember(invitation.user_id, invitation, plain)
    if queries.get_membership(session, user.id, organisation_id) is not None:
        raise Conflict(f"{email} has a role here already; change it in the list")
    grant_role(session, actor, user.id, role, organisation_id)
    from upland.organisations import service as registry  # registry is upstream of accounts

    registry.link_people(session, actor, organisation_id, user_id=user.id)
    return NewMember(user.id)


def invite_member(
    session: Session, actor: Actor, organisation_id: int, email: str, full_name: str, role: str
) -> tuple[Invitation, str]:
    """Create an account without a password (inactive, so nobody can log in as it), give it the
    role, and return a one-time link token valid for INVITATION_DAYS. Org admins may create
    accounts only this way: the person must accept before the account can be used."""
    require(actor, "accounts.membership.manage", organisation_id)
    queries.get_organisation(session, organisation_id)
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
    if queries.get_membership(session, user_id, organisation_id) is None:
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
    user = queries.get_user(session, invitation.user_id)
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
