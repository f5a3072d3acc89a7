"""Saving, listing, renaming and deleting searches; following; limits and bad input refused
with clear errors; personal data."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests import factories

from upland.accounts import queries as account_queries
from upland.accounts import service as account_service
from upland.actor import ANONYMOUS, SYSTEM
from upland.errors import Conflict, Invalid, NotFound, PermissionDenied
from upland.market.saved import queries, service
from upland.market.saved.models import Follow, SavedSearch
from upland.market.saved.schemas import SavedSearchCreate


def _person(session: Session):
    org = factories.organisation(session)
    return factories.actor_of(session, factories.user(session, role="viewer", org=org))


def test_save_list_rename_delete(session: Session):
    me = _person(session)
    made = service.save_search(
        session,
        me,
        SavedSearchCreate(name="Spawanie w Lublinie", q="spawanie", city="Lublin", pkd="25.62"),
    )
    assert (made.city_teryt, made.pkd, made.q) == ("0663011", "25.62", "spawanie")
    assert [s.name for s in queries.list_searches(session, me)] == ["Spawanie w Lublinie"]
    assert queries.url_of(made) == "/market?q=spawanie&pkd=25.62&city=Lublin"
    assert queries.filter_of(made).city == "Lublin"

    service.rename_search(session, me, made.id, "Spawalnictwo")
    assert made.name == "Spawalnictwo"
    service.delete_search(session, me, made.id)
    assert queries.list_searches(session, me) == []


def test_someone_elses_search_is_not_found(session: Session):
    me, other = _person(session), _person(session)
    made = service.save_search(session, me, SavedSearchCreate(name="A", kind="business_offer"))
    for step in (
        lambda: service.rename_search(session, other, made.id, "B"),
        lambda: service.delete_search(session, other, made.id),
        lambda: service.delete_search(session, SYSTEM, made.id),
    ):
        with pytest.raises((NotFound, PermissionDenied)):
            step()
    assert queries.list_searches(session, other) == []


def test_anonymous_may_not_save(session: Session):
    with pytest.raises(PermissionDenied):
        service.save_search(session, ANONYMOUS, SavedSearchCreate(name="A", q="laser"))


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"city": "Atlantyda"}, "municipality.unknown"),
        ({"pkd": "99.99.Q.Q"}, "pkd.malformed"),
        ({"capability": "no-such-term"}, "capability_term.unknown"),
        ({"trl_min": 7, "trl_max": 3}, "saved_search.trl_range"),
        ({}, "saved_search.empty"),
        ({"q": "   "}, "saved_search.empty"),
    ],
)
def test_bad_filters_are_refused_clearly(session: Session, fields, code):
    me = _person(session)
    with pytest.raises(Invalid) as caught:
        service.save_search(session, me, SavedSearchCreate(name="Zła", **fields))
    assert caught.value.errors[0].code == code
    assert session.query(SavedSearch).count() == 0


def test_names_are_unique_per_person_and_the_limit_holds(session: Session):
    me, other = _person(session), _person(session)
    service.save_search(session, me, SavedSearchCreate(name="Lasery", q="laser"))
    with pytest.raises(Conflict) as caught:
        service.save_search(session, me, SavedSearchCreate(name="lasery", q="cięcie"))
    assert caught.value.code == "saved_search.name_taken"
    service.save_search(session, other, SavedSearchCreate(name="Lasery", q="laser"))
    for n in range(service.LIMIT - 1):
        service.save_search(session, me, SavedSearchCreate(name=f"Szukanie {n}", q=f"słowo{n}"))
    with pytest.raises(Conflict) as caught:
        service.save_search(session, me, SavedSearchCreate(name="Jedna za dużo", q="x"))
    assert caught.value.code == "saved_search.limit"
    assert "20" in caught.value.render("en")


def test_follow_needs_the_whole_opportunity(session: Session):
    owner, other = factories.organisation(session), factories.organisation(session)
    me = factories.actor_of(session, factories.user(session, role="viewer", org=other))
    shown = factories.opportunity(session, owner, publish=True)
    hidden = factories.opportunity(session, owner, publish=True, visibility="restricted")
    service.follow(session, me, shown.id)
    service.follow(session, me, shown.id)  # again: nothing changes
    with pytest.raises((NotFound, PermissionDenied)):
        service.follow(session, me, hidden.id)
    with pytest.raises((NotFound, PermissionDenied)):
        service.follow(session, ANONYMOUS, shown.id)
    assert [f.opportunity.id for f in queries.list_follows(session, me)] == [shown.id]
    assert queries.is_following(session, me, shown.id)
    service.unfollow(session, me, shown.id)
    assert not queries.is_following(session, me, shown.id)
    with pytest.raises(NotFound):
        service.unfollow(session, me, shown.id)


def test_export_and_erasure(session: Session):
    org = factories.organisation(session)
    account = factories.user(session, role="viewer", org=org)
    me = factories.actor_of(session, account)
    shown = factories.opportunity(session, factories.organisation(session), publish=True)
    service.save_search(session, me, SavedSearchCreate(name="Frezowanie", q="frezowanie"))
    service.follow(session, me, shown.id)

    data = account_queries.personal_data(session, SYSTEM, account.id)["market_saved"]
    assert data["saved_searches"][0]["name"] == "Frezowanie"
    assert data["saved_searches"][0]["q"] == "frezowanie"
    assert data["followed_opportunities"][0]["opportunity_id"] == shown.id

    account_service.erase_user(session, SYSTEM, account.id)
    session.flush()
    assert session.query(SavedSearch).filter_by(user_id=account.id).count() == 0
    assert session.query(Follow).filter_by(user_id=account.id).count() == 0
