"""Which e-mails an account wants: notices can be switched off (on the account page or by the
signed link in every notice); security messages are always sent."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import mailing, queries
from upland.actor import Actor
from upland.errors import NotFound
from upland.mail import links


def set_mail_notices(session: Session, actor: Actor, user_id: int, wanted: bool) -> None:
    """Only the account holder decides (the signed link proves it without a log-in)."""
    if actor.user_id != user_id:
        raise NotFound("user {id} does not exist", code="user.not_found", id=user_id)
    user = queries.get_user(session, user_id)
    if user.mail_notices == wanted:
        return
    user.mail_notices = wanted
    session.flush()
    audit.record(
        session,
        actor,
        "accounts.user.mail_notices",
        "user",
        user.id,
        before={"mail_notices": not wanted},
        after={"mail_notices": wanted},
        summary=user.email,
    )


def unsubscribe_link_user(token: str) -> int:
    """The account a notice's link was made for; NotFound for a link we did not sign, so its
    page says so before anyone presses the button."""
    user_id = links.unsign(mailing.NOTICES, token)
    if not isinstance(user_id, int):
        raise NotFound(
            "this link is not valid; check that you copied all of it", code="link.not_found"
        )
    return user_id


def unsubscribe(session: Session, token: str) -> None:
    """Switch notices off for the account a notice's link was made for."""
    user = queries.get_user(session, unsubscribe_link_user(token))
    set_mail_notices(session, Actor(user_id=user.id, label=user.email), user.id, False)
