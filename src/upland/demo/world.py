"""Build the demo world: a pure, seeded generator of validated registry input and demo users.

Same seed, same world: every random choice comes from one `random.Random(seed)`, and the
world's "today" is the fixed `profiles.AS_OF` date, so nothing depends on the clock
(`demo.dating` moves every date to the day it is loaded).
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from upland.demo.institutions import COORDINATOR, INSTITUTIONS, POLITECHNIKA
from upland.demo.names import feminine
from upland.demo.places import BY_TERYT, LUBLIN, RADOM, STARACHOWICE
from upland.demo.profiles import Registry, company, institution, person_name, plan
from upland.organisations.schemas import OrganisationCreate
from upland.textkit.folding import fold

PASSWORD = "upland-demo-2018"  # noqa: S105 - the one documented password of every demo log-in
USER_DOMAIN = "upland.example"
ORGANISATIONS = 150


@dataclass(frozen=True)
class RoleGrant:
    """A role as `accounts.service.grant_role` takes it; organisations by legal name."""

    role: str
    organisation: str | None = None
    teryt: str | None = None


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    description: str
    roles: tuple[RoleGrant, ...]
    language: str = "pl"


@dataclass(frozen=True)
class World:
    """Everything `load_world` writes; all users share `password`."""

    seed: int
    password: str
    organisations: tuple[OrganisationCreate, ...]
    users: tuple[DemoUser, ...]

    def organisation(self, legal_name: str) -> OrganisationCreate:
        return next(o for o in self.organisations if o.legal_name == legal_name)


def _users(
    rng: Random,
    orgs: dict[str, OrganisationCreate],
    showcase: OrganisationCreate,
    member: OrganisationCreate,
) -> tuple[DemoUser, ...]:
    """One log-in per role; each acts as a contact person of the organisation it works for."""

    def name(org: str | OrganisationCreate, index: int) -> str:
        return (orgs[org] if isinstance(org, str) else org).people[index].full_name

    first, surname, female = person_name(rng)
    city_halls = (
        (LUBLIN, "Gmina Lublin"),
        (RADOM, "Gmina Miasta Radomia"),
        (STARACHOWICE, "Gmina Starachowice"),
    )
    org_roles = (
        ("admin.firma", "admin"),
        ("redaktor.firma", "editor"),
        ("podglad.firma", "viewer"),
    )
    return (
        DemoUser(
            f"admin@{USER_DOMAIN}",
            f"{first} {feminine(surname) if female else surname}",
            "Platform admin",
            (RoleGrant("platform-admin"),),
        ),
        DemoUser(
            f"koordynator@{USER_DOMAIN}",
            name(COORDINATOR, 0),
            "Cluster coordinator",
            (RoleGrant("coordinator"), RoleGrant("admin", COORDINATOR)),
        ),
        *(
            DemoUser(
                f"urzednik.{fold(BY_TERYT[teryt].name)}@{USER_DOMAIN}",
                name(hall, 0),
                f"City officer – {BY_TERYT[teryt].name}",
                (RoleGrant("officer", teryt=teryt),),
            )
            for teryt, hall in city_halls
        ),
        *(
            DemoUser(
                f"{login}@{USER_DOMAIN}",
                name(showcase, index),
                f"Organisation {role} – {showcase.short_name}",
                (RoleGrant(role, showcase.legal_name),),
            )
            for index, (login, role) in enumerate(org_roles)
        ),
        DemoUser(
            f"nauka@{USER_DOMAIN}",
            name(POLITECHNIKA, 2),
            f"Research admin – {POLITECHNIKA}",
            (RoleGrant("admin", POLITECHNIKA),),
        ),
        DemoUser(
            f"czlonek@{USER_DOMAIN}",
            name(member, 0),
            f"Member (editor) – {member.short_name}",
            (RoleGrant("editor", member.legal_name),),
        ),
    )


def build_world(seed: int = 2018) -> World:
    """The demo world for `seed`: ~150 organisations and one log-in per role."""
    rng = Random(seed)
    reg = Registry(rng)
    regons: dict[str, str] = {}
    institutions = [institution(rng, reg, inst, regons) for inst in INSTITUTIONS]
    companies = [company(rng, reg, slot) for slot in plan(ORGANISATIONS - len(institutions))]
    by_name = {o.legal_name: o for o in institutions}
    users = _users(rng, by_name, companies[0], companies[1])
    return World(seed, PASSWORD, tuple(institutions + companies), users)
