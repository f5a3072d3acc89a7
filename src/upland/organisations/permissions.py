"""Who may see and change registry entries. Default deny; list queries go through visible_to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select

from upland.actor import Actor, OrgRole
from upland.organisations.models import Organisation, Site
from upland.organisations.vocab import Visibility
from upland.permissions import rule
from upland.settings import get_settings


def officer_area(actor: Actor) -> tuple[str, ...]:
    """The TERYT units (code prefixes) of the partner area an officer serves; none otherwise."""
    if actor.officer_teryt is None:
        return ()
    return get_settings().partner_area(actor.officer_teryt)


def in_officer_area(actor: Actor, org: Organisation) -> bool:
    """The organisation's headquarters or one of its sites lies in the officer's partner area:
    there the officer sees every record (DOMAIN.md, "Who sees what")."""
    area = officer_area(actor)
    teryts = [org.teryt, *(site.teryt for site in org.sites)]
    return bool(area) and any(teryt and teryt.startswith(area) for teryt in teryts)


def _in_area(area: tuple[str, ...]) -> ColumnElement[bool]:
    """`in_officer_area` as SQL over Organisation."""
    sites = select(Site.id).where(
        Site.organisation_id == Organisation.id,
        or_(*(Site.teryt.startswith(unit, autoescape=True) for unit in area)),
    )
    return or_(
        *(Organisation.teryt.startswith(unit, autoescape=True) for unit in area), exists(sites)
    )


@rule("organisations.organisation.view")
def can_view_organisation(actor: Actor, org: Organisation) -> bool:
    if actor.is_staff or org.visibility == Visibility.PUBLIC:
        return True
    if actor.has_role(org.id, OrgRole.VIEWER) or in_officer_area(actor, org):
        return True
    if org.visibility == Visibility.MEMBERS:
        return actor.is_cluster_member
    return False


@rule("organisations.organisation.create")
def can_create_organisation(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("organisations.organisation.edit")
def can_edit_organisation(actor: Actor, org: Organisation) -> bool:
    return actor.is_staff or actor.has_role(org.id, OrgRole.EDITOR)


@rule("organisations.organisation.manage_membership")
def can_manage_membership(actor: Actor, _org: Any = None) -> bool:
    """An organisation's kind, cluster membership status and member-since date are the
    coordinator's to set, whatever form or API the change comes through."""
    return actor.is_staff


@rule("organisations.organisation.delete")
def can_delete_organisation(actor: Actor, _org: Any = None) -> bool:
    return actor.is_staff


@rule("organisations.organisation.import")
def can_import_organisations(actor: Actor, _obj: Any = None) -> bool:
    return actor.is_staff


@rule("organisations.person.view_contact")
def can_view_contact(actor: Actor, person: Any) -> bool:
    """Contact data follows the person's consent; their own organisation and staff always see it.

    `members` means cluster members: a city officer is none by office, so an officer sees such
    contacts only through a member organisation of their own, inside their area or not."""
    if actor.is_staff or actor.has_role(person.organisation_id, OrgRole.VIEWER):
        return True
    if person.contact_visibility == "public":
        return True
    return person.contact_visibility == "members" and actor.is_cluster_member


@rule("organisations.person.link_self")
def can_link_self(actor: Actor, organisation_id: int) -> bool:
    """A user of the organisation claims the contact rows that carry their own e-mail."""
    return actor.user_id is not None and actor.has_role(organisation_id, OrgRole.VIEWER)


@rule("organisations.person.link")
def can_link_people(actor: Actor, organisation_id: int) -> bool:
    """Whoever manages the organisation's user accounts links its contact rows to an account
    that has a role there, when they add that account by e-mail."""
    return actor.is_staff or actor.has_role(organisation_id, OrgRole.ADMIN)


def visible_to(actor: Actor, stmt: Select[Any]) -> Select[Any]:
    """Restrict a query over Organisation to the rows `actor` may see."""
    if actor.is_staff:
        return stmt
    allowed = [Organisation.visibility == Visibility.PUBLIC.value]
    if actor.is_cluster_member:
        allowed.append(Organisation.visibility == Visibility.MEMBERS.value)
    if actor.org_roles:
        allowed.append(Organisation.id.in_(list(actor.org_roles)))
    area = officer_area(actor)
    if area:
        allowed.append(_in_area(area))
    return stmt.where(or_(*allowed))
