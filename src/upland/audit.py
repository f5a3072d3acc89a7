"""The audit log: every write records who did what, with values before and after."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, and_, inspect, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from upland.actor import Actor
from upland.db import Base, utcnow
from upland.logs import request_id


class AuditEntry(Base):
    """One write: who, when, what, and the values before and after."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(100), index=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(String(500), default="")
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    request_id: Mapped[str | None] = mapped_column(String(64))
    organisation_id: Mapped[int | None] = mapped_column(index=True)
    """The organisation the entry is about (its profile history); no foreign key, so the
    history outlives a deleted organisation."""


# `mapped_column(..., info=DERIVED)`: a column computed from others, left out of the log.
DERIVED = {"derived": True}


def snapshot(obj: Any) -> dict[str, Any]:
    """Column values of an ORM object as JSON-safe data (no relationships, no secrets, no
    derived columns)."""
    mapper = inspect(obj).mapper
    out: dict[str, Any] = {}
    for column in mapper.column_attrs:
        if column.key.endswith("_hash") or column.columns[0].info.get("derived"):
            continue
        out[column.key] = _jsonable(getattr(obj, column.key))
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the log shows what actually changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditEntry:
    entry = AuditEntry(
        organisation_id=_organisation_of(session, object_type, object_id, before, after),
        actor_user_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        summary=summary[:500],
        before=before,
        after=after,
        request_id=request_id.get(),
    )
    session.add(entry)
    return entry


def _organisation_of(
    session: Session,
    object_type: str,
    object_id: Any,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> int | None:
    """Which organisation's history an entry belongs to: the organisation itself, the
    `organisation_id` its values name, or (a site or person changed later, whose entry holds
    only the changed fields) the `organisation_id` of the record's row, else what the
    object's earlier entries said. A user's entries belong
    to no organisation: only those naming one (a role in it) do."""
    if object_type == "organisation" and object_id is not None and str(object_id).isdigit():
        return int(object_id)
    for data in (after, before):
        if data and isinstance(data.get("organisation_id"), int):
            return int(data["organisation_id"])
    if object_type == "user" or object_id is None:
        return None
    with session.no_autoflush:  # the caller's pending writes are the caller's to flush
        table = Base.metadata.tables.get(object_type)
        if table is not None and "organisation_id" in table.c and str(object_id).isdigit():
            owner = session.scalar(
                select(table.c.organisation_id).where(table.c.id == int(object_id))
            )
            if owner is not None:
                return int(owner)
        return session.scalar(
            select(AuditEntry.organisation_id)
            .where(
                AuditEntry.object_type == object_type,
                AuditEntry.object_id == str(object_id),
                AuditEntry.organisation_id.is_not(None),
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )


PERSONAL_FIELDS = frozenset({"email", "full_name"})
# How summaries name their subject: "a@b.pl", "a@b.pl: editor", "a@b.pl (invitation)".
_AFTER_SUBJECT = (": ", " (")


def _names_subject(summary: str, email: str) -> bool:
    return summary == email or summary.startswith(tuple(email + sep for sep in _AFTER_SUBJECT))


def forget(session: Session, user_id: int, email: str, full_name: str, alias: str) -> None:
    """Erasure: the person's e-mail and name leave the entries about them; entries stay.

    Changed are only entries the person acted in (their label) and entries about them: the
    user record itself, or one whose summary has their address as its subject (a session,
    token, invitation or contact row of theirs). There only the subject of the summary and
    the e-mail and name fields change. Summaries are never searched for a substring, so no one
    else's entry changes, whatever the person called themselves."""
    about_user = and_(AuditEntry.object_type == "user", AuditEntry.object_id == str(user_id))
    about_address = or_(
        AuditEntry.summary == email,
        *(AuditEntry.summary.startswith(email + sep, autoescape=True) for sep in _AFTER_SUBJECT),
    )
    stmt = select(AuditEntry).where(
        or_(AuditEntry.actor_user_id == user_id, about_user, about_address)
    )
    personal = {email, full_name}
    for entry in session.scalars(stmt):
        if entry.actor_user_id == user_id:
            entry.actor_label = alias
        named = _names_subject(entry.summary, email)
        if named:
            entry.summary = (alias + entry.summary[len(email) :])[:500]
        if named or (entry.object_type == "user" and entry.object_id == str(user_id)):
            entry.before = _scrub_fields(entry.before, personal, alias)
            entry.after = _scrub_fields(entry.after, personal, alias)


def _scrub_fields(
    data: dict[str, Any] | None, personal: set[str], alias: str
) -> dict[str, Any] | None:
    """The e-mail and name fields of a snapshot, if they hold the person's values."""
    if not data:
        return data
    return {k: alias if k in PERSONAL_FIELDS and v in personal else v for k, v in data.items()}


def forget_object(
    session: Session, object_type: str, object_id: int, personal: list[str], alias: str
) -> None:
    """Erasure of a non-account record (a contact person): scrub its values from its entries."""
    values = [v for v in personal if v]
    stmt = select(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == str(object_id)
    )
    for entry in session.scalars(stmt):
        for value in values:
            entry.summary = entry.summary.replace(value, alias)
        entry.before = _without(entry.before, values, alias)
        entry.after = _without(entry.after, values, alias)


def _without(data: dict[str, Any] | None, values: list[str], alias: str) -> dict[str, Any] | None:
    return data and {k: alias if v in values else v for k, v in data.items()}
