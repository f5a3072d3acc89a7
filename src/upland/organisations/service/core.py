"""What the registry's writers share: finding a record the actor may see, turning submitted
sub-records into rows, uniqueness of NIP/REGON, and recomputing the derived columns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.db import utcnow
from upland.errors import Conflict, FieldError, Invalid, NotFound, PermissionDenied
from upland.i18n import label_message
from upland.organisations.derived import SOURCE_COLUMNS, Children, derive
from upland.organisations.models import (
    Organisation,
    OrganisationCapability,
    OrganisationPkd,
    Person,
    Site,
)
from upland.organisations.schemas import CapabilityIn, PkdIn, SiteIn
from upland.organisations.signals import OrganisationChanged
from upland.permissions import allowed
from upland.reference import queries as reference
from upland.signals import publish

# Fields only staff change (organisations.organisation.manage_membership).
STAFF_FIELDS = {"kind", "membership_status", "member_since"}
_UNIQUE_IDS = ("nip", "regon")
# In a partial update, null keeps a required field and empties a text field.
REQUIRED_FIELDS = {"legal_name", "kind", "visibility", "membership_status"}
TEXT_FIELDS = {"short_name", "description_pl", "description_en", "capacity_notes"}


def visible_organisation(session: Session, actor: Actor, org_id: int) -> Organisation:
    """The organisation, or NotFound also when the actor may not see it (no existence leak)."""
    org = session.get(Organisation, org_id)
    if org is None or not allowed(actor, "organisations.organisation.view", org):
        raise NotFound("organisation {id} does not exist", code="organisation.not_found", id=org_id)
    return org


def _taken(field: str) -> Conflict:
    """The same answer whoever holds the number, so it reveals neither the holder nor whether
    the actor may see it."""
    return Conflict(
        "this {name} is already registered for another organisation; "
        "contact the cluster coordinator",
        code=f"{field}.taken",
        name=field.upper(),
    )


def check_unique_ids(session: Session, org: Organisation) -> None:
    """Refuse a NIP or REGON another organisation holds, before the flush would fail on it."""
    with session.no_autoflush:  # a flush here would write the duplicate itself
        for field in _UNIQUE_IDS:
            value = getattr(org, field)
            if not value:
                continue
            holder = select(Organisation.id).where(getattr(Organisation, field) == value)
            if org.id is not None:
                holder = holder.where(Organisation.id != org.id)
            if session.scalar(holder.limit(1)) is not None:
                raise _taken(field)


@contextmanager
def unique_ids_kept() -> Iterator[None]:
    """A duplicate NIP or REGON written by a concurrent request between the check and the
    flush is the same Conflict, never an internal error."""
    try:
        yield
    except IntegrityError as exc:
        message = str(exc.orig)
        for field in _UNIQUE_IDS:
            if f"uq_organisation_{field}" in message or f"organisation.{field}" in message:
                raise _taken(field) from exc
        raise


def check_reserved_fields(actor: Actor, org: Organisation, changes: dict[str, Any]) -> None:
    """Kind and cluster membership are the coordinator's, whichever form or API sends them;
    a value sent unchanged is no change."""
    changed = sorted(
        key
        for key in STAFF_FIELDS & changes.keys()
        if changes[key] != getattr(org, key)
        and not (changes[key] is None and key in REQUIRED_FIELDS)
    )
    if changed and not allowed(actor, "organisations.organisation.manage_membership", org):
        raise PermissionDenied(
            "only the cluster coordinator may change these fields: {fields}",
            code="organisation.coordinator_fields",
            fields=", ".join(changed),
        )


def pkd_rows(session: Session, codes: Iterable[PkdIn]) -> list[OrganisationPkd]:
    rows, errors = [], []
    for index, item in enumerate(codes):
        code = item.code.strip().upper()
        section = reference.find_pkd_section(session, item.version, code)
        if section is None:
            hint = reference.explain_pkd(session, item.version, code)
            errors.append(
                FieldError(f"pkd_codes.{index}.code", hint, code="pkd.other_version")
                if hint
                else FieldError(
                    f"pkd_codes.{index}.code",
                    "{pkd} is not a PKD {version} class or subclass",
                    code="pkd.unknown",
                    pkd=item.code,
                    version=item.version,
                )
            )
            continue
        rows.append(
            OrganisationPkd(
                version=item.version, code=code, section=section, is_primary=item.is_primary
            )
        )
    if errors:
        raise Invalid(errors)
    if rows and not any(r.is_primary for r in rows):
        rows[0].is_primary = True
    if sum(r.is_primary for r in rows) > 1:
        raise Invalid.one("pkd_codes", "only one PKD code can be primary", code="pkd.two_primary")
    return rows


def site_row(session: Session, data: SiteIn, field: str = "teryt") -> Site:
    municipality = reference.check_municipality(session, data.teryt, field)
    return Site(**{**data.model_dump(), "teryt": municipality.teryt})


def capability_row(
    session: Session, data: CapabilityIn, field: str = "term"
) -> OrganisationCapability:
    term_id = None
    if data.term:
        term = reference.get_capability_term(session, data.term)
        if term is None:
            raise Invalid.one(
                field,
                "unknown capability term {term}",
                code="capability_term.unknown",
                term=repr(data.term),
            )
        if term.kind != data.kind:
            raise Invalid.one(
                field,
                "{term} is a {kind}, not a {wanted}",
                code="capability_term.wrong_kind",
                term=repr(data.term),
                kind=label_message("capability_kind", term.kind),
                wanted=label_message("capability_kind", data.kind),
            )
        term_id = term.id
    values = data.model_dump(exclude={"term"})
    return OrganisationCapability(term_id=term_id, **values)


def refresh_derived(session: Session, org: Organisation) -> None:
    """Recompute the derived columns (`derived.derive`) from the organisation and its children."""
    hq = next((s for s in org.sites if s.is_headquarters), org.sites[0] if org.sites else None)
    teryt = hq.teryt if hq else None
    with session.no_autoflush:  # a new organisation has no derived columns to flush yet
        terms = (
            {t.id: t for t in reference.list_capability_terms(session)} if org.capabilities else {}
        )
        municipality = reference.get_municipality(session, teryt) if teryt else None
    labels = [c.label or "" for c in org.capabilities]
    labels += [
        f"{terms[c.term_id].name_pl} {terms[c.term_id].name_en}"
        for c in org.capabilities
        if c.term_id in terms
    ]
    children = Children(
        teryt=teryt,
        city=municipality.name if municipality else "",
        labels=labels,
        site_teryts=[s.teryt for s in org.sites],
        pkd=[(p.section, p.code) for p in org.pkd_codes],
        term_ids=[c.term_id for c in org.capabilities],
    )
    values = derive({name: getattr(org, name) for name in SOURCE_COLUMNS}, children)
    for name, value in values.items():
        setattr(org, name, value)
    org.updated_at = utcnow()


def touch(session: Session, org: Organisation, action: str) -> None:
    refresh_derived(session, org)
    session.flush()
    publish(session, OrganisationChanged(org.id, action))


_Child = TypeVar("_Child", Site, Person, OrganisationCapability)


def visible_child(
    session: Session, actor: Actor, model: type[_Child], child_id: int
) -> tuple[_Child, Organisation]:
    child = session.get(model, child_id)
    if child is None or not allowed(actor, "organisations.organisation.view", child.organisation):
        raise NotFound(
            "{kind} {id} does not exist",
            code=f"{model.__tablename__}.not_found",
            kind=label_message("record", model.__tablename__),
            id=child_id,
        )
    return child, child.organisation
