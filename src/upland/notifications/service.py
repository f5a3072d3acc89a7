"""Every write of notifications. `notify` is the one writer of news: areas call it from their
services and signal handlers (which have checked their own permissions); the caller commits.
People mark their own news read and choose how each kind reaches them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from upland import audit, clock
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Invalid, NotFound
from upland.i18n import N_
from upland.notifications import kinds, mailing
from upland.notifications.models import (
    ALL_KINDS,
    EMAILED,
    Delivery,
    Notification,
    NotificationPreference,
)
from upland.notifications.recipients import get_recipients
from upland.permissions import require

MAX_PARAMS = 4000  # characters of the params as JSON (unescaped: an emoji is one)


def notify(
    session: Session,
    recipients: Iterable[int],
    kind: str,
    params: Mapping[str, Any],
    link: str | None = None,
) -> list[Notification]:
    """Tell each recipient (user ids) a piece of news of `kind`: recorded unless they switched
    the kind off, e-mailed at once after commit if they chose so, else left for their digest.
    Inactive accounts get nothing. News of a replayed past (`upland.clock.replaying`) is only
    listed, as read: nobody is e-mailed about 2019 when the demo's history is loaded. `link`
    is a path on this site the news is about."""
    _check(params, link)
    rows = _rows(session, kind, [(user_id, params, link) for user_id in set(recipients)])
    if not rows:
        return []
    made = session.scalars(
        insert(Notification).returning(Notification, sort_by_parameter_order=True), rows
    )
    return list(made)


def _check(params: Mapping[str, Any], link: str | None) -> dict[str, Any]:
    if link is not None and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"a notification links to a path on this site, not {link!r}")
    stored = dict(params)
    if len(json.dumps(stored, ensure_ascii=False)) > MAX_PARAMS:
        raise ValueError("a notification's params are a few short values")
    return stored


def notify_each(
    session: Session,
    kind: str,
    items: Iterable[tuple[int, Mapping[str, Any], str | None]],
) -> int:
    """`notify` where each person's news says something of its own (recipient, params, link):
    a fan-out to many people reads their addresses and choices in one query each and writes
    every notification in one bulk INSERT, whatever their number. At most one piece of news
    per person and call (the first given). How many notifications were made."""
    rows = _rows(session, kind, items)
    if rows:  # the table's own INSERT: the ORM's bulk path costs more than the rows
        session.execute(insert(cast(Table, Notification.__table__)), rows)
    return len(rows)


def _rows(
    session: Session, kind: str, items: Iterable[tuple[int, Mapping[str, Any], str | None]]
) -> list[dict[str, Any]]:
    """The notification rows of `notify_each` (immediate e-mails queued), not yet written."""
    registered = kinds.get(kind)
    if registered is None:
        raise ValueError(f"no area registered the notification kind {kind!r}")
    wanted: dict[int, tuple[dict[str, Any], str | None]] = {}
    # A fan-out gives many people the same params object: each is checked (as JSON) once;
    # holding the object keeps its id from being reused meanwhile.
    checked: dict[tuple[int, str | None], tuple[Mapping[str, Any], dict[str, Any]]] = {}
    for user_id, params, link in items:
        key = (id(params), link)
        if key not in checked:
            checked[key] = (params, _check(params, link))
        wanted.setdefault(user_id, (checked[key][1], link))
    people = get_recipients(session, wanted)
    chosen = _deliveries(session, list(people), kind, registered.default)
    now = utcnow()
    past = clock.replaying()
    rows: list[dict[str, Any]] = []
    for user_id in sorted(people):
        person, delivery = people[user_id], chosen[user_id]
        if not person.active or delivery is Delivery.OFF:
            continue
        if past:  # news of a replayed past (the demo's history): listed as read, never e-mailed
            delivery = Delivery.IN_APP
        stored, link = wanted[user_id]
        message_id = None
        if delivery is Delivery.IMMEDIATE:
            shown = mailing.item(kind, stored, link, now, person.language)
            message_id = mailing.queue_immediate(session, person, kind, shown).id
        rows.append(
            {
                "recipient_id": user_id,
                "kind": kind,
                "params": stored,
                "link": link,
                "delivery": delivery.value,
                "created_at": now,
                "read_at": now if past else None,
                "mail_message_id": message_id,
            }
        )
    return rows


def _deliveries(
    session: Session, user_ids: list[int], kind: str, default: Delivery
) -> dict[int, Delivery]:
    """Each person's delivery of `kind`: their choice or the default, no e-mail at all if
    they switched every notification e-mail off. One query."""
    rows = session.execute(
        select(
            NotificationPreference.user_id,
            NotificationPreference.kind,
            NotificationPreference.delivery,
        ).where(
            NotificationPreference.user_id.in_(user_ids),
            NotificationPreference.kind.in_((kind, ALL_KINDS)),
        )
    )
    own: dict[int, Delivery] = {}
    muted: set[int] = set()
    for user_id, row_kind, delivery in rows:
        if row_kind != ALL_KINDS:
            own[user_id] = Delivery(delivery)
        elif delivery == Delivery.IN_APP:
            muted.add(user_id)
    result = {}
    for user_id in user_ids:
        delivery = own.get(user_id, default)
        if user_id in muted and delivery in EMAILED:
            delivery = Delivery.IN_APP
        result[user_id] = delivery
    return result


def _own(session: Session, actor: Actor, notification_id: int) -> Notification:
    note = session.get(Notification, notification_id)
    if note is None or not actor.user_id or note.recipient_id != actor.user_id:
        raise NotFound(
            "notification {id} does not exist", code="notification.not_found", id=notification_id
        )
    return note


def mark_read(session: Session, actor: Actor, notification_id: int) -> Notification:
    """The recipient has seen this one (again: nothing changes)."""
    require(actor, "notifications.notification.read", actor.user_id or 0)
    note = _own(session, actor, notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
        session.flush()
    return note


def mark_all_read(session: Session, actor: Actor) -> int:
    """Everything of the actor's still unread; how many that was."""
    require(actor, "notifications.notification.read", actor.user_id or 0)
    result = session.execute(
        update(Notification)
        .where(Notification.recipient_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def set_preferences(
    session: Session, actor: Actor, user_id: int, chosen: Mapping[str, str]
) -> dict[str, str]:
    """Save one person's choices: kind code (or ALL_KINDS with `in_app`: no e-mail at all,
    `immediate`: e-mail as each kind says) → delivery. Returns what changed."""
    require(actor, "notifications.preference.edit", user_id)
    wanted = _checked(chosen)
    stored = {
        p.kind: p
        for p in session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for kind, delivery in wanted.items():
        row = stored.get(kind)
        current = row.delivery if row else _default(kind)
        if current == delivery:
            continue
        before[kind], after[kind] = current, delivery
        if row is None:
            session.add(NotificationPreference(user_id=user_id, kind=kind, delivery=delivery))
        else:
            row.delivery = delivery
    if after:
        session.flush()
        audit.record(
            session,
            actor,
            "notifications.preference.set",
            "user",
            user_id,
            before=before,
            after=after,
            summary=", ".join(sorted(after)),
        )
    return after


def _default(kind: str) -> str:
    registered = kinds.get(kind)
    if registered is None:  # ALL_KINDS: e-mails as each kind is set
        return Delivery.IMMEDIATE.value
    return registered.default.value


def _checked(chosen: Mapping[str, str]) -> dict[str, str]:
    unknown = sorted(kind for kind in chosen if not kinds.is_choosable(kind))
    if unknown:
        raise NotFound(
            "no notification kind is called {kind}",
            code="notification.kind.not_found",
            kind=", ".join(unknown),
        )
    problems = []
    wanted: dict[str, str] = {}
    for kind, delivery in chosen.items():
        allowed = (
            {Delivery.IN_APP.value, Delivery.IMMEDIATE.value}
            if kind == ALL_KINDS
            else {d.value for d in Delivery}
        )
        if delivery not in allowed:
            problems.append(kind)
            continue
        wanted[kind] = delivery
    if problems:
        raise Invalid.one(
            "preferences",
            N_("choose one of the offered ways for: {kinds}"),
            code="notification.preference.invalid",
            kinds=", ".join(sorted(problems)),
        )
    return wanted


def unsubscribe_link_target(token: str) -> tuple[int, str]:
    """(user id, kind or ALL_KINDS) a notification e-mail's link was made for."""
    target = mailing.read_unsubscribe_token(token)
    if target is None or not (target[1] == ALL_KINDS or kinds.CODE.fullmatch(target[1])):
        raise NotFound(
            "this link is not valid; check that you copied all of it", code="link.not_found"
        )
    return target


def unsubscribe(session: Session, token: str) -> None:
    """The signed link in an e-mail: no more e-mails of its kind (the news stays in the app),
    or of any kind. The signature proves who asks, as a log-in would."""
    user_id, kind = unsubscribe_link_target(token)
    if kind != ALL_KINDS and kinds.get(kind) is None:  # no longer sent: nothing to stop
        return
    actor = Actor(user_id=user_id, label=f"user {user_id} (e-mail link)")
    current = session.get(NotificationPreference, (user_id, kind))
    value = current.delivery if current else _default(kind)
    if kind != ALL_KINDS and value not in {d.value for d in EMAILED}:
        return
    set_preferences(session, actor, user_id, {kind: Delivery.IN_APP.value})
