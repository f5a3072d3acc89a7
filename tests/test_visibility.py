"""The one visibility rule: the pure predicate and the SQL agree, and every count derives from it.

Hypothesis generates actors (roles, cluster membership, an officer's municipality, staff) and
records (level, owner, place, named organisations) in a scratch table on the test's backend,
and checks that `visible_to` selects exactly the records `can_see` accepts. A second test
generates actors against a random registry and checks that the fast facet counts equal the
number of rows of the visible list, so a second implementation of the rule cannot drift.
"""

from __future__ import annotations

import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, exists, or_, select
from sqlalchemy.orm import Session

from tests.organisations.test_facets import FILTERS, TODAY, _random_world
from upland import visibility
from upland.actor import Actor, OrgRole
from upland.organisations import permissions, queries
from upland.organisations.schemas import OrganisationFilter
from upland.organisations.vocab import Visibility

ORGS = [1, 2, 3, 4]
# Lublin (its partner area also holds powiat lubelski), a Lublin-area village, Radom, Warsaw.
PLACES = ["0663011", "0609112", "1463011", "1465011", None]
LEVELS = [str(level) for level in visibility.Level]

_meta = MetaData()
probe = Table(
    "visibility_probe",
    _meta,
    Column("id", Integer, primary_key=True),
    Column("level", String(12)),
    Column("owner", Integer, nullable=True),
    Column("teryt", String(7), nullable=True),
)
probe_named = Table(
    "visibility_probe_named",
    _meta,
    Column("probe_id", Integer, ForeignKey("visibility_probe.id"), primary_key=True),
    Column("organisation_id", Integer, primary_key=True),
)
COLUMNS = visibility.Columns(
    level=probe.c.level,
    owner=probe.c.owner,
    located_in=lambda area: or_(
        *(probe.c.teryt.startswith(unit, autoescape=True) for unit in area)
    ),
    named_any=lambda ids: exists(
        select(probe_named.c.probe_id).where(
            probe_named.c.probe_id == probe.c.id, probe_named.c.organisation_id.in_(ids)
        )
    ),
)

records = st.lists(
    st.builds(
        visibility.Record,
        level=st.sampled_from(LEVELS),
        owner=st.sampled_from([*ORGS, None]),
        teryts=st.tuples(st.sampled_from(PLACES)),
        named=st.frozensets(st.sampled_from(ORGS), max_size=2),
    ),
    max_size=12,
)


@st.composite
def actors(draw: Any) -> Actor:
    roles = draw(st.dictionaries(st.sampled_from(ORGS), st.sampled_from(list(OrgRole))))
    staff = draw(st.sampled_from(["", "", "", "coordinator", "admin"]))
    return Actor(
        user_id=draw(st.sampled_from([None, 7])),
        label="generated",
        org_roles=roles,
        is_cluster_member=draw(st.booleans()),
        officer_teryt=draw(st.sampled_from([None, "0663011", "1463011", "0617011"])),
        is_coordinator=staff == "coordinator",
        is_admin=staff == "admin",
    )


def test_the_levels_are_the_registry_s_vocabulary():
    assert [str(v) for v in Visibility] == LEVELS


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actor=actors(), rows=records)
def test_visible_to_selects_what_can_see_accepts(session: Session, actor: Actor, rows: list[Any]):
    connection = session.connection()
    _meta.create_all(connection)
    checkpoint = connection.begin_nested()
    try:
        for number, record in enumerate(rows, start=1):
            connection.execute(
                probe.insert().values(
                    id=number, level=record.level, owner=record.owner, teryt=record.teryts[0]
                )
            )
            for org in record.named:
                connection.execute(
                    probe_named.insert().values(probe_id=number, organisation_id=org)
                )
        stmt = visibility.visible_to(actor, select(probe.c.id), COLUMNS)
        selected = set(connection.scalars(stmt))
        accepted = {n for n, r in enumerate(rows, start=1) if visibility.can_see(actor, r)}
        assert selected == accepted
    finally:
        checkpoint.rollback()


def test_the_predicate_follows_domain_md():
    """A few cases spelled out, so a change of the rule itself shows here by name."""
    lublin_restricted = visibility.Record("restricted", owner=1, teryts=("0609112",))
    radom_members = visibility.Record("members", owner=2, teryts=("1463011",))
    named = visibility.Record("restricted", owner=2, named=frozenset({3}))
    officer = Actor(user_id=1, label="officer", officer_teryt="0663011")
    member = Actor(user_id=2, label="member", is_cluster_member=True)
    named_viewer = Actor(user_id=3, label="named", org_roles={3: OrgRole.VIEWER})
    assert visibility.can_see(officer, lublin_restricted)
    assert not visibility.can_see(officer, radom_members)  # no member by office
    assert visibility.can_see(member, radom_members)
    assert not visibility.can_see(member, lublin_restricted)
    assert visibility.can_see(named_viewer, named)
    assert not visibility.can_see(member, named)


@st.composite
def registry_actors(draw: Any, ids: list[int]) -> Actor:
    roles = draw(st.dictionaries(st.sampled_from(ids), st.just(OrgRole.VIEWER), max_size=3))
    return Actor(
        user_id=draw(st.sampled_from([None, 9])),
        label="generated",
        org_roles=roles,
        is_cluster_member=draw(st.booleans()),
        officer_teryt=draw(st.sampled_from([None, "0663011", "1463011", "0617011", "2611011"])),
        is_coordinator=draw(st.booleans()) and draw(st.booleans()),
    )


def test_counts_equal_the_rows_of_the_visible_list(session: Session):
    """Facet counts (SQLite's FTS index, PostgreSQL's GIN array) against the list's rows and
    against the pure predicate, for generated actors and every filter of the facet tests."""
    orgs = _random_world(session, random.Random(7))
    ids = [o.id for o in orgs]

    @settings(max_examples=25, deadline=None, database=None)
    @given(actor=registry_actors(ids))
    def check(actor: Actor) -> None:
        for filters in FILTERS:
            flt = OrganisationFilter(**filters)
            listed = list(queries.iter_organisations(session, actor, flt, TODAY, batch=7))
            counted = queries.count_organisations(session, actor, flt, TODAY)
            assert counted == len(listed), (actor, filters)
            staff = Actor(user_id=None, label="all", is_coordinator=True)
            every = queries.iter_organisations(session, staff, flt, TODAY, batch=50)
            seen = {o.id for o in every if permissions.can_view_organisation(actor, o)}
            assert {o.id for o in listed} == seen, (actor, filters)

    check()
