"""Who may see and change registry entries. Default deny; list queries go through visible_to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select

from upland import visibility
from upland.actor import Actor, OrgRole
from upland.organisations.models import Organisation, Person, Site
from upland.permissions import rule


def in_officer_area(actor: Actor, org: Organisation) -> bool:
    """The organisation's headquarters or one of its sites lies in the officer's partner area:
    there the officer sees every record (DOMAIN.md, "Who sees what")."""
    return visibility.in_area(actor, _places(org))


def _places(org: Organisation) -> tuple[str | None, ...]:
    return (org.teryt, *(site.teryt for site in org.sites))


def _in_area(area: tuple[str, ...]) -> ColumnElement[bool]:
    """The headquarters or a site lies in one of the TERYT units, as SQL over Organisation."""
    sites = select(Site.id).where(
        Site.organisation_id == Organisation.id,
        or_(*(Site.teryt.startswith(unit, autoescape=True) for unit in area)),
    )
    return or_(
        *(Organisation.teryt.startswith(unit, autoescape=True) for unit in area), exists(sites)
    )


# An organisation owns its own profile and sits where its headquarters and sites are.
COLUMNS = visibility.Columns(
    level=Organisation.visibility, owner=Organisation.id, located_in=_in_area
)


def record_of(org: Organisation) -> visibility.Record:
    return visibility.Record(
        level=org.visibility,
        owner=org.id,
        teryts=_places(org),
    )


@rule("organisations.organisation.view", Organisation)
def can_view_organisation(actor: Actor, org: Organisation) -> bool:
    return visibility.can_see(actor, record_of(org))


@rule("organisations.organisation.create")
def can_create_organisation(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("organisations.organisation.edit", Organisation)
def can_edit_organisation(actor: Actor, org: Organisation) -> bool:
    return actor.is_staff or actor.has_role(org.id, OrgRole.EDITOR)


@rule("organisations.organisation.manage_membership", Organisation)
def can_manage_membership(actor: Actor, _org: Organisation | None) -> bool:
    """An organisation's kind, cluster membership status and member-since date are the
    coordinator's to set, whatever form or API the change comes through."""
    return actor.is_staff


@rule("organisations.organisation.delete", Organisation)
def can_delete_organisation(actor: Actor, _org: Organisation) -> bool:
    return actor.is_staff


@rule("organisations.organisation.import")
def can_import_organisations(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("organisations.person.view_contact", Person)
def can_view_contact(actor: Actor, person: Person) -> bool:
    """Whether `actor` sees a contact person at all (name, job title, e-mail, phone): as the
    person consented (`contact_visibility`). `public`: everyone; `members`: logged-in users of
    member organisations, coordinators and city officers; `private`: the organisation's own
    users, coordinators and platform admins. Others get only a count (docs/permissions.md)."""
    if actor.is_staff or actor.has_role(person.organisation_id, OrgRole.VIEWER):
        return True
    if person.contact_visibility == "public":
        return True
    if person.contact_visibility == "members":
        return actor.is_cluster_member or actor.officer_teryt is not None
    return False


@rule("organisations.person.link_self", int)
def can_link_self(actor: Actor, organisation_id: int) -> bool:
    """A user of the organisation claims the contact rows that carry their own e-mail."""
    return actor.user_id is not None and actor.has_role(organisation_id, OrgRole.VIEWER)


@rule("organisations.person.link", int)
def can_link_people(actor: Actor, organisation_id: int) -> bool:
    """Whoever manages the organisation's user accounts links its contact rows to an account
    that has a role there, when they add that account by e-mail."""
    return actor.is_staff or actor.has_role(organisation_id, OrgRole.ADMIN)


def visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Organisation to the rows `actor` may see."""
    return visibility.visible_to(actor, stmt, COLUMNS)
