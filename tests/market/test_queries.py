"""Who sees what in the browse list, its counts, search and export: the list agrees with the
one-record rules; restricted ones are teasers to the unnamed; an anonymous owner is never shown
to a reader outside the owner and staff."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from tests import factories

from upland.actor import ANONYMOUS, SYSTEM, Actor, OrgRole
from upland.errors import Invalid
from upland.market import exporting, permissions, queries
from upland.market import service as market
from upland.market.schemas import OpportunityFilter, OpportunityUpdate
from upland.organisations.models import Organisation

TODAY = dt.datetime.now(dt.UTC).date()


@pytest.fixture
def world(session: Session):
    owner = factories.organisation(session, short_name="Właściciel")
    named = factories.organisation(session)
    other = factories.organisation(session)
    research = factories.organisation(session, kind="research")
    editor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    made = {}
    for level, anonymous in itertools.product(("public", "members", "restricted"), (False, True)):
        made[(level, anonymous)] = factories.opportunity(
            session,
            owner,
            editor,
            publish=True,
            visibility=level,
            anonymous=anonymous,
            title_pl=f"Spawanie ram {level} {'anonimowe' if anonymous else 'jawne'}",
            description_pl="Tajny opis: zrobotyzowane stanowisko spawalnicze TIG",
            named=[named.id] if level == "restricted" else [],
            pkd_codes=[{"code": "25.62.Z", "version": 2007}],
        )
    draft = factories.opportunity(session, owner, editor, visibility="public")
    research_offer = factories.opportunity(
        session,
        research,
        publish=True,
        visibility="public",
        kind="technology_offer",
        trl=4,
        title_en="Laser cladding of shafts",
        description_en="A lab process",
        places=["1463011"],
    )
    actors = {
        "anonymous": ANONYMOUS,
        "owner": editor,
        "named": Actor(1001, "named", {named.id: OrgRole.EDITOR}, is_cluster_member=True),
        "other": Actor(1002, "other", {other.id: OrgRole.EDITOR}, is_cluster_member=True),
        "officer_here": Actor(1003, "officer", officer_teryt="0663011"),
        "staff": SYSTEM,
    }
    return {"made": made, "draft": draft, "research": research_offer, "actors": actors}


def _ids(page) -> set[int]:
    return {s.opportunity.id for s in page.items}


def test_the_list_agrees_with_the_rules(session: Session, world):
    every = [*world["made"].values(), world["draft"], world["research"]]
    for name, actor in world["actors"].items():
        page = queries.list_opportunities(session, actor, OpportunityFilter(), on=TODAY, limit=50)
        expected = {
            o.id for o in every if o.status == "published" and permissions.can_view_teaser(actor, o)
        }
        assert _ids(page) == expected, name
        assert page.total == len(expected)
        for item in page.items:
            assert item.whole == permissions.can_view_opportunity(actor, item.opportunity), name
            if not item.whole:
                assert item.opportunity.visibility == "restricted"


def test_restricted_are_teasers_to_the_unnamed(session: Session, world):
    restricted = world["made"][("restricted", False)]
    assert queries.get_opportunity(session, world["actors"]["other"], restricted.id).whole is False
    assert (
        queries.get_opportunity(session, world["actors"]["anonymous"], restricted.id).whole is False
    )
    assert queries.get_opportunity(session, world["actors"]["named"], restricted.id).whole is True
    assert queries.get_opportunity(session, world["actors"]["officer_here"], restricted.id).whole


def test_the_owner_of_an_anonymous_one_stays_hidden(session: Session, world):
    anonymous = world["made"][("public", True)]
    for name in ("anonymous", "named", "other", "officer_here"):
        assert not queries.get_opportunity(session, world["actors"][name], anonymous.id).owner_shown
    for name in ("owner", "staff"):
        assert queries.get_opportunity(session, world["actors"][name], anonymous.id).owner_shown


def test_a_disclosure_reveals_an_anonymous_owner(session: Session, world):
    anonymous = world["made"][("public", True)]
    other = world["actors"]["other"]

    def accepted(actor: Actor, opportunities) -> set[int]:
        return {o.id for o in opportunities if actor.user_id == other.user_id} & {anonymous.id}

    permissions.disclose_owner_to(accepted)
    try:
        assert queries.get_opportunity(session, other, anonymous.id).owner_shown
    finally:
        permissions._disclosures.remove(accepted)


def test_text_search_reads_teasers_by_title_only(session: Session, world):
    other = world["actors"]["other"]
    secret = queries.list_opportunities(
        session, other, OpportunityFilter(q="zrobotyzowane"), on=TODAY, limit=50
    )
    assert all(s.whole for s in secret.items)
    assert world["made"][("restricted", False)].id not in _ids(secret)
    titled = queries.list_opportunities(
        session, other, OpportunityFilter(q="spawania ram"), on=TODAY, limit=50
    )
    assert world["made"][("restricted", False)].id in _ids(titled)  # the lemma finds the title


def test_filters(session: Session, world):
    staff = world["actors"]["staff"]

    def ids(**kw) -> set[int]:
        return _ids(
            queries.list_opportunities(session, staff, OpportunityFilter(**kw), on=TODAY, limit=50)
        )

    research = world["research"].id
    assert ids(owner_kind="research") == {research}
    assert ids(trl_min=3, trl_max=5) == {research}
    assert ids(kind="technology_offer") == {research}
    assert ids(city="Radom") == {research}
    assert research not in ids(pkd="25.62")
    assert len(ids(pkd="C")) == 6
    assert ids(q="cladding") == {research}
    assert ids(published_until=TODAY - dt.timedelta(days=1)) == set()
    with pytest.raises(Invalid):
        ids(pkd="x!")
    facets = queries.count_by_kind(session, staff, OpportunityFilter(kind="business_offer"), TODAY)
    assert facets == {"business_offer": 6, "technology_offer": 1}


def test_detail_filters_leave_teasers_out(session: Session, world):
    other = world["actors"]["other"]
    page = queries.list_opportunities(
        session, other, OpportunityFilter(pkd="25.62"), on=TODAY, limit=50
    )
    assert all(s.whole for s in page.items) and page.items


def test_pages_and_cursors(session: Session, world):
    staff = world["actors"]["staff"]
    first = queries.list_opportunities(session, staff, OpportunityFilter(), on=TODAY, limit=3)
    second = queries.list_opportunities(
        session, staff, OpportunityFilter(), on=TODAY, limit=3, after=first.next_cursor
    )
    back = queries.list_opportunities(
        session, staff, OpportunityFilter(), on=TODAY, limit=3, before=second.prev_cursor
    )
    assert first.total == 7 and not (_ids(first) & _ids(second))
    assert _ids(back) == _ids(first)
    with pytest.raises(Invalid):
        queries.list_opportunities(session, staff, OpportunityFilter(), on=TODAY, after="!!")


def test_export_hides_the_anonymous_owner(session: Session, world):
    other = world["actors"]["other"]
    items = queries.iter_opportunities(session, other, OpportunityFilter(), TODAY)
    rows = list(exporting.rows_of(session, items))
    text = "".join(exporting.json_chunks(rows))
    by_id = {r["id"]: r for r in json.loads(text)["items"]}
    assert by_id[world["made"][("public", True)].id]["owner"] == ""
    assert by_id[world["made"][("public", False)].id]["owner"] == "Właściciel"
    teaser = by_id[world["made"][("restricted", False)].id]
    assert teaser["teaser"] is True and teaser["owner"] == ""
    assert "Właściciel" not in "".join(
        exporting.csv_chunks(r for r in rows if r["id"] == world["made"][("public", True)].id)
    )


def test_an_expired_one_leaves_the_list_but_stays_with_its_owner(session: Session, world):
    made = world["made"][("public", False)]
    market.expire_due(session, SYSTEM, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))  # none due
    assert made.status == "published"
    made.expires_on = TODAY - dt.timedelta(days=1)  # past its date, not yet expired by the job
    session.flush()
    anonymous = world["actors"]["anonymous"]
    page = queries.list_opportunities(session, anonymous, OpportunityFilter(), on=TODAY, limit=50)
    assert made.id not in _ids(page)
    assert made.id in {
        s.opportunity.id for s in queries.list_own(session, world["actors"]["owner"])
    }


@pytest.mark.parametrize("q", ["spawanie ram", "zrobotyzowane", "laser"])
def test_text_totals_are_the_rows_of_the_list(session: Session, world, q: str):
    """The total is counted (a page of one leaves more), in its own phrasing of the query
    (`counting`: FTS5 first on SQLite, the narrow copy on PostgreSQL), and agrees with the
    rows the list walks, teasers matched by title only, for every reader."""
    flt = OpportunityFilter(q=q)
    for name, actor in world["actors"].items():
        every = queries.list_opportunities(session, actor, flt, on=TODAY, limit=50)
        first = queries.list_opportunities(session, actor, flt, on=TODAY, limit=1)
        assert first.total == every.total == len(every.items), (name, q)
        facets = queries.count_by_kind(session, actor, flt, TODAY)
        assert sum(facets.values()) == every.total, (name, q)


def test_an_edited_title_is_searched_at_once(session: Session, world):
    """The search copy (PostgreSQL) and the FTS5 index (SQLite) follow every write."""
    made = world["made"][("public", False)]
    owner, staff = world["actors"]["owner"], world["actors"]["staff"]

    def found(q: str) -> tuple[bool, int]:
        flt = OpportunityFilter(q=q)
        page = queries.list_opportunities(session, staff, flt, on=TODAY, limit=50)
        return made.id in _ids(page), queries.count_opportunities(session, staff, flt, TODAY)

    new, old = found("frezowanie korpusów"), found("spawanie ram jawne")
    change = OpportunityUpdate(title_pl="Frezowanie korpusów przekładni")
    market.update_opportunity(session, owner, made.id, change, today=TODAY)
    session.flush()
    assert found("frezowanie korpusów") == (True, new[1] + 1) and not new[0]
    assert found("spawanie ram jawne") == (False, old[1] - 1) and old[0]


FACET_FILTERS = [
    {"pkd": "25"},
    {"pkd": "25.62"},
    {"pkd": "25.62.Z"},
    {"pkd": "C"},
    {"pkd": "29"},
    {"pkd": "25", "kind": "business_offer"},
    {"pkd": "C", "kind": "technology_offer"},
    {"city": "Radom"},
    {"city": "Lublin"},
    {"city": "Radom", "kind": "technology_offer"},
]


@pytest.mark.parametrize("kw", FACET_FILTERS, ids=lambda kw: "-".join(kw.values()))
def test_facet_totals_are_the_rows_of_the_list(session: Session, world, kw):
    """PKD and city totals come from the facet rows (`market.facets`), the rows beyond the
    reader's levels (own, named, the officer's area) through the rule: every reader's total is
    the rows the list walks, teasers counted only for a section."""
    flt = OpportunityFilter(**kw)
    for name, actor in world["actors"].items():
        every = queries.list_opportunities(session, actor, flt, on=TODAY, limit=50)
        first = queries.list_opportunities(session, actor, flt, on=TODAY, limit=1)
        counted = queries.count_opportunities(session, actor, flt, TODAY)
        assert first.total == every.total == counted == len(every.items), (name, kw)


def test_facet_totals_see_beyond_the_levels(session: Session, world):
    """The named organisation and the officer of the owner's area count the restricted ones
    whole; another member does not (it sees them only as teasers, which a division leaves out)."""
    totals = {
        name: queries.count_opportunities(session, actor, OpportunityFilter(pkd="25"), TODAY)
        for name, actor in world["actors"].items()
    }
    assert totals["anonymous"] == 2  # the public ones
    assert totals["other"] == 4  # public and members
    assert totals["named"] == totals["owner"] == totals["staff"] == 6
    section = queries.count_opportunities(session, ANONYMOUS, OpportunityFilter(pkd="C"), TODAY)
    assert section == 4  # public ones and the restricted ones' teasers


def test_facet_rows_follow_every_write(session: Session, world):
    """Triggers keep the facet rows whoever writes: PKD codes and places replaced by an edit,
    a status, visibility or expiry changed, an opportunity withdrawn."""
    made = world["made"][("public", False)]
    owner, staff = world["actors"]["owner"], world["actors"]["staff"]

    def total(**kw) -> int:
        return queries.count_opportunities(session, staff, OpportunityFilter(**kw), TODAY)

    assert (total(pkd="25"), total(pkd="29.32"), total(city="Lublin")) == (6, 0, 0)
    update = OpportunityUpdate(
        pkd_codes=[{"code": "29.32.Z", "version": 2007}], places=["0663011", "06"]
    )
    market.update_opportunity(session, owner, made.id, update, today=TODAY)
    session.flush()
    assert (total(pkd="25"), total(pkd="29.32"), total(pkd="C")) == (5, 1, 6)  # C: both
    assert total(city="Lublin") == 1  # two of its places lie in Lublin's units: counted once
    anonymous = queries.count_opportunities(session, ANONYMOUS, OpportunityFilter(pkd="29"), TODAY)
    made.visibility = "members"
    session.flush()
    assert anonymous == 1
    assert queries.count_opportunities(session, ANONYMOUS, OpportunityFilter(pkd="29"), TODAY) == 0
    made.expires_on = TODAY - dt.timedelta(days=1)
    session.flush()
    assert total(pkd="29") == 0
    made.expires_on = None
    session.flush()
    assert total(pkd="29") == 1
    market.withdraw_opportunity(session, owner, made.id)
    session.flush()
    assert (total(pkd="29"), total(city="Lublin")) == (0, 0)


@pytest.mark.parametrize("kind", ["company", "research"])
def test_the_owner_kind_filter_never_tells_an_anonymous_owners_kind(
    session: Session, world, kind: str
):
    """Filtering by owner kind selects and counts only rows whose owner the reader knows: an
    anonymous one is in neither the owner's kind nor the other, so no filter tells its kind."""
    anonymous = {o.id for (_level, hidden), o in world["made"].items() if hidden}
    by_kind = OpportunityFilter(owner_kind=kind)
    for name in ("anonymous", "named", "other", "officer_here"):
        actor = world["actors"][name]
        every = queries.list_opportunities(session, actor, OpportunityFilter(), on=TODAY, limit=50)
        assert {s.opportunity.id for s in every.items if s.whole} & anonymous, name
        page = queries.list_opportunities(session, actor, by_kind, on=TODAY, limit=50)
        assert not _ids(page) & anonymous, name
        assert queries.count_opportunities(session, actor, by_kind, TODAY) == len(_ids(page))
        assert sum(queries.count_by_kind(session, actor, by_kind, TODAY).values()) == len(
            _ids(page)
        )
    for name in ("owner", "staff"):  # the owner's editor and staff know the owner
        actor = world["actors"][name]
        page = queries.list_opportunities(session, actor, by_kind, on=TODAY, limit=50)
        assert (_ids(page) >= anonymous) == (kind == "company"), name
        assert not (_ids(page) & anonymous) or kind == "company", name


def _statements(session: Session, run) -> int:
    """How many SQL statements `run()` sends."""
    sent: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        sent.append(statement)

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_a_list_asks_who_may_see_the_owners_once_not_per_row(session: Session, world):
    """Whether the reader was introduced to an anonymous owner is read once per list (a set
    of opportunity ids), not once per row: the statements do not grow with the rows."""
    owner = world["made"][("public", True)].owner_id
    editor = world["actors"]["owner"]
    other = world["actors"]["other"]
    everything = OpportunityFilter()

    def listed() -> None:
        page = queries.list_opportunities(session, other, everything, on=TODAY, limit=50)
        assert not any(s.owner_shown for s in page.items if s.opportunity.anonymous)

    session.flush()
    before = _statements(session, listed)
    for n in range(4):
        factories.opportunity(
            session,
            session.get(Organisation, owner),
            editor,
            publish=True,
            visibility="public",
            anonymous=True,
            title_pl=f"Anonimowe {n}",
        )
    session.flush()
    assert _statements(session, listed) == before
