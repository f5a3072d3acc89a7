"""Attachments of an opportunity: PDF or image files, their real type read from their first
bytes (`filetype`, never the name or the browser's word), size-limited, kept in
`upland.storage`, and removed with their opportunity. Stored files are deleted only after the
transaction that forgot them commits; a file stored by a transaction that rolled back is found
by `sweep_files`."""

from __future__ import annotations

import datetime as dt
import io
from typing import IO

import filetype
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.errors import Invalid
from upland.market.models import Attachment, Opportunity
from upland.market.queries import visible_attachment
from upland.market.service.core import record, visible_opportunity
from upland.permissions import require
from upland.settings import get_settings
from upland.storage import get_storage

ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
}
MAX_ATTACHMENTS = 10
NAME_MAX = 200
_FORGOTTEN = "upland_market_forgotten_files"


def _clean_name(name: str, extension: str) -> str:
    """The file name as shown: no folders, no control characters, at most NAME_MAX long."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable()).strip() or f"attachment.{extension}"
    return base[-NAME_MAX:]


def add_attachment(
    session: Session, actor: Actor, opportunity_id: int, name: str, source: IO[bytes]
) -> Attachment:
    opportunity = visible_opportunity(session, actor, opportunity_id)
    require(actor, "market.opportunity.edit", opportunity)
    if len(opportunity.attachments) >= MAX_ATTACHMENTS:
        raise Invalid.one(
            "file",
            "an opportunity has at most {n} attachments",
            code="attachment.too_many",
            n=MAX_ATTACHMENTS,
        )
    limit = get_settings().attachment_max_mb * 1024 * 1024
    data = source.read(limit + 1)
    if len(data) > limit:
        raise Invalid.one(
            "file",
            "the file is larger than {n} MB",
            code="file.too_large",
            n=get_settings().attachment_max_mb,
        )
    if not data:
        raise Invalid.one("file", "the file is empty", code="file.empty")
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind is not None else None
    if mime not in ALLOWED_TYPES:
        raise Invalid.one(
            "file",
            "only PDF, PNG, JPEG and WebP files can be attached",
            code="attachment.type",
        )

    key = get_storage().put(io.BytesIO(data))
    attachment = Attachment(
        opportunity_id=opportunity.id,
        key=key,
        name=_clean_name(name, ALLOWED_TYPES[mime]),
        content_type=mime,
        size=len(data),
        created_by_id=actor.user_id,
    )
    opportunity.attachments.append(attachment)
    session.flush()
    record(
        session,
        actor,
        "market.attachment.add",
        opportunity,
        after={"attachment": attachment.name, "size": attachment.size},
    )
    return attachment


def remove_attachment(session: Session, actor: Actor, attachment_id: int) -> Opportunity:
    attachment = visible_attachment(session, actor, attachment_id)
    opportunity = attachment.opportunity
    require(actor, "market.opportunity.edit", opportunity)
    key, name = attachment.key, attachment.name
    opportunity.attachments.remove(attachment)
    session.flush()
    forget_files(session, [key])
    record(session, actor, "market.attachment.remove", opportunity, before={"attachment": name})
    return opportunity


def forget_files(session: Session, keys: list[str]) -> None:
    """Delete these stored files once the transaction commits (kept if it rolls back)."""
    session.info.setdefault(_FORGOTTEN, []).extend(keys)


@event.listens_for(Session, "after_commit")
def _delete_forgotten(session: Session) -> None:
    storage = get_storage()
    for key in session.info.pop(_FORGOTTEN, []):
        storage.delete(key)


@event.listens_for(Session, "after_rollback")
def _keep_forgotten(session: Session) -> None:
    session.info.pop(_FORGOTTEN, None)


def sweep_files(session: Session, actor: Actor, now: dt.datetime) -> list[str]:
    """Delete stored files no attachment names (their owner organisation was deleted, or the
    upload's transaction rolled back), if stored over an hour before `now`; the keys deleted."""
    require(actor, "market.opportunity.expire")
    storage = get_storage()
    keys = storage.keys(now - dt.timedelta(hours=1))
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        known.update(session.scalars(select(Attachment.key).where(Attachment.key.in_(chunk))))
    orphans = [k for k in keys if k not in known]
    for key in orphans:
        storage.delete(key)
    return orphans
