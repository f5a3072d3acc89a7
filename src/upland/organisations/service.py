"""Every write to the registry. Each function checks permission first and records an audit entry."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import queries as account_queries
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
from upland.organisations.schemas import (
    CapabilityIn,
    OrganisationCreate,
    OrganisationUpdate,
    PersonIn,
    PkdIn,
    SiteIn,
)
from upland.organisations.signals import OrganisationChanged
from upland.permissions import allowed, require
from upland.reference import queries as reference
from upland.signals import publish

# Fields only staff change (organisations.organisation.manage_membership).
_STAFF_FIELDS = {"kind", "membership_status", "member_since"}
_UNIQUE_IDS = ("nip", "regon")
# In a partial update, null keeps a required field and empties a text field.
_REQUIRED_FIELDS = {"legal_name", "kind", "visibility", "membership_status"}
_TEXT_FIELDS = {"short_name", "description_pl", "description_en", "capacity_notes"}


def _get(session: Session, actor: Actor, org_id: int) -> Organisation:
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


def _check_unique_ids(session: Session, org: Organisation) -> None:
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
def _unique_ids_kept() -> Iterator[None]:
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


def _check_reserved_fields(actor: Actor, org: Organisation, changes: dict[str, Any]) -> None:
    """Kind and cluster membership are the coordinator's, whichever form or API sends them;
    a value sent unchanged is no change."""
    changed = sorted(
        key
        for key in _STAFF_FIELDS & changes.keys()
        if changes[key] != getattr(org, key)
        and not (changes[key] is None and key in _REQUIRED_FIELDS)
    )
    if changed and not allowed(actor, "organisations.organisation.manage_membership", org):
        raise PermissionDenied(
            "only the cluster coordinator may change these fields: {fields}",
            code="organisation.coordinator_fields",
            fields=", ".join(changed),
        )


def _pkd_rows(session: Session, codes: Iterable[PkdIn]) -> list[OrganisationPkd]:
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


def _site_row(session: Session, data: SiteIn, field: str = "teryt") -> Site:
    if reference.get_municipality(session, data.teryt) is None:
        raise Invalid.one(
            field,
            "unknown municipality TERYT code {teryt}",
            code="municipality.unknown",
            teryt=data.teryt,
        )
    return Site(**data.model_dump())


def _capability_row(
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


def _touch(session: Session, org: Organisation, action: str) -> None:
    refresh_derived(session, org)
    session.flush()
    publish(session, OrganisationChanged(org.id, action))


def create_organisation(session: Session, actor: Actor, data: OrganisationCreate) -> Organisation:
    require(actor, "organisations.organisation.create")
    values = data.model_dump(exclude={"pkd_codes", "sites", "people", "capabilities"})
    values["website"] = str(data.website) if data.website else None
    values["short_name"] = data.short_name or data.legal_name[:120]
    org = Organisation(**values)
    org.pkd_codes = _pkd_rows(session, data.pkd_codes)
    org.sites = [_site_row(session, s, f"sites.{i}.teryt") for i, s in enumerate(data.sites)]
    if org.sites and not any(s.is_headquarters for s in org.sites):
        org.sites[0].is_headquarters = True
    org.people = [Person(**p.model_dump()) for p in data.people]
    org.capabilities = [
        _capability_row(session, c, f"capabilities.{i}.term")
        for i, c in enumerate(data.capabilities)
    ]
    _check_unique_ids(session, org)
    session.add(org)
    refresh_derived(session, org)
    with _unique_ids_kept():
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
    org = _get(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    changes = data.model_dump(exclude_unset=True, exclude={"pkd_codes"})
    _check_reserved_fields(actor, org, changes)
    before = audit.snapshot(org)
    before_pkd = [f"{p.code}/{p.version}" for p in org.pkd_codes]
    for key, value in changes.items():
        if value is None and key in _REQUIRED_FIELDS:
            continue
        if value is None and key in _TEXT_FIELDS:
            value = ""
        if key == "website" and value is not None:
            value = str(value)
        setattr(org, key, value)
    if not org.short_name:
        org.short_name = org.legal_name[:120]
    if data.pkd_codes is not None:
        org.pkd_codes = _pkd_rows(session, data.pkd_codes)
    _check_unique_ids(session, org)
    with _unique_ids_kept():
        _touch(session, org, "updated")
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
    org = _get(session, actor, org_id)
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


_Child = TypeVar("_Child", Site, Person, OrganisationCapability)


def _child(
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


def add_site(session: Session, actor: Actor, org_id: int, data: SiteIn) -> Site:
    org = _get(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    site = _site_row(session, data)
    if data.is_headquarters:
        for other in org.sites:
            other.is_headquarters = False
    org.sites.append(site)
    if len(org.sites) == 1:
        site.is_headquarters = True
    _touch(session, org, "updated")
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
    site, org = _child(session, actor, Site, site_id)
    require(actor, "organisations.organisation.edit", org)
    if reference.get_municipality(session, data.teryt) is None:
        raise Invalid.one(
            "teryt",
            "unknown municipality TERYT code {teryt}",
            code="municipality.unknown",
            teryt=data.teryt,
        )
    before = audit.snapshot(site)
    for key, value in data.model_dump().items():
        setattr(site, key, value)
    if data.is_headquarters:
        for other in org.sites:
            other.is_headquarters = other is site
    _touch(session, org, "updated")
    old, new = audit.changed(before, audit.snapshot(site))
    audit.record(
        session, actor, "organisations.site.update", "site", site.id, before=old, after=new
    )
    return site


def remove_site(session: Session, actor: Actor, site_id: int) -> None:
    site, org = _child(session, actor, Site, site_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(site)
    org.sites.remove(site)
    if org.sites and not any(s.is_headquarters for s in org.sites):
        org.sites[0].is_headquarters = True
    _touch(session, org, "updated")
    audit.record(session, actor, "organisations.site.remove", "site", site_id, before=before)


def add_person(session: Session, actor: Actor, org_id: int, data: PersonIn) -> Person:
    org = _get(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    person = Person(**data.model_dump())
    org.people.append(person)
    session.flush()
    audit.record(
        session,
        actor,
        "organisations.person.add",
        "person",
        person.id,
        after=audit.snapshot(person),
        summary=org.legal_name,
    )
    return person


def update_person(session: Session, actor: Actor, person_id: int, data: PersonIn) -> Person:
    person, org = _child(session, actor, Person, person_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(person)
    for key, value in data.model_dump().items():
        setattr(person, key, value)
    session.flush()
    old, new = audit.changed(before, audit.snapshot(person))
    audit.record(
        session, actor, "organisations.person.update", "person", person.id, before=old, after=new
    )
    return person


def remove_person(session: Session, actor: Actor, person_id: int) -> None:
    person, org = _child(session, actor, Person, person_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(person)
    org.people.remove(person)
    session.flush()
    audit.record(session, actor, "organisations.person.remove", "person", person_id, before=before)


def erase_person(session: Session, actor: Actor, person_id: int) -> Person:
    """GDPR erasure: personal fields go, the row stays so counts and statistics hold."""
    person, org = _child(session, actor, Person, person_id)
    require(actor, "organisations.organisation.edit", org)
    personal = [person.full_name, person.email or "", person.phone or ""]
    audit.forget_object(session, "person", person.id, personal, "(erased)")
    person.full_name = "(erased)"
    person.email = None
    person.phone = None
    person.role_title = ""
    person.contact_visibility = "private"
    person.user_id = None
    person.erased_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "organisations.person.erase",
        "person",
        person.id,
        summary="personal data erased",
    )
    return person


def link_people(
    session: Session, actor: Actor, org_id: int, user_id: int | None = None
) -> list[Person]:
    """The organisation's contact rows with a user's e-mail become that user's, so their
    personal-data export lists them. Without `user_id` the actor claims their own rows (on
    accepting an invitation); with it, whoever manages the organisation's user accounts links
    the rows of an account that has a role there (on adding it by e-mail). Rows linked to
    someone else stay theirs."""
    if user_id is None:
        require(actor, "organisations.person.link_self", org_id)
        assert actor.user_id is not None  # the rule admits logged-in users only
        user_id = actor.user_id
    else:
        require(actor, "organisations.person.link", org_id)
        if account_queries.get_membership(session, user_id, org_id) is None:
            raise NotFound(
                "user {user} has no role in organisation {org}",
                code="membership.not_found",
                user=user_id,
                org=org_id,
            )
    user = account_queries.get_user(session, user_id)
    people = list(
        session.scalars(
            select(Person).where(
                Person.organisation_id == org_id,
                func.lower(Person.email) == user.email,
                Person.user_id.is_(None),
            )
        )
    )
    for person in people:
        person.user_id = user.id
        audit.record(
            session,
            actor,
            "organisations.person.link",
            "person",
            person.id,
            before={"user_id": None},
            after={"user_id": user.id},
            summary=user.email,
        )
    session.flush()
    return people


def add_capability(
    session: Session, actor: Actor, org_id: int, data: CapabilityIn
) -> OrganisationCapability:
    org = _get(session, actor, org_id)
    require(actor, "organisations.organisation.edit", org)
    capability = _capability_row(session, data)
    org.capabilities.append(capability)
    _touch(session, org, "updated")
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
    capability, org = _child(session, actor, OrganisationCapability, capability_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(capability)
    org.capabilities.remove(capability)
    _touch(session, org, "updated")
    audit.record(
        session,
        actor,
        "organisations.capability.remove",
        "organisation_capability",
        capability_id,
        before=before,
    )
