"""Creating, changing and deleting an organisation itself."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.organisations.models import Organisation, Person
from upland.organisations.schemas import OrganisationCreate, OrganisationUpdate
from upland.organisations.service.core import (
    REQUIRED_FIELDS,
    TEXT_FIELDS,
    capability_row,
    check_reserved_fields,
    check_unique_ids,
    pkd_rows,
    refresh_derived,
    site_row,
    touch,
    unique_ids_kept,
    visible_organisation,
)
from upland.organisations.signals import OrganisationChanged
from upland.permissions import require
from upland.signals import publish


def create_organisation(session: Session, actor: Actor, data: OrganisationCreate) -> Organisation:
    require(actor, "organisations.organisation.create")
    values = data.model_dump(exclude={"pkd_codes", "sites", "people", "capabilities"})
    values["website"] = str(data.website) if data.website else None
    values["short_name"] = data.short_name or data.legal_name[:120]
    org = Organisation(**values)
    org.pkd_codes = pkd_rows(session, data.pkd_codes)
    org.sites = [site_row(session, s, f"sites.{i}.teryt") for i, s in enumerate(data.sites)]
    if org.sites and not any(s.is_headquarters for s in org.sites):
        org.sites[0].is_headquarters = True
    org.people = [Person(**p.model_dump()) for p in data.people]
    org.capabilities = [
        capability_row(session, c, f"capabilities.{i}.term")
        for i, c in enumerate(data.capabilities)
    ]
    check_unique_ids(session, org)
    session.add(org)
    refresh_derived(session, org)
    with unique_ids_kept():
        session.flush()
    audit.record(
        session,
        actor,
        "organisations.organisation.create",
        "organisation",
        org.id,
        after=audit.snapshot(org),
        summary=org.legal_name,
    )
    publish(session, OrganisationChanged(org.id, "created"))
    return org


def update_organisation(
    session: Session, actor: Actor, org_id: int, data: OrganisationUpdate
) -> Organisation:
    org = visible_organisation(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    changes = data.model_dump(exclude_unset=True, exclude={"pkd_codes"})
    check_reserved_fields(actor, org, changes)
    before = audit.snapshot(org)
    before_pkd = [f"{p.code}/{p.version}" for p in org.pkd_codes]
    for key, value in changes.items():
        if value is None and key in REQUIRED_FIELDS:
            continue
        if value is None and key in TEXT_FIELDS:
            value = ""
        if key == "website" and value is not None:
            value = str(value)
        setattr(org, key, value)
    if not org.short_name:
        org.short_name = org.legal_name[:120]
    if data.pkd_codes is not None:
        org.pkd_codes = pkd_rows(session, data.pkd_codes)
    check_unique_ids(session, org)
    with unique_ids_kept():
        touch(session, org, "updated")
    old, new = audit.changed(before, audit.snapshot(org))
    old.pop("updated_at", None)
    new.pop("updated_at", None)
    after_pkd = [f"{p.code}/{p.version}" for p in org.pkd_codes]
    if before_pkd != after_pkd:
        old["pkd_codes"], new["pkd_codes"] = before_pkd, after_pkd
    audit.record(
        session,
        actor,
        "organisations.organisation.update",
        "organisation",
        org.id,
        before=old,
        after=new,
        summary=org.legal_name,
    )
    return org


def delete_organisation(session: Session, actor: Actor, org_id: int) -> None:
    org = visible_organisation(session, actor, org_id)
    require(actor, "organisations.organisation.delete", org)
    before = audit.snapshot(org)
    session.delete(org)
    session.flush()
    audit.record(
        session,
        actor,
        "organisations.organisation.delete",
        "organisation",
        org_id,
        before=before,
        summary=before["legal_name"],
    )
    publish(session, OrganisationChanged(org_id, "deleted"))
