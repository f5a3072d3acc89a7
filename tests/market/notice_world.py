"""A world for the marketplace's notices: an owner organisation with a Polish-speaking editor,
an English-speaking admin and a viewer; an interested organisation with the editor who answers
(English) and a second editor (Polish); a stranger organisation's editor; a coordinator. And
what each person was told, in their own language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests import factories
from tests.market.interest_world import Pair, pair

from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.actor import SYSTEM, Actor
from upland.notifications import kinds
from upland.notifications.models import Notification
from upland.organisations.models import Organisation


@dataclass
class World:
    pair: Pair
    owner_admin: Actor
    owner_viewer: Actor
    other_second: Actor
    stranger_org: Organisation
    stranger: Actor
    coordinator: Actor

    @property
    def owner_side(self) -> set[int]:
        """Who may act for the owner: its editor and its admin (not its viewer)."""
        return {self.pair.owner_editor.user_id or 0, self.owner_admin.user_id or 0}

    @property
    def everyone(self) -> set[int]:
        actors = (
            self.pair.owner_editor,
            self.owner_admin,
            self.owner_viewer,
            self.pair.other_editor,
            self.other_second,
            self.stranger,
            self.coordinator,
        )
        return {a.user_id or 0 for a in actors}


def member(session: Session, org: Organisation | None, role: str, language: str) -> Actor:
    user = factories.user(session, role=role if org else None, org=org)
    account_service.set_language(
        session, Actor(user_id=user.id, label=user.email), user.id, language
    )
    if org is None:
        account_service.grant_role(session, SYSTEM, user.id, role)
    session.flush()
    return factories.actor_of(session, user)


def world(session: Session, *, owner_kind: str = "company", **opportunity: Any) -> World:
    made = pair(session, owner_kind=owner_kind, **opportunity)
    for who, language in ((made.owner_editor, "pl"), (made.other_editor, "en")):
        account_service.set_language(session, who, who.user_id or 0, language)
    stranger_org = factories.organisation(session)
    return World(
        pair=made,
        owner_admin=member(session, made.owner, "admin", "en"),
        owner_viewer=member(session, made.owner, "viewer", "pl"),
        other_second=member(session, made.other, "editor", "pl"),
        stranger_org=stranger_org,
        stranger=member(session, stranger_org, "editor", "pl"),
        coordinator=member(session, None, "coordinator", "en"),
    )


def told(session: Session, kind: str) -> dict[int, list[str]]:
    """Who got news of `kind`, and its sentences in each reader's language."""
    heard: dict[int, list[str]] = {}
    for note in session.scalars(
        select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    ):
        language = account_queries.get_user(session, note.recipient_id).language
        heard.setdefault(note.recipient_id, []).append(
            kinds.sentence(note.kind, note.params, language)
        )
    return heard


def links(session: Session, kind: str) -> set[str | None]:
    return set(session.scalars(select(Notification.link).where(Notification.kind == kind)))


def market_news(session: Session) -> set[str]:
    """Every kind of the marketplace's news recorded so far."""
    found = session.scalars(select(Notification.kind).where(Notification.kind.like("market.%")))
    return set(found)
