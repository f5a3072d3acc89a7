"""The registry list's filter as SQL: which organisations match, as `actor` may see them.

`filtered` is the one SELECT every list, count and export starts from; `shape` is what it
depends on, as values, the key under which its statements are built once (`upland.statements`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.orm import Session

from upland import visibility
from upland.actor import Actor
from upland.errors import Invalid
from upland.i18n import Message
from upland.organisations import permissions
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Site,
)
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.search import query_terms, text_condition
from upland.reference import queries as reference
from upland.reference.models import CapabilityTerm
from upland.reference.pkd_filter import pkd_filter_value

# The filter's fields that choose rows (the sort is keyed apart: the count does not depend on it).
FILTER_FIELDS = tuple(name for name in OrganisationFilter.model_fields if name != "sort")


def _having(ids: Select[Any], probe: bool) -> ColumnElement[bool]:
    """The organisation's id is among `ids` (a one-column SELECT of organisation ids).

    `probe` checks it row by row (EXISTS), cheap while a page walks the sort index and stops
    after a page; otherwise the set is built once (IN), cheap when every match is counted.
    """
    if probe:
        return exists(ids.where(ids.selected_columns[0] == Organisation.id))
    return Organisation.id.in_(ids)


def city_teryt(session: Session, city: str) -> str:
    teryt, problem = reference.resolve_municipality(session, city)
    if teryt is None:
        raise Invalid.one(
            "city",
            problem or Message("unknown municipality {name}", {"name": repr(city)}),
            code="municipality.unknown",
        )
    return teryt


def _pkd_ids(code: str, dialect: str) -> Select[Any]:
    value = pkd_filter_value(code)
    ids = select(OrganisationPkd.organisation_id)
    if len(value) == 1:
        return ids.where(OrganisationPkd.section == value)
    if dialect == "sqlite":
        # BINARY collation: a prefix is a range, so the (code, organisation_id) index serves it.
        return ids.where(OrganisationPkd.code >= value, OrganisationPkd.code < value + "~")
    # PostgreSQL's locale collations may order punctuation differently; LIKE is exact anywhere.
    return ids.where(OrganisationPkd.code.startswith(value, autoescape=True))


def _capability_ids(slug: str, kind: str | None, today: dt.date) -> Select[Any]:
    ids = (
        select(OrganisationCapability.organisation_id)
        .join(CapabilityTerm, CapabilityTerm.id == OrganisationCapability.term_id)
        .where(CapabilityTerm.slug == slug)
    )
    if kind == "certification":
        ids = ids.where(
            CapabilityTerm.kind == "certification",
            or_(
                OrganisationCapability.valid_until.is_(None),
                OrganisationCapability.valid_until >= today,
            ),
        )
    return ids


def words_condition(session: Session, q: str, probe: bool) -> ColumnElement[bool] | None:
    words = query_terms(q)
    if not words:
        return None
    return text_condition(session.get_bind().dialect.name, words, probe=probe)


def filtered(
    session: Session,
    actor: Actor,
    flt: OrganisationFilter,
    today: dt.date,
    *,
    probe: bool = True,
) -> Select[Any]:
    """The SELECT of organisations matching `flt` that `actor` may see (no order, no limit).

    `probe=False` phrases the related-table filters as sets, the cheaper form for counting.
    """
    stmt = permissions.visible_to(actor, select(Organisation))
    if flt.q:
        condition = words_condition(session, flt.q, probe)
        if condition is not None:
            stmt = stmt.where(condition)
    if flt.kind:
        stmt = stmt.where(Organisation.kind == flt.kind.value)
    if flt.city:
        # The headquarters is one of the sites (service.refresh_derived), so this covers both.
        in_city = select(Site.organisation_id).where(Site.teryt == city_teryt(session, flt.city))
        stmt = stmt.where(_having(in_city, probe))
    if flt.pkd:
        stmt = stmt.where(_having(_pkd_ids(flt.pkd, session.get_bind().dialect.name), probe))
    if flt.capability:
        stmt = stmt.where(_having(_capability_ids(flt.capability, None, today), probe))
    if flt.certification:
        ids = _capability_ids(flt.certification, "certification", today)
        stmt = stmt.where(_having(ids, probe))
    if flt.size_class:
        stmt = stmt.where(Organisation.size_class == flt.size_class)
    if flt.tier:
        stmt = stmt.where(Organisation.supply_tier == flt.tier.value)
    if flt.membership:
        stmt = stmt.where(Organisation.membership_status == flt.membership.value)
    return stmt


def shape(session: Session, actor: Actor, flt: OrganisationFilter, today: dt.date) -> Any:
    """Everything `filtered` depends on, as values: the key of its statements (the city as
    its resolved code, so a renamed municipality never reuses an old statement)."""
    return (
        session.get_bind().dialect.name,
        visibility.shape(actor),
        tuple(getattr(flt, name) for name in FILTER_FIELDS),
        city_teryt(session, flt.city) if flt.city else None,
        today if flt.certification else None,
    )
