"""Write the demo world into a database, only through the services (DESIGN.md rule 1).

The caller owns the transaction and has seeded the reference data (`seed_reference`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from upland.accounts.service import create_user, grant_role
from upland.actor import SYSTEM, Actor
from upland.demo.world import World
from upland.organisations.service import create_organisation


def load_world(session: Session, world: World, actor: Actor = SYSTEM) -> dict[str, int]:
    """Create every organisation and demo user with their roles; returns what was written."""
    counts = dict.fromkeys(
        (
            "organisations",
            "sites",
            "people",
            "capabilities",
            "pkd_codes",
            "users",
            "roles",
        ),
        0,
    )
    ids: dict[str, int] = {}
    for data in world.organisations:
        org = create_organisation(session, actor, data)
        ids[data.legal_name] = org.id
        counts["organisations"] += 1
        counts["sites"] += len(org.sites)
        counts["people"] += len(org.people)
        counts["capabilities"] += len(org.capabilities)
        counts["pkd_codes"] += len(org.pkd_codes)
    for demo in world.users:
        user = create_user(
            session, actor, demo.email, demo.full_name, world.password, demo.language
        )
        counts["users"] += 1
        for grant in demo.roles:
            organisation_id = ids[grant.organisation] if grant.organisation else None
            grant_role(session, actor, user.id, grant.role, organisation_id, grant.teryt)
            counts["roles"] += 1
    return counts


def demo_logins(world: World) -> list[tuple[str, str, str]]:
    """(who, e-mail, password) for each demo user, for the CLI to print."""
    return [(user.description, user.email, world.password) for user in world.users]
