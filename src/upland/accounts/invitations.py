"""Reads of invitations to join an organisation: the organisation's open ones, those offered
to a logged-in user, and the one behind an e-mailed link while it can still be used."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.accounts import passwords
from upland.accounts.models import Invitation, User
from upland.accounts.queries import actor_for, get_organisation_name, get_user
from upland.accounts.schemas import InvitationRead
from upland.actor import Actor, OrgRole
from upland.db import utcnow
from upland.errors import Gone, NotFound
from upland.permissions import allowed, require


def list_invitations(session: Session, actor: Actor, organisation_id: int) -> list[InvitationRead]:
    """The organisation's invitations nobody has accepted yet, by address and role only: the
    list says nothing about whether an address has an account."""
    require(actor, "accounts.membership.manage", organisation_id)
    get_organisation_name(session, organisation_id)
    stmt = (
        select(Invitation)
        .where(Invitation.organisation_id == organisation_id, Invitation.open())
        .order_by(Invitation.email)
    )
    return [InvitationRead.model_validate(i, from_attributes=True) for i in session.scalars(stmt)]


@dataclass(frozen=True)
class Offer:
    """An open invitation addressed to a logged-in user, shown on their account page."""

    id: int
    organisation_id: int
    organisation_name: str
    role: OrgRole
    expires_at: dt.datetime


def list_offers(session: Session, user_id: int) -> list[Offer]:
    user = get_user(session, user_id)
    stmt = (
        select(Invitation)
        .where(
            Invitation.email == user.email,
            Invitation.open(),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.id)
    )
    return [
        Offer(
            i.id,
            i.organisation_id,
            get_organisation_name(session, i.organisation_id),
            OrgRole(i.role),
            i.expires_at,
        )
        for i in session.scalars(stmt)
    ]


@dataclass(frozen=True)
class InvitationView:
    """What the invitation page tells the person who opened the link."""

    email: str
    organisation_id: int
    organisation_name: str
    role: OrgRole
    invited_by: str | None  # None: staff acting through the command line
    expires_at: dt.datetime
    has_account: bool  # then the invitation is accepted on the account page, logged in


def open_invitation(session: Session, token: str) -> Invitation:
    """The invitation behind a link while it can still be used; otherwise why it cannot."""
    invitation = session.scalars(
        select(Invitation).where(Invitation.token_hash == passwords.digest(token))
    ).first()
    if invitation is None:
        raise NotFound(
            "this invitation link is not valid; check that you copied all of it",
            code="invitation.not_found",
        )
    if invitation.accepted_at is not None:
        raise Gone("this invitation has been used already; log in instead", code="invitation.used")
    check_invitation_usable(session, invitation)
    return invitation


def check_invitation_usable(session: Session, invitation: Invitation) -> None:
    """Gone when the invitation expired, or when whoever sent it may no longer manage this
    organisation's members (demoted, removed, deactivated): an invitation carries its sender's
    authority only while they still hold it. Invitations from the CLI name no sender."""
    if invitation.cancelled_at is not None:
        raise Gone(
            "this invitation was withdrawn by the organisation; ask them for a new one if you "
            "still need access",
            code="invitation.cancelled",
        )
    if invitation.expires_at <= utcnow():
        raise Gone(
            "this invitation has expired; ask the organisation for a new one",
            code="invitation.expired",
        )
    if invitation.invited_by_user_id is None:
        return
    inviter = actor_for(session, session.get(User, invitation.invited_by_user_id))
    if not allowed(inviter, "accounts.membership.manage", invitation.organisation_id):
        raise Gone(
            "this invitation is no longer valid; ask the organisation for a new one",
            code="invitation.revoked",
        )


def get_invitation(session: Session, token: str) -> InvitationView:
    invitation = open_invitation(session, token)
    inviter = (
        session.get(User, invitation.invited_by_user_id) if invitation.invited_by_user_id else None
    )
    account = session.scalar(select(User.id).where(User.email == invitation.email))
    return InvitationView(
        email=invitation.email,
        organisation_id=invitation.organisation_id,
        organisation_name=get_organisation_name(session, invitation.organisation_id),
        role=OrgRole(invitation.role),
        invited_by=inviter.full_name if inviter else None,
        expires_at=invitation.expires_at,
        has_account=account is not None,
    )
