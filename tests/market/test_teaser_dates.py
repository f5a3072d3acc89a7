"""A teaser hides its publication date, so nothing about the list may tell it: the
published_since/until filters match only rows the reader sees whole, and newest first puts
teasers after every whole row, ordered by what they show (title), never by date or by their
sequential id. The same through the API, the HTML list, the export and the saved-search fan-out."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests import factories
from tests.browsing import caller_for

from upland.actor import Actor
from upland.market import queries
from upland.market.models import Opportunity
from upland.market.saved import matching
from upland.market.saved import service as saved
from upland.market.saved.schemas import SavedSearchCreate
from upland.market.schemas import OpportunityFilter
from upland.organisations.models import Organisation

NOW = dt.datetime.now(dt.UTC)
TODAY = NOW.date()


@dataclass
class World:
    stranger: Actor  # sees the restricted ones as teasers
    named: Actor  # sees them whole
    whole: list[Opportunity]  # members-only, oldest first
    teasers: list[Opportunity]  # restricted to `named`'s organisation


def _published(session: Session, opportunity: Opportunity, days_ago: int) -> None:
    opportunity.published_at = NOW - dt.timedelta(days=days_ago)
    session.flush()


@pytest.fixture
def world(session: Session) -> World:
    owner = factories.organisation(session)
    named = factories.organisation(session)
    stranger = factories.organisation(session)
    editor = factories.actor_of(session, factories.user(session, role="editor", org=owner))
    whole = [
        factories.opportunity(session, owner, editor, publish=True, title_pl=f"Jawna {n}")
        for n in range(3)
    ]
    # Created in the order C, A, B and published C newest, so neither creation (id) order nor
    # date order is the title order.
    teasers = [
        factories.opportunity(
            session,
            owner,
            editor,
            publish=True,
            visibility="restricted",
            named=[named.id],
            title_pl=title,
        )
        for title in ("Cięcie laserowe", "Anodowanie", "Borowanie")
    ]
    for days_ago, opportunity in zip((30, 20, 10), whole, strict=True):
        _published(session, opportunity, days_ago)
    for days_ago, opportunity in zip((1, 40, 25), teasers, strict=True):
        _published(session, opportunity, days_ago)
    return World(
        factories.actor_of(session, factories.user(session, role="editor", org=stranger)),
        factories.actor_of(session, factories.user(session, role="editor", org=named)),
        whole,
        teasers,
    )


def _ids(session: Session, actor: Actor, limit: int = 200, **flt: Any) -> list[int]:
    page = queries.list_opportunities(
        session, actor, OpportunityFilter(**flt), on=TODAY, limit=limit
    )
    return [s.opportunity.id for s in page.items]


def _walk(session: Session, actor: Actor, limit: int) -> list[int]:
    """The whole list page by page, following the cursors."""
    found: list[int] = []
    after = None
    while True:
        page = queries.list_opportunities(
            session, actor, OpportunityFilter(), on=TODAY, limit=limit, after=after
        )
        found += [s.opportunity.id for s in page.items]
        if page.next_cursor is None:
            return found
        after = page.next_cursor


def test_a_date_filter_never_matches_a_teaser(session: Session, world: World):
    teasers = {o.id for o in world.teasers}
    for flt in (
        {"published_since": TODAY - dt.timedelta(days=5)},  # C's hidden date is inside
        {"published_until": TODAY - dt.timedelta(days=35)},  # A's hidden date is inside
        {"published_since": TODAY - dt.timedelta(days=100), "published_until": TODAY},
    ):
        assert not teasers & set(_ids(session, world.stranger, **flt)), flt
        count = queries.count_opportunities(
            session, world.stranger, OpportunityFilter(**flt), TODAY
        )
        assert count == len(_ids(session, world.stranger, **flt)), flt


def test_whoever_sees_it_whole_still_filters_it_by_date(session: Session, world: World):
    newest, oldest = world.teasers[0].id, world.teasers[1].id
    assert newest in _ids(session, world.named, published_since=TODAY - dt.timedelta(days=5))
    assert oldest in _ids(session, world.named, published_until=TODAY - dt.timedelta(days=35))
    assert oldest not in _ids(session, world.named, published_since=TODAY - dt.timedelta(days=5))


def test_newest_first_puts_teasers_after_every_whole_row_by_title(session: Session, world: World):
    mine = {o.id for o in world.whole + world.teasers}
    listed = [i for i in _ids(session, world.stranger) if i in mine]
    c, a, b = (o.id for o in world.teasers)
    assert listed == [o.id for o in reversed(world.whole)] + [a, b, c]


def test_a_teasers_place_does_not_move_with_its_hidden_date(session: Session, world: World):
    before = _ids(session, world.stranger)
    for days_ago, opportunity in zip((50, 2, 15), world.teasers, strict=True):
        _published(session, opportunity, days_ago)
    assert _ids(session, world.stranger) == before


def test_teasers_of_one_title_are_not_listed_in_creation_order(session: Session, world: World):
    """Ids are handed out in creation order: equal titles must not fall back on them."""
    for opportunity in world.teasers:
        opportunity.title_pl = "Ten sam tytuł"
    session.flush()
    teasers = {o.id for o in world.teasers}
    ids = sorted(teasers)
    more = [
        factories.opportunity(
            session,
            session.get(Organisation, world.teasers[0].owner_id),
            publish=True,
            visibility="restricted",
            title_pl="Ten sam tytuł",
        ).id
        for _ in range(5)
    ]
    teasers |= set(more)
    for days_ago, teaser in enumerate(sorted(teasers, reverse=True)):
        _published(session, session.get(Opportunity, teaser), days_ago)  # the usual: by id
    listed = [i for i in _ids(session, world.stranger) if i in teasers]
    assert sorted(listed) == sorted(ids + more)
    assert listed not in (sorted(listed), sorted(listed, reverse=True))


@pytest.mark.parametrize("limit", [1, 2, 4])
def test_the_cursor_walks_the_new_order_without_gaps_or_repeats(
    session: Session, world: World, limit: int
):
    for actor in (world.stranger, world.named):
        assert _walk(session, actor, limit) == _ids(session, actor)


def test_the_api_html_list_and_export_agree(session: Session, client: Any, world: World):
    """The HTTP paths read the same query; a date filter shows a stranger no teaser there."""
    stranger = factories.user(session, role="viewer", org=factories.organisation(session))
    session.commit()
    caller = caller_for(session, client, stranger)
    since = {"published_since": (TODAY - dt.timedelta(days=100)).isoformat()}
    api = caller.client.get("/api/v1/opportunities", params={**since, "limit": 200}).json()
    assert not [i for i in api["items"] if i["teaser"]]
    page = caller.client.get("/market", params=since).text
    exported = json.loads(caller.client.get("/market/export.json", params=since).text)
    for teaser in world.teasers:
        assert f'/market/{teaser.id}"' not in page
        assert teaser.id not in {row["id"] for row in exported["items"]}
    unfiltered = caller.client.get("/api/v1/opportunities", params={"limit": 200}).json()
    assert {o.id for o in world.teasers} <= {i["id"] for i in unfiltered["items"] if i["teaser"]}


def test_a_saved_search_with_dates_tells_only_who_sees_it_whole(session: Session, world: World):
    for actor in (world.stranger, world.named):
        saved.save_search(
            session,
            actor,
            SavedSearchCreate(name="Ostatnie", published_since=TODAY - dt.timedelta(days=5)),
        )
    newest = world.teasers[0].id
    found = matching.find_matches(session, [newest], TODAY)
    assert {m.user_id for m in found} == {world.named.user_id}
    assert found == matching.naive_matches(session, [newest], TODAY)


@pytest.mark.parametrize("sort", ["newest", "deadline", "relevance"])
def test_no_sort_orders_teasers_by_their_id_date_or_deadline(
    session: Session, world: World, sort: str
):
    """Teasers of one title, created, published and due in id order: whatever the sort, they
    are tied by the scrambled id, and moving their hidden dates moves nothing."""
    owner = session.get(Organisation, world.teasers[0].owner_id)
    teasers = [
        factories.opportunity(
            session, owner, publish=True, visibility="restricted", title_pl="Ten sam tytuł"
        ).id
        for _ in range(6)
    ]
    for n, teaser in enumerate(sorted(teasers)):
        made = session.get(Opportunity, teaser)
        made.deadline = TODAY + dt.timedelta(days=10 + n)
        made.published_at = NOW - dt.timedelta(days=50 - n)
    session.flush()
    flt: dict[str, Any] = {"sort": sort, "q": "tytuł"} if sort == "relevance" else {"sort": sort}

    def listed() -> list[int]:
        return [i for i in _ids(session, world.stranger, **flt) if i in set(teasers)]

    before = listed()
    assert sorted(before) == sorted(teasers)
    assert before not in (sorted(before), sorted(before, reverse=True))
    for n, teaser in enumerate(sorted(teasers, reverse=True)):
        made = session.get(Opportunity, teaser)
        made.deadline = TODAY + dt.timedelta(days=10 + n)
        made.published_at = NOW - dt.timedelta(days=50 - n)
    session.flush()
    assert listed() == before


def test_sorted_by_deadline_teasers_follow_every_whole_row(session: Session, world: World):
    """A teaser's deadline is hidden: it sorts after every whole row, dated or not, so its
    place tells nothing of where its deadline falls."""
    world.whole[0].deadline = TODAY + dt.timedelta(days=30)
    for teaser in world.teasers:
        teaser.deadline = TODAY + dt.timedelta(days=1)
    session.flush()
    mine = {o.id for o in world.whole + world.teasers}
    listed = [i for i in _ids(session, world.stranger, sort="deadline") if i in mine]
    c, a, b = (o.id for o in world.teasers)
    assert listed[:3] == [world.whole[0].id, world.whole[1].id, world.whole[2].id]
    assert listed[3:] == [a, b, c]


@pytest.mark.parametrize("sort", ["newest", "deadline"])
def test_teasers_sort_by_the_title_in_the_readers_language(
    session: Session, client: Any, world: World, sort: str
):
    """An English reader's teasers are in English order (the Polish title where there is no
    English one), a Polish reader's in Polish order; the page follows the reader's language."""
    c, a, b = world.teasers
    c.title_en, a.title_en, b.title_en = "Anodising", "Zinc plating", ""
    session.flush()

    def teasers(language: str) -> list[int]:
        page = queries.list_opportunities(
            session, world.stranger, OpportunityFilter(sort=sort), on=TODAY, language=language
        )
        return [s.opportunity.id for s in page.items if not s.whole]

    assert teasers("pl") == [a.id, b.id, c.id]
    assert teasers("en") == [c.id, b.id, a.id]  # Anodising, Borowanie, Zinc plating
    session.commit()
    for language, order in (("en", (c, b, a)), ("pl", (a, b, c))):
        page = client.get("/market", params={"sort": sort, "lang": language}).text
        places = [page.index(f'/market/{o.id}"') for o in order]
        assert places == sorted(places), language
