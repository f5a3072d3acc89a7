"""The registry's answers to accounts (`accounts.directory`): names, look-ups, membership in the
cluster and contact rows, so accounts below never read the registry's tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, ColumnExpressionArgument, exists, or_, select
from sqlalchemy.orm import Session

from upland.accounts.directory import Directory, provide
from upland.actor import Actor
from upland.organisations import queries, removals, service
from upland.organisations.models import Organisation
from upland.organisations.vocab import MembershipStatus


def name_of(session: Session, organisation_id: int) -> str | None:
    row = session.execute(
        select(Organisation.short_name, Organisation.legal_name).where(
            Organisation.id == organisation_id
        )
    ).first()
    return None if row is None else row.short_name or row.legal_name


def find(session: Session, key: str) -> int | None:
    """By id (fewer than nine digits), else by NIP or REGON."""
    value = key.strip()
    if value.isdigit() and len(value) < 9:
        stmt = select(Organisation.id).where(Organisation.id == int(value))
    else:
        stmt = select(Organisation.id).where(
            or_(Organisation.nip == value, Organisation.regon == value)
        )
    return session.scalar(stmt)


def in_cluster(organisation_id: ColumnExpressionArgument[int]) -> ColumnElement[bool]:
    return exists().where(
        Organisation.id == organisation_id,
        Organisation.membership_status == MembershipStatus.MEMBER.value,
    )


def contacts_of(session: Session, user_id: int) -> list[dict[str, Any]]:
    return [
        {
            "organisation_id": p.organisation_id,
            "full_name": p.full_name,
            "role_title": p.role_title,
            "email": p.email,
            "phone": p.phone,
            "contact_visibility": p.contact_visibility,
            "language": p.language,
        }
        for p in queries.list_people_for_user(session, user_id)
    ]


def claim_contacts(session: Session, actor: Actor, organisation_id: int) -> None:
    service.link_people(session, actor, organisation_id)


def remove_member(session: Session, actor: Actor, organisation_id: int, user_id: int) -> str:
    return removals.remove(session, actor, organisation_id, "members", user_id)


def offered_removal(session: Session, actor: Actor, organisation_id: int, token: str) -> str | None:
    org = session.get(Organisation, organisation_id)
    record = removals.offered_removal(session, actor, org, token) if org else None
    return record.token if record is not None and record.kind == "members" else None


provide(
    Directory(
        name_of,
        find,
        in_cluster,
        contacts_of,
        claim_contacts,
        remove_member,
        offered_removal,
    )
)
