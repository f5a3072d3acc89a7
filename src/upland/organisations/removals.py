"""Removals that can be undone for a while: from the profile forms and from the API.

The row is deleted as before (`service.remove_*`, which checks permission and audits), so lists,
counts, exports and search never need to filter it out; its columns are kept in a
`RemovedRecord` for `UNDO_WINDOW`, and `restore` puts the same row back (same id where it is
free). A member's removal (an organisation role taken away, through the API) keeps the user and
the role, and its restore gives the role back. Records older than the window are purged whenever
another removal is recorded. Undoing twice is a conflict, undoing too late is gone, and another
organisation's removal is not found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, cast

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, Gone, NotFound, PermissionDenied
from upland.organisations import queries, service
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    Person,
    RemovedRecord,
    Site,
)
from upland.organisations.signals import OrganisationChanged
from upland.permissions import require
from upland.personal_data import Part, register
from upland.signals import publish

UNDO_WINDOW = dt.timedelta(days=7)
# What a removal's token looks like (`models.new_removal_token`), checked before any query.
REMOVAL_KEY_PATTERN = r"^[A-Za-z0-9_-]{16,32}$"
Kind = Literal["sites", "people", "capabilities", "members"]
Child = Site | Person | OrganisationCapability
MODELS: dict[str, type[Child]] = {
    "sites": Site,
    "people": Person,
    "capabilities": OrganisationCapability,
}
REMOVERS: dict[str, Callable[[Session, Actor, int], None]] = {
    "sites": service.remove_site,
    "people": service.remove_person,
    "capabilities": service.remove_capability,
}
_AUDIT_NAMES = {"sites": "site", "people": "person", "capabilities": "capability"}


def _encoded(row: Child) -> dict[str, Any]:
    """The row's columns as JSON: dates and times in ISO 8601."""
    out: dict[str, Any] = {}
    for attr in type(row).__mapper__.column_attrs:
        value = getattr(row, attr.key)
        out[attr.key] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _decoded(model: type[Child], values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attr in model.__mapper__.column_attrs:
        value = values.get(attr.key)
        if isinstance(value, str):
            python_type = attr.columns[0].type.python_type
            if python_type is dt.datetime:
                value = dt.datetime.fromisoformat(value)
            elif python_type is dt.date:
                value = dt.date.fromisoformat(value)
        out[attr.key] = value
    return out


def _expired_before() -> dt.datetime:
    return utcnow() - UNDO_WINDOW


def _kept_membership(session: Session, org_id: int, user_id: int) -> dict[str, Any] | None:
    membership = account_queries.get_membership(session, user_id, org_id)
    return {"user_id": user_id, "role": membership.role} if membership else None


def prune(session: Session) -> int:
    """Delete removals past the undo window: what they kept (a contact's name, e-mail and
    phone; a role) goes for good. Run by every removal and nightly (`upland removals prune`),
    so a quiet registry keeps nothing longer either."""
    result = session.execute(
        delete(RemovedRecord).where(RemovedRecord.removed_at < _expired_before())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def remove(session: Session, actor: Actor, org_id: int, kind: Kind, child_id: int) -> str:
    """Remove a site, person or capability (`child_id`) or a member (`child_id`: the user) of
    organisation `org_id`; the token of the record that undoes it (random: it reveals nothing of
    how many removals there were)."""
    if kind == "members":
        kept = _kept_membership(session, org_id, child_id)
        account_service.remove_member(session, actor, org_id, child_id)  # permission, audit
    else:
        row = cast("Child | None", session.get(MODELS[kind], child_id))
        kept = _encoded(row) if row is not None else None
        REMOVERS[kind](session, actor, child_id)  # permission, NotFound, audit
    if kept is None or kept.get("organisation_id", org_id) != org_id:
        raise NotFound(
            "entry {id} of this profile does not exist", code="removal.not_found", id=child_id
        )
    prune(session)
    record = RemovedRecord(organisation_id=org_id, kind=kind, row=kept, removed_by_id=actor.user_id)
    session.add(record)
    session.flush()
    return record.token


def remove_child(session: Session, actor: Actor, kind: Kind, child_id: int) -> str:
    """`remove` for a caller that names only the row (the API's DELETE /sites/{id}…)."""
    row = cast("Child | None", session.get(MODELS[kind], child_id))
    return remove(session, actor, row.organisation_id if row else 0, kind, child_id)


def _not_found(token: str) -> NotFound:
    return NotFound("removal {id} does not exist", code="removal.not_found", id=token)


def _by_token(session: Session, token: str) -> RemovedRecord | None:
    return session.scalar(select(RemovedRecord).where(RemovedRecord.token == token))


def get_removal(session: Session, actor: Actor, org_id: int, token: str) -> RemovedRecord:
    """The removal named `token` of `org_id`, if `actor` may undo it now: NotFound (none of this
    organisation), PermissionDenied, Conflict (undone already) or Gone (past `UNDO_WINDOW`)
    otherwise."""
    org = queries.get_organisation(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    record = _by_token(session, token)
    if record is None or record.organisation_id != org.id:
        raise _not_found(token)
    if record.kind == "members":
        require(actor, "accounts.membership.manage", org.id)
    if record.restored_at is not None:
        raise Conflict("removal {id} has already been undone", code="removal.restored", id=token)
    if record.removed_at < _expired_before():
        raise Gone(
            "removal {id} can no longer be undone: it is older than {days} days",
            code="removal.expired",
            id=token,
            days=UNDO_WINDOW.days,
        )
    return record


def find_removal(session: Session, actor: Actor, token: str) -> RemovedRecord:
    """`get_removal` by the removal's token alone (the API): a removal the actor may not undo,
    of an organisation they may not see or edit, is not found, so tokens reveal nothing."""
    record = _by_token(session, token)
    if record is None:
        raise _not_found(token)
    try:
        return get_removal(session, actor, record.organisation_id, token)
    except (NotFound, PermissionDenied):
        raise _not_found(token) from None


def offered_removal(
    session: Session, actor: Actor, org: Organisation, token: str
) -> RemovedRecord | None:
    """The removal an "Undo" button may offer on `org`'s profile, or None: a `?removed=…`
    typed or kept in an old address must not show a button that then fails. Exactly the
    removals `get_removal` would let the actor undo, by asking it."""
    try:
        return get_removal(session, actor, org.id, token)
    except (NotFound, PermissionDenied, Conflict, Gone):
        return None


def _restore_member(session: Session, actor: Actor, record: RemovedRecord) -> int:
    user_id, org_id = int(record.row["user_id"]), record.organisation_id
    try:
        active = account_queries.get_user(session, user_id).is_active
    except NotFound:
        active = False
    if not active:  # deactivated or erased since: a role would reopen a closed account
        raise Gone(
            "user {user} can no longer get a role back: the account is closed",
            code="removal.account_closed",
            user=user_id,
        )
    if account_queries.get_membership(session, user_id, org_id) is not None:
        raise Conflict(
            "user {user} has a role in this organisation again; change it instead",
            code="removal.member_back",
            user=user_id,
        )
    account_service.grant_role(session, actor, user_id, str(record.row["role"]), org_id)
    return user_id


def restore(session: Session, actor: Actor, org_id: int, token: str) -> int:
    """Put a removed row back as it was (a member: their role); audited, and the profile's
    derived data refreshed. The restored row's id (a member: the user's id)."""
    record = get_removal(session, actor, org_id, token)
    if record.kind == "members":
        restored = _restore_member(session, actor, record)
        record.restored_at = utcnow()
        session.flush()
        return restored
    org = session.get(Organisation, org_id)
    assert org is not None  # get_removal found it
    model = MODELS[record.kind]
    values = _decoded(model, record.row)
    if session.get(model, values["id"]) is not None:  # SQLite may give a freed id away again
        values.pop("id")
    if values.get("user_id") is not None:
        try:  # a linked account deleted meanwhile leaves the person unlinked
            account_queries.get_user(session, values["user_id"])
        except NotFound:
            values["user_id"] = None
    child = model(**values)
    siblings: list[Any] = getattr(org, record.kind)
    if isinstance(child, Site) and child.is_headquarters:
        for other in siblings:
            other.is_headquarters = False
    siblings.append(child)
    service.refresh_derived(session, org)
    record.restored_at = utcnow()
    session.flush()
    publish(session, OrganisationChanged(org.id, "updated"))
    name = _AUDIT_NAMES[record.kind]
    audit.record(
        session,
        actor,
        f"organisations.{name}.restore",
        model.__tablename__,
        child.id,
        after=audit.snapshot(child),
        summary=org.legal_name,
    )
    return child.id


# ---------------------------------------------------------------- personal data of removed people
# A removed contact or role waits here up to UNDO_WINDOW: the user's export shows it and their
# erasure drops it, like the live rows it came from.


def _removed_people_of(session: Session, user_id: int) -> list[RemovedRecord]:
    email = (account_queries.get_user(session, user_id).email or "").lower()
    kinds = RemovedRecord.kind.in_(["people", "members"])
    found = session.scalars(select(RemovedRecord).where(kinds))
    return [
        r
        for r in found
        if r.row.get("user_id") == user_id
        or (r.kind == "people" and email and (r.row.get("email") or "").lower() == email)
    ]


def _export_removed_people(session: Session, user_id: int) -> list[dict[str, Any]]:
    return [
        {"organisation_id": r.organisation_id, "removed_at": r.removed_at.isoformat(), **r.row}
        for r in _removed_people_of(session, user_id)
    ]


def _erase_removed_people(session: Session, user_id: int) -> None:
    for record in _removed_people_of(session, user_id):
        session.delete(record)
    session.flush()


register(Part("removed_contacts", _export_removed_people, _erase_removed_people))
