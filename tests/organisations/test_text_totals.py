"""A free-text total is the number of rows the visible list holds, for every kind of actor.

On PostgreSQL the total comes from the narrow search copy (`text_totals`, migration 0014_perf)
with the visibility rule applied to the copy's own columns; on SQLite from the FTS5 facets.
Either way it must equal what the reader can page through, after the edits that change where
an organisation sits or who sees it (sites added, moved and removed, visibility changed,
headquarters moved by an import, an organisation deleted)."""

from __future__ import annotations

import datetime as dt
import io
import random
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, SYSTEM, Actor, OrgRole
from upland.organisations import queries, service, text_totals
from upland.organisations.imports import import_file
from upland.organisations.models import Organisation, Site
from upland.organisations.schemas import OrganisationFilter, OrganisationUpdate, SiteIn
from upland.organisations.search import query_terms
from upland.settings import get_settings

TODAY = dt.date(2026, 12, 3)
LUBLIN, SWIDNIK, RADOM, PIONKI = "0663011", "0617011", "1463011", "1425011"
NIEMCE = "0609112"  # powiat lubelski, in Lublin's partner area
KOZIENICE = "1407053"  # outside every partner area
PLACES = [LUBLIN, SWIDNIK, RADOM, PIONKI, NIEMCE, KOZIENICE]
WORDS = ["spawanie", "toczenie wałów", "frezowanie", "łożyska", "lakierowanie"]
QUERIES = ["spaw", "spawanie łożyska", "frez", "wał toczen", "lakier"]
PKD_CODES = ["25.53.Z", "25.61.Z", "28.30.Z", "29.32.Z"]


def _world(session: Session, rng: random.Random) -> list[Organisation]:
    orgs = []
    for _ in range(36):
        teryts = rng.sample(PLACES, rng.randint(0, 3))
        orgs.append(
            factories.organisation(
                session,
                visibility=rng.choice(["public", "members", "members", "restricted"]),
                description_pl=" ".join(rng.sample(WORDS, 2)),
                pkd_codes=[
                    {"code": code, "version": 2025, "is_primary": i == 0}
                    for i, code in enumerate(PKD_CODES[len(orgs) % 4 :][: 1 + len(orgs) % 2])
                ],
                sites=[{"teryt": t, "is_headquarters": i == 0} for i, t in enumerate(teryts)],
            )
        )
    for org in rng.sample(orgs, 8):
        level = rng.choice(["public", "members", "restricted"])
        service.update_organisation(session, SYSTEM, org.id, OrganisationUpdate(visibility=level))
        service.add_site(session, SYSTEM, org.id, SiteIn(teryt=rng.choice(PLACES)))
    for org in rng.sample(orgs, 6):
        for site in list(org.sites):
            if rng.random() < 0.5:
                service.remove_site(session, SYSTEM, site.id)
            else:
                service.update_site(session, SYSTEM, site.id, SiteIn(teryt=rng.choice(PLACES)))
    gone = orgs.pop(rng.randrange(len(orgs)))
    service.delete_organisation(session, SYSTEM, gone.id)
    moved = orgs[0]
    csv = (
        "nip;legal_name;kind;teryt;description_pl;visibility\n"
        f"{moved.nip};{moved.legal_name};company;{KOZIENICE};spawanie ram;restricted\n"
        f"{factories.make_nip(98_001)};Nowa Spawalnia sp. z o.o.;company;Niemce;spawanie;members\n"
    )
    report = import_file(session, SYSTEM, io.BytesIO(csv.encode()), filename="org.csv")
    assert not report.errors, report.errors
    session.flush()
    session.expire_all()
    return list(session.scalars(select(Organisation)))


def _actors(orgs: list[Organisation]) -> list[Actor]:
    restricted = [o.id for o in orgs if o.visibility == "restricted"]
    members_only = [o.id for o in orgs if o.visibility == "members"]
    return [
        ANONYMOUS,
        Actor(user_id=-2, label="member of no organisation", is_cluster_member=True),
        Actor(
            user_id=-3,
            label="member of two organisations",
            is_cluster_member=True,
            org_roles={restricted[0]: OrgRole.EDITOR, restricted[1]: OrgRole.VIEWER},
        ),
        Actor(
            user_id=-4, label="viewer, not a member", org_roles={members_only[0]: OrgRole.VIEWER}
        ),
        Actor(user_id=-5, label="officer of a municipality", officer_teryt=SWIDNIK),
        Actor(user_id=-6, label="officer of Lublin's area", officer_teryt=LUBLIN),
        Actor(user_id=-7, label="officer of Radom's area", officer_teryt=RADOM),
        Actor(
            user_id=-8,
            label="officer and member",
            officer_teryt=LUBLIN,
            is_cluster_member=True,
            org_roles={restricted[-1]: OrgRole.ADMIN},
        ),
        Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True),
        Actor(user_id=-9, label="platform admin", is_admin=True),
    ]


def _copy_agrees(session: Session) -> None:
    """PostgreSQL: each copy row holds its organisation's level, places and facet tokens,
    no more rows."""
    copied = {
        row.organisation_id: (row.visibility, sorted(row.places), sorted(row.facets))
        for row in session.execute(
            text("SELECT organisation_id, visibility, places, facets FROM organisation_search")
        )
    }
    expected: dict[int, Any] = {}
    for org in session.scalars(select(Organisation)):
        places = {
            org.teryt,
            *session.scalars(select(Site.teryt).where(Site.organisation_id == org.id)),
        }
        expected[org.id] = (
            org.visibility,
            sorted(p for p in places if p),
            sorted(org.facets.split()),
        )
    assert copied == expected


@pytest.mark.parametrize(
    "areas",
    [None, {LUBLIN: ["06"], RADOM: ["1425011"], "2611011": ["2611"]}],
    ids=["default areas", "a voivodeship and a municipality"],
)
def test_text_totals_are_the_rows_of_the_visible_list(session, monkeypatch, areas):
    if areas is not None:
        monkeypatch.setattr(get_settings(), "partner_areas", areas)
    orgs = _world(session, random.Random(20261203))
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        _copy_agrees(session)
    for actor in _actors(orgs):
        for q in QUERIES:
            flt = OrganisationFilter(q=q, sort="name")
            rows = list(queries.iter_organisations(session, actor, flt, TODAY, batch=7))
            assert rows, (actor.label, q)  # every query finds something for everyone
            total = queries.count_organisations(session, actor, flt, TODAY)
            assert total == len(rows), (actor.label, q)
            if postgres:
                copied = text_totals.count_text_matches(session, actor, query_terms(q))
                assert copied == len(rows), (actor.label, q)


FILTERS = [
    {"city": LUBLIN},
    {"city": RADOM, "pkd": "25"},
    {"pkd": "28.30.Z"},
    {"pkd": "C", "kind": "company"},
    {"city": LUBLIN, "pkd": "25", "q": "spaw"},
    {"pkd": "29", "q": "frez"},
    {"city": KOZIENICE, "q": "spawanie"},
]


@pytest.mark.parametrize("fields", FILTERS, ids=lambda f: "+".join(f))
def test_filtered_totals_are_the_rows_of_the_visible_list(session, fields):
    """City, PKD and kind totals, with and without words, come from the facet tokens (FTS5 on
    SQLite, the search copy's array on PostgreSQL) and must match what the reader can page."""
    orgs = _world(session, random.Random(20261204))
    if session.get_bind().dialect.name == "postgresql":
        _copy_agrees(session)
    flt = OrganisationFilter(sort="name", **fields)
    found = 0
    for actor in _actors(orgs):
        rows = list(queries.iter_organisations(session, actor, flt, TODAY, batch=7))
        found += len(rows)
        assert queries.count_organisations(session, actor, flt, TODAY) == len(rows), actor.label
    assert found  # the filter selects something for someone


# --- totals kept per stamp of the search copy (PostgreSQL) --------------------------


def _stamp(engine: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT stamp FROM organisation_search_stamp"))


@pytest.mark.postgres_only
def test_a_total_is_kept_until_any_process_commits_a_change(engine, monkeypatch):
    """The same search counted again reads the kept total; a change committed by anyone (here
    raw SQL, as another process would, with no signal in this one) is counted afresh."""
    counted: list[int] = []
    real_count = text_totals._count

    def counting(*args: Any) -> int:
        counted.append(1)
        return real_count(*args)

    monkeypatch.setattr(text_totals, "_count", counting)
    words = query_terms("przyczepkowanie")  # a word no other test's row holds
    with Session(engine) as session:
        org = factories.organisation(
            session, visibility="public", description_pl="przyczepkowanie ram"
        )
        session.commit()
        org_id = org.id
    try:

        def total() -> int:
            with Session(engine) as session:
                return text_totals.count_text_matches(session, ANONYMOUS, words)

        assert total() == 1 and total() == 1
        assert len(counted) == 1  # the second page of the same search recounted nothing
        before = _stamp(engine)
        with engine.begin() as connection:
            for level in ("members", "restricted"):  # two changes, one transaction
                connection.execute(
                    text("UPDATE organisation SET visibility = :v WHERE id = :id"),
                    {"v": level, "id": org_id},
                )
        assert _stamp(engine) != before
        assert total() == 0
        assert len(counted) == 2
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM organisation WHERE id = :id"), {"id": org_id})


@pytest.mark.postgres_only
def test_a_transaction_that_changed_the_copy_counts_its_own_state(session):
    words = query_terms("przyczepkowanie")
    assert text_totals.count_text_matches(session, ANONYMOUS, words) == 0
    factories.organisation(session, visibility="public", description_pl="przyczepkowanie ram")
    session.flush()
    # Its own uncommitted row counts here (the 0 kept above is not read back), and nowhere else.
    assert text_totals.count_text_matches(session, ANONYMOUS, words) == 1
    with Session(session.get_bind().engine) as other:
        assert text_totals.count_text_matches(other, ANONYMOUS, words) == 0
