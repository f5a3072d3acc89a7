"""Loading the demo world goes through the services and writes everything the world holds."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from upland.accounts.models import Membership, User
from upland.accounts.service import authenticate
from upland.actor import SYSTEM
from upland.demo.load import load_world
from upland.demo.world import build_world
from upland.organisations import exporting
from upland.organisations.imports.service import import_file
from upland.organisations.models import Organisation, OrganisationPkd


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_load_world_writes_every_organisation_user_and_role(session: Session) -> None:
    world = build_world()
    before = {m: _count(session, m) for m in (Organisation, User, Membership, OrganisationPkd)}

    counts = load_world(session, world)

    orgs = world.organisations
    assert counts["organisations"] == len(orgs)
    assert counts["sites"] == sum(len(o.sites) for o in orgs)
    assert counts["people"] == sum(len(o.people) for o in orgs)
    assert counts["capabilities"] == sum(len(o.capabilities) for o in orgs)
    assert counts["pkd_codes"] == sum(len(o.pkd_codes) for o in orgs)
    assert counts["users"] == len(world.users)
    assert counts["roles"] == sum(len(u.roles) for u in world.users)
    org_roles = sum(1 for u in world.users for g in u.roles if g.organisation)
    assert _count(session, Organisation) - before[Organisation] == len(orgs)
    assert _count(session, User) - before[User] == len(world.users)
    assert _count(session, Membership) - before[Membership] == org_roles
    assert _count(session, OrganisationPkd) - before[OrganisationPkd] == counts["pkd_codes"]


def test_demo_users_can_log_in_with_their_roles(session: Session) -> None:
    world = build_world()
    load_world(session, world)

    officer = authenticate(session, "urzednik.radom@upland.example", world.password, "127.0.0.1")
    coordinator = authenticate(session, "koordynator@upland.example", world.password, "127.0.0.1")
    admin = authenticate(session, "admin@upland.example", world.password, "127.0.0.1")

    assert officer.officer_teryt == "1463011"
    assert coordinator.is_coordinator and len(coordinator.memberships) == 1
    assert admin.is_platform_admin


def test_the_demo_worlds_export_imports_back_unchanged(session: Session, tmp_path: Path) -> None:
    """Every organisation of the demo world, exported as the coordinator would, re-imports
    with no error and no change (issue 6, item 13)."""
    load_world(session, build_world())
    orgs = session.scalars(select(Organisation).order_by(Organisation.id))
    path = tmp_path / "export.csv"
    path.write_text("".join(exporting.csv_chunks(exporting.rows_of(session, SYSTEM, orgs))))

    report = import_file(session, SYSTEM, path, dry_run=True)

    assert (report.error_count, report.created, report.updated) == (0, 0, 0), report.as_text()
