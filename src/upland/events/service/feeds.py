"""A person's calendar feed: a secret address (`/events/feed/{token}.ics`) that calendar apps
poll without logging in. Rotating makes a new address (the old stops working); revoking ends
it. Only a hash of the token is stored."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete
from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.errors import PermissionDenied
from upland.events.models import FeedToken


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _own(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied("log in to have a calendar feed", code="login_required")
    return actor.user_id


def rotate_feed_token(session: Session, actor: Actor) -> str:
    """A new feed address for the actor; the previous one stops working. The token, once."""
    user_id = _own(actor)
    token = secrets.token_urlsafe(24)
    session.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    session.add(FeedToken(user_id=user_id, token_hash=token_hash(token)))
    session.flush()
    audit.record(session, actor, "events.feed.rotate", "user", user_id)
    return token


def revoke_feed_token(session: Session, actor: Actor) -> None:
    user_id = _own(actor)
    session.execute(delete(FeedToken).where(FeedToken.user_id == user_id))
    audit.record(session, actor, "events.feed.revoke", "user", user_id)
