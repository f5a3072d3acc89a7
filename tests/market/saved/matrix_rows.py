"""Matrix rows of saved searches and follows: everybody logged in keeps their own searches and
follows (staff too, and only their own: another person's search is not found for anyone); the
anonymous are sent to the log-in for pages and refused by the API.

One world: the world's organisation owns two public published opportunities, `followed`
(followed by every logged-in actor) and `fresh` (followed by nobody); each logged-in actor has
a saved search `mine`; `theirs` is a search of a person outside the world."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests import factories
from tests.matrix import ELSEWHERE, USERS, Fields, Row, World, denial, make_accounts, row

from upland.accounts import queries as account_queries
from upland.market.saved import service
from upland.market.saved.models import Follow, SavedSearch
from upland.market.saved.schemas import SavedSearchCreate

VARIANTS = ("",)


def build_world(session: Session, variant: str) -> World:
    own = factories.organisation(session)
    other_org = factories.organisation(
        session, sites=[{"teryt": ELSEWHERE, "is_headquarters": True}], people=[]
    )
    accounts = make_accounts(session, own.id, other_org.id)
    followed = factories.opportunity(session, own, publish=True, visibility="public")
    fresh = factories.opportunity(session, own, publish=True, visibility="public")
    stranger = factories.actor_of(session, factories.user(session))
    theirs = service.save_search(session, stranger, SavedSearchCreate(name="Obce", q="laser"))
    per_actor: dict[str, Fields] = {"anonymous": {"mine": theirs.id}}
    for actor, account in accounts.items():
        if account is None:
            continue
        me = account_queries.actor_for(session, account_queries.get_user(session, account[0]))
        mine = service.save_search(session, me, SavedSearchCreate(name="Moje", q="frezowanie"))
        service.follow(session, me, followed.id)
        per_actor[actor] = {"mine": mine.id}
    shared = {"theirs": theirs.id, "followed": followed.id, "fresh": fresh.id}
    return World(accounts, shared, per_actor)


def _my_searches(session: Session, f: Fields) -> Any:
    return session.scalar(select(func.count()).where(SavedSearch.user_id == f["me"]))


def _name_of(key: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(SavedSearch.name).where(SavedSearch.id == f[key]))

    return observe


def _exists(key: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(select(func.count()).where(SavedSearch.id == f[key]))

    return observe


def _follows(key: str):
    def observe(session: Session, f: Fields) -> Any:
        return session.scalar(
            select(func.count()).where(Follow.user_id == f["me"], Follow.opportunity_id == f[key])
        )

    return observe


def _not_found(method: str, path: str):
    """Another person's saved search: not found for everybody logged in."""

    def expect(actor: str, _variant: str) -> int:
        return denial(method, path, actor, 404)

    return expect


def _lists_mine(response, fields, actor, variant) -> None:
    assert f'id="search-{fields["mine"]}"' in response.text
    assert f'id="search-{fields["theirs"]}"' not in response.text
    assert f'id="follow-{fields["followed"]}"' in response.text


def _api_lists_mine(response, fields, actor, variant) -> None:
    assert [s["id"] for s in response.json()["items"]] == [fields["mine"]]


SAVE = {"name": "Nowe", "q": "spawanie", "city": "Lublin"}
RENAME = {"name": "Inna nazwa"}
THEIRS = "/market/saved/{theirs}"
API_THEIRS = "/api/v1/saved-searches/{theirs}"

ROWS: tuple[Row, ...] = (
    row("saved-page", "GET", "/market/saved", USERS, 200, check=_lists_mine),
    row("saved-save", "POST", "/market/saved", USERS, 303, body=SAVE, observe=_my_searches),
    row(
        "saved-rename",
        "POST",
        "/market/saved/{mine}/rename",
        USERS,
        303,
        body=RENAME,
        observe=_name_of("mine"),
    ),
    Row(
        "saved-rename-theirs",
        "POST",
        THEIRS + "/rename",
        _not_found("POST", THEIRS + "/rename"),
        303,
        body=RENAME,
        observe=_name_of("theirs"),
    ),
    row(
        "saved-delete",
        "POST",
        "/market/saved/{mine}/delete",
        USERS,
        303,
        body={},
        observe=_exists("mine"),
    ),
    Row(
        "saved-delete-theirs",
        "POST",
        THEIRS + "/delete",
        _not_found("POST", THEIRS + "/delete"),
        303,
        body={},
        observe=_exists("theirs"),
    ),
    row(
        "follow",
        "POST",
        "/market/{fresh}/follow",
        USERS,
        303,
        body={},
        observe=_follows("fresh"),
    ),
    row(
        "unfollow",
        "POST",
        "/market/{followed}/unfollow",
        USERS,
        303,
        body={},
        observe=_follows("followed"),
    ),
    row(
        "api-saved-searches",
        "GET",
        "/api/v1/saved-searches",
        USERS,
        200,
        check=_api_lists_mine,
    ),
    row(
        "api-saved-search-save",
        "POST",
        "/api/v1/saved-searches",
        USERS,
        201,
        body=SAVE,
        observe=_my_searches,
    ),
    row("api-saved-search", "GET", "/api/v1/saved-searches/{mine}", USERS, 200),
    Row(
        "api-saved-search-theirs",
        "GET",
        API_THEIRS,
        _not_found("GET", API_THEIRS),
        200,
    ),
    row(
        "api-saved-search-rename",
        "PATCH",
        "/api/v1/saved-searches/{mine}",
        USERS,
        200,
        body=RENAME,
        observe=_name_of("mine"),
    ),
    Row(
        "api-saved-search-rename-theirs",
        "PATCH",
        API_THEIRS,
        _not_found("PATCH", API_THEIRS),
        200,
        body=RENAME,
        observe=_name_of("theirs"),
    ),
    row(
        "api-saved-search-delete",
        "DELETE",
        "/api/v1/saved-searches/{mine}",
        USERS,
        204,
        observe=_exists("mine"),
    ),
    Row(
        "api-saved-search-delete-theirs",
        "DELETE",
        API_THEIRS,
        _not_found("DELETE", API_THEIRS),
        204,
        observe=_exists("theirs"),
    ),
    row("api-follows", "GET", "/api/v1/follows", USERS, 200),
    row(
        "api-follow",
        "PUT",
        "/api/v1/opportunities/{fresh}/follow",
        USERS,
        200,
        observe=_follows("fresh"),
    ),
    row(
        "api-unfollow",
        "DELETE",
        "/api/v1/opportunities/{followed}/follow",
        USERS,
        204,
        observe=_follows("followed"),
    ),
)
