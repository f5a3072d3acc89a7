"""Facet tokens and the exact totals counted from them agree with the SQL filters."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, SYSTEM, Actor, OrgRole
from upland.organisations import facets, queries, service
from upland.organisations.imports import import_file
from upland.organisations.models import Organisation
from upland.organisations.schemas import OrganisationFilter, OrganisationUpdate, SiteIn
from upland.settings import get_settings

TODAY = dt.date(2026, 6, 1)
LUBLIN, SWIDNIK, RADOM, PIONKI = "0663011", "0617011", "1463011", "1425011"
NIEMCE = "0609112"  # powiat lubelski, in Lublin's partner area
CODES = [
    ("29.32.Z", 2025),
    ("29.31.Z", 2025),
    ("25.62.Z", 2025),
    ("29.32.Z", 2007),
    ("72.10.Z", 2025),
]
TERMS = [("process", "welding-tig"), ("process", "cnc-milling"), ("material", "aluminium")]
WORDS = ["spawanie", "toczenie wałów", "frezowanie", "łożyska"]


def test_pkd_tokens_cover_every_level_and_the_section():
    assert facets.pkd_tokens("C", "29.32.Z") == ["pkd29", "pkd293", "pkd2932", "pkd2932z", "pkdc"]
    assert facets.pkd("29.3") == "pkd293"
    assert facets.pkd("C") == "pkdc"


def test_facets_of_an_organisation(session):
    org = factories.organisation(
        session,
        kind="business_support",
        supply_tier="tier2",
        pkd_codes=[{"code": "29.32.Z", "version": 2025, "is_primary": True}],
        sites=[{"teryt": LUBLIN, "is_headquarters": True}, {"teryt": RADOM}],
        capabilities=[{"kind": "process", "term": "cnc-milling"}],
    )
    words = org.facets.split()
    assert {"kindbusinesssupport", "tiertier2", "city0663011", "city1463011"} <= set(words)
    assert {"pkd29", "pkd2932z", "pkdc", "vispublic", "membermember", "sizesmall"} <= set(words)
    assert any(w.startswith("cap") for w in words)


def _random_world(session: Session, rng: random.Random) -> list[Organisation]:
    orgs = []
    for _ in range(40):
        teryts = rng.sample([LUBLIN, SWIDNIK, RADOM, PIONKI, NIEMCE], rng.randint(0, 2))
        codes = rng.sample(CODES, rng.randint(0, 2))
        terms = rng.sample(TERMS, rng.randint(0, 2))
        certificate = rng.choice([None, TODAY - dt.timedelta(days=1), TODAY, dt.date(2099, 1, 1)])
        capabilities: list[dict[str, Any]] = [{"kind": k, "term": t} for k, t in terms]
        if rng.random() < 0.5:
            capabilities.append(
                {"kind": "certification", "term": "iatf-16949", "valid_until": certificate}
            )
        orgs.append(
            factories.organisation(
                session,
                kind=rng.choice(["company", "company", "research", "school"]),
                visibility=rng.choice(["public", "public", "members", "restricted"]),
                membership_status=rng.choice(["member", "applicant", "none"]),
                supply_tier=rng.choice([None, "tier1", "tier2"]),
                employees=rng.choice([None, 5, 40, 400]),
                description_pl=" ".join(rng.sample(WORDS, 2)),
                pkd_codes=[
                    {"code": c, "version": v, "is_primary": i == 0}
                    for i, (c, v) in enumerate(codes)
                ],
                sites=[{"teryt": t, "is_headquarters": i == 0} for i, t in enumerate(teryts)],
                capabilities=capabilities,
            )
        )
    # Later edits must keep the facets current.
    for org in rng.sample(orgs, 10):
        update = OrganisationUpdate(
            visibility=rng.choice(["public", "members", "restricted"]),
            pkd_codes=[{"code": "29.31.Z", "version": 2025, "is_primary": True}],
        )
        service.update_organisation(session, SYSTEM, org.id, update)
        service.add_site(session, SYSTEM, org.id, SiteIn(teryt=RADOM))
    for org in rng.sample(orgs, 5):
        for site in list(org.sites):
            service.remove_site(session, SYSTEM, site.id)
    session.flush()
    return orgs


def _actors(session: Session, orgs: list[Organisation]) -> list[Actor]:
    restricted = next(o for o in orgs if o.visibility == "restricted")
    return [
        ANONYMOUS,
        Actor(user_id=-2, label="member", is_cluster_member=True),
        Actor(user_id=-3, label="officer of a municipality", officer_teryt=SWIDNIK),
        Actor(user_id=-5, label="officer of Lublin's area", officer_teryt=LUBLIN),
        Actor(user_id=-6, label="officer of Radom's area", officer_teryt=RADOM),
        Actor(user_id=-4, label="own", org_roles={restricted.id: OrgRole.VIEWER}),
        Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True),
    ]


FILTERS = [
    {"city": LUBLIN},
    {"city": "Radom", "pkd": "29"},
    {"pkd": "C"},
    {"pkd": "29.3"},
    {"pkd": "29.32.Z"},
    {"kind": "research"},
    {"capability": "welding-tig"},
    {"capability": "no-such-term"},
    {"certification": "iatf-16949"},
    {"size_class": "small", "tier": "tier1"},
    {"membership": "member", "city": SWIDNIK},
    {"city": NIEMCE},
    {"city": "Pionki (gmina miejska)", "kind": "company"},
    {"q": "spaw"},
    {"q": "spawanie łożyska"},
    {"q": "frez"},
    {"q": "wał toczen", "pkd": "29"},
    {"q": "city"},
    {"q": "— ,"},
    {"q": '"spaw* NEAR(x'},
    {"q": "AND OR NOT", "kind": "company"},
    {},
]


def _sql_count(session: Session, actor: Actor, flt: OrganisationFilter) -> int:
    stmt = queries.filtered(session, actor, flt, TODAY)
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


@pytest.mark.parametrize(
    "areas",
    [
        None,
        {LUBLIN: ["06"], RADOM: ["1425011"], "2611011": ["2611"]},
    ],
    ids=["default areas", "a voivodeship and a municipality"],
)
def test_counts_from_facets_equal_the_sql_filters(session, monkeypatch, areas):
    if areas is not None:
        monkeypatch.setattr(get_settings(), "partner_areas", areas)
    orgs = _random_world(session, random.Random(20261127))
    for actor in _actors(session, orgs):
        for filters in FILTERS:
            flt = OrganisationFilter(**filters)
            expected = _sql_count(session, actor, flt)
            assert queries.count_organisations(session, actor, flt, TODAY) == expected, (
                actor.label,
                filters,
            )


def test_facets_follow_an_import_that_moves_and_recodes(session):
    org = factories.organisation(session, sites=[{"teryt": LUBLIN, "is_headquarters": True}])
    csv = (
        "nip;legal_name;teryt;pkd;kind;visibility\n"
        f"{org.nip};{org.legal_name};Radom;72.10.Z;research;members\n"
        f"{factories.make_nip(99_001)};Nowa Firma sp. z o.o.;Świdnik;29.32.Z;company;public\n"
    )
    report = import_file(session, SYSTEM, io.BytesIO(csv.encode()), filename="org.csv")
    assert not report.errors, report.errors
    session.expire_all()
    moved = session.get(Organisation, org.id)
    assert moved is not None
    assert {"city1463011", "pkd7210z", "kindresearch", "vismembers"} <= set(moved.facets.split())
    assert "city0663011" not in moved.facets.split()
    created = session.scalars(select(Organisation).where(Organisation.legal_name.like("Nowa%")))
    assert {"city0617011", "pkd2932z"} <= set(created.one().facets.split())


@pytest.mark.parametrize("actor", [ANONYMOUS], ids=["anonymous"])
def test_count_of_an_unknown_city_is_the_filter_error(session, actor):
    with pytest.raises(Exception, match="unknown municipality"):
        queries.count_organisations(session, actor, OrganisationFilter(city="Atlantyda"), TODAY)
