"""A free-text total is the number of rows the browse list holds, for every kind of reader.

The total of a search by words (with a kind at most) is counted over the narrow search copy
(`market.text_totals`, migration 0029: status, expiry, level, kind, owner and place beside the
text index), through the one visibility rule applied to the copy's own columns. It must equal
what the reader can page through — whole rows and teasers matched by title — after the writes
that change what the copy holds (edits, visibility, withdrawal, expiry by date and by the job,
renewal, access granted, deletion), and an opportunity past its expiry date is never counted
even before the expiry job has run."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, SYSTEM, Actor, OrgRole
from upland.market import queries, text_totals
from upland.market import service as market
from upland.market.models import Opportunity
from upland.market.schemas import OpportunityFilter, OpportunityUpdate
from upland.market.vocab import OpportunityKind

TODAY = dt.datetime.now(dt.UTC).date()
LUBLIN, RADOM, KOZIENICE = "0663011", "1463011", "1407053"
TITLES = ["Frezowanie korpusów", "Spawanie ram", "Laser cladding of shafts", "Gear wheels"]
TEXTS = ["frezowanie CNC", "spawanie TIG", "laser cutting", "gear wheels hobbing", "lakierowanie"]
QUERIES = ["spaw", "laser", "gear wheels", "lakier"]
KINDS = ["business_offer", "technology_offer", "capacity_offer"]


def _org(session: Session, teryt: str, member: bool = True) -> Any:
    site = {"teryt": teryt, "street": "ul. Testowa 1", "postal_code": "20-001"}
    return factories.organisation(
        session,
        membership_status="member" if member else "none",
        sites=[{**site, "locality": "x", "is_headquarters": True}],
    )


def _world(session: Session, rng: random.Random) -> dict[str, Any]:
    orgs = [_org(session, place) for place in (LUBLIN, LUBLIN, RADOM, KOZIENICE, RADOM)]
    editors = {
        o.id: factories.actor_of(session, factories.user(session, role="editor", org=o))
        for o in orgs
    }
    made: list[Opportunity] = []
    for n in range(30):
        owner = orgs[n % len(orgs)]
        level = rng.choice(["public", "public", "members", "restricted"])
        made.append(
            factories.opportunity(
                session,
                owner,
                editors[owner.id],
                publish=n % 7 != 6,  # a few drafts (the seventh is deleted)
                kind=KINDS[n % 3],
                visibility=level,
                anonymous=n % 4 == 0,
                title_pl=rng.choice(TITLES) if n % 2 else "",
                title_en=rng.choice(TITLES) if not n % 2 else "",
                description_pl=" ".join(rng.sample(TEXTS, 2)) if n % 2 else "",
                description_en=" ".join(rng.sample(TEXTS, 2)) if not n % 2 else "",
                named=[rng.choice(orgs).id] if level == "restricted" and n % 3 else [],
            )
        )
    # Writes that change what the copy holds, by the service and straight on the rows.
    first, second, third, fourth, fifth, draft = [*made[:5], made[6]]
    market.update_opportunity(
        session,
        editors[first.owner_id],
        first.id,
        OpportunityUpdate(title_pl="Lakierowanie proszkowe", visibility="restricted"),
        today=TODAY,
    )
    market.withdraw_opportunity(session, editors[second.owner_id], second.id)
    third.expires_on = TODAY - dt.timedelta(days=1)  # past its date; the job has not run
    fourth.expires_on = TODAY - dt.timedelta(days=2)
    fifth.expires_on = TODAY  # its last day: still live
    session.flush()
    market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC))  # expires the fourth
    market.renew_opportunity(
        session, editors[fourth.owner_id], fourth.id, TODAY + dt.timedelta(days=30)
    )
    market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC) + dt.timedelta(days=400))
    market.renew_opportunity(session, editors[third.owner_id], third.id, TODAY)
    restricted = [o for o in made[6:] if o.visibility == "restricted" and o.status == "published"]
    asker = next(o for o in orgs if o.id not in {restricted[0].owner_id, *restricted[0].named_ids})
    request = market.request_access(session, editors[asker.id], restricted[0].id, asker.id)
    market.decide_access(session, editors[restricted[0].owner_id], request.id, grant=True)
    market.delete_opportunity(session, editors[draft.owner_id], draft.id)  # a draft
    session.flush()
    session.expire_all()
    return {"orgs": orgs, "asker": asker}


def _actors(orgs: list[Any], asker: Any) -> list[Actor]:
    return [
        ANONYMOUS,
        Actor(user_id=-2, label="member of no organisation", is_cluster_member=True),
        Actor(
            user_id=-3,
            label="member of two organisations",
            is_cluster_member=True,
            org_roles={orgs[0].id: OrgRole.EDITOR, orgs[2].id: OrgRole.VIEWER},
        ),
        Actor(
            user_id=-4,
            label="granted access",
            is_cluster_member=True,
            org_roles={asker.id: OrgRole.EDITOR},
        ),
        Actor(user_id=-5, label="viewer, not a member", org_roles={orgs[3].id: OrgRole.VIEWER}),
        Actor(user_id=-6, label="officer of Lublin's area", officer_teryt=LUBLIN),
        Actor(user_id=-7, label="officer of Radom's area", officer_teryt=RADOM),
        Actor(user_id=-1, label="coordinator", is_cluster_member=True, is_coordinator=True),
        Actor(user_id=-9, label="platform admin", is_admin=True),
    ]


COPIED = ("status", "visibility", "expires_on", "kind", "owner_id", "teryt")


def _copy_agrees(session: Session) -> None:
    """Each copy row holds its opportunity's status, level, expiry, kind, owner and place;
    no more rows."""
    columns = ", ".join(COPIED)
    copied = {
        row[0]: tuple(str(v) if v is not None else None for v in row[1:])
        for row in session.execute(
            text(f"SELECT opportunity_id, {columns} FROM opportunity_search")
        )
    }
    expected = {
        o.id: tuple(str(getattr(o, c)) if getattr(o, c) is not None else None for c in COPIED)
        for o in session.scalars(select(Opportunity))
    }
    assert copied == expected
    if session.get_bind().dialect.name == "postgresql":  # and its vectors, out of line
        vectors = """SELECT count(*) FROM opportunity_search s JOIN opportunity o
            ON o.id = s.opportunity_id WHERE pg_column_size(s.pad) < 100
            AND s.text_vector = o.search_vector
            AND s.title_vector = to_tsvector('simple'::regconfig, o.search_title)"""
        assert session.scalar(text(vectors)) == len(expected)


def test_text_totals_are_the_rows_of_the_list(session: Session) -> None:
    world = _world(session, random.Random(20261204))
    _copy_agrees(session)
    found = 0
    for actor in _actors(world["orgs"], world["asker"]):
        for q in QUERIES:
            flt = OpportunityFilter(q=q)
            assert text_totals.answers(flt)
            rows = list(queries.iter_opportunities(session, actor, flt, TODAY, batch=7))
            found += len(rows)
            label = (actor.label, q)
            assert queries.count_opportunities(session, actor, flt, TODAY) == len(rows), label
            page = queries.list_opportunities(session, actor, flt, on=TODAY, limit=2)
            assert page.total == len(rows), label
            by_kind = queries.count_by_kind(session, actor, flt, TODAY)
            assert sum(by_kind.values()) == len(rows), label
            for kind in KINDS:
                of_kind = OpportunityFilter(q=q, kind=OpportunityKind(kind))
                assert by_kind.get(kind, 0) == queries.count_opportunities(
                    session, actor, of_kind, TODAY
                ), (*label, kind)
                if kind == KINDS[0]:  # and the list of one kind
                    listed = queries.iter_opportunities(session, actor, of_kind, TODAY, batch=7)
                    assert by_kind.get(kind, 0) == len(list(listed)), (*label, kind)
    assert found  # the queries find something


def test_a_total_never_counts_one_past_its_expiry_date(session: Session) -> None:
    """Judged on the day asked: yesterday's last day is over today, before the job runs."""
    owner = _org(session, LUBLIN)
    made = factories.opportunity(session, owner, publish=True, visibility="public")
    flt = OpportunityFilter(q="frezowanie")
    assert queries.count_opportunities(session, ANONYMOUS, flt, TODAY) == 1
    made.expires_on = TODAY
    session.flush()
    assert queries.count_opportunities(session, ANONYMOUS, flt, TODAY) == 1
    tomorrow = TODAY + dt.timedelta(days=1)
    assert queries.count_opportunities(session, ANONYMOUS, flt, tomorrow) == 0
    made.expires_on = TODAY - dt.timedelta(days=1)
    session.flush()
    assert made.status == "published"
    assert queries.count_opportunities(session, ANONYMOUS, flt, TODAY) == 0
    assert queries.count_by_kind(session, ANONYMOUS, flt, TODAY) == {}


@pytest.mark.parametrize(
    "fields",
    [{"q": "frezowanie"}, {"q": "laser", "kind": "technology_offer"}, {"q": "x", "sort": "newest"}],
)
def test_which_filters_the_copy_answers(fields: dict[str, str]) -> None:
    assert text_totals.answers(OpportunityFilter(**fields))


@pytest.mark.parametrize(
    "fields", [{}, {"q": "&&"}, {"q": "laser", "pkd": "25"}, {"q": "laser", "trl_min": 4}]
)
def test_which_filters_are_counted_otherwise(fields: dict[str, Any]) -> None:
    assert not text_totals.answers(OpportunityFilter(**fields))
