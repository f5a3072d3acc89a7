"""What later areas read of an organisation's words (matching embeds and indexes them): names,
descriptions, capabilities and PKD activities, in both languages, without its people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.organisations.models import Organisation, OrganisationCapability, OrganisationPkd
from upland.reference import queries as reference


@dataclass(frozen=True)
class ProfileTexts:
    """An organisation's words as plain data: each capability and PKD activity as (Polish,
    English) names; `labels` are the organisation's own words for its capabilities."""

    id: int
    kind: str
    legal_name: str
    short_name: str
    description_pl: str
    description_en: str
    capabilities: tuple[tuple[str, str], ...]
    labels: tuple[str, ...]
    activities: tuple[tuple[str, str], ...]


def capability_rows(session: Session, ids: list[int]) -> list[Any]:
    """(organisation id, own label, vocabulary term id) of these organisations' capabilities,
    in the order they were added."""
    stmt = (
        select(
            OrganisationCapability.organisation_id,
            OrganisationCapability.label,
            OrganisationCapability.term_id,
        )
        .where(OrganisationCapability.organisation_id.in_(ids))
        .order_by(OrganisationCapability.id)
    )
    return list(session.execute(stmt).all())


def _capabilities(
    session: Session, ids: list[int]
) -> tuple[dict[int, list[tuple[str, str]]], dict[int, list[str]]]:
    rows = capability_rows(session, ids)
    terms = reference.term_names(session, (r.term_id for r in rows if r.term_id is not None))
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    labels: dict[int, list[str]] = defaultdict(list)
    for org_id, label, term_id in rows:
        name = terms.get(term_id) if term_id is not None else None
        if name:
            names[org_id].append(name)
        if label and (name is None or label not in name):
            labels[org_id].append(label)
    return names, labels


def _activities(session: Session, ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = session.execute(
        select(OrganisationPkd.organisation_id, OrganisationPkd.version, OrganisationPkd.code)
        .where(OrganisationPkd.organisation_id.in_(ids))
        .order_by(OrganisationPkd.id)
    ).all()
    names = reference.pkd_names(session, ((r.version, r.code) for r in rows))
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for org_id, version, code in rows:
        if (version, code) in names:
            found[org_id].append(names[(version, code)])
    return found


def list_profile_texts(
    session: Session, ids: Iterable[int] | None = None, *, batch: int = 500
) -> Iterator[ProfileTexts]:
    """The words of these organisations (every one when `ids` is None), by id; unknown ids
    are left out. Who may see them is the reading area's rule (`visible_to`), not this."""
    wanted = (
        sorted(set(ids))
        if ids is not None
        else list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
    )
    for start in range(0, len(wanted), batch):
        chunk = wanted[start : start + batch]
        names, labels = _capabilities(session, chunk)
        activities = _activities(session, chunk)
        rows = session.execute(
            select(
                Organisation.id,
                Organisation.kind,
                Organisation.legal_name,
                Organisation.short_name,
                Organisation.description_pl,
                Organisation.description_en,
            )
            .where(Organisation.id.in_(chunk))
            .order_by(Organisation.id)
        )
        for row in rows:
            yield ProfileTexts(
                id=row.id,
                kind=row.kind,
                legal_name=row.legal_name,
                short_name=row.short_name,
                description_pl=row.description_pl or "",
                description_en=row.description_en or "",
                capabilities=tuple(names[row.id]),
                labels=tuple(labels[row.id]),
                activities=tuple(activities[row.id]),
            )
