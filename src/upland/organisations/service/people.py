"""An organisation's contact people: their rows, erasure, and linking them to user accounts."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland import audit
from upland.accounts import queries as account_queries
from upland.actor import Actor
from upland.db import utcnow
from upland.errors import NotFound
from upland.organisations.models import Person
from upland.organisations.schemas import PersonIn
from upland.organisations.service.core import visible_child, visible_organisation
from upland.permissions import require


def add_person(session: Session, actor: Actor, org_id: int, data: PersonIn) -> Person:
    org = visible_organisation(session, actor, org_id)
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
    person, org = visible_child(session, actor, Person, person_id)
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
    person, org = visible_child(session, actor, Person, person_id)
    require(actor, "organisations.organisation.edit", org)
    before = audit.snapshot(person)
    org.people.remove(person)
    session.flush()
    audit.record(session, actor, "organisations.person.remove", "person", person_id, before=before)


def erase_person(session: Session, actor: Actor, person_id: int) -> Person:
    """GDPR erasure: personal fields go, the row stays so counts and statistics hold."""
    person, org = visible_child(session, actor, Person, person_id)
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
