"""How registrations are named: the person and their organisation (a guest's as they wrote
them), read for pages, the API and the news."""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.accounts import queries as accounts
from upland.events.models import EventRegistration
from upland.organisations import queries as organisations


def registration_names(
    session: Session, registrations: list[EventRegistration]
) -> dict[int, tuple[str, str]]:
    """(person, organisation) of each registration, by its id: a guest's as they wrote them."""
    orgs = organisations.owner_facts(
        session, {r.organisation_id for r in registrations if r.organisation_id}
    )
    users = {r.user_id for r in registrations if r.user_id}
    people = {u: accounts.get_user(session, u).full_name for u in users}
    return {
        r.id: (
            people.get(r.user_id, "") if r.user_id else r.guest_name,
            orgs[r.organisation_id].name if r.organisation_id in orgs else r.guest_organisation,
        )
        for r in registrations
    }


def name_of(session: Session, registration: EventRegistration) -> str:
    """ "Person (Organisation)", or the person alone."""
    person, organisation = registration_names(session, [registration])[registration.id]
    return f"{person} ({organisation})" if organisation else person
