"""An organisation's sites and capabilities: each change recomputes the derived columns."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland import audit
from upland.actor import Actor
from upland.organisations.models import OrganisationCapability, Site
from upland.organisations.schemas import CapabilityIn, SiteIn
from upland.organisations.service.core import (
    capability_row,
    site_row,
    touch,
    visible_child,
    visible_organisation,
)
from upland.permissions import require
from upland.reference import queries as reference


def add_site(session: Session, actor: Actor, org_id: int, data: SiteIn) -> Site:
    org = visible_organisation(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    site = site_row(session, data)
    if data.is_headquarters:
        for other in org.sites:
            other.is_headquarters = False
    org.sites.append(site)
    if len(org.sites) == 1:
        site.is_headquarters = True
    touch(session, org, "updated")
    audit.record(
        session,
        actor,
        "organisations.site.add",
        "site",
        site.id,
        after=audit.snapshot(site),
        summary=org.legal_name,
    )
    return site


def update_site(session: Session, actor: Actor, site_id: int, data: SiteIn) -> Site:
    site, org = visible_child(session, actor, Site, site_id)
    require(actor, "organisations.organisation.edit", org)
    if data.teryt != site.teryt:
        data.teryt = reference.check_municipality(session, data.teryt).teryt
    before = audit.snapshot(site)
    for key, value in data.model_dump().items():
        setattr(site, key, value)
    if data.is_headquarters:
        for other in org.sites:
            other.is_headquarters = other is site
    touch(session, org, "updated")
    old, new = audit.changed(before, audit.snapshot(site))
    audit.record(
        session, actor, "organisations.site.update", "site", site.id, before=old, after=new
    )
    return site


def remove_site(session: Session, actor: Actor, site_id: int) -> None:
    site, org = visible_child(session, actor, Site, site_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(site)
    org.sites.remove(site)
    if org.sites and not any(s.is_headquarters for s in org.sites):
        org.sites[0].is_headquarters = True
    touch(session, org, "updated")
    audit.record(session, actor, "organisations.site.remove", "site", site_id, before=before)


def add_capability(
    session: Session, actor: Actor, org_id: int, data: CapabilityIn
) -> OrganisationCapability:
    org = visible_organisation(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    capability = capability_row(session, data)
    org.capabilities.append(capability)
    touch(session, org, "updated")
    audit.record(
        session,
        actor,
        "organisations.capability.add",
        "organisation_capability",
        capability.id,
        after=audit.snapshot(capability),
        summary=org.legal_name,
    )
    return capability


def remove_capability(session: Session, actor: Actor, capability_id: int) -> None:
    capability, org = visible_child(session, actor, OrganisationCapability, capability_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(capability)
    org.capabilities.remove(capability)
    touch(session, org, "updated")
    audit.record(
        session,
        actor,
        "organisations.capability.remove",
        "organisation_capability",
        capability_id,
        before=before,
    )
