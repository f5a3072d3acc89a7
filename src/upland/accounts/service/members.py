"""Writes to an organisation's user accounts: inviting people by e-mail, accepting, declining
and cancelling invitations, changing and removing roles.

Adding a person never grants anything and answers the same whoever the address belongs to:
it records an invitation and e-mails it to that address. A new address gets a one-time link
that sets up the account; an existing account gets a role offer it accepts while logged in.
So whoever adds a person never holds a credential, and nobody gains a role without agreeing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from upland import audit, controls
from upland.accounts import invitations, mailing, passwords, queries
from upland.accounts.directory import directory
from upland.accounts.models import Invitation, Membership, User
from upland.accounts.service.users import grant_role, revoke_role, role_event
from upland.actor import Actor, OrgRole
from upland.db import utcnow
from upland.errors import Conflict, FieldError, Gone, Invalid, NotFound, PermissionDenied
from upland.i18n import LANGUAGES, N_, Message, plural_message
from upland.mail import addresses
from upland.permissions import require

INVITATION_DAYS = 14


def _has_control(value: str) -> bool:
    """Control and invisible formatting characters (bidirectional overrides among them)."""
    return controls.forbidden_character(value) is not None


def _name_problem(name: str, required: bool) -> Message | None:
    if required and not name:
        return Message(N_("enter the full name"))
    if len(name) > 200 or _has_control(name):
        return plural_message(
            "at most {n} character, no control characters",
            "at most {n} characters, no control characters",
            n=200,
        )
    return None


def _org_role(role: str) -> str:
    if role not in {r.value for r in OrgRole}:
        raise Invalid.one(
            "role",
            "the role must be viewer, editor or admin, not {role}",
            code="role.unknown",
            role=repr(role),
        )
    return role


def _user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email)).first()


@dataclass(frozen=True)
class Invited:
    """What adding a person did. `token` is the plain link, for development mode only: outside
    it the link travels by e-mail to the address and nowhere else."""

    email: str
    invitation: Invitation
    token: str


def add_member(
    session: Session, actor: Actor, organisation_id: int, email: str, role: str
) -> Invited:
    """Invite `email` to a role here by e-mail, replacing an earlier open invitation of the
    same address (adding again re-sends). Nothing is granted until the address's holder
    accepts. A person who has a role here already is changed in the list instead."""
    require(actor, "accounts.membership.manage", organisation_id)
    organisation = queries.get_organisation_name(session, organisation_id)
    email, role = addresses.single_address(email), _org_role(role)
    user = _user_by_email(session, email)
    if user is not None and queries.get_membership(session, user.id, organisation_id):
        raise Conflict(
            "{email} has a role here already; change it in the list",
            code="membership.exists",
            email=email,
        )
    session.execute(  # the replaced link answers 410, as a withdrawn one does
        update(Invitation)
        .where(
            Invitation.email == email,
            Invitation.organisation_id == organisation_id,
            Invitation.open(),
        )
        .values(cancelled_at=utcnow())
    )
    plain = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        organisation_id=organisation_id,
        role=role,
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
    inviter = queries.get_user(session, actor.user_id).full_name if actor.user_id else None
    if user is None:
        mailing.send_invitation(session, invitation, plain, organisation, inviter)
    elif user.is_active:  # a switched-off account hears nothing; the answer stays the same
        mailing.send_role_offer(session, user, invitation, organisation, inviter)
    return Invited(email, invitation, plain)


def _claim(session: Session, invitation: Invitation) -> None:
    """Use the invitation up, only if it is still open: of accepts arriving together exactly one
    gets past this (PostgreSQL makes the others wait for the row, then finds it used)."""
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.open())
        .values(accepted_at=utcnow())
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Gone("this invitation has been used already; log in instead", code="invitation.used")


def _join(session: Session, user: User, invitation: Invitation) -> None:
    """The invitee agreed: the role, their contact rows linked (the invitation is claimed)."""
    actor = queries.actor_for(session, user)
    session.add(
        Membership(
            user_id=user.id, organisation_id=invitation.organisation_id, role=invitation.role
        )
    )
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.invitation.accept",
        "invitation",
        invitation.id,
        after={"organisation_id": invitation.organisation_id, "role": invitation.role},
        summary=user.email,
    )
    role_event("role.granted", actor, user, invitation.role, invitation.organisation_id)
    directory().claim_contacts(
        session, queries.actor_for(session, user), invitation.organisation_id
    )


def accept_invitation(
    session: Session, token: str, full_name: str, password: str, language: str = "pl"
) -> User:
    """Set up the account of an invited address: name, password, active, logged in now, with
    the invitation's role. Holding the link (which went only to that address) is the
    permission. An address that has an account by now accepts on its account page instead."""
    invitation = invitations.open_invitation(session, token)
    if _user_by_email(session, invitation.email) is not None:
        raise Conflict(
            "this e-mail address has an account; log in and accept on your account page",
            code="user.exists",
        )
    name = full_name.strip()
    problems = {
        "full_name": _name_problem(name, required=True),
        "password": passwords.check_strength(password),
    }
    errors = [
        FieldError(field, message, code=f"{field}.invalid")
        for field, message in problems.items()
        if message
    ]
    if errors:
        raise Invalid(errors)
    _claim(session, invitation)
    user = User(
        email=invitation.email,
        full_name=name,
        password_hash=passwords.hash_password(password),
        is_active=True,
        last_login_at=utcnow(),
        language=language if language in LANGUAGES else "pl",  # the page's: e-mails follow it
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        queries.actor_for(session, user),
        "accounts.user.create",
        "user",
        user.id,
        after=audit.snapshot(user),
        summary=f"{user.email} (invitation)",
    )
    _join(session, user, invitation)
    return user


@dataclass(frozen=True)
class ShownOffer:
    """What the page showed about an offer: answering checks it is still that offer (on SQLite
    a deleted invitation's id can come back for a newer one)."""

    organisation_id: int
    role: str


def _own_offer(
    session: Session, actor: Actor, invitation_id: int, shown: ShownOffer | None
) -> tuple[User, Invitation]:
    """An open invitation addressed to the actor's own e-mail; anybody else's is not found."""
    if actor.user_id is None:
        raise PermissionDenied("log in to answer an offer", code="login_required")
    user = queries.get_user(session, actor.user_id)
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.email != user.email:
        raise NotFound(
            "invitation {id} does not exist", code="invitation.not_found", id=invitation_id
        )
    if invitation.accepted_at is not None:
        raise Gone("this invitation has been used already; log in instead", code="invitation.used")
    if shown is not None and shown != ShownOffer(invitation.organisation_id, invitation.role):
        raise Conflict(
            "this offer has changed since the page was shown; look at it again",
            code="offer.changed",
        )
    invitations.check_invitation_usable(session, invitation)
    return user, invitation


def accept_offer(
    session: Session, actor: Actor, invitation_id: int, shown: ShownOffer | None = None
) -> None:
    """The logged-in holder of the invited address agrees and gets the role."""
    user, invitation = _own_offer(session, actor, invitation_id, shown)
    _claim(session, invitation)
    if queries.get_membership(session, user.id, invitation.organisation_id):
        raise Conflict("you have a role in this organisation already", code="membership.exists")
    _join(session, user, invitation)


def decline_offer(
    session: Session, actor: Actor, invitation_id: int, shown: ShownOffer | None = None
) -> None:
    _, invitation = _own_offer(session, actor, invitation_id, shown)
    audit.record(
        session,
        actor,
        "accounts.invitation.decline",
        "invitation",
        invitation.id,
        before=audit.snapshot(invitation),
        summary=invitation.email,
    )
    session.delete(invitation)
    session.flush()


def cancel_invitation(
    session: Session, actor: Actor, organisation_id: int, invitation_id: int
) -> str:
    """Withdraw an open invitation of this organisation; its link answers 410. Returns the
    address it was for."""
    require(actor, "accounts.membership.manage", organisation_id)
    invitation = session.get(Invitation, invitation_id)
    if (
        invitation is None
        or invitation.organisation_id != organisation_id
        or invitation.accepted_at is not None
        or invitation.cancelled_at is not None
    ):
        raise NotFound(
            "invitation {id} does not exist", code="invitation.not_found", id=invitation_id
        )
    audit.record(
        session,
        actor,
        "accounts.invitation.cancel",
        "invitation",
        invitation.id,
        before=audit.snapshot(invitation),
        summary=invitation.email,
    )
    invitation.cancelled_at = utcnow()  # kept, so its link says it was withdrawn (410)
    session.flush()
    return invitation.email


def change_member_role(
    session: Session, actor: Actor, organisation_id: int, user_id: int, role: str
) -> None:
    """A new role for someone who already has one here (never adds a stranger by id)."""
    require(actor, "accounts.membership.manage", organisation_id)
    role = _org_role(role)
    membership = queries.get_membership(session, user_id, organisation_id)
    if membership is None:
        raise NotFound(
            "user {user} has no role in organisation {org}",
            code="membership.not_found",
            user=user_id,
            org=organisation_id,
        )
    if membership.role == role:
        return
    grant_role(session, actor, user_id, role, organisation_id)
    if actor.user_id != user_id:
        organisation = queries.get_organisation_name(session, organisation_id)
        mailing.send_role_changed(session, queries.get_user(session, user_id), organisation, role)


def remove_member(session: Session, actor: Actor, organisation_id: int, user_id: int) -> None:
    """Take away whatever role the user has in the organisation."""
    require(actor, "accounts.membership.manage", organisation_id)
    revoke_role(session, actor, user_id, OrgRole.VIEWER.value, organisation_id)
    if actor.user_id != user_id:
        organisation = queries.get_organisation_name(session, organisation_id)
        mailing.send_role_changed(session, queries.get_user(session, user_id), organisation, None)
