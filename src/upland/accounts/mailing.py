"""The e-mails accounts send: invitations, role offers, password resets and changes (security
messages, always sent), and notices about one's roles (honouring the account's preference)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from upland.accounts.models import Invitation, User
from upland.i18n import label
from upland.mail import links
from upland.mail.models import NOTICE, SECURITY
from upland.mail.service import queue_message
from upland.settings import get_settings

WARSAW = ZoneInfo("Europe/Warsaw")
NOTICES = "notices"  # purpose of the signed unsubscribe token


def _when(value: dt.datetime) -> str:
    return value.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M")


def _role(language: str, role: str | None) -> str | None:
    return label("org_role", role, language) if role else None


def unsubscribe_url(user: User) -> str:
    """Works without logging in: the token is signed with the secret key."""
    return links.absolute(f"/notices/{links.sign(NOTICES, user.id)}")


def send_invitation(
    session: Session, invitation: Invitation, token: str, organisation: str, inviter: str | None
) -> None:
    """To an address without an account: the one-time link that sets it up."""
    language = get_settings().default_language
    queue_message(
        session,
        to=invitation.email,
        language=language,
        kind=SECURITY,
        template="invitation",
        context={
            "organisation": organisation,
            "role": _role(language, invitation.role),
            "inviter": inviter,
            "url": links.absolute(f"/invitations/{token}"),
            "expires": _when(invitation.expires_at),
        },
    )


def send_role_offer(
    session: Session, user: User, invitation: Invitation, organisation: str, inviter: str | None
) -> None:
    """To an existing account: accept or decline on the account page, logged in."""
    queue_message(
        session,
        to=user.email,
        language=user.language,
        kind=SECURITY,
        template="role_offer",
        context={
            "organisation": organisation,
            "role": _role(user.language, invitation.role),
            "inviter": inviter,
            "url": links.absolute("/account#offers"),
            "expires": _when(invitation.expires_at),
        },
    )


def send_password_reset(session: Session, user: User, token: str, minutes: int) -> None:
    queue_message(
        session,
        to=user.email,
        language=user.language,
        kind=SECURITY,
        template="password_reset",
        context={"url": links.absolute(f"/password/reset/{token}"), "minutes": minutes},
    )


def send_password_changed(session: Session, user: User) -> None:
    queue_message(
        session,
        to=user.email,
        language=user.language,
        kind=SECURITY,
        template="password_changed",
        context={"email": user.email, "url": links.absolute("/password/forgot")},
    )


def send_role_changed(session: Session, user: User, organisation: str, role: str | None) -> None:
    """A notice that someone else gave or took a role; `role` None: taken away."""
    if not (user.mail_notices and user.is_active):
        return
    queue_message(
        session,
        to=user.email,
        language=user.language,
        kind=NOTICE,
        template="role_changed",
        context={"organisation": organisation, "role": _role(user.language, role)},
        unsubscribe_url=unsubscribe_url(user),
    )


def send_account_deactivated(session: Session, user: User) -> None:
    """A security message: the holder learns at once if someone switched the account off."""
    queue_message(
        session,
        to=user.email,
        language=user.language,
        kind=SECURITY,
        template="account_deactivated",
        context={"email": user.email},
    )


def send_account_created(
    session: Session,
    user: User,
    token: str,
    days: int,
    inviter: str,
    role: str | None,
    place: str | None,
) -> None:
    """To an account staff set up: the link to choose its password, in its own language."""
    language = user.language
    role_name = label("global_role", role, language) if role else None
    if role_name and place:
        role_name = f"{role_name} ({place})"
    queue_message(
        session,
        to=user.email,
        language=language,
        kind=SECURITY,
        template="account_created",
        context={
            "full_name": user.full_name,
            "email": user.email,
            "inviter": inviter,
            "role": role_name,
            "url": links.absolute(f"/password/reset/{token}"),
            "days": days,
        },
    )
