"""Loading the demo world goes through the services and writes everything the world holds."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.demo_database import DemoDatabase

from upland.accounts.models import Membership, User
from upland.accounts.service import authenticate
from upland.actor import SYSTEM
from upland.organisations import exporting
from upland.organisations.imports.service import import_file
from upland.organisations.models import Organisation, OrganisationPkd


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_load_world_writes_every_organisation_user_and_role(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    """The shared demo database started empty (migrated, reference data only), so what it
    holds is what the load wrote."""
    world, counts, session = demo_database.world, demo_database.counts, demo_session

    orgs = world.organisations
    assert counts["organisations"] == len(orgs)
    assert counts["sites"] == sum(len(o.sites) for o in orgs)
    assert counts["people"] == sum(len(o.people) for o in orgs)
    assert counts["capabilities"] == sum(len(o.capabilities) for o in orgs)
    assert counts["pkd_codes"] == sum(len(o.pkd_codes) for o in orgs)
    assert counts["users"] == len(world.users)
    assert counts["roles"] == sum(len(u.roles) for u in world.users)
    org_roles = sum(1 for u in world.users for g in u.roles if g.organisation)
    assert _count(session, Organisation) == len(orgs)
    # The brokerage days' delegates (`demo.brokerage`): an account and a viewer role each.
    assert _count(session, User) == len(world.users) + counts["delegates"]
    assert _count(session, Membership) == org_roles + counts["delegates"]
    assert _count(session, OrganisationPkd) == counts["pkd_codes"]


def test_demo_users_can_log_in_with_their_roles(
    demo_database: DemoDatabase, demo_session: Session
) -> None:
    password, session = demo_database.world.password, demo_session

    officer = authenticate(session, "urzednik.radom@upland.example", password, "127.0.0.1")
    coordinator = authenticate(session, "koordynator@upland.example", password, "127.0.0.1")
    admin = authenticate(session, "admin@upland.example", password, "127.0.0.1")

    assert officer.officer_teryt == "1463011"
    assert coordinator.is_coordinator and len(coordinator.memberships) == 1
    assert admin.is_platform_admin


def test_the_demo_worlds_export_imports_back_unchanged(
    demo_session: Session, tmp_path: Path
) -> None:
    """Every organisation of the demo world, exported as the coordinator would, re-imports
    with no error and no change (issue 6, item 13)."""
    session = demo_session
    orgs = session.scalars(select(Organisation).order_by(Organisation.id))
    path = tmp_path / "export.csv"
    path.write_text("".join(exporting.csv_chunks(exporting.rows_of(session, SYSTEM, orgs))))

    report = import_file(session, SYSTEM, path, dry_run=True)

    assert (report.error_count, report.created, report.updated) == (0, 0, 0), report.as_text()
