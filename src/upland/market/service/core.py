"""What the marketplace's writers share: finding an opportunity the actor may see, turning
submitted lists into rows, the checks that span fields, the derived columns, the audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import FieldError, Invalid
from upland.i18n import label_message
from upland.market.derived import TEXT_FIELDS, derive
from upland.market.models import (
    Opportunity,
    OpportunityCapability,
    OpportunityNamed,
    OpportunityPkd,
    OpportunityPlace,
)
from upland.market.permissions import not_found
from upland.market.schemas import OpportunityCapabilityIn, OpportunityPkdIn
from upland.market.vocab import (
    CAPACITY_KINDS,
    INFRASTRUCTURE_KINDS,
    PATENT_STATUSES,
    TECHNOLOGY_KINDS,
    OpportunityKind,
    Visibility,
)
from upland.organisations import queries as organisations
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.settings import get_settings

_review: ContextVar[bool | None] = ContextVar("upland_market_review", default=None)


def review_enabled() -> bool:
    """Whether the coordinator reviews opportunities before publication: the deployment's
    setting, unless a `review_policy` block says how it was when the history was made."""
    policy = _review.get()
    return get_settings().market_review if policy is None else policy


@contextmanager
def review_policy(review: bool) -> Iterator[None]:
    """Write under a review policy other than the deployment's. The demo's cluster reviewed
    every opportunity, so its history has waiting and returned ones whatever the deployment
    now says (a submitted one stays approvable or returnable without review too)."""
    token = _review.set(review)
    try:
        yield
    finally:
        _review.reset(token)


def visible_opportunity(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """The opportunity, or NotFound also when the actor may not see it whole (no existence
    leak; a teaser is read through `queries.get_opportunity`)."""
    opportunity = session.get(Opportunity, opportunity_id)
    if opportunity is None or not allowed(actor, "market.opportunity.view", opportunity):
        raise not_found(opportunity_id)
    return opportunity


def pkd_rows(session: Session, codes: Iterable[OpportunityPkdIn]) -> list[OpportunityPkd]:
    rows, errors, seen = [], [], set()
    for index, item in enumerate(codes):
        code = item.code.strip().upper()
        section = reference.find_pkd_section(session, item.version, code)
        if section is None:
            errors.append(
                FieldError(
                    f"pkd_codes.{index}.code",
                    "{pkd} is not a PKD {version} class or subclass",
                    code="pkd.unknown",
                    pkd=item.code,
                    version=item.version,
                )
            )
        elif (item.version, code) not in seen:
            seen.add((item.version, code))
            rows.append(OpportunityPkd(version=item.version, code=code, section=section))
    if errors:
        raise Invalid(errors)
    return rows


def capability_rows(
    session: Session, items: Iterable[OpportunityCapabilityIn]
) -> list[OpportunityCapability]:
    rows, errors, seen = [], [], set()
    for index, item in enumerate(items):
        term = reference.get_capability_term(session, item.term)
        if term is None:
            errors.append(
                FieldError(
                    f"capabilities.{index}.term",
                    "unknown capability term {term}",
                    code="capability_term.unknown",
                    term=repr(item.term),
                )
            )
        elif (term.id, item.role) not in seen:
            seen.add((term.id, item.role))
            rows.append(OpportunityCapability(term_id=term.id, role=item.role.value))
    if errors:
        raise Invalid(errors)
    return rows


def place_rows(session: Session, codes: Iterable[str]) -> list[OpportunityPlace]:
    """Cities or regions of interest: a municipality (7 digits), a county (4) or a voivodeship
    (2) that some municipality of the register lies in."""
    wanted = list(dict.fromkeys(codes))
    known = reference.known_units(session, wanted)
    rows, errors = [], []
    for index, code in enumerate(wanted):
        if code not in known:
            errors.append(
                FieldError(
                    f"places.{index}",
                    "{teryt} is no TERYT unit of the register",
                    code="teryt.unknown",
                    teryt=code,
                )
            )
        else:
            rows.append(OpportunityPlace(teryt=code))
    if errors:
        raise Invalid(errors)
    return rows


def named_rows(session: Session, owner_id: int, ids: Iterable[int]) -> list[OpportunityNamed]:
    wanted = [i for i in dict.fromkeys(ids) if i != owner_id]
    found = organisations.owner_facts(session, wanted)
    missing = [i for i in wanted if i not in found]
    if missing:
        raise Invalid.one(
            "named",
            "no organisation {ids}",
            code="organisation.not_found",
            ids=", ".join(map(str, missing)),
        )
    return [OpportunityNamed(organisation_id=i) for i in wanted]


def check_opportunity(opportunity: Opportunity, on: dt.date) -> None:
    """The rules that span fields or depend on the day, on the opportunity as it would be
    saved: an Invalid naming every wrong field."""
    errors: list[FieldError] = []
    kind = OpportunityKind(opportunity.kind)
    languages = [
        lang
        for lang in ("pl", "en")
        if getattr(opportunity, f"title_{lang}") and getattr(opportunity, f"description_{lang}")
    ]
    if not languages:
        errors.append(
            FieldError(
                "title_pl",
                "write a title and a description in Polish, in English, or in both",
                code="opportunity.no_language",
            )
        )
    for lang in ("pl", "en"):
        if getattr(opportunity, f"description_{lang}") and not getattr(
            opportunity, f"title_{lang}"
        ):
            errors.append(
                FieldError(f"title_{lang}", "a description needs its title", code="title.missing")
            )
    if kind not in TECHNOLOGY_KINDS:
        for name in ("trl", "ip_status"):
            if getattr(opportunity, name) is not None:
                errors.append(
                    FieldError(
                        name,
                        "only technology offers and requests have this field, not a {kind}",
                        code="opportunity.field_of_kind",
                        kind=label_message("opportunity_kind", kind),
                    )
                )
    if opportunity.patent_number and opportunity.ip_status not in PATENT_STATUSES:
        errors.append(
            FieldError(
                "patent_number",
                "a patent number goes with a granted or pending patent",
                code="patent_number.without_patent",
            )
        )
    if opportunity.ip_status in PATENT_STATUSES and not opportunity.patent_number:
        errors.append(
            FieldError("patent_number", "give the patent's number", code="patent_number.missing")
        )
    if kind not in CAPACITY_KINDS:
        for name in ("hours_per_week", "available_from", "available_to"):
            if getattr(opportunity, name) is not None:
                errors.append(_other_kind(name, kind))
    if kind not in INFRASTRUCTURE_KINDS and (opportunity.equipment or opportunity.conditions):
        errors.append(_other_kind("equipment", kind))
    start, end = opportunity.available_from, opportunity.available_to
    if start and end and start > end:
        errors.append(
            FieldError(
                "available_to",
                "the end of availability comes before its start",
                code="available.reversed",
            )
        )
    if opportunity.expires_on is not None and opportunity.expires_on < on:
        errors.append(
            FieldError("expires_on", "the expiry date is in the past", code="expires_on.past")
        )
    if opportunity.visibility != Visibility.RESTRICTED and opportunity.named:
        errors.append(
            FieldError(
                "named",
                "only a restricted opportunity names organisations",
                code="named.not_restricted",
            )
        )
    if errors:
        raise Invalid(errors)


def _other_kind(name: str, kind: OpportunityKind) -> FieldError:
    return FieldError(
        name,
        "a {kind} has no such field",
        code="opportunity.field_of_kind",
        kind=label_message("opportunity_kind", kind),
    )


def refresh_derived(session: Session, opportunity: Opportunity) -> None:
    """The search columns and the owner's place (`market.derived`)."""
    with session.no_autoflush:
        terms = {t.id: t for t in reference.list_capability_terms(session)}
        owner = organisations.owner_facts(session, [opportunity.owner_id]).get(opportunity.owner_id)
    names = [
        f"{terms[c.term_id].name_pl} {terms[c.term_id].name_en}"
        for c in opportunity.capabilities
        if c.term_id in terms
    ]
    values = derive(
        [opportunity.title_pl, opportunity.title_en],
        [getattr(opportunity, name) for name in TEXT_FIELDS],
        names,
    )
    opportunity.search_title = values.search_title
    opportunity.search_text = values.search_text
    opportunity.teryt = owner.teryt if owner else None
    opportunity.updated_at = utcnow()


def record(
    session: Session,
    actor: Actor,
    action: str,
    opportunity: Opportunity,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """The audit entry of a change to an opportunity; the first one names the owner, whose
    history it and the later ones belong to."""
    audit.record(
        session,
        actor,
        action,
        "opportunity",
        opportunity.id,
        before=before,
        after=after,
        summary=opportunity.title_pl or opportunity.title_en,
    )
