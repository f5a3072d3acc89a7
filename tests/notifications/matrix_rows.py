"""Matrix rows of notifications: everybody logged in reads, marks read and sets up only their
own news (another person's notification is not found, for staff too); the anonymous are sent
to the log-in; an e-mail's unsubscribe link works for whoever holds it, without a log-in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, EVERYONE, USERS, Fields, Row, World, denial, make_accounts, row
from tests.notifications.testkinds import ASKED, PINGED

from upland.notifications import mailing, service
from upland.notifications.models import Notification, NotificationPreference

VARIANTS = ("",)


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other_org = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other_org.id)
    other = factories.user(session)
    [theirs] = service.notify(session, [other.id], PINGED.code, {"name": "Ewa"}, "/start")
    per_actor: dict[str, Fields] = {"anonymous": {"mine": theirs.id}}
    for actor, account in accounts.items():
        if account is not None:
            [mine] = service.notify(session, [account[0]], PINGED.code, {"name": "Jan"}, "/start")
            per_actor[actor] = {"mine": mine.id}
    shared = {
        "other": other.id,
        "theirs": theirs.id,
        "unsubscribe": mailing.unsubscribe_token(other.id, ASKED.code),
    }
    return World(accounts, shared, per_actor)


def _read_at(key: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(Notification.read_at).where(Notification.id == f[key]))

    return observe


def _my_unread(session: Session, f: Fields) -> Any:
    return session.scalar(
        select(func.count(Notification.id)).where(
            Notification.recipient_id == f["me"], Notification.read_at.is_(None)
        )
    )


def _preference_of(key: str, kind: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(
            select(NotificationPreference.delivery).where(
                NotificationPreference.user_id == f[key], NotificationPreference.kind == kind
            )
        )

    return observe


def _lists_mine(response, fields, actor, variant) -> None:
    assert f'id="notification-{fields["mine"]}"' in response.text
    assert f'id="notification-{fields["theirs"]}"' not in response.text
    assert 'id="nav-notifications"' in response.text


def _api_lists_mine(response, fields, actor, variant) -> None:
    assert [n["id"] for n in response.json()["items"]] == [fields["mine"]]


def _not_found(method: str, path: str):
    """Another person's notification: not found for everybody logged in."""

    def expect(actor: str, _variant: str) -> int:
        return denial(method, path, actor, 404)

    return expect


ROWS: tuple[Row, ...] = (
    row("notifications", "GET", "/notifications", USERS, 200, check=_lists_mine),
    row(
        "notification-read",
        "POST",
        "/notifications/{mine}/read",
        USERS,
        303,
        body={},
        observe=_read_at("mine"),
    ),
    Row(
        "notification-read-theirs",
        "POST",
        "/notifications/{theirs}/read",
        _not_found("POST", "/notifications/{theirs}/read"),
        303,
        body={},
        observe=_read_at("theirs"),
    ),
    row(
        "notifications-read-all",
        "POST",
        "/notifications/read-all",
        USERS,
        303,
        body={},
        observe=_my_unread,
    ),
    row("notification-preferences", "GET", "/account/notifications", USERS, 200),
    row(
        "notification-preferences-save",
        "POST",
        "/account/notifications",
        USERS,
        303,
        body={f"kind:{PINGED.code}": "weekly", "mail": "1"},
        observe=_preference_of("me", PINGED.code),
    ),
    row(
        "notification-unsubscribe-page",
        "GET",
        "/notifications/unsubscribe/{unsubscribe}",
        EVERYONE,
        200,
    ),
    row(
        "notification-unsubscribe",
        "POST",
        "/notifications/unsubscribe/{unsubscribe}",
        EVERYONE,
        200,
        body={},
        observe=_preference_of("other", ASKED.code),
    ),
    row("api-notifications", "GET", "/api/v1/notifications", USERS, 200, check=_api_lists_mine),
    row(
        "api-notification-read",
        "POST",
        "/api/v1/notifications/{mine}/read",
        USERS,
        200,
        observe=_read_at("mine"),
    ),
    Row(
        "api-notification-read-theirs",
        "POST",
        "/api/v1/notifications/{theirs}/read",
        _not_found("POST", "/api/v1/notifications/{theirs}/read"),
        200,
        observe=_read_at("theirs"),
    ),
    row(
        "api-notifications-read-all",
        "POST",
        "/api/v1/notifications/read-all",
        USERS,
        200,
        observe=_my_unread,
    ),
    row("api-notification-preferences", "GET", "/api/v1/notifications/preferences", USERS, 200),
    row(
        "api-notification-preferences-save",
        "PUT",
        "/api/v1/notifications/preferences",
        USERS,
        200,
        body={"kinds": {PINGED.code: "weekly"}},
        observe=_preference_of("me", PINGED.code),
    ),
)
