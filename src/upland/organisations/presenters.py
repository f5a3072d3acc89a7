"""ORM rows to read schemas for one actor: contact people only where the person consented."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from upland.actor import Actor
from upland.organisations.models import Organisation, Person
from upland.organisations.schemas import (
    CapabilityRead,
    HiddenContacts,
    OrganisationRead,
    OrganisationSummary,
    PersonRead,
    PkdRead,
    SiteRead,
)
from upland.permissions import allowed
from upland.reference import queries as reference


def _primary_pkd(org: Organisation) -> str | None:
    primary = next((p for p in org.pkd_codes if p.is_primary), None)
    return primary.code if primary else None


def summary(org: Any, city_names: dict[str, str]) -> OrganisationSummary:
    """`org`: an organisation, or a row of `queries.SUMMARY_COLUMNS` (lists)."""
    return OrganisationSummary(
        id=org.id,
        kind=org.kind,
        legal_name=org.legal_name,
        short_name=org.short_name,
        nip=org.nip,
        city=city_names.get(org.teryt or ""),
        teryt=org.teryt,
        size_class=org.size_class,
        supply_tier=org.supply_tier,
        membership_status=org.membership_status,
        visibility=org.visibility,
        primary_pkd=_primary_pkd(org) if isinstance(org, Organisation) else org.primary_pkd,
    )


def person(actor: Actor, row: Person) -> PersonRead:
    """A person as `actor` may see them: name, job title, e-mail and phone only with their
    consent (`organisations.person.view_contact`); otherwise nothing personal at all."""
    show = row.erased_at is None and allowed(actor, "organisations.person.view_contact", row)
    return PersonRead(
        id=row.id,
        full_name=row.full_name if show else "",
        role_title=row.role_title if show else "",
        email=row.email if show else None,
        phone=row.phone if show else None,
        language=row.language,
    )


def people(actor: Actor, rows: list[Person]) -> tuple[list[PersonRead], HiddenContacts]:
    """The contacts `actor` may see, and a count of the others by their consent level."""
    shown, hidden = [], HiddenContacts(members=0, private=0)
    for row in rows:
        if row.erased_at is not None:
            continue
        if allowed(actor, "organisations.person.view_contact", row):
            shown.append(person(actor, row))
        elif row.contact_visibility == "members":
            hidden.members += 1
        else:
            hidden.private += 1
    return shown, hidden


def detail(
    session: Session, actor: Actor, org: Organisation, language: str = "en"
) -> OrganisationRead:
    teryts = {s.teryt for s in org.sites} | ({org.teryt} if org.teryt else set())
    municipalities = reference.municipalities_by_code(session, teryts)
    city_names = {t: m.name for t, m in municipalities.items()}
    terms = {t.id: t for t in reference.list_capability_terms(session)}
    pkd = []
    for row in org.pkd_codes:
        entry = reference.get_pkd(session, row.version, row.code)
        name = ""
        if entry:
            name = (entry.name_en or entry.name_pl) if language == "en" else entry.name_pl
        pkd.append(
            PkdRead(code=row.code, version=row.version, is_primary=row.is_primary, name=name)
        )
    sites = [
        SiteRead(
            id=s.id,
            name=s.name,
            street=s.street,
            postal_code=s.postal_code,
            locality=s.locality,
            teryt=s.teryt,
            municipality=municipalities[s.teryt].name,
            voivodeship=municipalities[s.teryt].voivodeship,
            latitude=s.latitude,
            longitude=s.longitude,
            is_headquarters=s.is_headquarters,
        )
        for s in org.sites
    ]
    capabilities = []
    for c in org.capabilities:
        term = terms.get(c.term_id) if c.term_id else None
        name = c.label or ""
        if term:
            name = term.name_en if language == "en" else term.name_pl
            name = f"{name} — {c.label}" if c.label else name
        capabilities.append(
            CapabilityRead(
                id=c.id,
                kind=c.kind,
                term=term.slug if term else None,
                name=name,
                valid_from=c.valid_from,
                valid_until=c.valid_until,
                notes=c.notes,
            )
        )
    shown, hidden = people(actor, list(org.people))
    base = summary(org, city_names).model_dump()
    return OrganisationRead(
        **base,
        regon=org.regon,
        krs=org.krs,
        website=org.website,
        description_pl=org.description_pl,
        description_en=org.description_en,
        founded_year=org.founded_year,
        employees=org.employees,
        member_since=org.member_since,
        capacity_notes=org.capacity_notes,
        not_suggested=org.not_suggested,
        updated_at=org.updated_at,
        pkd_codes=pkd,
        sites=sites,
        people=shown,
        hidden_contacts=hidden,
        capabilities=capabilities,
    )


def contacts_of(session: Session, actor: Actor, organisation_id: int) -> list[PersonRead]:
    """An organisation's contact people `actor` may see, by the one consent rule
    (`organisations.person.view_contact`): for other areas (the marketplace's introductions),
    which never read the people table themselves."""
    rows = session.scalars(
        select(Person).where(Person.organisation_id == organisation_id).order_by(Person.id)
    )
    return people(actor, list(rows))[0]
